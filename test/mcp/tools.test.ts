import { expect } from 'chai';
import type { DataPath } from '../../src/daemon/data-path.js';
import { connect, openEmulator, useEmulator } from './harness.js';
import type { Connected } from './harness.js';
import { EXPECTED_TOOL_NAMES } from '../helpers/tool-names.js';

type Result = Awaited<ReturnType<Connected['client']['callTool']>>;

function text(result: Result, block = 0): string {
  const item = (result.content as { type: string; text?: string }[])[block];
  return item?.text ?? '';
}

function structured<T = Record<string, unknown>>(result: Result): T {
  return result.structuredContent as T;
}

/** The machine-readable details of an error result; an error never carries structuredContent. */
function errorOf(result: Result): Record<string, unknown> {
  expect(result.isError).to.equal(true);
  expect(result.structuredContent).to.equal(undefined);
  return (result._meta as Record<string, Record<string, unknown>>)['smcp/error'];
}

interface Tabular {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  totalRows?: number;
  offset: number;
  truncated: boolean;
  truncatedBy?: string;
  nextOffset?: number;
  queryId: string;
}

describe('MCP tools over the SDK client', function () {
  this.timeout(30_000);
  let path: DataPath;
  let c: Connected;

  before(async () => {
    path = await openEmulator();
    c = await connect(path, { maxRows: 1000 });
  });
  after(async () => {
    await c?.close();
    await path?.close();
  });

  const call = (name: string, args: Record<string, unknown> = {}): Promise<Result> =>
    c.client.callTool({ name, arguments: args });

  it('lists every tool with a description, schemas and annotations', async () => {
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name)).to.have.members([...EXPECTED_TOOL_NAMES]);
    for (const tool of tools) {
      expect(tool.description, tool.name).to.be.a('string').with.length.greaterThan(20);
      expect(tool.inputSchema.type, tool.name).to.equal('object');
      // Strict: clients learn that an argument outside the schema is refused, not ignored.
      expect(tool.inputSchema.additionalProperties, tool.name).to.equal(false);
      expect(tool.outputSchema?.type, tool.name).to.equal('object');
      // Read-only tools list only the hints that say something (destructive and idempotent
      // mean nothing for a tool that does not write; MCP's default openWorld is true).
      expect(tool.annotations, tool.name).to.deep.equal({ readOnlyHint: true, openWorldHint: false });
    }
    // Writes are off, so even execute_query only reads.
    expect(tools.find((t) => t.name === 'execute_query')?.annotations?.readOnlyHint).to.equal(true);
  });

  it('lists databases, schemas, tables and views of the sample data', async () => {
    const dbs = structured<{ databases: { name: string }[] }>(await call('list_databases'));
    expect(dbs.databases.map((d) => d.name)).to.include.members(['SAMPLE_DB', 'ANALYTICS']);

    const schemas = await call('list_schemas', { database: 'sample_db' });
    expect(
      structured<{ schemas: { name: string }[] }>(schemas).schemas.map((s) => s.name),
    ).to.include.members(['SALES', 'TYPES', 'HR']);
    expect(text(schemas)).to.match(/^\| database \| name \| comment \|/);

    const tables = structured<{ tables: { name: string; rows: unknown }[] }>(
      await call('list_tables', { database: 'SAMPLE_DB', schema: 'SALES' }),
    );
    expect(tables.tables.map((t) => t.name)).to.include.members(['CUSTOMERS', 'ORDERS', 'EVENTS']);
    expect(tables.tables.find((t) => t.name === 'EVENTS')?.rows).to.equal(1_000_000);

    const liked = structured<{ tables: { name: string }[] }>(
      await call('list_tables', { database: 'SAMPLE_DB', schema: 'SALES', like: 'cust%' }),
    );
    expect(liked.tables.map((t) => t.name)).to.deep.equal(['CUSTOMERS']);

    const views = structured<{ views: { name: string; schema: string }[] }>(
      await call('list_views', { database: 'ANALYTICS' }),
    );
    expect(views.views.map((v) => v.name)).to.include('V_KPI_SUMMARY');
    expect(views.views.every((v) => v.schema !== 'INFORMATION_SCHEMA')).to.equal(true);
  });

  it('treats a LIKE pattern with quotes as a literal, not SQL', async () => {
    const result = await call('list_tables', { database: 'SAMPLE_DB', like: "x' OR 1=1 --" });
    expect(result.isError).to.not.equal(true);
    expect(structured<{ tables: unknown[] }>(result).tables).to.deep.equal([]);
  });

  it('describes a table with types, nullability and comments', async () => {
    const result = await call('describe_table', {
      database: 'SAMPLE_DB',
      schema: 'SALES',
      table: 'CUSTOMERS',
    });
    const d = structured<{
      kind: string;
      comment: string;
      columns: { name: string; type: string; nullable: boolean; comment: string | null }[];
    }>(result);
    expect(d.kind).to.equal('TABLE');
    expect(d.comment).to.equal('One row per customer');
    expect(d.columns[0]).to.deep.include({
      name: 'CUSTOMER_ID',
      type: 'NUMBER(38,0)',
      nullable: false,
      comment: 'Customer key',
    });
    expect(text(result)).to.contain('| CUSTOMER_ID | NUMBER(38,0) | N |');
  });

  it('describes a view with its definition, and refuses a table as a view', async () => {
    const result = await call('describe_view', {
      database: 'ANALYTICS',
      schema: 'PUBLIC',
      view: 'V_KPI_SUMMARY',
    });
    const d = structured<{ kind: string; text?: string; columns: unknown[] }>(result);
    expect(d.kind).to.equal('VIEW');
    expect(d.text).to.match(/select/i);
    expect(d.columns.length).to.be.greaterThan(0);
    expect(text(result)).to.contain('```sql');

    const wrong = await call('describe_view', { database: 'SAMPLE_DB', schema: 'SALES', view: 'CUSTOMERS' });
    expect(wrong.isError).to.equal(true);
    expect(text(wrong)).to.match(/^NOT_FOUND: /);
  });

  it('reports a missing object as NOT_FOUND with Snowflake’s code', async () => {
    const result = await call('describe_table', { database: 'SAMPLE_DB', schema: 'SALES', table: 'NOPE' });
    const error = errorOf(result);
    expect(error.code).to.equal('NOT_FOUND');
    expect(error.snowflakeCode).to.equal('002003');
    expect(text(result))
      .to.match(/^NOT_FOUND: /)
      .and.contain('Hint: ')
      .and.contain('Snowflake error 002003');
  });

  it('runs a query and reports columns, rows, counts and the query id', async () => {
    const result = await call('execute_query', {
      sql: 'SELECT CUSTOMER_ID, NAME FROM CUSTOMERS ORDER BY CUSTOMER_ID LIMIT 2',
      database: 'SAMPLE_DB',
      schema: 'SALES',
    });
    expect(result.isError).to.not.equal(true);
    const r = structured<Tabular>(result);
    expect(r.columns.map((col) => col.name)).to.deep.equal(['CUSTOMER_ID', 'NAME']);
    expect(r.rowCount).to.equal(2);
    expect(r.truncated).to.equal(false);
    expect(r.nextOffset).to.equal(undefined);
    expect(r.queryId).to.match(/^[0-9a-f-]{36}$/);
    expect(r.rows[0]?.[0]).to.equal(1);
  });

  it('truncates at max_rows and continues with fetch_results', async () => {
    const first = structured<Tabular>(
      await call('execute_query', { sql: 'SELECT ID FROM SAMPLE_DB.SALES.EVENTS ORDER BY ID', max_rows: 5 }),
    );
    expect(first).to.include({
      rowCount: 5,
      truncated: true,
      truncatedBy: 'rows',
      nextOffset: 5,
      totalRows: 1_000_000,
    });
    const more = await call('fetch_results', { query_id: first.queryId, offset: first.nextOffset, limit: 3 });
    const next = structured<Tabular>(more);
    expect(next.rows).to.deep.equal([[6], [7], [8]]);
    expect(next).to.include({ offset: 5, nextOffset: 8, truncated: true, totalRows: 1_000_000 });
    expect(text(more, 1)).to.contain('offset 8');
  });

  it('caps max_rows at the configured row limit', async () => {
    const r = structured<Tabular>(
      await call('execute_query', { sql: 'SELECT ID FROM SAMPLE_DB.SALES.EVENTS', max_rows: 5000 }),
    );
    expect(r.rowCount).to.equal(1000);
    expect(r.truncated).to.equal(true);
  });

  it('renders markdown, csv and json text by the format argument', async () => {
    const sql = "SELECT 'a|b' AS X, 1 AS Y UNION ALL SELECT 'c,d', NULL ORDER BY 1";
    expect(text(await call('execute_query', { sql }))).to.equal(
      '| X | Y |\n| --- | --- |\n| a\\|b | 1 |\n| c,d | *NULL* |',
    );
    expect(text(await call('execute_query', { sql, format: 'csv' }))).to.equal('X,Y\r\na|b,1\r\n"c,d",');
    expect(JSON.parse(text(await call('execute_query', { sql, format: 'json' })))).to.deep.equal([
      { X: 'a|b', Y: 1 },
      { X: 'c,d', Y: null },
    ]);
  });

  it('answers columns named after JavaScript built-ins under their real names, in every format', async () => {
    const sql = 'SELECT 1 AS "__proto__", 2 AS "constructor", \'x\' AS "toString"';
    const tabular = structured<Tabular>(await call('execute_query', { sql }));
    expect(tabular.columns.map((c) => c.name)).to.deep.equal(['__proto__', 'constructor', 'toString']);
    expect(tabular.rows).to.deep.equal([[1, 2, 'x']]);
    const [row] = JSON.parse(text(await call('execute_query', { sql, format: 'json' }))) as Record<
      string,
      unknown
    >[];
    expect(Object.getPrototypeOf(row)).to.equal(Object.prototype);
    expect(Object.entries(row ?? {})).to.deep.equal([
      ['__proto__', 1],
      ['constructor', 2],
      ['toString', 'x'],
    ]);
    expect(text(await call('execute_query', { sql, format: 'csv' }))).to.equal(
      '__proto__,constructor,toString\r\n1,2,x',
    );
  });

  it('refuses a DROP in read-only mode with the guard’s reason, and runs nothing', async () => {
    const result = await call('execute_query', { sql: 'DROP TABLE SAMPLE_DB.SALES.CUSTOMERS' });
    expect(result.isError).to.equal(true);
    expect(text(result)).to.match(/^STATEMENT_REFUSED: statement 1 .*DROP TABLE.*read-only/);
    expect(errorOf(result)).to.include({
      code: 'STATEMENT_REFUSED',
      statementIndex: 1,
    });
    const still = structured<Tabular>(
      await call('execute_query', { sql: 'SELECT COUNT(*) FROM SAMPLE_DB.SALES.CUSTOMERS' }),
    );
    expect(still.rows[0]?.[0]).to.equal(1000);
  });

  it('reports Snowflake errors as tool errors with code, SQLSTATE and query id', async () => {
    const result = await call('execute_query', { sql: 'SELECT * FROM SAMPLE_DB.SALES.NO_SUCH_TABLE' });
    const error = errorOf(result);
    expect(error).to.include({ code: 'NOT_FOUND', snowflakeCode: '002003', sqlState: '42S02' });
    expect(error.queryId).to.match(/^[0-9a-f-]{36}$/);
    expect(text(result)).to.contain(`query id ${String(error.queryId)}`);
  });

  it('queries a view with quoted columns, a filter, an order and a limit', async () => {
    const result = await call('query_view', {
      database: 'SAMPLE_DB',
      schema: 'SALES',
      view: 'customers',
      columns: ['customer_id', 'COUNTRY'],
      where: "COUNTRY = 'DE' AND CUSTOMER_ID < 200",
      order_by: 'CUSTOMER_ID DESC',
      limit: 3,
    });
    expect(result.isError, text(result)).to.not.equal(true);
    const r = structured<Tabular>(result);
    expect(r.columns.map((col) => col.name)).to.deep.equal(['CUSTOMER_ID', 'COUNTRY']);
    expect(r.rowCount).to.be.within(1, 3);
    expect(r.rows.every((row) => row[1] === 'DE')).to.equal(true);
    const ids = r.rows.map((row) => Number(row[0]));
    expect(ids).to.deep.equal([...ids].sort((a, b) => b - a));
  });

  it('refuses a malicious where and order_by in query_view', async () => {
    for (const args of [
      { where: '1=1; DROP TABLE SAMPLE_DB.SALES.CUSTOMERS' },
      { where: '1=1) UNION SELECT * FROM SAMPLE_DB.HR.EMPLOYEES --' },
      { order_by: '1; DELETE FROM SAMPLE_DB.SALES.CUSTOMERS' },
    ]) {
      const result = await call('query_view', {
        database: 'SAMPLE_DB',
        schema: 'SALES',
        view: 'CUSTOMERS',
        ...args,
      });
      expect(result.isError, JSON.stringify(args)).to.equal(true);
      expect(text(result)).to.match(/^STATEMENT_REFUSED: /);
    }
  });

  it('never pastes a view name into SQL', async () => {
    const result = await call('query_view', {
      database: 'SAMPLE_DB',
      schema: 'SALES',
      view: 'CUSTOMERS"; DROP TABLE SAMPLE_DB.SALES.CUSTOMERS; --',
    });
    expect(errorOf(result).code).to.equal('NOT_FOUND');
  });

  it('tells the status of an earlier query', async () => {
    const { queryId } = structured<Tabular>(await call('execute_query', { sql: 'SELECT 1' }));
    const status = await call('query_status', { query_id: queryId });
    expect(structured(status)).to.deep.equal({ queryId, status: 'SUCCESS', running: false });
    const unknown = await call('fetch_results', { query_id: 'not-a-query-id', offset: 0 });
    expect(unknown.isError).to.equal(true);
    expect(text(unknown)).to.match(/^RESULT_NOT_FOUND: /);
  });

  it('refuses misspelt arguments as an error result naming the nearest one, and runs nothing', async () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['list_tables', { databse: 'SAMPLE_DB' }, 'databse', 'database'],
      ['execute_query', { sql: 'SELECT ID FROM SAMPLE_DB.SALES.EVENTS', max_row: 2 }, 'max_row', 'max_rows'],
      ['execute_query', { sql: 'SELECT ID FROM SAMPLE_DB.SALES.EVENTS', limit: 2 }, 'limit', 'max_rows'],
      ['execute_query', { sql: 'SELECT 1', timeout: 5 }, 'timeout', 'timeout_s'],
      ['fetch_results', { query_id: 'q', offset: 0, max_rows: 2 }, 'max_rows', 'limit'],
    ];
    const ran = c.deps.tracker.completedCount;
    for (const [tool, args, wrong, right] of cases) {
      const result = await call(tool, args);
      expect(text(result), tool).to.match(
        new RegExp(`^USAGE: unknown argument '${wrong}' \\(did you mean '${right}'\\?\\); ${tool} takes: `),
      );
      expect(errorOf(result)).to.include({ code: 'USAGE', field: wrong });
    }
    // Refused before the tool ran: no call reached Snowflake.
    expect(c.deps.tracker.completedCount).to.equal(ran);
  });

  it('answers wrong argument types with an error and keeps serving', async () => {
    const bad = await call('execute_query', { sql: 42, max_rows: 'many' });
    expect(bad.isError).to.equal(true);
    expect(text(bad)).to.match(/^USAGE: invalid arguments for execute_query: 'sql': .*'max_rows': /);
    expect(errorOf(bad)).to.include({ code: 'USAGE', field: 'sql' });
    let unknownTool: unknown;
    try {
      await call('no_such_tool');
    } catch (err) {
      unknownTool = err;
    }
    expect(String(unknownTool)).to.match(/no_such_tool/);
    const ok = structured<Tabular>(await call('execute_query', { sql: 'SELECT 2 AS N' }));
    expect(ok.rows).to.deep.equal([[2]]);
  });
});

describe('MCP tool prefix', function () {
  this.timeout(30_000);
  const emulator = useEmulator();

  it('prefixes every tool name and the fetch_results hint', async () => {
    const c = await connect(emulator.path, { toolPrefix: 'snowflake_', maxRows: 2 });
    try {
      const { tools } = await c.client.listTools();
      expect(tools.every((t) => t.name.startsWith('snowflake_'))).to.equal(true);
      const result = await c.client.callTool({
        name: 'snowflake_execute_query',
        arguments: { sql: 'SELECT ID FROM SAMPLE_DB.SALES.EVENTS' },
      });
      expect(text(result, 1)).to.contain('snowflake_fetch_results');
      expect(structured<Tabular>(result).rowCount).to.equal(2);
    } finally {
      await c.close();
    }
  });
});
