/**
 * Big results stream from DuckDB instead of being materialised: exact totals up front, a small
 * window of rows in memory, re-fetches by re-running, a cap on open streams, and clear failures.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { ResultSet } from '../../../src/emulator/engine-types.js';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';
import { HEAD_MAX_ROWS } from '../../../src/emulator/sql/select-runner.js';
import { WINDOW_MAX_ROWS } from '../../../src/emulator/sql/streaming-result.js';
import { makeSession } from './helpers.js';

const session = makeSession({ database: 'BIG', schema: 'PUBLIC' });

async function run(engine: SqlEngine, sql: string): Promise<ResultSet> {
  return engine.execute(session, sql, { queryId: randomUUID() });
}

/** Checks that `rows` are rows [offset, offset + rows.length) of `SELECT ID, 'row-' || ID …`. */
function expectIds(rows: (string | null)[][], offset: number, count: number): void {
  expect(rows).to.have.length(count);
  rows.forEach((row, i) => {
    if (row[0] !== String(offset + i) || row[1] !== `row-${offset + i}`) {
      expect(row).to.deep.equal([String(offset + i), `row-${offset + i}`]);
    }
  });
}

async function failureOf(p: Promise<unknown>): Promise<{ code?: unknown; message?: unknown }> {
  return p.then(
    () => ({ code: 'no error' }),
    (e: unknown) => e as { code?: unknown; message?: unknown },
  );
}

