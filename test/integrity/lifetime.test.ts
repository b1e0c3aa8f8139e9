/**
 * Query ids live as long as documented: a result belongs to the user, not the session, so it is
 * read by id from another connection, after the session that ran it logged out, after many later
 * statements, and beyond the cap on open DuckDB streams. Checked through the real driver against
 * the engine read directly.
 */
import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { SqlEngine } from '../../src/emulator/sql/engine.js';
import { connect, destroy, execute } from '../emulator/server/driver.js';
import {
  cells,
  connectAlice,
  engineRows,
  readWindow,
  rejectionOf,
  servedEngine,
  startQuery,
} from './helpers.js';

const BIG = 'SELECT ID, NAME FROM LIFE.PUBLIC.EVENTS ORDER BY ID';
const GROUPS = 45_000;
/** No ORDER BY: the order of the groups varies between runs of the statement. */
const GROUP_BY = 'SELECT K, COUNT(*) AS N, MIN(V) AS LO FROM LIFE.PUBLIC.FACTS GROUP BY K';

describe('integrity: query ids outlive sessions and later statements', function () {
  this.timeout(120_000);
  let engine: SqlEngine;
  let emulator: RunningEmulator;
  let conn: Connection;
  let truth: string[];

  before(async function () {
    ({ engine, emulator } = await servedEngine(
      [
        'CREATE DATABASE LIFE',
        "CREATE TABLE LIFE.PUBLIC.EVENTS AS SELECT range AS ID, 'event-' || range AS NAME FROM range(100000)",
        `CREATE TABLE LIFE.PUBLIC.FACTS AS SELECT range % ${GROUPS} AS K, range AS V FROM range(${GROUPS * 12})`,
      ],
      { maxOpenStreams: 2 },
    ));
    emulator.addUser({ name: 'carol', password: 'carol-secret', defaultWarehouse: 'COMPUTE_WH' });
    conn = await connectAlice(emulator);
    truth = (await engineRows(engine, BIG)).map(cells);
  });

  after(async function () {
    if (conn) await destroy(conn);
    await emulator?.close();
  });

  it('reads a result by query id from a second connection of the same user, every row once', async function () {
    const groups = new Set((await engineRows(engine, GROUP_BY)).map(cells));
    const first = await startQuery(conn, GROUP_BY, 10);
    const other = await connectAlice(emulator);
    try {
      const page = 5000;
      const pages: string[][] = [];
      for (let offset = 0; offset < GROUPS; offset += page) {
        pages.push((await readWindow(other, first.queryId, offset, page)).map(cells));
      }
      expect((await readWindow(other, first.queryId, page, page)).map(cells)).to.deep.equal(pages[1]);
      const seen = pages.flat();
      expect(seen.slice(0, 10)).to.deep.equal(first.rows.map(cells));
      expect(new Set(seen).size).to.equal(GROUPS);
      for (const row of seen) if (!groups.has(row)) expect.fail(`row ${row} is not in the engine's result`);
    } finally {
      await destroy(other);
    }
  });

  it('does not show a result to another user', async function () {
    const first = await startQuery(conn, BIG, 10);
    const carol = await connect(emulator, { username: 'carol', password: 'carol-secret' });
    try {
      const err = await rejectionOf(readWindow(carol, first.queryId, 0, 10));
      expect(String(err.message)).to.not.match(/has expired/);
    } finally {
      await destroy(carol);
    }
  });

  it('reads a result by query id after the session that ran it logged out', async function () {
    const leaving = await connectAlice(emulator);
    const first = await startQuery(leaving, BIG, 10);
    await destroy(leaving);
    expect((await readWindow(conn, first.queryId, 90_000, 1000)).map(cells)).to.deep.equal(
      truth.slice(90_000, 91_000),
    );
    expect((await readWindow(conn, first.queryId, 0, 10)).map(cells)).to.deep.equal(first.rows.map(cells));
  });

  it('keeps a result readable after 250 later statements on the same connection', async function () {
    const first = await startQuery(conn, BIG, 10);
    for (let i = 0; i < 250; i++) await execute(conn, `SELECT ${i} AS N`);
    expect((await readWindow(conn, first.queryId, 50_000, 100)).map(cells)).to.deep.equal(
      truth.slice(50_000, 50_100),
    );
  });

  it('keeps big results readable beyond the cap on open streams (the oldest produce their rest)', async function () {
    // The engine keeps two streams open: the first results must give theirs up.
    const results = [];
    for (let k = 0; k < 5; k++) results.push(await startQuery(conn, BIG, 10));
    for (const [k, r] of results.entries()) {
      const rows = await readWindow(conn, r.queryId, 99_000 - k * 1000, 1000);
      expect(rows.map(cells), `result ${k}`).to.deep.equal(
        truth.slice(99_000 - k * 1000, 100_000 - k * 1000),
      );
    }
  });
});
