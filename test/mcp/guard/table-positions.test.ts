/**
 * What may stand where a table goes: Snowflake's built-in read-only table functions (checked
 * against its documented list), tables named by literals inside TABLE(…), and nothing that runs
 * code or text, or names a file (a string literal, which DuckDB reads as a file under the emulator).
 */
import { expect } from 'chai';
import { checkSql } from '../../../src/mcp/guard/index.js';
import type { GuardPolicy } from '../../../src/mcp/guard/index.js';

const READ_ONLY: GuardPolicy = { allowWrite: false, allowDdl: false };
const EVERYTHING: GuardPolicy = { allowWrite: true, allowDdl: true };

function expectAllowed(sql: string, policy = READ_ONLY): void {
  const verdict = checkSql(sql, policy);
  expect(verdict.allowed, verdict.allowed ? sql : `${sql}: ${verdict.reason}`).to.equal(true);
}

function expectRefused(sql: string, reason: RegExp, policy = READ_ONLY): void {
  const verdict = checkSql(sql, policy);
  expect(verdict.allowed, sql).to.equal(false);
  if (!verdict.allowed) expect(verdict.reason, sql).to.match(reason);
}

// Information Schema table functions missing from the first allow-list; each only reads history,
// usage or metadata.
const NEWLY_ALLOWED = [
  'APPLICATION_CALLBACK_HISTORY',
  'APPLICATION_CONFIGURATION_VALUE_HISTORY',
  'APPLICATION_SPECIFICATION_STATUS_HISTORY',
  'AVAILABLE_LISTINGS',
  'AVAILABLE_LISTING_REFRESH_HISTORY',
  'COMPLETE_TASK_GRAPHS',
  'CORTEX_SEARCH_REFRESH_HISTORY',
  'CURRENT_TASK_GRAPHS',
  'DATA_METRIC_FUNCTION_EXPECTATIONS',
  'DATA_METRIC_FUNCTION_REFERENCES',
  'DATABASE_REFRESH_PROGRESS_BY_JOB',
  'DBT_PROJECT_EXECUTION_HISTORY',
  'DCM_DEPLOYMENT_HISTORY',
  'EXTERNAL_FUNCTIONS_HISTORY',
  'ICEBERG_TABLE_FILES',
  'ICEBERG_TABLE_SNAPSHOT_REFRESH_HISTORY',
  'LISTING_REFRESH_HISTORY',
  'NETWORK_RULE_REFERENCES',
  'NOTIFICATION_HISTORY',
  'ONLINE_FEATURE_TABLE_REFRESH_HISTORY',
  'QUERY_ACCELERATION_HISTORY',
  'REPLICATION_GROUP_DANGLING_REFERENCES',
  'REPLICATION_GROUP_REFRESH_HISTORY',
  'REPLICATION_GROUP_REFRESH_HISTORY_ALL',
  'REPLICATION_GROUP_REFRESH_PROGRESS',
  'REPLICATION_GROUP_REFRESH_PROGRESS_ALL',
  'REPLICATION_GROUP_REFRESH_PROGRESS_BY_JOB',
  'REPLICATION_GROUP_USAGE_HISTORY',
  'SERVERLESS_ALERT_HISTORY',
  'STAGE_DIRECTORY_FILE_REGISTRATION_HISTORY',
  'STORAGE_LIFECYCLE_POLICY_HISTORY',
];

describe('SQL guard: table functions', () => {
  it('allows every newly listed Information Schema table function, unqualified or in INFORMATION_SCHEMA', () => {
    for (const name of NEWLY_ALLOWED) {
      expectAllowed(`SELECT * FROM TABLE(INFORMATION_SCHEMA.${name}())`);
      expectAllowed(
        `SELECT * FROM TABLE(sample_db.information_schema.${name.toLowerCase()}(RESULT_LIMIT => 10))`,
      );
      expectAllowed(`SELECT * FROM t, TABLE(${name}('x')) f`);
    }
  });

  it('allows the table functions of the SNOWFLAKE database in their own schema only', () => {
    expectAllowed("SELECT * FROM TABLE(SNOWFLAKE.CORE.GET_LINEAGE('db.s.t', 'TABLE', 'DOWNSTREAM'))");
    expectAllowed(
      "SELECT * FROM TABLE(SNOWFLAKE.LOCAL.DATA_QUALITY_MONITORING_RESULTS(REF_ENTITY_NAME => 't'))",
    );
    expectAllowed("SELECT * FROM TABLE(SNOWFLAKE.ACCOUNT_USAGE.TAG_REFERENCES_WITH_LINEAGE('db.s.tag'))");
    expectAllowed("SELECT * FROM TABLE(SYSTEM$STREAM_BACKLOG('db.s.stream'))");
    expectRefused(
      "SELECT * FROM TABLE(mydb.core.GET_LINEAGE('t', 'TABLE', 'UPSTREAM'))",
      /may call a stored procedure/,
    );
    expectRefused('SELECT * FROM TABLE(mydb.public.COMPLETE_TASK_GRAPHS())', /may call a stored procedure/);
  });

  it('refuses TO_QUERY, which runs SQL given as text, wherever it is called', () => {
    for (const sql of [
      "SELECT * FROM TABLE(TO_QUERY('SELECT * FROM t'))",
      "SELECT * FROM TABLE(TO_QUERY(SQL => 'DELETE FROM t'))",
      "SELECT * FROM t, TO_QUERY('SELECT 1')",
      "SELECT TO_QUERY('SELECT 1')",
    ])
      expectRefused(sql, /runs SQL given as text \(TO_QUERY\), which smcp cannot inspect/, EVERYTHING);
  });

  it('refuses user-defined table functions and procedures, SYSTEM$ functions that run code, and class methods', () => {
    expectRefused(
      'SELECT * FROM TABLE(my_udtf(1))',
      /TABLE\(MY_UDTF\(…\)\), which may call a stored procedure/,
    );
    expectRefused('SELECT * FROM TABLE(db.s.QUERY_HISTORY())', /may call a stored procedure/);
    expectRefused(
      "SELECT * FROM TABLE(SYSTEM$EVALUATE_DATA_QUALITY_EXPECTATIONS(REF_ENTITY_NAME => 't'))",
      /SYSTEM\$EVALUATE_DATA_QUALITY_EXPECTATIONS, which is not on smcp's allow-list/,
    );
    expectRefused('SELECT * FROM my_service!SPCS_GET_LOGS()', /class instance method/, EVERYTHING);
  });
});

