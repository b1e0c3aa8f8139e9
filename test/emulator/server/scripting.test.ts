/**
 * Calls and scripts through the real driver: CALL SYSTEM$WAIT (sync and async), SYSTEM$CANCEL_QUERY
 * of the same user's running statement, SYSTEM$WAIT as a column default (an INSERT that waits and
 * can be cancelled), LANGUAGE SQL procedures (CREATE, CALL, DROP), anonymous blocks and EXECUTE
 * IMMEDIATE, and the 0A000 refusal of other procedure languages.
 */
import { expect } from 'chai';
import type { Connection, QueryStatus, RowStatement } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

type Failure = { code?: unknown; sqlState?: unknown; message?: unknown };

function failureOf(promise: Promise<unknown>): Promise<Failure | undefined> {
  return promise.then(
    () => undefined,
    (e: Failure) => e,
  );
}

/** Starts a statement and hands back its promise and statement (for cancel / query id). */
function start(conn: Connection, sqlText: string): { done: Promise<unknown[]>; statement: RowStatement } {
  let statement!: RowStatement;
  const done = new Promise<unknown[]>((resolve, reject) => {
    statement = conn.execute({
      sqlText,
      complete: (err, _stmt, rows) => (err ? reject(err) : resolve(rows ?? [])),
    });
  });
  return { done, statement };
}

