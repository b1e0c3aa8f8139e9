/**
 * Visibility rules (show_objects / hide_objects): the rules themselves, the object names read from
 * SQL, and the whole path through a real MCP SDK client on the emulator — hidden objects never
 * listed, described or offered as resources, and statements naming them refused, however written.
 */
import { expect } from 'chai';
import { objectReferences } from '../../src/mcp/guard/object-references.js';
import { tokenize } from '../../src/mcp/guard/tokenizer.js';
import { ObjectVisibility } from '../../src/mcp/visibility.js';
import { isSmcpError } from '../../src/errors.js';
import { connect, useEmulator } from './harness.js';
import type { Connected } from './harness.js';

function refs(sql: string): string[] {
  const t = tokenize(sql);
  if (!t.ok) throw new Error(t.reason);
  return objectReferences(t.tokens).map((r) => r.parts.join('.'));
}

describe('visibility rules', () => {
  it('hides a place and everything in it, and shows only shown places and the way to them', () => {
    const rules = new ObjectVisibility(
      ['SAMPLE_DB', 'analytics.public.v_*'],
      ['SAMPLE_DB.HR', '*.*.SECRET_?'],
    );
    expect(rules.active).to.equal(true);
    expect(rules.visible(['SAMPLE_DB'])).to.equal(true);
    expect(rules.visible(['SAMPLE_DB', 'SALES', 'ORDERS'])).to.equal(true);
    expect(rules.visible(['SAMPLE_DB', 'HR'])).to.equal(false);
    expect(rules.visible(['SAMPLE_DB', 'HR', 'EMPLOYEES'])).to.equal(false);
    expect(rules.visible(['SAMPLE_DB', 'SALES', 'SECRET_X'])).to.equal(false);
    expect(rules.visible(['SAMPLE_DB', 'SALES', 'SECRET_XY'])).to.equal(true);
    expect(rules.visible(['ANALYTICS'])).to.equal(true);
    expect(rules.visible(['ANALYTICS', 'PUBLIC'])).to.equal(true);
    expect(rules.visible(['ANALYTICS', 'PUBLIC', 'V_KPI_SUMMARY'])).to.equal(true);
    expect(rules.visible(['ANALYTICS', 'PUBLIC', 'KPI_DAILY'])).to.equal(false);
    expect(rules.visible(['ANALYTICS', 'REPORTING'])).to.equal(false);
    expect(rules.visible(['OTHER_DB'])).to.equal(false);
    // "Quoted" parts are exact; unquoted ones fold to upper case as Snowflake folds names.
    const quoted = new ObjectVisibility([], ['"Mixed Db".x']);
    expect(quoted.visible(['Mixed Db', 'X'])).to.equal(false);
    expect(quoted.visible(['MIXED DB', 'X'])).to.equal(true);
    expect(new ObjectVisibility().active).to.equal(false);
  });

  it('refuses a malformed pattern naming the option', () => {
    for (const bad of ['a.b.c.d', 'a..b', '"open', '']) {
      let message = '';
      try {
        new ObjectVisibility([], [bad]);
      } catch (err) {
        message = isSmcpError(err) ? `${err.code} ${err.message}` : String(err);
      }
      expect(message, bad).to.match(/^CONFIG_INVALID hide-objects: /);
    }
  });

  it('reads the objects a statement names, not its columns, functions or local names', () => {
    expect(
      refs('SELECT a.x, b.y FROM db.s.t a JOIN s2.u AS b ON a.id = b.id, v WHERE a.z IS DISTINCT FROM b.z'),
    ).to.deep.equal(['DB.S.T', 'S2.U', 'V']);
    expect(
      refs('WITH recent AS (SELECT * FROM db.s.orders) SELECT * FROM recent, db.s.customers'),
    ).to.deep.equal(['DB.S.ORDERS', 'DB.S.CUSTOMERS']);
    expect(refs('SELECT EXTRACT(YEAR FROM d), TRIM(BOTH \'x\' FROM n) FROM "My Db".s."t"')).to.deep.equal([
      'My Db.S.t',
    ]);
    expect(
      refs('SELECT f.value FROM db.s.t, LATERAL FLATTEN(input => t.v) f, TABLE(GENERATOR(ROWCOUNT => 1))'),
    ).to.deep.equal(['DB.S.T']);
    expect(refs('SELECT * FROM db.s.t WHERE id IN (SELECT id FROM db.hr.emp) AND x > 1, y')).to.deep.equal([
      'DB.S.T',
      'DB.HR.EMP',
    ]);
    expect(refs('INSERT INTO db.s.t (a, b) SELECT a, b FROM db..u')).to.deep.equal(['DB.S.T', 'DB.PUBLIC.U']);
    expect(refs('MERGE INTO db.s.t USING db.s.u ON t.id = u.id WHEN MATCHED THEN DELETE')).to.deep.equal([
      'DB.S.T',
      'DB.S.U',
    ]);
    expect(refs('SELECT 1 FROM a JOIN b USING (id)')).to.deep.equal(['A', 'B']);
  });
});

