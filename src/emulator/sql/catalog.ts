/**
 * The engine's own catalog `_SMCP` beside the user databases: Snowflake's declared type of every
 * column (DuckDB cannot tell TIMESTAMP_TZ from LTZ, or OBJECT from VARIANT), object metadata DuckDB
 * lacks (creation time, view text), the INFORMATION_SCHEMA table macros and the query history
 * snapshot. Databases `memory`, `system`, `temp` and `_SMCP` are hidden from users.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { DuckDBTimestampTZValue, TIMESTAMPTZ, VARCHAR, BIGINT } from '@duckdb/node-api';
import { shownDefaultSql } from './decfloat-default.js';
import type { QueryHistory } from './history.js';
import { quoteString } from './tokenizer.js';
import { sfTypeFromDuck } from './types.js';
import type { SfColumnType } from './types.js';
import type { GeneratedCatalog } from '../sample-data/generated-catalog.js';
import { CONTAINER_COMMENTS_DDL } from './container-comments.js';

/** Catalogs users never see. */
export const HIDDEN_DATABASES = ['memory', 'system', 'temp', '_SMCP'];
/** DuckDB schemas users never see. */
export const HIDDEN_SCHEMAS = ['main', 'information_schema', 'pg_catalog'];

const HIDDEN_DB_SQL = HIDDEN_DATABASES.map(quoteString).join(', ');
const HIDDEN_SCHEMA_SQL = HIDDEN_SCHEMAS.map(quoteString).join(', ');

