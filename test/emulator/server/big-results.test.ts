/**
 * Big results through the real driver: produced from DuckDB chunk by chunk as the driver asks, with
 * little held in memory when the client stops early, reads by query id ahead and behind, and kept
 * readable when their stream has to close for newer ones.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Connection, RowStatement } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { createEngine, type SqlEngine } from '../../../src/emulator/sql/engine.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

const BIG = 'SELECT ID, NAME FROM BIG.PUBLIC.EVENTS ORDER BY ID';

/** Starts `sqlText` and reads rows [start, end] (inclusive, as the driver counts) of its result. */
function readRange(
  conn: Connection,
  sqlText: string,
  start: number,
  end: number,
): Promise<{ rows: Record<string, unknown>[]; statement: RowStatement }> {
  return new Promise((resolve, reject) => {
    const statement = conn.execute({ sqlText, streamResult: true });
    const rows: Record<string, unknown>[] = [];
    statement
      .streamRows({ start, end })
      .on('data', (row: Record<string, unknown>) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve({ rows, statement }));
  });
}

/** Rows [start, end] of an earlier result, fetched by query id. */
async function readById(
  conn: Connection,
  queryId: string,
  start: number,
  end: number,
): Promise<Record<string, unknown>[]> {
  const statement = await conn.getResultsFromQueryId({ queryId, streamResult: true });
  return new Promise((resolve, reject) => {
    const rows: Record<string, unknown>[] = [];
    statement
      .streamRows({ start, end })
      .on('data', (row: Record<string, unknown>) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

function expectEvents(rows: Record<string, unknown>[], first: number, count: number): void {
  expect(rows).to.have.length(count);
  rows.forEach((row, i) => {
    const id = first + i;
    if (row.ID !== id || row.NAME !== `event-${id}`)
      expect(row).to.deep.equal({ ID: id, NAME: `event-${id}` });
  });
}

describe('emulator wire server: big results stream', function () {
  this.timeout(30_000);
  let engine: SqlEngine;
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    engine = await createEngine({ maxOpenStreams: 2 });
    const setup = {
      id: 'setup',
      user: 'SYSTEM',
      grantedRoles: ['ACCOUNTADMIN'],
      role: 'ACCOUNTADMIN',
      warehouse: 'COMPUTE_WH',
      database: null,
      schema: null,
      params: new Map<string, string>(),
    };
    for (const sql of [
      'CREATE DATABASE BIG',
      "CREATE TABLE BIG.PUBLIC.EVENTS AS SELECT range AS ID, 'event-' || range AS NAME FROM range(1000000)",
    ]) {
      (await engine.execute(setup, sql, { queryId: randomUUID() })).close();
    }
    emulator = await startTestEmulator({ engine });
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
  });

  after(async function () {
    if (conn) await destroy(conn);
    await emulator?.close();
  });

  it('reads a 200,000-row streamed result in full: every row, in order, with its values', async function () {
    const { rows } = await execute(
      conn,
      'SELECT ID, NAME FROM BIG.PUBLIC.EVENTS WHERE ID < 200000 ORDER BY ID',
    );
    expectEvents(rows, 0, 200_000);
    // Read to the end, the stream is done and its connection released.
    expect(engine.stats().openStreams).to.equal(0);
  });

  it('holds little of a 1M-row result read for 1,000 rows, and keeps it after logout', async function () {
    const other = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    let queryId: string;
    try {
      global.gc?.();
      const rssBefore = process.memoryUsage.rss();
      const before = engine.stats();
      const { rows, statement } = await readRange(other, BIG, 0, 999);
      queryId = statement.getQueryId();
      expectEvents(rows, 0, 1000);
      expect(statement.getNumRows()).to.equal(1_000_000);
      const stats = engine.stats();
      expect(stats.openStreams - before.openStreams).to.equal(1);
      // About the first 15,000 rows, encoded: well under a megabyte.
      expect(stats.memoryBytes - before.memoryBytes).to.be.within(10_000, 1_500_000);
      if (global.gc) {
        global.gc();
        expect((process.memoryUsage.rss() - rssBefore) / 2 ** 20).to.be.below(40);
      }
    } finally {
      await destroy(other);
    }
    // The result belongs to the user, not the session: still there after logout.
    expectEvents(await readById(conn, queryId, 500_000, 500_009), 500_000, 10);
  });

  it('reads rows by query id ahead of what was produced and behind it', async function () {
    const { statement } = await readRange(conn, BIG, 0, 999);
    const queryId = statement.getQueryId();
    expectEvents(await readById(conn, queryId, 600_000, 600_009), 600_000, 10);
    expectEvents(await readById(conn, queryId, 1500, 1509), 1500, 10);
    expectEvents(await readById(conn, queryId, 999_990, 999_999), 999_990, 10);
  });

  it('keeps reading a result whose stream had to close for newer ones', async function () {
    const first = await readRange(conn, BIG, 0, 9);
    // The engine keeps two streams open: two more results make the first produce the rest of its
    // rows into its spill file.
    await readRange(conn, BIG, 0, 9);
    await readRange(conn, BIG, 0, 9);
    expectEvents(await readById(conn, first.statement.getQueryId(), 500_000, 500_009), 500_000, 10);
    expectEvents(await readById(conn, first.statement.getQueryId(), 10, 19), 10, 10);
    const { rows } = await execute(conn, 'SELECT COUNT(*) AS N FROM BIG.PUBLIC.EVENTS');
    expect(rows).to.deep.equal([{ N: 1_000_000 }]);
  });
});
