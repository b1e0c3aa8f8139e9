/**
 * A query id is a snapshot: every read of a result, in any order, from any number of readers, and
 * after writes to the data, gives exactly the rows the statement first produced. Checked through the
 * real driver against the engine read directly.
 */
import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { SqlEngine } from '../../src/emulator/sql/engine.js';
import { destroy, execute } from '../emulator/server/driver.js';
import { cells, connectAlice, engineRows, readWindow, servedEngine, startQuery } from './helpers.js';

const GROUPS = 45_000;
/** No ORDER BY: DuckDB's parallel hash aggregate returns the groups in an order that varies by run. */
const GROUP_BY = 'SELECT K, SUM(V) AS S, COUNT(*) AS N FROM SNAP.PUBLIC.FACTS GROUP BY K';
const PAGE = 5000;

describe('integrity: a query id is a snapshot', function () {
  this.timeout(120_000);
  let engine: SqlEngine;
  let emulator: RunningEmulator;
  let conn: Connection;
  let truth: Set<string>;

  before(async function () {
    ({ engine, emulator } = await servedEngine([
      'CREATE DATABASE SNAP',
      `CREATE TABLE SNAP.PUBLIC.FACTS AS SELECT range % ${GROUPS} AS K, range AS V FROM range(${GROUPS * 12})`,
      'CREATE TABLE SNAP.PUBLIC.U AS SELECT range AS ID, range AS V FROM range(200000)',
    ]));
    conn = await connectAlice(emulator);
    truth = new Set((await engineRows(engine, GROUP_BY)).map(cells));
    expect(truth.size).to.equal(GROUPS);
  });

  after(async function () {
    if (conn) await destroy(conn);
    await emulator?.close();
  });

  it('reads every group of an unordered 45,000-group GROUP BY exactly once, in pages with look backs', async function () {
    const first = await startQuery(conn, GROUP_BY, PAGE);
    expect(first.total).to.equal(GROUPS);
    const pages: string[][] = [first.rows.map(cells)];
    for (let offset = PAGE; offset < GROUPS; offset += PAGE) {
      pages.push((await readWindow(conn, first.queryId, offset, PAGE)).map(cells));
      // Look back at the page before last and at the second page: the very rows read then.
      for (const back of [pages.length - 2, 1]) {
        if (back < 1 || back >= pages.length - 1) continue;
        const again = (await readWindow(conn, first.queryId, back * PAGE, PAGE)).map(cells);
        expect(again, `page ${back} read again`).to.deep.equal(pages[back]);
      }
    }
    const seen = pages.flat();
    expect(seen).to.have.length(GROUPS);
    expect(new Set(seen).size, 'distinct groups read').to.equal(GROUPS);
    for (const row of seen) if (!truth.has(row)) expect.fail(`row ${row} is not in the engine's result`);
  });

  it('gives 8 concurrent readers of one query id identical rows', async function () {
    const first = await startQuery(conn, GROUP_BY, 10);
    const readers = await Promise.all(
      Array.from({ length: 8 }, async (_x, reader) => {
        const own = await connectAlice(emulator);
        try {
          // Each reader starts at another page and wraps around, so reads overlap out of order.
          const pages = new Map<number, string[]>();
          const count = Math.ceil(GROUPS / PAGE);
          for (let k = 0; k < count; k++) {
            const page = (k + reader) % count;
            pages.set(page, (await readWindow(own, first.queryId, page * PAGE, PAGE)).map(cells));
          }
          return [...pages.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, rows]) => rows);
        } finally {
          await destroy(own);
        }
      }),
    );
    const [reference, ...others] = readers;
    expect(reference).to.have.length(GROUPS);
    expect(new Set(reference).size).to.equal(GROUPS);
    for (const [k, rows] of others.entries()) expect(rows, `reader ${k + 1}`).to.deep.equal(reference);
    for (const row of reference ?? [])
      if (!truth.has(row)) expect.fail(`row ${row} is not in the engine's result`);
  });

  it('still shows the values first produced when the data is updated between pages', async function () {
    const sql = 'SELECT ID, V FROM SNAP.PUBLIC.U ORDER BY ID';
    const first = await startQuery(conn, sql, 3000);
    const writer = await connectAlice(emulator);
    try {
      await execute(writer, 'UPDATE SNAP.PUBLIC.U SET V = V + 1000000');
    } finally {
      await destroy(writer);
    }
    // The engine itself now sees the new values…
    const now = await engineRows(engine, 'SELECT V FROM SNAP.PUBLIC.U WHERE ID = 5');
    expect(now).to.deep.equal([['1000005']]);
    // …but the result keeps the ones of its snapshot, far ahead and back.
    const ahead = await readWindow(conn, first.queryId, 150_000, 1000);
    const back = await readWindow(conn, first.queryId, 1000, 2000);
    expect(back.map(cells)).to.deep.equal(first.rows.slice(1000).map(cells));
    for (const [i, row] of back.entries()) expect(row, `row ${1000 + i}`).to.deep.equal([1000 + i, 1000 + i]);
    for (const [i, row] of ahead.entries())
      expect(row, `row ${150_000 + i}`).to.deep.equal([150_000 + i, 150_000 + i]);
  });
});