describe('emulator SQL engine: big results stream', function () {
  let engine: SqlEngine;

  before(async function () {
    engine = await createEngine({ maxOpenStreams: 2 });
    const setup = makeSession({ database: null, schema: null });
    for (const sql of [
      'CREATE DATABASE BIG',
      'CREATE TABLE BIG.PUBLIC.T AS SELECT range AS ID FROM range(300000)',
      'CREATE TABLE BIG.PUBLIC.SHRINKS AS SELECT range AS ID FROM range(40000)',
    ]) {
      (await engine.execute(setup, sql, { queryId: randomUUID() })).close();
    }
  });
  after(async function () {
    await engine.close();
  });

  it('keeps a small result whole and holds no stream for it', async function () {
    const result = await run(engine, "SELECT ID, 'row-' || ID FROM T WHERE ID < 5000 ORDER BY ID");
    try {
      expect(result.rowCount).to.equal(5000);
      expect(engine.stats()).to.include({ openStreams: 0, rowsBuffered: 5000 });
      expectIds(await result.readRows(4000, 1000), 4000, 1000);
    } finally {
      result.close();
    }
    expect(engine.stats()).to.deep.equal({ openStreams: 0, rowsBuffered: 0, openResults: 0 });
  });

  it('knows the exact total of a big result at once but holds only its first rows', async function () {
    const result = await run(engine, "SELECT ID, 'row-' || ID FROM T ORDER BY ID");
    try {
      expect(result.rowCount).to.equal(300_000);
      expect(result.memoryRows).to.be.below(result.rowCount);
      const stats = engine.stats();
      expect(stats.openStreams).to.equal(1);
      expect(stats.rowsBuffered).to.be.within(1, HEAD_MAX_ROWS + 2048);
      expectIds(await result.readRows(0, 1000), 0, 1000);
      expect(engine.queryHistory()[0]?.rowsProduced).to.equal(300_000);
    } finally {
      result.close();
    }
    expect(engine.stats()).to.deep.equal({ openStreams: 0, rowsBuffered: 0, openResults: 0 });
  });

  it('serves chunk reads in order within a bounded window, and releases the stream at the end', async function () {
    const result = await run(engine, "SELECT ID, 'row-' || ID FROM T ORDER BY ID");
    try {
      let peak = 0;
      for (let offset = 0; offset < 300_000; offset += 50_000) {
        expectIds(await result.readRows(offset, 50_000), offset, 50_000);
        peak = Math.max(peak, engine.stats().rowsBuffered);
      }
      expect(peak).to.be.at.most(WINDOW_MAX_ROWS + 2048);
      expect(engine.stats().openStreams).to.equal(0);
    } finally {
      result.close();
    }
  });

  it('serves reads that arrive out of order and concurrently', async function () {
    const result = await run(engine, "SELECT ID, 'row-' || ID FROM T ORDER BY ID");
    try {
      const later = result.readRows(30_000, 20_000);
      const earlier = result.readRows(12_000, 18_000);
      expectIds(await later, 30_000, 20_000);
      expectIds(await earlier, 12_000, 18_000);
      // A read that skips ahead, then the one for the rows it skipped (the driver's prefetch).
      expectIds(await result.readRows(90_000, 10_000), 90_000, 10_000);
      expectIds(await result.readRows(50_000, 40_000), 50_000, 40_000);
    } finally {
      result.close();
    }
  });

  it('re-fetches rows behind its window by running the statement again', async function () {
    const result = await run(engine, "SELECT ID, 'row-' || ID FROM T ORDER BY ID");
    try {
      expectIds(await result.readRows(0, 1000), 0, 1000);
      expectIds(await result.readRows(250_000, 50_000), 250_000, 50_000);
      expect(engine.stats().openStreams).to.equal(0);
      // Rows 1000… were dropped long ago and the stream is gone: a new run serves them.
      expectIds(await result.readRows(1000, 2000), 1000, 2000);
      expect(engine.stats().openStreams).to.equal(1);
      expectIds(await result.readRows(3000, 4000), 3000, 4000);
    } finally {
      result.close();
    }
    expect(engine.stats().openStreams).to.equal(0);
  });

  it('fails a read with a clear error when a re-run yields fewer rows than counted', async function () {
    const result = await run(engine, "SELECT ID, 'row-' || ID FROM SHRINKS ORDER BY ID");
    try {
      expect(result.rowCount).to.equal(40_000);
      expectIds(await result.readRows(30_000, 1000), 30_000, 1000);
      const owner = makeSession({ database: 'BIG', schema: 'PUBLIC' });
      (
        await engine.execute(owner, 'DELETE FROM SHRINKS WHERE ID >= 20000', { queryId: randomUUID() })
      ).close();
      const err = await failureOf(result.readRows(0, 1000).then(() => result.readRows(25_000, 1000)));
      expect(err.code).to.equal('000603');
      expect(String(err.message)).to.match(/40000 rows were counted, but the statement yielded only 20000/);
      // The failure sticks: the result cannot be trusted any more.
      expect((await failureOf(result.readRows(0, 10))).code).to.equal('000603');
    } finally {
      result.close();
    }
  });

  it('caps open streams: the least recently used expires and its reads fail with 000709', async function () {
    const results: ResultSet[] = [];
    try {
      for (let i = 0; i < 3; i++)
        results.push(await run(engine, "SELECT ID, 'row-' || ID FROM T ORDER BY ID"));
      expect(engine.stats().openStreams).to.equal(2);
      const [first, second, third] = results;
      const expired = await failureOf(first.readRows(20_000, 10));
      expect(expired.code).to.equal('000709');
      expect(String(expired.message)).to.match(/^Result expired/);
      expectIds(await second.readRows(20_000, 10), 20_000, 10);
      expectIds(await third.readRows(20_000, 10), 20_000, 10);
    } finally {
      for (const r of results) r.close();
    }
    expect(engine.stats()).to.deep.equal({ openStreams: 0, rowsBuffered: 0, openResults: 0 });
  });

  it('holds statements whose second run may differ instead of counting them', async function () {
    const result = await run(engine, 'SELECT ID, RANDOM() AS R FROM T WHERE ID < 50000');
    try {
      expect(result.rowCount).to.equal(50_000);
      expect(engine.stats()).to.include({ openStreams: 0, rowsBuffered: 50_000 });
      const again = await result.readRows(10, 5);
      expect(await result.readRows(10, 5)).to.deep.equal(again);
    } finally {
      result.close();
    }
  });

  it('counts a big result with binds', async function () {
    const result = await engine.execute(session, "SELECT ID, 'row-' || ID FROM T WHERE ID >= ? ORDER BY ID", {
      queryId: randomUUID(),
      bindings: { '1': { type: 'FIXED', value: '100000' } },
    });
    try {
      expect(result.rowCount).to.equal(200_000);
      expect(engine.stats().openStreams).to.equal(1);
      expectIds(await result.readRows(0, 3), 100_000, 3);
    } finally {
      result.close();
    }
  });
});
