/**
 * Table functions in FROM through the real snowflake-sdk: GENERATOR with SEQ4/SEQ8/UNIFORM/RANDOM/
 * RANDSTR, FLATTEN (TABLE(…) and LATERAL, every column and argument), SPLIT_TO_TABLE, VALUES as a
 * table, DUAL, RESULT_SCAN over kept results (by id, LAST_QUERY_ID, query index, across sessions
 * of the user, never another user's) and DESCRIBE RESULT — values and the column types the driver
 * reads.
 */
import { expect } from 'chai';
import type { Connection, RowStatement } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

/** A column as the driver describes it. */
interface SeenColumn {
  name: string;
  type: string;
  scale?: number;
}

/** Name and type of every column (with the scale of numbers), as the driver reads them. */
function columnsOf(statement: RowStatement): SeenColumn[] {
  return (statement.getColumns() ?? []).map((c) => ({
    name: c.getName(),
    type: c.getType(),
    ...(c.getType() === 'fixed' ? { scale: c.getScale() } : {}),
  }));
}

/** The driver error a statement fails with (code and message). */
async function failure(conn: Connection, sql: string): Promise<{ code?: string; message: string }> {
  return execute(conn, sql).then(
    () => ({ message: 'no error' }),
    (e: { code?: string; message: string }) => e,
  );
}

