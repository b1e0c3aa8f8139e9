/**
 * describeOnly requests through the real driver: the statement's columns with their types and no
 * rows, and nothing run — no rows inserted, no session change, no wait.
 */
import { expect } from 'chai';
import type { Connection, RowStatement } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute, sessionState } from './driver.js';
import { ALICE_PASSWORD, rawLogin, rawQueryRequest, startTestEmulator } from './harness.js';

interface Described {
  statement: RowStatement;
  rows: unknown[];
}

function describeOnly(conn: Connection, sqlText: string): Promise<Described> {
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      describeOnly: true,
      complete: (err, statement, rows) => (err ? reject(err) : resolve({ statement, rows: rows ?? [] })),
    });
  });
}

describe('emulator wire server: describeOnly', function () {
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    await execute(conn, 'CREATE DATABASE DESCDB');
    await execute(conn, 'CREATE TABLE DESCDB.PUBLIC.T (ID NUMBER(10,0), NAME VARCHAR(20))');
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  it("answers a query's columns and types without rows", async function () {
    const { statement, rows } = await describeOnly(
      conn,
      "SELECT 1.0::NUMBER(30,2) as C1, 2::NUMBER(38,0) AS C2, 't3' AS C3, 4.2::DOUBLE AS C4, 'abcd'::BINARY(8388608) AS C5, true AS C6",
    );
    expect(rows).to.deep.equal([]);
    const columns = statement.getColumns() ?? [];
    expect(columns.map((c) => c.getName())).to.deep.equal(['C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
    expect(columns.map((c) => c.getType())).to.deep.equal([
      'fixed',
      'fixed',
      'text',
      'real',
      'binary',
      'boolean',
    ]);
    expect(columns[0]?.getScale()).to.equal(2);
    expect(columns[0]?.getPrecision()).to.equal(30);
  });

  it("answers a table's declared column types", async function () {
    const { statement } = await describeOnly(conn, 'SELECT * FROM DESCDB.PUBLIC.T');
    const columns = statement.getColumns() ?? [];
    expect(columns.map((c) => [c.getName(), c.getType(), c.getPrecision()])).to.deep.equal([
      ['ID', 'fixed', 10],
      ['NAME', 'text', null],
    ]);
  });

  it('describes a query whose binds are not given yet, and an anonymous block', async function () {
    const { statement } = await describeOnly(conn, 'SELECT NAME FROM DESCDB.PUBLIC.T WHERE ID = ?');
    expect((statement.getColumns() ?? []).map((c) => [c.getName(), c.getType()])).to.deep.equal([
      ['NAME', 'text'],
    ]);
    const block = await describeOnly(conn, 'BEGIN RETURN 1; END');
    expect((block.statement.getColumns() ?? []).map((c) => c.getName())).to.deep.equal(['anonymous block']);
  });

  it('runs nothing: an INSERT adds no row and answers its count column', async function () {
    const { statement, rows } = await describeOnly(conn, "INSERT INTO DESCDB.PUBLIC.T VALUES (1, 'x')");
    expect(rows).to.deep.equal([]);
    expect((statement.getColumns() ?? []).map((c) => c.getName())).to.deep.equal(['number of rows inserted']);
    const { rows: count } = await execute(conn, 'SELECT COUNT(*) AS N FROM DESCDB.PUBLIC.T');
    expect(count).to.deep.equal([{ N: 0 }]);
  });

  it('runs nothing: USE leaves the session where it was, SYSTEM$WAIT does not wait', async function () {
    const { statement } = await describeOnly(conn, 'USE SCHEMA DESCDB.INFORMATION_SCHEMA');
    expect(sessionState(statement).getCurrentSchema()).to.equal('PUBLIC');
    // Had it run, the test would time out long before its hour is over.
    const wait = await describeOnly(conn, "CALL SYSTEM$WAIT(1, 'HOURS')");
    expect(wait.rows).to.deep.equal([]);
    expect((wait.statement.getColumns() ?? []).map((c) => c.getName())).to.deep.equal(['SYSTEM$WAIT']);
  });

  it('compiles the statement: an unknown table fails with 002003', async function () {
    const err = await describeOnly(conn, 'SELECT * FROM DESCDB.PUBLIC.NOPE').then(
      () => undefined,
      (e: { code?: unknown }) => e,
    );
    expect(err?.code).to.equal('002003');
  });

  it("reports Snowflake's statementTypeId with an empty rowset", async function () {
    const { token } = await rawLogin(emulator);
    const ask = async (sqlText: string): Promise<Record<string, unknown>> => {
      const answer = await rawQueryRequest(emulator, token, { sqlText, describeOnly: true });
      return answer.json?.data as Record<string, unknown>;
    };
    const select = await ask('SELECT 1 AS A');
    expect(select).to.include({ statementTypeId: 0x1000, total: 0, returned: 0 });
    expect(select.rowset).to.deep.equal([]);
    expect((await ask('DELETE FROM DESCDB.PUBLIC.T')).statementTypeId).to.equal(0x3300);
    expect((await ask('CREATE TABLE DESCDB.PUBLIC.NEVER (A INT)')).statementTypeId).to.equal(0x6000);
    const { rows } = await execute(conn, "SHOW TABLES LIKE 'NEVER' IN DESCDB.PUBLIC");
    expect(rows).to.deep.equal([]);
  });
});
