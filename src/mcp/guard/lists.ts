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
 * that works without Snowflake credentials.
 */
export const FUNCTION_DENY: ReadonlyMap<string, { reason: string; write: boolean }> = new Map([
  ['NEXTVAL', { reason: 'advances a sequence (NEXTVAL)', write: true }],
  ['GETNEXTVAL', { reason: 'advances a sequence (GETNEXTVAL)', write: true }],
  [
    'GET_PRESIGNED_URL',
    { reason: 'hands out a pre-signed URL that bypasses Snowflake access control', write: false },
  ],
  ['BUILD_SCOPED_FILE_URL', { reason: 'hands out a URL granting access to a staged file', write: false }],
]);

/**
 * Table functions allowed inside TABLE(…): TABLE() can also call a stored procedure
 * (`SELECT * FROM TABLE(my_proc())`), and a name alone cannot tell the two apart, so only built-in
 * read-only table functions are allowed. Unqualified, or qualified by INFORMATION_SCHEMA.
 */
export const TABLE_FUNCTION_ALLOW = new Set([
  'RESULT_SCAN',
  'FLATTEN',
  'GENERATOR',
  'SPLIT_TO_TABLE',
  'STRTOK_SPLIT_TO_TABLE',
  'INFER_SCHEMA',
  'VALIDATE',
  'QUERY_HISTORY',
  'QUERY_HISTORY_BY_SESSION',
  'QUERY_HISTORY_BY_USER',
  'QUERY_HISTORY_BY_WAREHOUSE',
  'TASK_HISTORY',
  'TASK_DEPENDENTS',
  'COPY_HISTORY',
  'LOGIN_HISTORY',
  'LOGIN_HISTORY_BY_USER',
  'WAREHOUSE_LOAD_HISTORY',
  'WAREHOUSE_METERING_HISTORY',
  'AUTOMATIC_CLUSTERING_HISTORY',
  'DATABASE_STORAGE_USAGE_HISTORY',
  'STAGE_STORAGE_USAGE_HISTORY',
  'PIPE_USAGE_HISTORY',
  'MATERIALIZED_VIEW_REFRESH_HISTORY',
  'SEARCH_OPTIMIZATION_HISTORY',
  'SERVERLESS_TASK_HISTORY',
  'DYNAMIC_TABLES',
  'DYNAMIC_TABLE_REFRESH_HISTORY',
  'DYNAMIC_TABLE_GRAPH_HISTORY',
  'ALERT_HISTORY',
  'POLICY_REFERENCES',
  'TAG_REFERENCES',
  'TAG_REFERENCES_ALL_COLUMNS',
  'TAG_REFERENCES_WITH_LINEAGE',
  'EXTERNAL_TABLE_FILES',
  'EXTERNAL_TABLE_FILE_REGISTRATION_HISTORY',
  'REPLICATION_USAGE_HISTORY',
  'DATABASE_REFRESH_HISTORY',
  'DATABASE_REFRESH_PROGRESS',
  'DATABASE_REPLICATION_USAGE_HISTORY',
  'REST_EVENT_HISTORY',
  'VALIDATE_PIPE_LOAD',
  'AUTO_REFRESH_REGISTRATION_HISTORY',
  'DATA_TRANSFER_HISTORY',
  'GET_QUERY_OPERATOR_STATS',
  'GET_OBJECT_REFERENCES',
]);

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
