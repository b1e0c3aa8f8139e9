/**
 * Statements through the real snowflake-sdk against the emulator: sync, binds, errors, async with
 * status and result fetch, large results through chunks, cancel, and long statements.
 */
import { expect } from 'chai';
import type { Connection, QueryStatus } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute, sessionState, snowflake } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

describe('emulator wire server: statements', function () {
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    // A short long-poll so the "still running" (333333) path is exercised by SYSTEM$WAIT(1).
    emulator = await startTestEmulator({ queryWaitMs: 300 });
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  it('runs SELECT 1 synchronously with a query id', async function () {
    const { rows, statement } = await execute(conn, 'SELECT 1 AS ONE');
    expect(rows).to.deep.equal([{ ONE: 1 }]);
    expect(statement.getQueryId()).to.match(/^[0-9a-f-]{36}$/);
  });

  it('passes positional binds', async function () {
    const { rows } = await execute(conn, 'SELECT ? + 1 AS N, ? AS S', [41, 'x']);
    expect(rows).to.deep.equal([{ N: 42, S: 'x' }]);
  });

  it('reports a SQL error with code, SQLSTATE and query id, and keeps serving', async function () {
    const err = await execute(conn, 'SELEC nonsense').then(
      () => undefined,
      (e: { code?: unknown; sqlState?: unknown; data?: { queryId?: unknown } }) => e,
    );
    expect(err?.code).to.be.a('string');
    expect(err?.sqlState).to.be.a('string');
    expect(err?.data?.queryId).to.match(/^[0-9a-f-]{36}$/);
    const { rows } = await execute(conn, 'SELECT 2 AS TWO');
    expect(rows).to.deep.equal([{ TWO: 2 }]);
  });

  it('reports the session state after each statement (final database, schema, role, warehouse)', async function () {
    const first = await execute(conn, 'SELECT 1');
    expect(sessionState(first.statement).getCurrentRole()).to.equal('ANALYST');
    expect(sessionState(first.statement).getCurrentWarehouse()).to.equal('COMPUTE_WH');
    const used = await execute(conn, 'USE ROLE REPORTER');
    expect(sessionState(used.statement).getCurrentRole()).to.equal('REPORTER');
    const { rows } = await execute(conn, 'SELECT CURRENT_ROLE() AS R');
    expect(rows).to.deep.equal([{ R: 'REPORTER' }]);
    await execute(conn, 'USE ROLE ANALYST');
  });

  it('opens the session on the database, schema and role named at login', async function () {
    const other = await connect(emulator, {
      username: 'alice',
      password: ALICE_PASSWORD,
      database: 'snowflake',
      schema: 'account_usage',
      role: 'reporter',
    });
    try {
      const { rows } = await execute(
        other,
        'SELECT CURRENT_DATABASE() AS D, CURRENT_SCHEMA() AS S, CURRENT_ROLE() AS R',
      );
      expect(rows).to.deep.equal([{ D: 'SNOWFLAKE', S: 'ACCOUNT_USAGE', R: 'REPORTER' }]);
    } finally {
      await destroy(other);
    }
  });

  it('runs an async statement, reports its status and returns its result by query id', async function () {
    const queryId = await new Promise<string>((resolve, reject) => {
      conn.execute({
        sqlText: 'SELECT 7 AS SEVEN',
        asyncExec: true,
        complete: (err, statement) => (err ? reject(err) : resolve(statement.getQueryId())),
      });
    });
    expect(queryId).to.match(/^[0-9a-f-]{36}$/);
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      void conn.getResultsFromQueryId({
        queryId,
        complete: (err, _statement, result) => (err ? reject(err) : resolve(result ?? [])),
      });
    });
    expect(rows).to.deep.equal([{ SEVEN: 7 }]);
    expect(await conn.getQueryStatus(queryId)).to.equal('SUCCESS');
  });

  it('reports a failed async statement as FAILED_WITH_ERROR', async function () {
    const queryId = await new Promise<string>((resolve, reject) => {
      conn.execute({
        sqlText: 'SELEC broken',
        asyncExec: true,
        complete: (err, statement) => (err ? reject(err) : resolve(statement.getQueryId())),
      });
    });
    for (let i = 0; i < 50 && conn.isStillRunning((await conn.getQueryStatus(queryId)) as QueryStatus); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await conn.getQueryStatus(queryId)).to.equal('FAILED_WITH_ERROR');
    const err = await conn.getQueryStatusThrowIfError(queryId).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(Error);
  });

  it('serves a finished result by query id to another session of the account', async function () {
    const { statement } = await execute(conn, 'SELECT 8 AS EIGHT');
    const other = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    try {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        void other.getResultsFromQueryId({
          queryId: statement.getQueryId(),
          complete: (err, _statement, result) => (err ? reject(err) : resolve(result ?? [])),
        });
      });
      expect(rows).to.deep.equal([{ EIGHT: 8 }]);
    } finally {
      await destroy(other);
    }
  });

  it('echoes the client session parameters so jsTreatIntegerAsBigInt works', async function () {
    const big = await connect(emulator, {
      username: 'alice',
      password: ALICE_PASSWORD,
      jsTreatIntegerAsBigInt: true,
    });
    try {
      const { rows } = await execute(big, 'SELECT 9007199254740993 AS BIG');
      // The driver hands integers out as big-integer objects when the session parameter is on.
      expect(typeof rows[0].BIG).to.equal('object');
      expect(String(rows[0].BIG)).to.equal('9007199254740993');
    } finally {
      await destroy(big);
    }
  });

  it('streams a 200,000-row result through chunks served by the emulator', async function () {
    this.timeout(30_000);
    const before = emulator.stats().chunkDownloads;
    const { rows } = await execute(conn, 'SELECT range AS N FROM range(200000) ORDER BY range');
    expect(rows).to.have.length(200_000);
    expect(rows[0]).to.deep.equal({ N: 0 });
    expect(rows[199_999]).to.deep.equal({ N: 199_999 });
    let sum = 0;
    for (const row of rows) sum += row.N as number;
    expect(sum).to.equal((199_999 * 200_000) / 2);
    expect(emulator.stats().chunkDownloads - before).to.be.greaterThan(3);
  });

  it('survives a statement longer than the long-poll wait (333333 then result URL)', async function () {
    this.timeout(10_000);
    const { rows } = await execute(conn, 'SELECT SYSTEM$WAIT(1)');
    expect(rows).to.have.length(1);
  });

  it('cancels a running statement with statement.cancel(), which then fails with 000604', async function () {
    this.timeout(10_000);
    const outcome = new Promise<{ code?: unknown }>((resolve) => {
      const statement = conn.execute({
        sqlText: 'SELECT SYSTEM$WAIT(30)',
        complete: (err) => resolve(err ?? {}),
      });
      setTimeout(() => statement.cancel(() => undefined), 150);
    });
    // 000604, not the 30 s wait's result: the cancel ended it.
    const err = await outcome;
    expect(err.code).to.equal('000604');
  });

  it('cancels an async statement by its query id', async function () {
    this.timeout(10_000);
    const statement = await new Promise<ReturnType<Connection['execute']>>((resolve, reject) => {
      conn.execute({
        sqlText: 'SELECT SYSTEM$WAIT(30)',
        asyncExec: true,
        complete: (err, stmt) => (err ? reject(err) : resolve(stmt)),
      });
    });
    await new Promise<void>((resolve, reject) => statement.cancel((err) => (err ? reject(err) : resolve())));
    let status = await conn.getQueryStatus(statement.getQueryId());
    for (let i = 0; i < 50 && conn.isStillRunning(status as QueryStatus); i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = await conn.getQueryStatus(statement.getQueryId());
    }
    expect(status).to.equal('FAILED_WITH_ERROR');
  });

  it('keeps the driver module usable for other tests', function () {
    expect(typeof snowflake.createConnection).to.equal('function');
  });
});