const SETUP: readonly string[] = [
  `ATTACH ':memory:' AS _SMCP`,
  `CREATE TABLE _SMCP.main.COLUMN_TYPES (db VARCHAR, sch VARCHAR, tbl VARCHAR, col VARCHAR, sf_name VARCHAR, wire VARCHAR,
     num_precision INTEGER, num_scale INTEGER, char_length BIGINT)`,
  `CREATE TABLE _SMCP.main.OBJECTS (db VARCHAR, sch VARCHAR, name VARCHAR, created TIMESTAMPTZ, text VARCHAR)`,
  CONTAINER_COMMENTS_DDL,
  `CREATE TABLE _SMCP.main.QUERY_HISTORY (QUERY_ID VARCHAR, QUERY_TEXT VARCHAR, DATABASE_NAME VARCHAR, SCHEMA_NAME VARCHAR,
     QUERY_TYPE VARCHAR, SESSION_ID VARCHAR, USER_NAME VARCHAR, ROLE_NAME VARCHAR, WAREHOUSE_NAME VARCHAR, QUERY_TAG VARCHAR,
     EXECUTION_STATUS VARCHAR, ERROR_CODE VARCHAR, ERROR_MESSAGE VARCHAR, START_TIME TIMESTAMPTZ, END_TIME TIMESTAMPTZ,
     TOTAL_ELAPSED_TIME BIGINT, ROWS_PRODUCED BIGINT, SEQ BIGINT)`,
  `CREATE MACRO _SMCP.main.QUERY_HISTORY_FN() AS TABLE SELECT * EXCLUDE (SEQ) FROM _SMCP.main.QUERY_HISTORY ORDER BY SEQ`,
  `CREATE MACRO _SMCP.main.IS_DATABASES(d) AS TABLE
     SELECT database_name AS DATABASE_NAME, 'ACCOUNTADMIN' AS DATABASE_OWNER, 'NO' AS IS_TRANSIENT, comment AS COMMENT,
       CAST(NULL AS TIMESTAMPTZ) AS CREATED, CAST(NULL AS TIMESTAMPTZ) AS LAST_ALTERED, 1 AS RETENTION_TIME, 'STANDARD' AS TYPE
     FROM duckdb_databases() WHERE database_name NOT IN (${HIDDEN_DB_SQL}) ORDER BY 1`,
  `CREATE MACRO _SMCP.main.IS_SCHEMATA(d) AS TABLE
     SELECT * FROM (
       SELECT database_name AS CATALOG_NAME, schema_name AS SCHEMA_NAME, 'ACCOUNTADMIN' AS SCHEMA_OWNER, 'NO' AS IS_TRANSIENT,
         'NO' AS IS_MANAGED_ACCESS, 1 AS RETENTION_TIME, CAST(NULL AS VARCHAR) AS DEFAULT_CHARACTER_SET_CATALOG,
         CAST(NULL AS VARCHAR) AS DEFAULT_CHARACTER_SET_SCHEMA, CAST(NULL AS VARCHAR) AS DEFAULT_CHARACTER_SET_NAME,
         CAST(NULL AS VARCHAR) AS SQL_PATH, CAST(NULL AS TIMESTAMPTZ) AS CREATED, CAST(NULL AS TIMESTAMPTZ) AS LAST_ALTERED,
         comment AS COMMENT
       FROM duckdb_schemas() WHERE database_name = d AND schema_name NOT IN (${HIDDEN_SCHEMA_SQL})
       UNION ALL
       SELECT d, 'INFORMATION_SCHEMA', 'ACCOUNTADMIN', 'NO', 'NO', 1, NULL, NULL, NULL, NULL, NULL, NULL,
         'Views describing the contents of schemas in this database'
       FROM duckdb_databases() WHERE database_name = d
     ) ORDER BY SCHEMA_NAME`,
  `CREATE MACRO _SMCP.main.IS_TABLES(d) AS TABLE
     SELECT * FROM (
       SELECT t.database_name AS TABLE_CATALOG, t.schema_name AS TABLE_SCHEMA, t.table_name AS TABLE_NAME,
         'ACCOUNTADMIN' AS TABLE_OWNER, 'BASE TABLE' AS TABLE_TYPE, 'NO' AS IS_TRANSIENT, CAST(NULL AS VARCHAR) AS CLUSTERING_KEY,
         t.estimated_size AS ROW_COUNT, t.estimated_size * t.column_count * 8 AS BYTES, 1 AS RETENTION_TIME,
         o.created AS CREATED, o.created AS LAST_ALTERED, o.created AS LAST_DDL, 'ACCOUNTADMIN' AS LAST_DDL_BY,
         'NO' AS AUTO_CLUSTERING_ON, t.comment AS COMMENT, 'NO' AS IS_TEMPORARY, 'NO' AS IS_ICEBERG, 'NO' AS IS_DYNAMIC
       FROM duckdb_tables() t LEFT JOIN _SMCP.main.OBJECTS o
         ON o.db = t.database_name AND o.sch = t.schema_name AND o.name = t.table_name
       WHERE t.database_name = d AND t.schema_name NOT IN (${HIDDEN_SCHEMA_SQL})
       UNION ALL
       SELECT v.database_name, v.schema_name, v.view_name, 'ACCOUNTADMIN', 'VIEW', 'NO', NULL, NULL, NULL, NULL,
         o.created, o.created, o.created, 'ACCOUNTADMIN', 'NO', v.comment, 'NO', 'NO', 'NO'
       FROM duckdb_views() v LEFT JOIN _SMCP.main.OBJECTS o
         ON o.db = v.database_name AND o.sch = v.schema_name AND o.name = v.view_name
       WHERE v.database_name = d AND NOT v.internal AND v.schema_name NOT IN (${HIDDEN_SCHEMA_SQL})
     ) ORDER BY TABLE_SCHEMA, TABLE_NAME`,
  `CREATE MACRO _SMCP.main.IS_VIEWS(d) AS TABLE
     SELECT v.database_name AS TABLE_CATALOG, v.schema_name AS TABLE_SCHEMA, v.view_name AS TABLE_NAME,
       'ACCOUNTADMIN' AS TABLE_OWNER, coalesce(o.text, v.sql) AS VIEW_DEFINITION, 'NONE' AS CHECK_OPTION, 'NO' AS IS_UPDATABLE,
       'NO' AS INSERTABLE_INTO, 'NO' AS IS_SECURE, o.created AS CREATED, o.created AS LAST_ALTERED, o.created AS LAST_DDL,
       'ACCOUNTADMIN' AS LAST_DDL_BY, v.comment AS COMMENT
     FROM duckdb_views() v LEFT JOIN _SMCP.main.OBJECTS o
       ON o.db = v.database_name AND o.sch = v.schema_name AND o.name = v.view_name
     WHERE v.database_name = d AND NOT v.internal AND v.schema_name NOT IN (${HIDDEN_SCHEMA_SQL})
     ORDER BY 2, 3`,
  `CREATE MACRO _SMCP.main.IS_COLUMNS(d) AS TABLE
     SELECT c.database_name AS TABLE_CATALOG, c.schema_name AS TABLE_SCHEMA, c.table_name AS TABLE_NAME,
       c.column_name AS COLUMN_NAME, c.column_index AS ORDINAL_POSITION, ${shownDefaultSql('c.column_default')} AS COLUMN_DEFAULT,
       CASE WHEN c.is_nullable THEN 'YES' ELSE 'NO' END AS IS_NULLABLE, coalesce(t.sf_name, 'TEXT') AS DATA_TYPE,
       t.char_length AS CHARACTER_MAXIMUM_LENGTH, t.char_length * 4 AS CHARACTER_OCTET_LENGTH,
       CASE WHEN t.wire = 'fixed' THEN t.num_precision END AS NUMERIC_PRECISION,
       CASE WHEN t.wire = 'fixed' THEN 10 END AS NUMERIC_PRECISION_RADIX,
       CASE WHEN t.wire = 'fixed' THEN t.num_scale END AS NUMERIC_SCALE,
       CASE WHEN t.wire IN ('time', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz') THEN coalesce(t.num_scale, 9) END
         AS DATETIME_PRECISION,
       CAST(NULL AS VARCHAR) AS INTERVAL_TYPE, CAST(NULL AS INTEGER) AS INTERVAL_PRECISION, 'NO' AS IS_IDENTITY,
       CAST(NULL AS VARCHAR) AS IDENTITY_GENERATION, 'NO' AS IS_SELF_REFERENCING, c.comment AS COMMENT
     FROM duckdb_columns() c LEFT JOIN _SMCP.main.COLUMN_TYPES t
       ON t.db = c.database_name AND t.sch = c.schema_name AND t.tbl = c.table_name AND t.col = c.column_name
     WHERE c.database_name = d AND c.schema_name NOT IN (${HIDDEN_SCHEMA_SQL})
     ORDER BY 2, 3, 5`,
];

