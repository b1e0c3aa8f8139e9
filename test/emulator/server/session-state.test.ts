/**
 * Sessions as Snowflake keeps them, through the real snowflake-sdk: temporary tables belong to the
 * session that made them, transactions (BEGIN/COMMIT/ROLLBACK and AUTOCOMMIT off) hold, and nothing
 * of one session's state shows in another.
 */
import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import { destroy, execute } from './driver.js';
import { failure, startTwoSessions } from './sessions.js';
import type { TwoSessions } from './sessions.js';

describe('emulator sessions: temporary tables and transactions', function () {
  let sessions: TwoSessions;
  let a: Connection;
  let b: Connection;
  const login = (): Promise<Connection> => sessions.login();

  async function count(conn: Connection, table: string): Promise<unknown> {
    const { rows } = await execute(conn, `SELECT COUNT(*) AS C FROM ${table}`);
    return rows[0]?.C;
  }

  before(async function () {
    sessions = await startTwoSessions('STATE_DB');
    ({ a, b } = sessions);
  });

  after(async function () {
    await sessions?.close();
  });

  it('keeps a temporary table to the session that made it, by plain and qualified name', async function () {
    await execute(a, 'CREATE TEMPORARY TABLE SCRATCH (N NUMBER)');
    await execute(a, 'INSERT INTO SCRATCH VALUES (1), (2)');
    expect(await count(a, 'SCRATCH')).to.equal(2);
    expect(await count(a, 'STATE_DB.PUBLIC.SCRATCH')).to.equal(2);
    const other = await failure(execute(b, 'SELECT * FROM SCRATCH'));
    expect(other.code).to.equal('002003');
  });

  it('lets two sessions each have a temporary table of the same name', async function () {
    await execute(a, 'CREATE OR REPLACE TEMP TABLE MINE (S STRING)');
    await execute(b, 'CREATE OR REPLACE TEMP TABLE MINE (S STRING)');
    await execute(a, "INSERT INTO MINE VALUES ('a')");
    await execute(b, "INSERT INTO MINE VALUES ('b1'), ('b2')");
    expect((await execute(a, 'SELECT S FROM MINE')).rows).to.deep.equal([{ S: 'a' }]);
    expect(await count(b, 'MINE')).to.equal(2);
  });

  it('gives up what a session held at logout: its temporary tables and open transaction', async function () {
    // More sessions than may hold a connection at once (32): each must give its own up at logout,
    // or the later ones are refused.
    await execute(a, 'CREATE OR REPLACE TABLE HELD_LOG (N NUMBER)');
    for (let i = 0; i < 40; i++) {
      const c = await login();
      if (i % 2 === 0) {
        await execute(c, 'CREATE TEMP TABLE GONE_AT_LOGOUT (N NUMBER)');
        await execute(c, 'INSERT INTO GONE_AT_LOGOUT VALUES (1)');
      } else {
        await execute(c, 'BEGIN');
        await execute(c, `INSERT INTO HELD_LOG VALUES (${i})`);
      }
      await destroy(c);
    }
    const err = await failure(execute(b, 'SELECT * FROM GONE_AT_LOGOUT'));
    expect(err.code).to.equal('002003');
    expect(await count(b, 'HELD_LOG')).to.equal(0);
  });

  it('undoes a rolled-back insert and keeps a committed one', async function () {
    await execute(a, 'CREATE OR REPLACE TABLE LEDGER (N NUMBER)');
    await execute(a, 'BEGIN');
    await execute(a, 'INSERT INTO LEDGER VALUES (1)');
    expect(await count(a, 'LEDGER')).to.equal(1);
    // Not committed: another session does not see it.
    expect(await count(b, 'LEDGER')).to.equal(0);
    await execute(a, 'ROLLBACK');
    expect(await count(a, 'LEDGER')).to.equal(0);
    await execute(a, 'START TRANSACTION');
    await execute(a, 'INSERT INTO LEDGER VALUES (2)');
    await execute(a, 'COMMIT');
    expect(await count(b, 'LEDGER')).to.equal(1);
  });

  it('opens a transaction for DML while AUTOCOMMIT is off, and DDL commits it', async function () {
    const c = await login();
    try {
      await execute(c, 'CREATE OR REPLACE TABLE MANUAL (N NUMBER)');
      await execute(c, 'ALTER SESSION SET AUTOCOMMIT = FALSE');
      await execute(c, 'INSERT INTO MANUAL VALUES (1)');
      expect(await count(b, 'MANUAL')).to.equal(0);
      await execute(c, 'ROLLBACK');
      expect(await count(c, 'MANUAL')).to.equal(0);
      await execute(c, 'INSERT INTO MANUAL VALUES (2)');
      await execute(c, 'CREATE TABLE MANUAL_DDL (N NUMBER)');
      expect(await count(b, 'MANUAL')).to.equal(1);
      // AUTOCOMMIT is the session's own: b's inserts are committed at once.
      await execute(b, 'INSERT INTO MANUAL VALUES (3)');
      expect(await count(c, 'MANUAL')).to.equal(2);
    } finally {
      await destroy(c);
    }
  });

  it('rolls back the open transaction of a session that logs out', async function () {
    const c = await login();
    await execute(c, 'CREATE OR REPLACE TABLE ABANDONED (N NUMBER)');
    await execute(c, 'BEGIN');
    await execute(c, 'INSERT INTO ABANDONED VALUES (1)');
    await destroy(c);
    // The connection it held is back in service and the insert is gone.
    for (let i = 0; i < 3; i++) expect(await count(b, 'ABANDONED')).to.equal(0);
  });

  it('keeps the transaction through a result too big to answer at once', async function () {
    await execute(a, 'CREATE OR REPLACE TABLE BIG_IN_TXN (N NUMBER)');
    await execute(a, 'BEGIN');
    await execute(a, 'INSERT INTO BIG_IN_TXN SELECT SEQ4() FROM TABLE(GENERATOR(ROWCOUNT => 40000))');
    const { rows } = await execute(a, 'SELECT N FROM BIG_IN_TXN');
    expect(rows).to.have.length(40000);
    await execute(a, 'INSERT INTO BIG_IN_TXN VALUES (-1)');
    await execute(a, 'ROLLBACK');
    expect(await count(a, 'BIG_IN_TXN')).to.equal(0);
  });

  it("never shows one session's USE, parameters or transaction in another", async function () {
    const c = await login();
    try {
      await execute(c, 'CREATE SCHEMA IF NOT EXISTS STATE_DB.OTHER');
      await execute(c, 'USE SCHEMA STATE_DB.OTHER');
      await execute(c, "ALTER SESSION SET QUERY_TAG = 'only-c', AUTOCOMMIT = FALSE");
      await execute(c, 'CREATE OR REPLACE TABLE STATE_DB.PUBLIC.SEEN (N NUMBER)');
      await execute(c, 'INSERT INTO STATE_DB.PUBLIC.SEEN VALUES (1)');
      // Many statements of b, on whatever pooled connections, see b's own state only.
      for (let i = 0; i < 10; i++) {
        const { rows } = await execute(
          b,
          'SELECT CURRENT_SCHEMA() AS S, CURRENT_DATABASE() AS D, (SELECT COUNT(*) FROM STATE_DB.PUBLIC.SEEN) AS N',
        );
        expect(rows).to.deep.equal([{ S: 'PUBLIC', D: 'STATE_DB', N: 0 }]);
      }
      const tag = await execute(b, "SHOW PARAMETERS LIKE 'QUERY_TAG' IN SESSION");
      expect(tag.rows[0]?.value).to.equal('');
      const own = await execute(c, 'SELECT CURRENT_SCHEMA() AS S, COUNT(*) AS N FROM STATE_DB.PUBLIC.SEEN');
      expect(own.rows).to.deep.equal([{ S: 'OTHER', N: 1 }]);
    } finally {
      await destroy(c);
    }
  });

  it('answers COMMIT and ROLLBACK without a transaction as Snowflake does', async function () {
    const { rows } = await execute(b, 'COMMIT');
    expect(rows).to.deep.equal([{ status: 'Statement executed successfully.' }]);
    await execute(b, 'ROLLBACK');
  });
});
