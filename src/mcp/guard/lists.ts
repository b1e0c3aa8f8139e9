/**
 * The guard's word lists: what may be called from a read, and what never may. Everything not on an
 * allow-list is refused; the deny lists exist to give a precise reason, not to be complete.
 */

/**
 * SYSTEM$ functions a read may call: they only report on objects or sleep. Every other SYSTEM$
 * function is refused — many change state (SYSTEM$CANCEL_*, SYSTEM$SET_*, SYSTEM$TASK_*), send
 * things out (SYSTEM$SEND_EMAIL) or return secrets (SYSTEM$GET_*_TOKEN, SYSTEM$SHOW_OAUTH_*).
 */
export const SYSTEM_FUNCTION_ALLOW = new Set([
  'SYSTEM$TYPEOF',
  'SYSTEM$CLUSTERING_INFORMATION',
  'SYSTEM$CLUSTERING_DEPTH',
  'SYSTEM$CLUSTERING_RATIO',
  'SYSTEM$WAIT', // sleeps; harmless, bounded by the statement timeout, used by tests
  'SYSTEM$EXPLAIN_PLAN_JSON',
  'SYSTEM$EXPLAIN_JSON_TO_TEXT',
  'SYSTEM$PIPE_STATUS',
  'SYSTEM$STREAM_HAS_DATA',
  'SYSTEM$STREAM_GET_TABLE_TIMESTAMP',
  'SYSTEM$LAST_CHANGE_COMMIT_TIME',
  'SYSTEM$GET_TAG',
  'SYSTEM$GET_TAG_ALLOWED_VALUES',
  'SYSTEM$GET_TAG_ON_CURRENT_COLUMN',
  'SYSTEM$GET_TAG_ON_CURRENT_TABLE',
  'SYSTEM$ESTIMATE_SEARCH_OPTIMIZATION_COSTS',
  'SYSTEM$ESTIMATE_QUERY_ACCELERATION',
  'SYSTEM$BEHAVIOR_CHANGE_BUNDLE_STATUS',
  'SYSTEM$SHOW_ACTIVE_BEHAVIOR_CHANGE_BUNDLES',
  'SYSTEM$CLIENT_VERSION_INFO',
  'SYSTEM$GET_CLASSIFICATION_RESULT',
  'SYSTEM$STREAM_BACKLOG', // a table function: the stream's pending table versions
  'SYSTEM$DATA_METRIC_SCAN', // a table function: the rows a data metric function flags
]);

/** Why a SYSTEM$ function outside the allow-list is refused, by name pattern; first match wins. */
export const SYSTEM_FUNCTION_REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^SYSTEM\$(CANCEL|ABORT)_/, 'cancels or aborts work'],
  [/_TOKEN/, 'returns credentials'],
  [/^SYSTEM\$SHOW_OAUTH|SECRET|PASSWORD|_KEY/, 'returns secrets'],
  [/^SYSTEM\$(SET|UNSET)_/, 'changes settings'],
  [/^SYSTEM\$(WHITELIST|ALLOWLIST)/, 'reveals the network endpoints of the account'],
  [/^SYSTEM\$PIPE_FORCE_RESUME/, 'resumes a pipe'],
  [/^SYSTEM\$(USER_)?TASK_/, 'changes tasks'],
  [/SAML/, 'changes identity-provider settings'],
  [/SEND_|NOTIFICATION/, 'sends messages out of Snowflake'],
];

/**
 * Functions other than SYSTEM$ ones that a read must not call. NEXTVAL advances a sequence (a
 * write, so it is allowed with --allow-write); the URL builders hand out access to staged files
 * that works without Snowflake credentials; TO_QUERY runs SQL text the guard never sees;
 * LAST_QUERY_ID reads the history of a pooled session, that is other clients' query ids.
 */