/** Qualified table key. */
export function tableKey(db: string, schema: string, table: string): string {
  return `${db}\u0000${schema}\u0000${table}`;
}

/** Appends a column type's Snowflake name, wire type, precision, scale and length, and ends the row. */
function appendTypeColumns(appender: DuckDBAppender, t: SfColumnType): void {
  appender.appendVarchar(t.name);
  appender.appendVarchar(t.wire);
  if (t.precision === null) appender.appendNull();
  else appender.appendInteger(t.precision);
  if (t.scale === null) appender.appendNull();
  else appender.appendInteger(t.scale);
  if (t.length === null) appender.appendNull();
  else appender.appendBigInt(BigInt(t.length));
  appender.endRow();
}

/** The `_SMCP` side tables and their in-process mirror. */
export class Catalog {
  /** The generated tables of `--catalog-size` (metadata only), when asked for. */
  generated: GeneratedCatalog | null = null;
  /** Declared column types by table key, then column name. */
  private readonly types = new Map<string, Map<string, SfColumnType>>();
  private historyVersion = -1;
  private historyLock: Promise<void> = Promise.resolve();

  /** Creates `_SMCP` and its macros. */
  async setup(conn: DuckDBConnection): Promise<void> {
    for (const sql of SETUP) await conn.run(sql);
  }

  /** Snowflake's type of a column, when known. */
  columnType(db: string, schema: string, table: string, column: string): SfColumnType | undefined {
    return this.types.get(tableKey(db, schema, table))?.get(column);
  }

  /** All known columns of a table, in no particular order. */
  tableTypes(db: string, schema: string, table: string): Map<string, SfColumnType> | undefined {
    return this.types.get(tableKey(db, schema, table));
  }

  /** Replaces the declared types of one table (CREATE TABLE with Snowflake types). */
  async declare(
    conn: DuckDBConnection,
    db: string,
    schema: string,
    table: string,
    cols: [string, SfColumnType][],
  ): Promise<void> {
    await conn.run('DELETE FROM _SMCP.main.COLUMN_TYPES WHERE db = $1 AND sch = $2 AND tbl = $3', [
      db,
      schema,
      table,
    ]);
    const appender = await conn.createAppender('COLUMN_TYPES', 'main', '_SMCP');
    for (const [col, t] of cols) {
      appender.appendVarchar(db);
      appender.appendVarchar(schema);
      appender.appendVarchar(table);
      appender.appendVarchar(col);
      appendTypeColumns(appender, t);
    }
    appender.closeSync();
    const map = new Map<string, SfColumnType>(cols);
    this.types.set(tableKey(db, schema, table), map);
  }

  /** Records when an object was created and, for views, the text the user wrote. */
  async noteObject(
    conn: DuckDBConnection,
    db: string,
    schema: string,
    name: string,
    text: string | null,
  ): Promise<void> {
    await conn.run('DELETE FROM _SMCP.main.OBJECTS WHERE db = $1 AND sch = $2 AND name = $3', [
      db,
      schema,
      name,
    ]);
    await conn.run('INSERT INTO _SMCP.main.OBJECTS VALUES ($1, $2, $3, now(), $4)', [db, schema, name, text]);
  }

  /** When an object was created (epoch ms), if recorded. */
  async objectInfo(conn: DuckDBConnection): Promise<Map<string, { created: Date; text: string | null }>> {
    const r = await conn.run('SELECT db, sch, name, epoch_ms(created), text FROM _SMCP.main.OBJECTS');
    const out = new Map<string, { created: Date; text: string | null }>();
    for (const row of await r.getRows()) {
      out.set(tableKey(String(row[0]), String(row[1]), String(row[2])), {
        created: new Date(Number(row[3])),
        text: row[4] === null ? null : String(row[4]),
      });
    }
    return out;
  }

