/**
 * Multi-statement texts through the real driver, as Snowflake answers them: the first answer
 * carries resultIds (one query id per statement), the driver fetches each statement's result by
 * its id (hasNext / NextResult), binds are shared out across the statements, and each result stays
 * readable by its id from another session.
 */
import { expect } from 'chai';
import type { Connection, RowStatement } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, rawLogin, rawQueryRequest, startTestEmulator } from './harness.js';

/** One statement's outcome as the driver hands it to `complete`. */
interface Part {
  sqlText: string;
  queryId: string;
  rows: unknown[][];
}

/** Runs a multi-statement text and collects every statement's rows by walking NextResult. */
function runAll(conn: Connection, sqlText: string, binds?: (string | number)[]): Promise<Part[]> {
  const parts: Part[] = [];
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      ...(binds ? { binds } : {}),
      rowMode: 'array',
      complete: (err, stmt: RowStatement & { hasNext?: () => boolean; NextResult?: () => void }, rows) => {
        if (err) return reject(err);
        parts.push({
          sqlText: stmt.getSqlText(),
          queryId: stmt.getQueryId(),
          rows: (rows ?? []) as unknown[][],
        });
        if (stmt.hasNext?.()) stmt.NextResult?.();
        else resolve(parts);
      },
    });
  });
}

describe('emulator wire server: multi-statement texts', function () {
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    await execute(conn, 'CREATE DATABASE MSDB');
    await execute(conn, 'ALTER SESSION SET MULTI_STATEMENT_COUNT = 0');
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  it('answers each statement under its own query id, fetched one by one with NextResult', async function () {
    const parts = await runAll(conn, 'select 1; select 2,3; select 4,5,6');
    expect(parts.map((p) => p.rows)).to.deep.equal([[[1]], [[2, 3]], [[4, 5, 6]]]);
    expect(parts.map((p) => p.sqlText)).to.deep.equal(['select 1', ' select 2,3', ' select 4,5,6']);
    const ids = parts.map((p) => p.queryId);
    expect(new Set(ids).size).to.equal(3);
    for (const id of ids)
      expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('shares the ? binds of the text out among its statements in order', async function () {
    const parts = await runAll(conn, 'select ?; select ?,3; select ?,5,6', [1, 2, 4]);
    expect(parts.map((p) => p.rows)).to.deep.equal([[[1]], [[2, 3]], [[4, 5, 6]]]);
  });

  it('runs DDL and DML statements in order and reports each one its own answer', async function () {
    const parts = await runAll(
      conn,
      'CREATE OR REPLACE TEMPORARY TABLE MS_T (N INT); INSERT INTO MS_T VALUES (1), (2); SELECT SUM(N) FROM MS_T',
    );
    expect(parts[0]?.rows).to.deep.equal([['Table MS_T successfully created.']]);
    expect(parts[1]?.rows).to.deep.equal([[2]]);
    expect(parts[2]?.rows).to.deep.equal([[3]]);
  });

  it('sends resultIds and resultTypes in the first answer, as Snowflake does', async function () {
    const { token } = await rawLogin(emulator, { query: { databaseName: 'MSDB', schemaName: 'PUBLIC' } });
    const answer = await rawQueryRequest(
      emulator,
      token,
      {
        sqlText: 'SELECT 1; CREATE TABLE MS_R (N INT); INSERT INTO MS_R VALUES (9)',
        parameters: { MULTI_STATEMENT_COUNT: 3 },
      },
      '?requestId=multi-1',
    );
    const data = answer.json?.data as Record<string, unknown>;
    expect(answer.json?.success, answer.text).to.equal(true);
    expect(data.rowset).to.deep.equal([['Multiple statements executed successfully.']]);
    expect((data.rowtype as { name: string }[])[0]?.name).to.equal('multiple statement execution');
    expect(String(data.resultIds).split(',')).to.have.length(3);
    expect(data.resultTypes).to.equal(`${0x1000},${0x6000},${0x3100}`);
  });

  it('keeps every statement readable by its query id from another session', async function () {
    const parts = await runAll(conn, "select 'a' AS X; select 'b' AS Y");
    const other = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    try {
      const second = await other.getResultsFromQueryId({ queryId: parts[1].queryId });
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const out: unknown[] = [];
        second
          .streamRows()
          .on('data', (row: unknown) => out.push(row))
          .on('error', reject)
          .on('end', () => resolve(out));
      });
      expect(rows).to.deep.equal([{ Y: 'b' }]);
    } finally {
      await destroy(other);
    }
  });

  it('fails the whole text with the error of the statement that fails, having run those before it', async function () {
    await execute(conn, 'CREATE OR REPLACE TEMPORARY TABLE MS_E (N INT)');
    const err = await runAll(
      conn,
      'INSERT INTO MS_E VALUES (1); SELECT * FROM NO_SUCH_TABLE; INSERT INTO MS_E VALUES (2)',
    ).then(
      () => undefined,
      (e: { code?: unknown }) => e,
    );
    expect(err?.code).to.equal('002003');
    const { rows } = await execute(conn, 'SELECT N FROM MS_E');
    expect(rows).to.deep.equal([{ N: 1 }]);
  });

  it('still refuses a text whose statement count differs from MULTI_STATEMENT_COUNT', async function () {
    const other = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    try {
      const err = await execute(other, 'SELECT 1; SELECT 2').then(
        () => undefined,
        (e: { code?: unknown }) => e,
      );
      expect(err?.code).to.equal('000008');
    } finally {
      await destroy(other);
    }
  });
});
