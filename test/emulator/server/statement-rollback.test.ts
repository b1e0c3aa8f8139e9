/**
 * A failed statement inside a transaction, through the real snowflake-sdk: as in Snowflake, only
 * that statement is undone; the transaction stays open with the effects of the statements before
 * it, the next statement works, and COMMIT keeps what succeeded (or ROLLBACK drops it all).
 */
import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import { execute } from './driver.js';
import { failure, startTwoSessions } from './sessions.js';
import type { TwoSessions } from './sessions.js';

describe('emulator statement-level rollback in transactions', function () {
  let sessions: TwoSessions;
  let a: Connection;
  let b: Connection;

  async function ids(conn: Connection, table: string): Promise<unknown[]> {
    return (await execute(conn, `SELECT ID, V FROM ${table} ORDER BY ID`)).rows;
  }

  before(async function () {
    sessions = await startTwoSessions('TXN_DB');
    ({ a, b } = sessions);
  });

  after(async function () {
    await sessions?.close();
  });

  it('keeps the transaction open after a statement fails while running, and COMMIT keeps what succeeded', async function () {
    await execute(a, 'CREATE TABLE RUNTIME_FAIL (ID NUMBER NOT NULL, V STRING)');
    await execute(a, 'BEGIN');
    await execute(a, "INSERT INTO RUNTIME_FAIL VALUES (1, 'one')");
    await execute(a, "INSERT INTO RUNTIME_FAIL VALUES (2, 'two')");
    const failed = await failure(execute(a, "INSERT INTO RUNTIME_FAIL VALUES (3, 'three'), (NULL, 'none')"));
    expect(failed.message).to.not.equal('no error');
    // The next statement works and sees the transaction's earlier rows, not the failed one's.
    const updated = await execute(a, "UPDATE RUNTIME_FAIL SET V = 'uno' WHERE ID = 1");
    expect(updated.rows).to.deep.equal([
      { 'number of rows updated': 1, 'number of multi-joined rows updated': 0 },
    ]);
    await execute(a, "INSERT INTO RUNTIME_FAIL VALUES (4, 'four')");
    expect(await ids(b, 'RUNTIME_FAIL')).to.deep.equal([]);
    await execute(a, 'COMMIT');
    expect(await ids(b, 'RUNTIME_FAIL')).to.deep.equal([
      { ID: 1, V: 'uno' },
      { ID: 2, V: 'two' },
      { ID: 4, V: 'four' },
    ]);
  });

  it('keeps the transaction after a statement that does not compile, and ROLLBACK drops it all', async function () {
    await execute(a, 'CREATE TABLE COMPILE_FAIL (ID NUMBER, V STRING)');
    await execute(a, 'BEGIN');
    await execute(a, "INSERT INTO COMPILE_FAIL VALUES (1, 'one')");
    const failed = await failure(execute(a, 'SELECT * FROM NO_SUCH_TABLE'));
    expect(failed.code).to.equal('002003');
    await execute(a, "INSERT INTO COMPILE_FAIL VALUES (2, 'two')");
    expect(await ids(a, 'COMPILE_FAIL')).to.deep.equal([
      { ID: 1, V: 'one' },
      { ID: 2, V: 'two' },
    ]);
    await execute(a, 'ROLLBACK');
    expect(await ids(b, 'COMPILE_FAIL')).to.deep.equal([]);
  });

  it('does the same in the transaction AUTOCOMMIT off opens', async function () {
    await execute(a, 'CREATE TABLE AUTO_FAIL (ID NUMBER NOT NULL, V STRING)');
    await execute(a, 'ALTER SESSION SET AUTOCOMMIT = FALSE');
    try {
      await execute(a, "INSERT INTO AUTO_FAIL VALUES (1, 'one')");
      const failed = await failure(execute(a, "INSERT INTO AUTO_FAIL VALUES (NULL, 'none')"));
      expect(failed.message).to.not.equal('no error');
      await execute(a, "INSERT INTO AUTO_FAIL VALUES (2, 'two')");
      await execute(a, 'COMMIT');
    } finally {
      await execute(a, 'ALTER SESSION SET AUTOCOMMIT = TRUE');
    }
    expect(await ids(b, 'AUTO_FAIL')).to.deep.equal([
      { ID: 1, V: 'one' },
      { ID: 2, V: 'two' },
    ]);
  });

  it('rolls the whole transaction back, saying why, when an earlier statement used RANDOM()', async function () {
    await execute(a, 'CREATE TABLE VOLATILE_FAIL (ID NUMBER NOT NULL, V DOUBLE)');
    await execute(a, 'BEGIN');
    await execute(a, 'INSERT INTO VOLATILE_FAIL SELECT 1, RANDOM()');
    const failed = await failure(execute(a, 'INSERT INTO VOLATILE_FAIL VALUES (NULL, 0)'));
    expect(failed.code).to.equal('000603');
    expect(failed.message).to.match(
      /^The transaction was rolled back: .*RANDOM, .*The statement failed with: /,
    );
    // Nothing of it stays, and the session is out of the transaction: this commits on its own.
    await execute(a, 'INSERT INTO VOLATILE_FAIL VALUES (2, 0)');
    expect((await ids(b, 'VOLATILE_FAIL')).map((row) => (row as { ID: number }).ID)).to.deep.equal([2]);
  });

  it('rolls the whole transaction back when another session changed data since it began', async function () {
    await execute(a, 'CREATE TABLE SOURCE_ROWS (ID NUMBER, V STRING)');
    await execute(a, 'CREATE TABLE COPIED_ROWS (ID NUMBER NOT NULL, V STRING)');
    await execute(a, "INSERT INTO SOURCE_ROWS VALUES (1, 'one')");
    await execute(a, 'BEGIN');
    await execute(a, 'INSERT INTO COPIED_ROWS SELECT ID, V FROM SOURCE_ROWS');
    // Another session commits a change the copy did not see: same row count, another value.
    await execute(b, "UPDATE SOURCE_ROWS SET V = 'uno' WHERE ID = 1");
    const failed = await failure(execute(a, "INSERT INTO COPIED_ROWS VALUES (NULL, 'none')"));
    expect(failed.code).to.equal('000603');
    expect(failed.message).to.match(/^The transaction was rolled back: another session changed data/);
    expect(await ids(b, 'COPIED_ROWS')).to.deep.equal([]);
    expect(await ids(a, 'COPIED_ROWS')).to.deep.equal([]);
    // The session is out of the transaction: the next statement commits on its own.
    await execute(a, 'INSERT INTO COPIED_ROWS SELECT ID, V FROM SOURCE_ROWS');
    expect(await ids(b, 'COPIED_ROWS')).to.deep.equal([{ ID: 1, V: 'uno' }]);
  });
});
