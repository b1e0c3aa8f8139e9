import { expect } from 'chai';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';
import { errorOf, makeSession, query } from './helpers.js';

describe('emulator SQL engine: metadata commands', function () {
  let engine: SqlEngine;

  before(async function () {
    engine = await createEngine({ sampleData: true });
  });
  after(async function () {
    await engine.close();
  });

  const col = (out: { names: string[]; rows: (string | null)[][] }, name: string): (string | null)[] =>
    out.rows.map((r) => r[out.names.indexOf(name)] ?? null);

  it('SHOW DATABASES lists the sample databases with Snowflake columns', async function () {
    const out = await query(engine, makeSession(), 'SHOW DATABASES');
    expect(out.names.slice(0, 10)).to.deep.equal([
      'created_on',
      'name',
      'is_default',
      'is_current',
      'origin',
      'owner',
      'comment',
      'options',
      'retention_time',
      'kind',
    ]);
    expect(col(out, 'name')).to.include.members(['SAMPLE_DB', 'ANALYTICS', 'SNOWFLAKE']);
    expect(col(out, 'name')).not.to.include.members(['memory', '_SMCP', 'system', 'temp']);
    expect(out.rows[col(out, 'name').indexOf('SAMPLE_DB')]?.[3]).to.equal('Y');
    expect(out.statementTypeId).to.equal(0x4400);
  });

  it('SHOW DATABASES LIKE is case-insensitive', async function () {
    const out = await query(engine, makeSession(), "SHOW DATABASES LIKE 'sample%'");
    expect(col(out, 'name')).to.deep.equal(['SAMPLE_DB']);
  });

  it('SHOW SCHEMAS IN DATABASE and in the current database', async function () {
    const out = await query(engine, makeSession(), 'SHOW SCHEMAS IN DATABASE SAMPLE_DB');
    expect(out.names.slice(0, 9)).to.deep.equal([
      'created_on',
      'name',
      'is_default',
      'is_current',
      'database_name',
      'owner',
      'comment',
      'options',
      'retention_time',
    ]);
    expect(col(out, 'name')).to.include.members(['SALES', 'TYPES', 'HR', 'PUBLIC', 'INFORMATION_SCHEMA']);
    const current = await query(
      engine,
      makeSession({ database: 'ANALYTICS', schema: 'PUBLIC' }),
      "SHOW SCHEMAS LIKE 'rep%'",
    );
    expect(col(current, 'name')).to.deep.equal(['REPORTING']);
  });

  it('SHOW SCHEMAS / TABLES without a current database fails like Snowflake', async function () {
    const s = makeSession({ database: null, schema: null });
    expect((await errorOf(engine, s, 'SHOW SCHEMAS')).code).to.equal('090105');
    expect((await errorOf(engine, s, 'SHOW TABLES')).code).to.equal('090105');
    const ok = await query(engine, s, 'SHOW TABLES IN SCHEMA SAMPLE_DB.HR');
    expect(col(ok, 'name')).to.deep.equal(['DEPARTMENTS', 'EMPLOYEES']);
  });

  it('SHOW TABLES in schema, database and account, with LIKE', async function () {
    const s = makeSession();
    const here = await query(engine, s, 'SHOW TABLES');
    expect(here.names.slice(0, 11)).to.deep.equal([
      'created_on',
      'name',
      'database_name',
      'schema_name',
      'kind',
      'comment',
      'cluster_by',
      'rows',
      'bytes',
      'owner',
      'retention_time',
    ]);
    expect(col(here, 'name')).to.deep.equal(['CUSTOMERS', 'EVENTS', 'ORDERS']);
    expect(col(here, 'rows')).to.deep.equal(['1000', '1000000', '100000']);
    expect(col(here, 'comment')[1]).to.equal('A million narrow events');
    const db = await query(engine, s, 'SHOW TABLES IN DATABASE SAMPLE_DB');
    expect(col(db, 'name')).to.include.members(['ALL_TYPES', 'EMPLOYEES', 'ORDERS']);
    const acct = await query(engine, s, "SHOW TABLES LIKE '%kpi%' IN ACCOUNT");
    expect(col(acct, 'name')).to.deep.equal(['KPI_DAILY']);
    expect((await errorOf(engine, s, 'SHOW TABLES IN SCHEMA SAMPLE_DB.NOPE')).code).to.equal('002003');
  });

  it('SHOW VIEWS with text, comment and Snowflake columns', async function () {
    const out = await query(engine, makeSession(), 'SHOW VIEWS IN SCHEMA SAMPLE_DB.SALES');
    expect(out.names.slice(0, 10)).to.deep.equal([
      'created_on',
      'name',
      'reserved',
      'database_name',
      'schema_name',
      'owner',
      'comment',
      'text',
      'is_secure',
      'is_materialized',
    ]);
    expect(col(out, 'name')).to.deep.equal(['V_CUSTOMER_ORDERS', 'V_DAILY_REVENUE']);
    expect(col(out, 'text')[0]).to.match(/^CREATE VIEW SAMPLE_DB\.SALES\.V_CUSTOMER_ORDERS/);
  });

  it('SHOW COLUMNS IN TABLE gives JSON data types', async function () {
    const out = await query(engine, makeSession(), 'SHOW COLUMNS IN TABLE SAMPLE_DB.TYPES.ALL_TYPES');
    expect(out.names.slice(0, 11)).to.deep.equal([
      'table_name',
      'schema_name',
      'column_name',
      'data_type',
      'null?',
      'default',
      'kind',
      'expression',
      'comment',
      'database_name',
      'autoincrement',
    ]);
    const types: Record<string, Record<string, unknown>> = Object.fromEntries(
      out.rows.map((r): [string, Record<string, unknown>] => [
        r[2] ?? '',
        JSON.parse(r[3] ?? '{}') as Record<string, unknown>,
      ]),
    );
    expect(types.BIG_NUM).to.deep.equal({ type: 'FIXED', precision: 38, scale: 0, nullable: true });
    expect(types.ID).to.include({ nullable: false });
    expect(types.TS_TZ).to.include({ type: 'TIMESTAMP_TZ', scale: 9 });
    expect(types.STR).to.include({ type: 'TEXT', length: 50 });
    const like = await query(
      engine,
      makeSession(),
      "SHOW COLUMNS LIKE 'ts%' IN TABLE SAMPLE_DB.TYPES.ALL_TYPES",
    );
    expect(col(like, 'column_name')).to.deep.equal(['TS_NTZ', 'TS_LTZ', 'TS_TZ']);
    expect((await errorOf(engine, makeSession(), 'SHOW COLUMNS IN TABLE NOPE')).code).to.equal('002003');
  });

  it('DESCRIBE TABLE / VIEW gives Snowflake type names', async function () {
    const out = await query(engine, makeSession(), 'DESC TABLE SAMPLE_DB.TYPES.ALL_TYPES');
    expect(out.names).to.deep.equal([
      'name',
      'type',
      'kind',
      'null?',
      'default',
      'primary key',
      'unique key',
      'check',
      'expression',
      'comment',
      'policy name',
      'privacy domain',
    ]);
    const types: Record<string, string | null> = Object.fromEntries(
      out.rows.map((r) => [r[0] ?? '', r[1] ?? null]),
    );
    expect(types).to.include({
      BIG_NUM: 'NUMBER(38,0)',
      DEC: 'NUMBER(10,2)',
      FLT: 'FLOAT',
      STR: 'VARCHAR(50)',
      TXT: 'VARCHAR(16777216)',
      TS_NTZ: 'TIMESTAMP_NTZ(9)',
      TS_TZ: 'TIMESTAMP_TZ(9)',
      VAR: 'VARIANT',
      OBJ: 'OBJECT',
      ARR: 'ARRAY',
      BIN: 'BINARY(8388608)',
    });
    const view = await query(engine, makeSession(), 'describe view v_customer_orders');
    expect(view.rows.map((r) => r[0])).to.deep.equal([
      'ORDER_ID',
      'ORDER_DATE',
      'STATUS',
      'AMOUNT',
      'CUSTOMER_ID',
      'CUSTOMER_NAME',
      'COUNTRY',
    ]);
    expect((await errorOf(engine, makeSession(), 'DESC TABLE NOPE')).code).to.equal('002003');
  });

  it('USE switches database, schema, warehouse and granted roles only', async function () {
    const s = makeSession({ database: null, schema: null });
    await query(engine, s, 'USE DATABASE analytics');
    expect([s.database, s.schema]).to.deep.equal(['ANALYTICS', 'PUBLIC']);
    await query(engine, s, 'USE SCHEMA reporting');
    expect(s.schema).to.equal('REPORTING');
    await query(engine, s, 'USE SAMPLE_DB.HR');
    expect([s.database, s.schema]).to.deep.equal(['SAMPLE_DB', 'HR']);
    await query(engine, s, 'USE ROLE smcp_readonly');
    expect(s.role).to.equal('SMCP_READONLY');
    const current = await query(engine, s, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_ROLE()');
    expect(current.rows[0]).to.deep.equal(['SAMPLE_DB', 'HR', 'SMCP_READONLY']);
    const missing = await errorOf(engine, s, 'USE DATABASE NOPE');
    expect(missing).to.include({ code: '002043', sqlState: '02000' });
    expect(missing.message).to.contain('Object does not exist, or operation cannot be performed.');
    expect((await errorOf(engine, s, 'USE SCHEMA NOPE')).code).to.equal('002043');
    expect((await errorOf(engine, s, 'USE WAREHOUSE NOPE')).code).to.equal('002043');
    expect((await errorOf(engine, s, 'USE ROLE ACCOUNTADMIN')).code).to.equal('002003');
    expect([s.database, s.schema, s.role]).to.deep.equal(['SAMPLE_DB', 'HR', 'SMCP_READONLY']);
  });

  it('ALTER SESSION SET / UNSET updates the session parameters', async function () {
    const s = makeSession();
    await query(engine, s, "ALTER SESSION SET QUERY_TAG = 'tagged', STATEMENT_TIMEOUT_IN_SECONDS = 30");
    expect(s.params.get('QUERY_TAG')).to.equal('tagged');
    expect(s.params.get('STATEMENT_TIMEOUT_IN_SECONDS')).to.equal('30');
    const shown = await query(engine, s, "SHOW PARAMETERS LIKE 'query_tag' IN SESSION");
    expect(shown.rows[0]?.slice(0, 2)).to.deep.equal(['QUERY_TAG', 'tagged']);
    await query(engine, s, 'ALTER SESSION UNSET QUERY_TAG');
    expect(s.params.has('QUERY_TAG')).to.equal(false);
    expect((await errorOf(engine, s, "ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 'x'")).code).to.equal(
      '001008',
    );
  });

  it('INFORMATION_SCHEMA views are per database with Snowflake columns', async function () {
    const s = makeSession();
    const tables = await query(
      engine,
      s,
      'SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ROW_COUNT, COMMENT FROM ANALYTICS.INFORMATION_SCHEMA.TABLES ORDER BY TABLE_NAME',
    );
    expect(tables.rows).to.deep.equal([
      ['PUBLIC', 'KPI_DAILY', 'BASE TABLE', '365', 'Key figures per day of 2024'],
      ['PUBLIC', 'V_KPI_SUMMARY', 'VIEW', null, 'KPIs per month'],
      ['REPORTING', 'V_TOP_CUSTOMERS', 'VIEW', null, 'Top 10 customers by revenue'],
    ]);
    const cols = await query(
      engine,
      s,
      "SELECT COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE FROM information_schema.columns c WHERE c.table_schema = 'TYPES' AND c.table_name = 'ALL_TYPES' AND column_name IN ('ID', 'DEC', 'STR', 'TS_TZ', 'OBJ') ORDER BY ORDINAL_POSITION",
    );
    expect(cols.rows).to.deep.equal([
      ['ID', '1', 'NO', 'NUMBER', null, '38', '0'],
      ['DEC', '4', 'YES', 'NUMBER', null, '10', '2'],
      ['STR', '6', 'YES', 'TEXT', '50', null, null],
      ['TS_TZ', '13', 'YES', 'TIMESTAMP_TZ', null, null, null],
      ['OBJ', '16', 'YES', 'OBJECT', null, null, null],
    ]);
    const views = await query(
      engine,
      s,
      "SELECT TABLE_NAME, VIEW_DEFINITION FROM SAMPLE_DB.INFORMATION_SCHEMA.VIEWS WHERE TABLE_SCHEMA = 'HR'",
    );
    expect(views.rows[0]?.[0]).to.equal('V_EMPLOYEE_DIRECTORY');
    expect(views.rows[0]?.[1]).to.contain('CREATE VIEW SAMPLE_DB.HR.V_EMPLOYEE_DIRECTORY');
    const schemata = await query(engine, s, 'SELECT SCHEMA_NAME FROM SAMPLE_DB.INFORMATION_SCHEMA.SCHEMATA');
    expect(schemata.rows.map((r) => r[0])).to.deep.equal([
      'HR',
      'INFORMATION_SCHEMA',
      'PUBLIC',
      'SALES',
      'TYPES',
    ]);
  });
});