describe('visibility rules through an MCP client', function () {
  this.timeout(30_000);
  const emulator = useEmulator();
  let c: Connected;

  before(async () => {
    c = await connect(emulator.path, {
      showObjects: ['SAMPLE_DB', 'ANALYTICS.PUBLIC'],
      hideObjects: ['SAMPLE_DB.HR'],
    });
  });
  after(async () => {
    await c.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await c.client.callTool({ name, arguments: args });
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    return { result, text, structured: result.structuredContent as Record<string, unknown[]> | undefined };
  };

  it('lists only visible databases, schemas and objects', async () => {
    const dbs = (await call('list_databases', {})).structured?.databases as { name: string }[];
    expect(dbs.map((d) => d.name).sort()).to.deep.equal(['ANALYTICS', 'SAMPLE_DB']);
    const schemas = (await call('list_schemas', { database: 'SAMPLE_DB' })).structured?.schemas as {
      name: string;
    }[];
    expect(schemas.map((s) => s.name))
      .to.include('SALES')
      .and.not.include('HR');
    const analytics = (await call('list_schemas', { database: 'ANALYTICS' })).structured?.schemas as {
      name: string;
    }[];
    expect(analytics.map((s) => s.name)).to.deep.equal(['PUBLIC']);
    const tables = (await call('list_tables', { database: 'SAMPLE_DB' })).structured?.tables as {
      schema: string;
    }[];
    expect(tables.length).to.be.greaterThan(0);
    expect(tables.map((t) => t.schema)).to.not.include('HR');
    const hiddenSchema = await call('list_tables', { database: 'SAMPLE_DB', schema: 'HR' });
    expect(hiddenSchema.text).to.match(/^NOT_FOUND: Schema 'SAMPLE_DB.HR' does not exist or not authorized/);
  });

  it('describes a hidden object as a missing one', async () => {
    const hidden = await call('describe_table', { database: 'SAMPLE_DB', schema: 'HR', table: 'EMPLOYEES' });
    expect(hidden.result.isError).to.equal(true);
    expect(hidden.text).to.match(
      /^NOT_FOUND: Table 'SAMPLE_DB.HR.EMPLOYEES' does not exist or not authorized/,
    );
    const shown = await call('describe_table', { database: 'SAMPLE_DB', schema: 'SALES', table: 'ORDERS' });
    expect(shown.result.isError).to.not.equal(true);
  });

  it('refuses statements that name hidden objects, however they are written', async () => {
    for (const [args, reason] of [
      [
        { sql: 'SELECT * FROM SAMPLE_DB.HR.EMPLOYEES' },
        'names SAMPLE_DB.HR.EMPLOYEES, which the visibility rules hide',
      ],
      [
        {
          sql: 'SELECT o.* FROM SAMPLE_DB.SALES.ORDERS o JOIN sample_db.hr.employees e ON o.ORDER_ID = e.EMPLOYEE_ID',
        },
        'SAMPLE_DB.HR.EMPLOYEES, which the visibility rules hide',
      ],
      [
        { sql: 'WITH x AS (SELECT * FROM SAMPLE_DB.HR.DEPARTMENTS) SELECT * FROM x' },
        'SAMPLE_DB.HR.DEPARTMENTS',
      ],
      [{ sql: 'SELECT * FROM EMPLOYEES', database: 'SAMPLE_DB', schema: 'HR' }, 'SAMPLE_DB.HR.EMPLOYEES'],
      [{ sql: 'SELECT * FROM HR.EMPLOYEES', database: 'SAMPLE_DB' }, 'SAMPLE_DB.HR.EMPLOYEES'],
      [{ sql: 'SELECT * FROM ANALYTICS.REPORTING.SOMETHING' }, 'ANALYTICS.REPORTING.SOMETHING'],
      [{ sql: 'SELECT * FROM ORDERS' }, 'without its database and schema'],
      [{ sql: 'SHOW TABLES IN SCHEMA SAMPLE_DB.SALES' }, 'is SHOW'],
      [{ sql: 'SELECT TABLE_NAME FROM SAMPLE_DB.INFORMATION_SCHEMA.TABLES' }, 'reads INFORMATION_SCHEMA'],
      [{ sql: "SELECT * FROM IDENTIFIER('SAMPLE_DB.HR.EMPLOYEES')" }, 'reads IDENTIFIER'],
    ] as const) {
      const { result, text } = await call('execute_query', args);
      expect(result.isError, JSON.stringify(args)).to.equal(true);
      expect(text, JSON.stringify(args))
        .to.match(/^STATEMENT_REFUSED: statement 1 /)
        .and.contain(reason);
    }
    const viaView = await call('query_view', {
      database: 'SAMPLE_DB',
      schema: 'SALES',
      view: 'ORDERS',
      where: 'CUSTOMER_ID IN (SELECT EMPLOYEE_ID FROM SAMPLE_DB.HR.EMPLOYEES)',
    });
    expect(viaView.text).to.match(
      /^STATEMENT_REFUSED: .*SAMPLE_DB\.HR\.EMPLOYEES, which the visibility rules hide/,
    );
  });

  it('runs statements that name only visible objects', async () => {
    const joined = await call('execute_query', {
      sql:
        'SELECT COUNT(*) AS N, MIN(EXTRACT(YEAR FROM c.SIGNUP_DATE)) AS Y FROM SAMPLE_DB.SALES.ORDERS o ' +
        'JOIN SAMPLE_DB.SALES.CUSTOMERS c ON o.CUSTOMER_ID = c.CUSTOMER_ID',
    });
    expect(joined.result.isError, joined.text).to.not.equal(true);
    const unqualified = await call('execute_query', {
      sql: 'SELECT COUNT(*) FROM CUSTOMERS',
      database: 'SAMPLE_DB',
      schema: 'SALES',
    });
    expect(unqualified.result.isError, unqualified.text).to.not.equal(true);
  });

  it('offers no hidden object as a resource and reads none', async () => {
    const { resources } = await c.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).to.include('snowflake://SAMPLE_DB/SALES/CUSTOMERS');
    expect(uris.filter((u) => u.includes('/HR/') || u.includes('/REPORTING/'))).to.deep.equal([]);
    let failure: unknown;
    try {
      await c.client.readResource({ uri: 'snowflake://SAMPLE_DB/HR/EMPLOYEES' });
    } catch (err) {
      failure = err;
    }
    expect(String(failure)).to.contain('does not exist or not authorized');
  });
});