export const FUNCTION_DENY: ReadonlyMap<string, { reason: string; write: boolean }> = new Map([
  ['NEXTVAL', { reason: 'advances a sequence (NEXTVAL)', write: true }],
  ['GETNEXTVAL', { reason: 'advances a sequence (GETNEXTVAL)', write: true }],
  [
    'GET_PRESIGNED_URL',
    { reason: 'hands out a pre-signed URL that bypasses Snowflake access control', write: false },
  ],
  ['BUILD_SCOPED_FILE_URL', { reason: 'hands out a URL granting access to a staged file', write: false }],
  ['TO_QUERY', { reason: 'runs SQL given as text (TO_QUERY), which smcp cannot inspect', write: false }],
  [
    'LAST_QUERY_ID',
    {
      reason:
        'reads the query ids of a pooled Snowflake session that smcp shares between clients (LAST_QUERY_ID); pass a query id smcp returned to you instead',
      write: false,
    },
  ],
]);

/**
 * Built-in table functions that only read, checked once against Snowflake's list of system-defined
 * table functions (docs: sql-reference/functions-table and the Information Schema table functions),
 * with the schema each lives in. TABLE() can also call a stored procedure
 * (`SELECT * FROM TABLE(my_proc())`) and a name alone cannot tell the two apart, so only these may
 * be called there, or where a table goes: unqualified, qualified by INFORMATION_SCHEMA (nobody can
 * create objects there), or by their own schema in the SNOWFLAKE database.
 *
 * Left out on purpose: TO_QUERY (runs SQL given as text, which the guard cannot see), class
 * methods such as `<service>!SPCS_GET_LOGS` (refused with every `!` call), and
 * SYSTEM$EVALUATE_DATA_QUALITY_EXPECTATIONS (runs data metric functions on demand).
 */