describe('emulator wire server: calls and scripts', function () {
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    emulator = await startTestEmulator({ queryWaitMs: 300 });
    emulator.addUser({ name: 'CAROL', password: 'carol-secret', defaultWarehouse: 'COMPUTE_WH' });
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    await execute(conn, 'CREATE DATABASE SCRIPTS');
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  it("CALL SYSTEM$WAIT answers 'waited n seconds' in a column named SYSTEM$WAIT", async function () {
    const { rows } = await execute(conn, "CALL SYSTEM$WAIT(1, 'MILLISECONDS')");
    expect(rows).to.deep.equal([{ SYSTEM$WAIT: 'waited 1 milliseconds' }]);
  });

  it('runs CALL SYSTEM$WAIT asynchronously: running, then its result by query id', async function () {
    // asyncExec answers at once with the query id.
    const queryId = await new Promise<string>((resolve, reject) => {
      conn.execute({
        sqlText: "CALL SYSTEM$WAIT(2, 'SECONDS')",
        asyncExec: true,
        complete: (err, stmt) => (err ? reject(err) : resolve(stmt.getQueryId())),
      });
    });
    const status = await conn.getQueryStatus(queryId);
    expect(conn.isStillRunning(status as QueryStatus)).to.equal(true);
    const statement = await conn.getResultsFromQueryId({ queryId });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const out: unknown[] = [];
      statement
        .streamRows()
        .on('data', (row: unknown) => out.push(row))
        .on('error', reject)
        .on('end', () => resolve(out));
    });
    expect(rows).to.deep.equal([{ SYSTEM$WAIT: 'waited 2 seconds' }]);
  });

  it("cancels the same user's running statement with SYSTEM$CANCEL_QUERY, which then fails with 000604", async function () {
    const queryId = await new Promise<string>((resolve, reject) => {
      conn.execute({
        sqlText: 'CALL SYSTEM$WAIT(120)',
        asyncExec: true,
        complete: (err, stmt) => (err ? reject(err) : resolve(stmt.getQueryId())),
      });
    });
    const other = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    try {
      const { rows } = await execute(other, `SELECT SYSTEM$CANCEL_QUERY('${queryId}') AS R`);
      expect(rows).to.deep.equal([{ R: `query [${queryId}] terminated.` }]);
    } finally {
      await destroy(other);
    }
    const err = await failureOf(conn.getResultsFromQueryId({ queryId }));
    expect(err?.code).to.equal('000604');
  });

  it("refuses to cancel another user's statement (003001) and an id not running (000605)", async function () {
    const queryId = await new Promise<string>((resolve, reject) => {
      conn.execute({
        sqlText: 'CALL SYSTEM$WAIT(120)',
        asyncExec: true,
        complete: (err, stmt) => (err ? reject(err) : resolve(stmt.getQueryId())),
      });
    });
    const carol = await connect(emulator, { username: 'carol', password: 'carol-secret' });
    try {
      const refused = await failureOf(execute(carol, `CALL SYSTEM$CANCEL_QUERY('${queryId}')`));
      expect(refused?.code).to.equal('003001');
      const { rows } = await execute(conn, `CALL SYSTEM$CANCEL_QUERY('${queryId}')`);
      expect(rows).to.deep.equal([{ SYSTEM$CANCEL_QUERY: `query [${queryId}] terminated.` }]);
      const again = await failureOf(execute(conn, `SELECT SYSTEM$CANCEL_QUERY('${queryId}')`));
      expect(again?.code).to.equal('000605');
    } finally {
      await destroy(carol);
    }
  });

  it('waits for a SYSTEM$WAIT column default on INSERT, so the insert can be cancelled and leaves no row', async function () {
    await execute(
      conn,
      "CREATE TABLE SCRIPTS.PUBLIC.SLOW (A NUMBER, G STRING DEFAULT SYSTEM$WAIT(10000, 'MILLISECONDS'))",
    );
    const { done, statement } = start(conn, 'INSERT INTO SCRIPTS.PUBLIC.SLOW (A) VALUES (1)');
    statement.cancel(() => undefined);
    const err = await failureOf(done);
    expect(err?.code).to.equal('000604');
    const { rows } = await execute(conn, 'SELECT COUNT(*) AS N FROM SCRIPTS.PUBLIC.SLOW');
    expect(rows).to.deep.equal([{ N: 0 }]);
  });

  it("fills a SYSTEM$WAIT default with Snowflake's text", async function () {
    await execute(
      conn,
      "CREATE TABLE SCRIPTS.PUBLIC.QUICK (A NUMBER, G STRING DEFAULT SYSTEM$WAIT(1, 'MILLISECONDS'))",
    );
    await execute(conn, 'INSERT INTO SCRIPTS.PUBLIC.QUICK (A) VALUES (1), (2)');
    const { rows } = await execute(conn, 'SELECT A, G FROM SCRIPTS.PUBLIC.QUICK ORDER BY A');
    expect(rows).to.deep.equal([
      { A: 1, G: 'waited 1 milliseconds' },
      { A: 2, G: 'waited 1 milliseconds' },
    ]);
  });

  it("creates and calls a LANGUAGE SQL procedure that runs statements in the caller's session", async function () {
    await execute(conn, 'USE SCHEMA SCRIPTS.PUBLIC');
    await execute(conn, 'CREATE TABLE AUDIT (N NUMBER, NOTE VARCHAR)');
    const created = await execute(
      conn,
      `CREATE OR REPLACE PROCEDURE ADD_UP(X NUMBER, Y NUMBER DEFAULT 10)
       RETURNS NUMBER(38,0)
       LANGUAGE SQL
       AS
       $$
       DECLARE
         total NUMBER DEFAULT 0;
       BEGIN
         total := x + y;
         FOR i IN 1 TO 3 DO
           total := total + i;
         END FOR;
         INSERT INTO AUDIT VALUES (:total, 'add_up');
         IF (total > 100) THEN
           RETURN -1;
         ELSEIF (total > 20) THEN
           RETURN total * 2;
         END IF;
         RETURN total;
       END;
       $$`,
    );
    expect(created.rows).to.deep.equal([{ status: 'Function ADD_UP successfully created.' }]);
    const called = await execute(conn, 'CALL ADD_UP(1, 2)');
    expect(called.rows).to.deep.equal([{ ADD_UP: 9 }]);
    expect((called.statement.getColumns() ?? [])[0]?.getType()).to.equal('fixed');
    expect((await execute(conn, 'CALL ADD_UP(5)')).rows).to.deep.equal([{ ADD_UP: 42 }]);
    expect((await execute(conn, 'CALL ADD_UP(y => 100, x => 1)')).rows).to.deep.equal([{ ADD_UP: -1 }]);
    expect((await execute(conn, 'CALL ADD_UP(?, ?)', [1, 2])).rows).to.deep.equal([{ ADD_UP: 9 }]);
    const { rows } = await execute(conn, 'SELECT N FROM AUDIT ORDER BY N');
    expect(rows).to.deep.equal([{ N: 9 }, { N: 9 }, { N: 21 }, { N: 107 }]);
  });

  it('returns a table from RETURN TABLE(resultset), iterates cursors and reads SELECT … INTO', async function () {
    await execute(
      conn,
      `CREATE OR REPLACE PROCEDURE NOTES_SINCE(MIN_N NUMBER)
       RETURNS TABLE (N NUMBER, NOTE VARCHAR)
       LANGUAGE SQL
       AS
       $$
       DECLARE
         res RESULTSET DEFAULT (SELECT N, NOTE FROM AUDIT WHERE N >= :min_n ORDER BY N);
       BEGIN
         RETURN TABLE(res);
       END;
       $$`,
    );
    const { rows } = await execute(conn, 'CALL NOTES_SINCE(20)');
    expect(rows).to.deep.equal([
      { N: 21, NOTE: 'add_up' },
      { N: 107, NOTE: 'add_up' },
    ]);
    const block = await execute(
      conn,
      `DECLARE
         total NUMBER DEFAULT 0;
         how_many NUMBER;
         c CURSOR FOR SELECT N FROM AUDIT;
       BEGIN
         FOR r IN c DO
           total := total + r.N;
         END FOR;
         SELECT COUNT(*) INTO :how_many FROM AUDIT;
         RETURN how_many || ' rows, sum ' || total;
       END;`,
    );
    expect(block.rows).to.deep.equal([{ 'anonymous block': '4 rows, sum 146' }]);
  });

  it('runs EXCEPTION handlers with SQLCODE and SQLERRM, and EXECUTE IMMEDIATE of a block', async function () {
    const { rows } = await execute(
      conn,
      `EXECUTE IMMEDIATE $$
       BEGIN
         SELECT * FROM NO_SUCH_TABLE;
         RETURN 'not reached';
       EXCEPTION
         WHEN STATEMENT_ERROR THEN
           RETURN SQLCODE || ': ' || SQLERRM;
       END;
       $$`,
    );
    const text = String(rows[0]['anonymous block']);
    expect(text).to.match(/^2003: SQL compilation error:/);
    expect(text).to.contain('NO_SUCH_TABLE');
  });

  it('fails a CALL with the error of the statement that failed inside it', async function () {
    await execute(
      conn,
      `CREATE OR REPLACE PROCEDURE BROKEN() RETURNS VARCHAR LANGUAGE SQL AS
       'BEGIN INSERT INTO NO_SUCH_TABLE VALUES (1); RETURN ''done''; END'`,
    );
    const err = await failureOf(execute(conn, 'CALL BROKEN()'));
    expect(err?.code).to.equal('002003');
  });

  it('refuses procedures in other languages, and unsupported scripting, with 0A000 naming them', async function () {
    const js = await failureOf(
      execute(conn, "CREATE PROCEDURE JS() RETURNS STRING LANGUAGE JAVASCRIPT AS 'return 1;'"),
    );
    expect(js).to.include({ code: '002040', sqlState: '0A000' });
    expect(String(js?.message)).to.contain('LANGUAGE JAVASCRIPT');
    const scripting = await failureOf(
      execute(
        conn,
        "CREATE PROCEDURE C() RETURNS STRING LANGUAGE SQL AS 'BEGIN CASE WHEN TRUE THEN RETURN 1; END CASE; END'",
      ),
    );
    expect(scripting).to.include({ code: '002040', sqlState: '0A000' });
    expect(String(scripting?.message)).to.contain('CASE statement');
  });

  it('drops a procedure, after which CALL fails as an unknown function', async function () {
    await execute(conn, 'DROP PROCEDURE ADD_UP(NUMBER, NUMBER)');
    const err = await failureOf(execute(conn, 'CALL ADD_UP(1)'));
    expect(err?.code).to.equal('002140');
    expect(String(err?.message)).to.contain('Unknown function ADD_UP');
  });
});