  /**
   * Brings the declared types in line with DuckDB after DDL: columns without a declared type get
   * one derived from DuckDB's, and rows of dropped tables go.
   */
  async sync(conn: DuckDBConnection): Promise<void> {
    await conn.run(`DELETE FROM _SMCP.main.COLUMN_TYPES t WHERE NOT EXISTS (
      SELECT 1 FROM duckdb_columns() c WHERE c.database_name = t.db AND c.schema_name = t.sch AND c.table_name = t.tbl
        AND c.column_name = t.col)`);
    const missing =
      await conn.run(`SELECT c.database_name, c.schema_name, c.table_name, c.column_name, c.data_type,
        c.numeric_precision, c.numeric_scale
      FROM duckdb_columns() c LEFT JOIN _SMCP.main.COLUMN_TYPES t
        ON t.db = c.database_name AND t.sch = c.schema_name AND t.tbl = c.table_name AND t.col = c.column_name
      WHERE t.db IS NULL AND c.database_name NOT IN (${HIDDEN_DB_SQL})`);
    const rows = await missing.getRows();
    if (rows.length > 0) {
      const appender = await conn.createAppender('COLUMN_TYPES', 'main', '_SMCP');
      for (const row of rows) {
        const t = sfTypeFromDuck(
          String(row[4]),
          row[5] === null ? null : Number(row[5]),
          row[6] === null ? null : Number(row[6]),
        );
        for (const v of row.slice(0, 4)) appender.appendVarchar(String(v));
        appendTypeColumns(appender, t);
      }
      appender.closeSync();
    }
    await this.reload(conn);
  }

  private async reload(conn: DuckDBConnection): Promise<void> {
    const r = await conn.run(
      'SELECT db, sch, tbl, col, sf_name, wire, num_precision, num_scale, char_length FROM _SMCP.main.COLUMN_TYPES',
    );
    this.types.clear();
    for (const row of await r.getRows()) {
      const key = tableKey(String(row[0]), String(row[1]), String(row[2]));
      let map = this.types.get(key);
      if (!map) this.types.set(key, (map = new Map<string, SfColumnType>()));
      map.set(String(row[3]), {
        name: String(row[4]),
        wire: String(row[5]) as SfColumnType['wire'],
        precision: row[6] === null ? null : Number(row[6]),
        scale: row[7] === null ? null : Number(row[7]),
        length: row[8] === null ? null : Number(row[8]),
      });
    }
  }

  /** Copies the query history into `_SMCP.main.QUERY_HISTORY` when it changed since the last copy. */
  async syncHistory(conn: DuckDBConnection, history: QueryHistory): Promise<void> {
    const run = async (): Promise<void> => {
      if (history.version === this.historyVersion) return;
      const version = history.version;
      await conn.run('DELETE FROM _SMCP.main.QUERY_HISTORY');
      const appender = await conn.createAppender('QUERY_HISTORY', 'main', '_SMCP');
      const ts = (d: Date | null): DuckDBTimestampTZValue | null =>
        d ? new DuckDBTimestampTZValue(BigInt(d.getTime()) * 1000n) : null;
      let seq = 0n;
      for (const r of history.list()) {
        appender.appendValue(r.queryId, VARCHAR);
        appender.appendValue(r.queryText, VARCHAR);
        appender.appendValue(r.databaseName, VARCHAR);
        appender.appendValue(r.schemaName, VARCHAR);
        appender.appendValue(r.queryType, VARCHAR);
        appender.appendValue(r.sessionId, VARCHAR);
        appender.appendValue(r.userName, VARCHAR);
        appender.appendValue(r.roleName, VARCHAR);
        appender.appendValue(r.warehouseName, VARCHAR);
        appender.appendValue(r.queryTag, VARCHAR);
        appender.appendValue(r.executionStatus, VARCHAR);
        appender.appendValue(r.errorCode, VARCHAR);
        appender.appendValue(r.errorMessage, VARCHAR);
        appender.appendValue(ts(r.startTime), TIMESTAMPTZ);
        appender.appendValue(ts(r.endTime), TIMESTAMPTZ);
        appender.appendValue(r.totalElapsedTime === null ? null : BigInt(r.totalElapsedTime), BIGINT);
        appender.appendValue(r.rowsProduced === null ? null : BigInt(r.rowsProduced), BIGINT);
        appender.appendValue(seq++, BIGINT);
        appender.endRow();
      }
      appender.closeSync();
      this.historyVersion = version;
    };
    const next = this.historyLock.then(run, run);
    this.historyLock = next.catch(() => undefined);
    await next;
  }
}