const TABLE_FUNCTION_HOMES: ReadonlyMap<string, string> = new Map([
  // Data loading, generation, conversion, semi-structured data, query results and profile
  ['INFER_SCHEMA', ''],
  ['VALIDATE', ''],
  ['GENERATOR', ''],
  ['SPLIT_TO_TABLE', ''],
  ['STRTOK_SPLIT_TO_TABLE', ''],
  ['FLATTEN', ''],
  ['RESULT_SCAN', ''],
  ['GET_QUERY_OPERATOR_STATS', ''],
  ['GET_OBJECT_REFERENCES', ''],
  ['BIND_VALUES', ''],
  ['CUMULATIVE_PRIVACY_LOSSES', 'SNOWFLAKE.DATA_PRIVACY'],
  ['CORTEX_SEARCH_DATA_SCAN', ''],
  // Information Schema: history and usage
  ['ALERT_HISTORY', ''],
  ['SERVERLESS_ALERT_HISTORY', ''],
  ['APPLICATION_CALLBACK_HISTORY', ''],
  ['APPLICATION_CONFIGURATION_VALUE_HISTORY', ''],
  ['APPLICATION_SPECIFICATION_STATUS_HISTORY', ''],
  ['AUTOMATIC_CLUSTERING_HISTORY', ''],
  ['AUTO_REFRESH_REGISTRATION_HISTORY', ''],
  ['AVAILABLE_LISTINGS', ''],
  ['AVAILABLE_LISTING_REFRESH_HISTORY', ''],
  ['LISTING_REFRESH_HISTORY', ''],
  ['COMPLETE_TASK_GRAPHS', ''],
  ['CURRENT_TASK_GRAPHS', ''],
  ['SERVERLESS_TASK_HISTORY', ''],
  ['TASK_DEPENDENTS', ''],
  ['TASK_HISTORY', ''],
  ['COPY_HISTORY', ''],
  ['CORTEX_SEARCH_REFRESH_HISTORY', ''],
  ['DATA_METRIC_FUNCTION_EXPECTATIONS', ''],
  ['DATA_METRIC_FUNCTION_REFERENCES', ''],
  ['DATA_QUALITY_MONITORING_EXPECTATION_STATUS', 'SNOWFLAKE.LOCAL'],
  ['DATA_QUALITY_MONITORING_RESULTS', 'SNOWFLAKE.LOCAL'],
  ['DATA_TRANSFER_HISTORY', ''],
  ['DATABASE_REFRESH_HISTORY', ''],
  ['DATABASE_REFRESH_PROGRESS', ''],
  ['DATABASE_REFRESH_PROGRESS_BY_JOB', ''],
  ['DATABASE_REPLICATION_USAGE_HISTORY', ''],
  ['DATABASE_STORAGE_USAGE_HISTORY', ''],
  ['DBT_PROJECT_EXECUTION_HISTORY', ''],
  ['DCM_DEPLOYMENT_HISTORY', ''],
  ['DYNAMIC_TABLES', ''],
  ['DYNAMIC_TABLE_GRAPH_HISTORY', ''],
  ['DYNAMIC_TABLE_REFRESH_HISTORY', ''],
  ['EXTERNAL_FUNCTIONS_HISTORY', ''],
  ['EXTERNAL_TABLE_FILES', ''],
  ['EXTERNAL_TABLE_FILE_REGISTRATION_HISTORY', ''],
  ['ICEBERG_TABLE_FILES', ''],
  ['ICEBERG_TABLE_SNAPSHOT_REFRESH_HISTORY', ''],
  ['LOGIN_HISTORY', ''],
  ['LOGIN_HISTORY_BY_USER', ''],
  ['MATERIALIZED_VIEW_REFRESH_HISTORY', ''],
  ['NETWORK_RULE_REFERENCES', ''],
  ['NOTIFICATION_HISTORY', ''],
  ['ONLINE_FEATURE_TABLE_REFRESH_HISTORY', ''],
  ['PIPE_USAGE_HISTORY', ''],
  ['POLICY_REFERENCES', ''],
  ['QUERY_ACCELERATION_HISTORY', ''],
  ['QUERY_HISTORY', ''],
  ['QUERY_HISTORY_BY_SESSION', ''],
  ['QUERY_HISTORY_BY_USER', ''],
  ['QUERY_HISTORY_BY_WAREHOUSE', ''],
  ['REPLICATION_GROUP_DANGLING_REFERENCES', ''],
  ['REPLICATION_GROUP_REFRESH_HISTORY', ''],
  ['REPLICATION_GROUP_REFRESH_HISTORY_ALL', ''],
  ['REPLICATION_GROUP_REFRESH_PROGRESS', ''],
  ['REPLICATION_GROUP_REFRESH_PROGRESS_BY_JOB', ''],
  ['REPLICATION_GROUP_REFRESH_PROGRESS_ALL', ''],
  ['REPLICATION_GROUP_USAGE_HISTORY', ''],
  ['REPLICATION_USAGE_HISTORY', ''],
  ['REST_EVENT_HISTORY', ''],
  ['SEARCH_OPTIMIZATION_HISTORY', ''],
  ['STAGE_DIRECTORY_FILE_REGISTRATION_HISTORY', ''],
  ['STAGE_STORAGE_USAGE_HISTORY', ''],
  ['STORAGE_LIFECYCLE_POLICY_HISTORY', ''],
  ['TAG_REFERENCES', ''],
  ['TAG_REFERENCES_ALL_COLUMNS', ''],
  ['TAG_REFERENCES_WITH_LINEAGE', 'SNOWFLAKE.ACCOUNT_USAGE'],
  ['VALIDATE_PIPE_LOAD', ''],
  ['WAREHOUSE_LOAD_HISTORY', ''],
  ['WAREHOUSE_METERING_HISTORY', ''],
  // Lineage, contacts, container jobs, streams and data quality (SNOWFLAKE database or SYSTEM$)
  ['GET_LINEAGE', 'SNOWFLAKE.CORE'],
  ['GET_CONTACTS', 'SNOWFLAKE.CORE'],
  ['GET_JOB_HISTORY', 'SNOWFLAKE.SPCS'],
  ['SYSTEM$STREAM_BACKLOG', ''],
  ['SYSTEM$DATA_METRIC_SCAN', ''],
]);