describe('emulator: table functions in FROM', function () {
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    for (const sql of [
      'CREATE DATABASE TF',
      'USE SCHEMA TF.PUBLIC',
      'CREATE TABLE DOCS (ID INT, V VARIANT, TAGS VARCHAR)',
      `INSERT INTO DOCS SELECT 1, PARSE_JSON('[10, 20]'), 'a,b' UNION ALL SELECT 2, PARSE_JSON('{"k": "x"}'), 'c'`,
    ]) {
      await execute(conn, sql);
    }
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  describe('GENERATOR', function () {
    it('makes ROWCOUNT rows that SEQ4 and SEQ8 number from 0', async function () {
      const { rows, statement } = await execute(
        conn,
        'SELECT SEQ4() AS S4, SEQ8() AS S8 FROM TABLE(GENERATOR(ROWCOUNT => 5)) ORDER BY S4',
      );
      expect(rows).to.deep.equal([0, 1, 2, 3, 4].map((n) => ({ S4: n, S8: n })));
      expect(columnsOf(statement)).to.deep.equal([
        { name: 'S4', type: 'fixed', scale: 0 },
        { name: 'S8', type: 'fixed', scale: 0 },
      ]);
    });

    it('feeds aggregates and INSERT … SELECT like any table', async function () {
      const { rows } = await execute(conn, 'SELECT COUNT(*) AS N FROM TABLE (GENERATOR(rowcount=>30000))');
      expect(rows).to.deep.equal([{ N: 30000 }]);
      await execute(conn, 'CREATE TABLE GEN_COPY (N NUMBER)');
      const inserted = await execute(
        conn,
        'INSERT INTO GEN_COPY SELECT SEQ4() FROM TABLE(GENERATOR(ROWCOUNT => 250))',
      );
      expect(inserted.rows).to.deep.equal([{ 'number of rows inserted': 250 }]);
      const sum = await execute(conn, 'SELECT SUM(N) AS S FROM GEN_COPY');
      expect(sum.rows).to.deep.equal([{ S: (249 * 250) / 2 }]);
    });

    it('draws UNIFORM within its bounds (integers for integer bounds) and RANDOM as a 64-bit integer', async function () {
      const { rows, statement } = await execute(
        conn,
        'SELECT UNIFORM(1, 6, RANDOM()) AS DIE, UNIFORM(0.5, 1.5, RANDOM()) AS F, RANDOM() AS R ' +
          'FROM TABLE(GENERATOR(ROWCOUNT => 200))',
      );
      expect(columnsOf(statement)).to.deep.equal([
        { name: 'DIE', type: 'fixed', scale: 0 },
        { name: 'F', type: 'real' },
        { name: 'R', type: 'fixed', scale: 0 },
      ]);
      const dice = new Set(rows.map((r) => r.DIE));
      for (const d of dice) expect(d).to.be.oneOf([1, 2, 3, 4, 5, 6]);
      expect(dice.size).to.be.greaterThan(1);
      for (const r of rows) expect(r.F).to.be.within(0.5, 1.5);
      expect(rows.some((r) => Math.abs(r.R as number) > 2 ** 32)).to.equal(true);
    });

    it('gives RANDSTR strings of [A-Za-z0-9], the same string for the same generator value', async function () {
      const { rows, statement } = await execute(
        conn,
        'SELECT RANDSTR(12, RANDOM()) AS R, RANDSTR(8, 42) AS FIXED FROM TABLE(GENERATOR(ROWCOUNT => 50))',
      );
      expect(columnsOf(statement)).to.deep.equal([
        { name: 'R', type: 'text' },
        { name: 'FIXED', type: 'text' },
      ]);
      for (const r of rows) expect(r.R).to.match(/^[A-Za-z0-9]{12}$/);
      expect(new Set(rows.map((r) => r.R)).size).to.be.greaterThan(40);
      expect(new Set(rows.map((r) => r.FIXED)).size).to.equal(1);
      expect(rows[0]?.FIXED).to.match(/^[A-Za-z0-9]{8}$/);
    });

    it('runs for its TIMELIMIT as a statement: the statement timeout ends it', async function () {
      await execute(conn, 'ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 1');
      try {
        const err = await failure(conn, 'SELECT COUNT(*) FROM TABLE(GENERATOR(TIMELIMIT => 3600))');
        expect(err.code).to.equal('000630');
      } finally {
        await execute(conn, 'ALTER SESSION UNSET STATEMENT_TIMEOUT_IN_SECONDS');
      }
      const { rows } = await execute(
        conn,
        'SELECT COUNT(*) AS N FROM TABLE(GENERATOR(ROWCOUNT => 7, TIMELIMIT => 0))',
      );
      expect(rows).to.deep.equal([{ N: 7 }]);
    });

    it('runs for its TIMELIMIT until the client cancels it (000604)', async function () {
      const code = await new Promise<string | undefined>((resolve) => {
        const statement = conn.execute({
          sqlText: 'SELECT COUNT(*) FROM TABLE(GENERATOR(TIMELIMIT => 3600))',
          complete: (err) => resolve((err as { code?: string } | undefined)?.code),
        });
        statement.cancel(() => undefined);
      });
      expect(code).to.equal('000604');
    });

    it('names what is wrong with its arguments, and makes no rows without any', async function () {
      const bad = await failure(conn, "SELECT 1 FROM TABLE(GENERATOR(ROWCOUNT => 'ten'))");
      expect(bad.code).to.equal('001044');
      expect(bad.message).to.match(/GENERATOR: ROWCOUNT must be a constant non-negative integer/);
      const unknown = await failure(conn, 'SELECT 1 FROM TABLE(GENERATOR(ROWS => 3))');
      expect(unknown.message).to.match(/GENERATOR: unknown argument ROWS/);
      const none = await execute(conn, 'SELECT COUNT(*) AS N FROM TABLE(GENERATOR())');
      expect(none.rows).to.deep.equal([{ N: 0 }]);
    });
  });

  describe('FLATTEN', function () {
    it('yields SEQ, KEY, PATH, INDEX, VALUE and THIS for each array element, in order', async function () {
      const { rows, statement } = await execute(
        conn,
        `SELECT * FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[1, "a", {"b": 2}]')))`,
      );
      expect(columnsOf(statement)).to.deep.equal([
        { name: 'SEQ', type: 'fixed', scale: 0 },
        { name: 'KEY', type: 'text' },
        { name: 'PATH', type: 'text' },
        { name: 'INDEX', type: 'fixed', scale: 0 },
        { name: 'VALUE', type: 'variant' },
        { name: 'THIS', type: 'variant' },
      ]);
      const input = [1, 'a', { b: 2 }];
      expect(rows).to.deep.equal(
        input.map((value, i) => ({ SEQ: 1, KEY: null, PATH: `[${i}]`, INDEX: i, VALUE: value, THIS: input })),
      );
    });

    it('flattens objects by key (sorted), with paths in Snowflake notation', async function () {
      const { rows } = await execute(
        conn,
        `SELECT f.KEY, f.PATH, f.INDEX, f.VALUE FROM TABLE(FLATTEN(PARSE_JSON('{"b": 2, "a": [1], "x y": 3}'))) f`,
      );
      expect(rows).to.deep.equal([
        { KEY: 'a', PATH: 'a', INDEX: null, VALUE: [1] },
        { KEY: 'b', PATH: 'b', INDEX: null, VALUE: 2 },
        { KEY: 'x y', PATH: "['x y']", INDEX: null, VALUE: 3 },
      ]);
    });

    it('takes PATH, OUTER, RECURSIVE and MODE', async function () {
      const doc = `PARSE_JSON('{"a": {"b": [1, 2]}}')`;
      const path = await execute(
        conn,
        `SELECT PATH, VALUE FROM TABLE(FLATTEN(INPUT => ${doc}, PATH => 'a.b'))`,
      );
      expect(path.rows).to.deep.equal([
        { PATH: 'a.b[0]', VALUE: 1 },
        { PATH: 'a.b[1]', VALUE: 2 },
      ]);
      const recursive = await execute(
        conn,
        `SELECT KEY, PATH, INDEX, VALUE, THIS FROM TABLE(FLATTEN(INPUT => ${doc}, RECURSIVE => TRUE))`,
      );
      expect(recursive.rows).to.deep.equal([
        { KEY: 'a', PATH: 'a', INDEX: null, VALUE: { b: [1, 2] }, THIS: { a: { b: [1, 2] } } },
        { KEY: 'b', PATH: 'a.b', INDEX: null, VALUE: [1, 2], THIS: { b: [1, 2] } },
        { KEY: null, PATH: 'a.b[0]', INDEX: 0, VALUE: 1, THIS: [1, 2] },
        { KEY: null, PATH: 'a.b[1]', INDEX: 1, VALUE: 2, THIS: [1, 2] },
      ]);
      const arraysOnly = await execute(
        conn,
        `SELECT PATH FROM TABLE(FLATTEN(INPUT => ${doc}, RECURSIVE => TRUE, MODE => 'ARRAY'))`,
      );
      expect(arraysOnly.rows).to.deep.equal([{ PATH: 'a.b[0]' }, { PATH: 'a.b[1]' }]);
      const empty = await execute(
        conn,
        `SELECT COUNT(*) AS N FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[]')))`,
      );
      expect(empty.rows).to.deep.equal([{ N: 0 }]);
      const outer = await execute(
        conn,
        `SELECT KEY, INDEX, VALUE, THIS FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[]'), OUTER => TRUE))`,
      );
      expect(outer.rows).to.deep.equal([{ KEY: null, INDEX: null, VALUE: null, THIS: [] }]);
    });

    it('joins laterally to each row of a table, with one SEQ per input', async function () {
      const { rows } = await execute(
        conn,
        'SELECT d.ID, f.SEQ, f.KEY, f.INDEX, f.VALUE FROM DOCS d, LATERAL FLATTEN(INPUT => d.V) f ORDER BY d.ID, f.INDEX',
      );
      expect(rows.map(({ SEQ: _seq, ...rest }) => rest)).to.deep.equal([
        { ID: 1, KEY: null, INDEX: 0, VALUE: 10 },
        { ID: 1, KEY: null, INDEX: 1, VALUE: 20 },
        { ID: 2, KEY: 'k', INDEX: null, VALUE: 'x' },
      ]);
      expect(rows[0]?.SEQ).to.equal(rows[1]?.SEQ);
      expect(rows[0]?.SEQ).to.not.equal(rows[2]?.SEQ);
      const table = await execute(
        conn,
        'SELECT d.ID, f.VALUE FROM DOCS d, TABLE(FLATTEN(d.V)) f ORDER BY 1, 2',
      );
      expect(table.rows).to.deep.equal([
        { ID: 1, VALUE: 10 },
        { ID: 1, VALUE: 20 },
        { ID: 2, VALUE: 'x' },
      ]);
    });

    it('reads paths of VALUE and binds its input once', async function () {
      await execute(conn, 'CREATE TABLE BOUND (A VARIANT, B VARIANT)');
      const json = JSON.stringify([
        { stuff1: 'x1', stuff2: 'y1' },
        { stuff1: 'x2', stuff2: 'y2' },
      ]);
      await execute(
        conn,
        'INSERT INTO BOUND (A, B) SELECT value:stuff1, value:stuff2 FROM TABLE(FLATTEN(PARSE_JSON(?)))',
        [json],
      );
      const { rows } = await execute(conn, 'SELECT A, B FROM BOUND ORDER BY A');
      expect(rows).to.deep.equal([
        { A: 'x1', B: 'y1' },
        { A: 'x2', B: 'y2' },
      ]);
    });

    it('names an argument it does not know', async function () {
      const err = await failure(conn, `SELECT * FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[1]'), DEPTH => 2))`);
      expect(err.code).to.equal('001044');
      expect(err.message).to.match(/FLATTEN: unknown argument DEPTH/);
    });
  });

  describe('SPLIT_TO_TABLE, VALUES and DUAL', function () {
    it('splits a string into SEQ, INDEX and VALUE rows', async function () {
      const { rows, statement } = await execute(conn, "SELECT * FROM TABLE(SPLIT_TO_TABLE('a.b.c', '.'))");
      expect(columnsOf(statement)).to.deep.equal([
        { name: 'SEQ', type: 'fixed', scale: 0 },
        { name: 'INDEX', type: 'fixed', scale: 0 },
        { name: 'VALUE', type: 'text' },
      ]);
      expect(rows).to.deep.equal([
        { SEQ: 1, INDEX: 1, VALUE: 'a' },
        { SEQ: 1, INDEX: 2, VALUE: 'b' },
        { SEQ: 1, INDEX: 3, VALUE: 'c' },
      ]);
      const lateral = await execute(
        conn,
        "SELECT d.ID, s.VALUE FROM DOCS d, LATERAL SPLIT_TO_TABLE(d.TAGS, ',') s ORDER BY 1, 2",
      );
      expect(lateral.rows).to.deep.equal([
        { ID: 1, VALUE: 'a' },
        { ID: 1, VALUE: 'b' },
        { ID: 2, VALUE: 'c' },
      ]);
      const tokens = await execute(conn, "SELECT VALUE FROM TABLE(STRTOK_SPLIT_TO_TABLE('a  b,c', ' ,'))");
      expect(tokens.rows).to.deep.equal([{ VALUE: 'a' }, { VALUE: 'b' }, { VALUE: 'c' }]);
    });

    it('reads VALUES as a table with COLUMN1, COLUMN2, … or the names its alias gives', async function () {
      const plain = await execute(conn, "SELECT * FROM VALUES (1, 'x'), (2, 'y')");
      expect(columnsOf(plain.statement)).to.deep.equal([
        { name: 'COLUMN1', type: 'fixed', scale: 0 },
        { name: 'COLUMN2', type: 'text' },
      ]);
      expect(plain.rows).to.deep.equal([
        { COLUMN1: 1, COLUMN2: 'x' },
        { COLUMN1: 2, COLUMN2: 'y' },
      ]);
      const named = await execute(conn, "SELECT t.B FROM VALUES (1, 'x') AS t (A, B)");
      expect(named.rows).to.deep.equal([{ B: 'x' }]);
      const wrapped = await execute(conn, 'SELECT v.COLUMN1 FROM (VALUES (3), (4)) v ORDER BY 1');
      expect(wrapped.rows).to.deep.equal([{ COLUMN1: 3 }, { COLUMN1: 4 }]);
    });

    it('selects from DUAL', async function () {
      const { rows } = await execute(conn, "SELECT 'x' AS X FROM DUAL");
      expect(rows).to.deep.equal([{ X: 'x' }]);
    });
  });

  describe('RESULT_SCAN and DESCRIBE RESULT', function () {
    const TYPED =
      "SELECT 12.5::NUMBER(10,2) AS N, 'abc' AS S, TO_DATE('2024-01-02') AS D, " +
      "TO_TIMESTAMP_TZ('2024-01-02 03:04:05 +02:00') AS TZ, TRUE AS B, 1.5::FLOAT AS F, " +
      "TO_BINARY('ABCD') AS BIN, PARSE_JSON('{\"a\": 1}') AS V, NULL::VARCHAR AS NOTHING";

    it('reads a kept result back by query id with its values and column types', async function () {
      const original = await execute(conn, TYPED);
      const id = original.statement.getQueryId();
      const scanned = await execute(conn, `SELECT * FROM TABLE(RESULT_SCAN('${id}'))`);
      expect(columnsOf(scanned.statement)).to.deep.equal(columnsOf(original.statement));
      expect(scanned.rows).to.deep.equal(original.rows);
    });

    it('keeps OBJECT and ARRAY columns of a scanned result as OBJECT and ARRAY', async function () {
      await execute(conn, 'CREATE TABLE SHAPES (O OBJECT, A ARRAY)');
      await execute(conn, `INSERT INTO SHAPES SELECT PARSE_JSON('{"k": 1}'), PARSE_JSON('[1, 2]')`);
      const original = await execute(conn, 'SELECT O, A FROM SHAPES');
      expect(columnsOf(original.statement)).to.deep.equal([
        { name: 'O', type: 'object' },
        { name: 'A', type: 'array' },
      ]);
      const scanned = await execute(conn, 'SELECT O, A FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))');
      expect(columnsOf(scanned.statement)).to.deep.equal(columnsOf(original.statement));
      expect(scanned.rows).to.deep.equal([{ O: { k: 1 }, A: [1, 2] }]);
    });

    it('filters, orders and aggregates a scanned result, named by LAST_QUERY_ID or a query index', async function () {
      await execute(conn, 'SELECT SEQ4() AS N FROM TABLE(GENERATOR(ROWCOUNT => 10))');
      const last = await execute(
        conn,
        'SELECT SUM(N) AS S FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE N >= 5',
      );
      expect(last.rows).to.deep.equal([{ S: 5 + 6 + 7 + 8 + 9 }]);
      const second = await execute(conn, 'SELECT MAX(N) AS M FROM TABLE(RESULT_SCAN(-2))');
      expect(second.rows).to.deep.equal([{ M: 9 }]);
      const byFunction = await execute(
        conn,
        'SELECT COUNT(*) AS C FROM TABLE(RESULT_SCAN(LAST_QUERY_ID(-3)))',
      );
      expect(byFunction.rows).to.deep.equal([{ C: 10 }]);
    });

    it('scans the output of SHOW by its lower-case column names', async function () {
      await execute(conn, 'SHOW TABLES IN SCHEMA TF.PUBLIC');
      const { rows } = await execute(
        conn,
        `SELECT "name" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE "name" = 'DOCS'`,
      );
      expect(rows).to.deep.equal([{ name: 'DOCS' }]);
    });

    it("reads the user's results from another session, but never another user's", async function () {
      const { statement } = await execute(conn, "SELECT 'mine' AS OWNER");
      const id = statement.getQueryId();
      const second = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
      emulator.addUser({ name: 'carol', password: 'carol-secret', defaultWarehouse: 'COMPUTE_WH' });
      const stranger = await connect(emulator, { username: 'carol', password: 'carol-secret' });
      try {
        const same = await execute(second, `SELECT OWNER FROM TABLE(RESULT_SCAN('${id}'))`);
        expect(same.rows).to.deep.equal([{ OWNER: 'mine' }]);
        const other = await failure(stranger, `SELECT * FROM TABLE(RESULT_SCAN('${id}'))`);
        expect(other.code).to.equal('000709');
        expect(other.message).to.equal(`Statement ${id} not found.`);
        const described = await failure(stranger, `DESCRIBE RESULT '${id}'`);
        expect(described.code).to.equal('000709');
      } finally {
        await destroy(second);
        await destroy(stranger);
      }
    });

    it('answers 000709 for an unknown id, a failed statement and a session without statements', async function () {
      const unknown = await failure(
        conn,
        "SELECT * FROM TABLE(RESULT_SCAN('01b71944-0001-b181-0000-0129032279f6'))",
      );
      expect(unknown.code).to.equal('000709');
      await failure(conn, 'SELECT * FROM NO_SUCH_TABLE');
      const failed = await failure(conn, 'SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))');
      expect(failed.code).to.equal('000709');
      expect(failed.message).to.match(/failed \(002003\) and has no result/);
      const fresh = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
      try {
        const none = await failure(fresh, 'SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))');
        expect(none.code).to.equal('000709');
      } finally {
        await destroy(fresh);
      }
    });

    it("describes a kept result's columns with Snowflake's type names", async function () {
      const original = await execute(conn, TYPED);
      const id = original.statement.getQueryId();
      const { rows, statement } = await execute(conn, `DESCRIBE RESULT '${id}'`);
      expect(columnsOf(statement).map((c) => c.name)).to.deep.equal([
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
      expect(rows.map((r) => [r.name, r.type, r.kind, r['null?']])).to.deep.equal([
        ['N', 'NUMBER(10,2)', 'COLUMN', 'Y'],
        ['S', 'VARCHAR(16777216)', 'COLUMN', 'Y'],
        ['D', 'DATE', 'COLUMN', 'Y'],
        ['TZ', 'TIMESTAMP_TZ(9)', 'COLUMN', 'Y'],
        ['B', 'BOOLEAN', 'COLUMN', 'Y'],
        ['F', 'FLOAT', 'COLUMN', 'Y'],
        ['BIN', 'BINARY(8388608)', 'COLUMN', 'Y'],
        ['V', 'VARIANT', 'COLUMN', 'Y'],
        ['NOTHING', 'VARCHAR(16777216)', 'COLUMN', 'Y'],
      ]);
      const viaLast = await execute(conn, 'DESC RESULT LAST_QUERY_ID(-2)');
      expect(viaLast.rows.map((r) => r.name)).to.deep.equal([
        'N',
        'S',
        'D',
        'TZ',
        'B',
        'F',
        'BIN',
        'V',
        'NOTHING',
      ]);
    });
  });
});