describe('SQL guard: string literals where a table goes', () => {
  const FILE = /names a string literal where a table goes \('\/etc\/passwd'\); Snowflake has no such syntax/;

  it('refuses them in reads: FROM, JOIN, a FROM list, LATERAL, subqueries, CTEs, EXPLAIN, DESCRIBE', () => {
    for (const sql of [
      "SELECT * FROM '/etc/passwd'",
      "select * from '/etc/passwd' AS p",
      "SELECT * FROM t LEFT JOIN '/etc/passwd' p ON TRUE",
      "SELECT * FROM t, u, '/etc/passwd'",
      "SELECT * FROM t AS minus, '/etc/passwd'",
      "SELECT * FROM t JOIN u USING (a), '/etc/passwd'",
      "SELECT * FROM t, LATERAL '/etc/passwd'",
      "SELECT * FROM (SELECT * FROM '/etc/passwd')",
      "SELECT a FROM t WHERE a IN (FROM '/etc/passwd')",
      "WITH p AS (SELECT * FROM '/etc/passwd') SELECT * FROM p",
      "SELECT 1 UNION SELECT * FROM '/etc/passwd'",
      "EXPLAIN SELECT * FROM '/etc/passwd'",
      "DESCRIBE '/etc/passwd'",
      "DESCRIBE TABLE '/etc/passwd'",
    ])
      expectRefused(sql, FILE, EVERYTHING);
    expectRefused(
      'SELECT * FROM $$/etc/passwd$$',
      /string literal where a table goes \(\$\$\/etc\/passwd\$\$\)/,
    );
  });

  it('refuses them in DML: INSERT … SELECT, DELETE … USING, MERGE … USING, UPDATE … FROM, and CTAS', () => {
    for (const sql of [
      "INSERT INTO t SELECT * FROM '/etc/passwd'",
      "INSERT OVERWRITE INTO t SELECT a FROM u, '/etc/passwd'",
      "DELETE FROM t USING '/etc/passwd' p WHERE t.a = p.a",
      "DELETE FROM t USING u, '/etc/passwd' p WHERE t.a = p.a",
      "MERGE INTO t USING '/etc/passwd' p ON t.a = p.a WHEN MATCHED THEN DELETE",
      "UPDATE t SET a = p.a FROM '/etc/passwd' p",
      "CREATE TABLE u AS SELECT * FROM '/etc/passwd'",
      "CREATE TABLE u AS FROM '/etc/passwd'",
    ])
      expectRefused(sql, FILE, EVERYTHING);
  });

  it('keeps what is Snowflake syntax: TABLE(literal), COPY INTO … FROM a location, values after FROM', () => {
    expectAllowed("SELECT * FROM TABLE('SAMPLE_DB.SALES.ORDERS')");
    expectAllowed('SELECT * FROM TABLE($$SAMPLE_DB.SALES.ORDERS$$)');
    expectAllowed("SELECT EXTRACT(year FROM '2024-05-01'::DATE), a IS NOT DISTINCT FROM 'x' FROM t");
    expectAllowed("SELECT * FROM VALUES ('a', 1), ('b', 2)");
    expectAllowed("DESCRIBE RESULT '01a2b3c4-0000-0000-0000-000000000000'");
    expectAllowed("SHOW TABLES LIKE 'ORD%'");
    expectAllowed("COPY INTO t FROM 's3://bucket/load/' FILE_FORMAT = (TYPE = CSV)", EVERYTHING);
    expectAllowed("CREATE STREAMLIT app FROM '@st/app' MAIN_FILE = 'app.py'", EVERYTHING);
  });
});