/**
 * Whether a dotted name (upper-cased parts, e.g. ['DB', 'INFORMATION_SCHEMA', 'QUERY_HISTORY'])
 * names a built-in read-only table function: on the list and unqualified, qualified by
 * INFORMATION_SCHEMA (optionally with its database), or by its own schema in the SNOWFLAKE database.
 */
export function isBuiltinTableFunction(parts: readonly string[]): boolean {
  const name = parts[parts.length - 1];
  const home = name === undefined ? undefined : TABLE_FUNCTION_HOMES.get(name);
  if (home === undefined) return false;
  if (parts.length === 1) return true;
  const qualifier = parts.slice(0, -1);
  if (qualifier[qualifier.length - 1] === 'INFORMATION_SCHEMA' && qualifier.length <= 2) return true;
  return home !== '' && qualifier.join('.') === home;
}

/**
 * Words that have no business in a read statement at any depth. Most are reserved in Snowflake, so
 * they cannot be bare identifiers; the others are refused too (deny on doubt) — a column with such
 * a name can be written in double quotes. The value says why.
 */
export const READ_FORBIDDEN_WORDS: ReadonlyMap<string, string> = new Map([
  ['INSERT', 'contains INSERT'],
  ['DELETE', 'contains DELETE'],
  ['UPDATE', 'contains UPDATE'],
  ['DROP', 'contains DROP'],
  ['ALTER', 'contains ALTER'],
  ['CREATE', 'contains CREATE'],
  ['TRUNCATE', 'contains TRUNCATE'],
  ['UNDROP', 'contains UNDROP'],
  ['GRANT', 'contains GRANT'],
  ['REVOKE', 'contains REVOKE'],
  ['SET', 'contains SET'],
  ['UNSET', 'contains UNSET'],
  ['CALL', 'calls a procedure (CALL)'],
  ['EXECUTE', 'contains EXECUTE'],
  ['INTO', 'contains INTO (SELECT … INTO writes or assigns)'],
]);

/**
 * Object types whose CREATE/ALTER/DROP is account administration (users, roles, integrations,
 * network and authentication policies, shares, replication): refused even with --allow-ddl.
 */
export const ADMIN_OBJECT_WORDS = new Set([
  'USER',
  'USERS',
  'ROLE',
  'ACCOUNT',
  'INTEGRATION',
  'SECURITY',
  'STORAGE',
  'API',
  'NOTIFICATION',
  'CATALOG',
  'ACCESS',
  'NETWORK',
  'SHARE',
  'MANAGED',
  'RESOURCE',
  'FAILOVER',
  'REPLICATION',
  'CONNECTION',
  'ORGANIZATION',
  'AUTHENTICATION',
  'PASSWORD',
  'SESSION',
  'SECRET',
]);

/** Words between CREATE/ALTER/DROP and the object type (CREATE OR REPLACE SECURE VIEW). */
export const DDL_MODIFIERS = new Set([
  'OR',
  'REPLACE',
  'ALTER',
  'IF',
  'NOT',
  'EXISTS',
  'TEMPORARY',
  'TEMP',
  'VOLATILE',
  'TRANSIENT',
  'LOCAL',
  'GLOBAL',
  'SECURE',
  'RECURSIVE',
  'MATERIALIZED',
  'EXTERNAL',
  'DYNAMIC',
  'HYBRID',
  'ICEBERG',
  'EVENT',
]);

/**
 * Words that end a WHERE or ORDER BY fragment's clause when they appear outside parentheses; a
 * fragment containing one would be escaping its clause (`1=1 UNION SELECT …`, `x LIMIT 1`).
 */
export const FRAGMENT_CLAUSE_WORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
  'INTO',
  'WINDOW',
  'WITH',
  'JOIN',
  'SAMPLE',
  'TABLESAMPLE',
  'PIVOT',
  'UNPIVOT',
  'MATCH_RECOGNIZE',
  'CONNECT',
  'START',
  'FOR',
]);
