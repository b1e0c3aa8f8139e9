/**
 * Results are kept as first produced: exact totals up front, big results produced lazily from one
 * DuckDB snapshot as they are read, every produced row kept (in memory, spilled to a private file
 * beyond the memory budget), look backs served from what was kept, a cap on open streams, and
 * eviction by the byte budget with a reason.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { ResultSet } from '../../../src/emulator/engine-types.js';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { EngineOptions, SqlEngine } from '../../../src/emulator/sql/engine.js';
import { makeSession } from './helpers.js';

const session = makeSession({ database: 'BIG', schema: 'PUBLIC' });
const ROWS = "SELECT ID, 'row-' || ID FROM T ORDER BY ID";

async function bigEngine(options: EngineOptions = {}): Promise<SqlEngine> {
  const engine = await createEngine(options);
  const setup = makeSession({ database: null, schema: null });
  for (const sql of [
    'CREATE DATABASE BIG',
    'CREATE TABLE BIG.PUBLIC.T AS SELECT range AS ID FROM range(300000)',
    'CREATE TABLE BIG.PUBLIC.SHRINKS AS SELECT range AS ID FROM range(40000)',
  ]) {
    (await engine.execute(setup, sql, { queryId: randomUUID() })).close();
  }
  return engine;
}

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

const EMPTY = { openStreams: 0, openResults: 0, memoryBytes: 0, diskBytes: 0, spilledResults: 0 };

describe('emulator SQL engine: results are kept as produced', function () {
  this.timeout(60_000);
  let engine: SqlEngine;

  before(async function () {
    engine = await bigEngine({ maxOpenStreams: 2 });
  });
  after(async function () {
    await engine.close();
  });

  it('keeps a small result whole and holds no stream for it', async function () {
    const result = await run(engine, "SELECT ID, 'row-' || ID FROM T WHERE ID < 5000 ORDER BY ID");
    try {
      expect(result.rowCount).to.equal(5000);
      expect(engine.stats()).to.include({ openStreams: 0, openResults: 1, diskBytes: 0 });
      expectIds(await result.readRows(4000, 1000), 4000, 1000);
    } finally {
      result.close();
    }
    expect(engine.stats()).to.include(EMPTY);
  });

  it('knows the exact total of a big result at once but produces only its first rows', async function () {
    const result = await run(engine, ROWS);
    try {
      expect(result.rowCount).to.equal(300_000);
      const stats = engine.stats();
      expect(stats.openStreams).to.equal(1);
      // The head: about 15,000 rows of some 20 bytes, not 300,000.
      expect(stats.memoryBytes).to.be.within(1, 1_000_000);
      expectIds(await result.readRows(0, 1000), 0, 1000);
      expect(engine.queryHistory()[0]?.rowsProduced).to.equal(300_000);
    } finally {
      result.close();
    }
    expect(engine.stats()).to.include(EMPTY);
  });

  it('serves reads in order and releases the stream after the last row', async function () {
    const result = await run(engine, ROWS);
    try {
      for (let offset = 0; offset < 300_000; offset += 50_000) {
        expectIds(await result.readRows(offset, 50_000), offset, 50_000);
      }
      expect(engine.stats().openStreams).to.equal(0);
    } finally {
      result.close();
    }
  });

  it('serves reads that arrive out of order and concurrently', async function () {
    const result = await run(engine, ROWS);
    try {
      const later = result.readRows(30_000, 20_000);
      const earlier = result.readRows(12_000, 18_000);
      expectIds(await later, 30_000, 20_000);
      expectIds(await earlier, 12_000, 18_000);
      expectIds(await result.readRows(90_000, 10_000), 90_000, 10_000);
      expectIds(await result.readRows(50_000, 40_000), 50_000, 40_000);
    } finally {
      result.close();
    }
  });

  it('serves look backs from the rows kept, never running the statement again', async function () {
    const result = await run(engine, "SELECT ID, 'row-' || ID FROM SHRINKS ORDER BY ID");
    try {
      expect(result.rowCount).to.equal(40_000);
      expectIds(await result.readRows(30_000, 1000), 30_000, 1000);
      const owner = makeSession({ database: 'BIG', schema: 'PUBLIC' });
      (await engine.execute(owner, 'DELETE FROM SHRINKS WHERE ID >= 100', { queryId: randomUUID() })).close();
      // Rows before and after the point read so far: all from the statement's snapshot.
      expectIds(await result.readRows(20_000, 1000), 20_000, 1000);
      expectIds(await result.readRows(39_000, 1000), 39_000, 1000);
      expectIds(await result.readRows(0, 100), 0, 100);
      expect(engine.stats().openStreams).to.equal(0);
    } finally {
      result.close();
    }
  });

  it('caps open streams: the least recently read produces the rest of its rows and stays readable', async function () {
    const results: ResultSet[] = [];
    try {
      for (let i = 0; i < 3; i++) results.push(await run(engine, ROWS));
      for (const [k, r] of results.entries()) expectIds(await r.readRows(299_000 - k, 10), 299_000 - k, 10);
      expectIds(await results[0].readRows(20_000, 10), 20_000, 10);
    } finally {
      for (const r of results) r.close();
    }
    expect(engine.stats()).to.include(EMPTY);
  });

  it('produces statements whose second run may differ whole instead of counting them', async function () {
    const result = await run(engine, 'SELECT ID, RANDOM() AS R FROM T WHERE ID < 50000');
    try {
      expect(result.rowCount).to.equal(50_000);
      expect(engine.stats().openStreams).to.equal(0);
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

describe('emulator SQL engine: byte budgets and spill files', function () {
  this.timeout(60_000);
  let parent: string;

  before(function () {
    parent = mkdtempSync(join(tmpdir(), 'smcp-spill-parent-'));
  });
  after(function () {
    rmSync(parent, { recursive: true, force: true });
  });

  it('spills rows beyond the memory budget to a private file and reads them back as produced', async function () {
    const engine = await bigEngine({ resultMemoryBytes: 1024 * 1024, spillParentDir: parent });
    const dir = engine.spillDir;
    try {
      expect(statSync(dir).mode & 0o777).to.equal(0o700);
      const result = await run(engine, ROWS);
      expectIds(await result.readRows(290_000, 10_000), 290_000, 10_000);
      const stats = engine.stats();
      expect(stats.memoryBytes).to.be.at.most(1024 * 1024);
      expect(stats.diskBytes).to.be.greaterThan(4_000_000);
      expect(readdirSync(dir).filter((f) => f.endsWith('.rows'))).to.have.length(1);
      expectIds(await result.readRows(0, 300_000), 0, 300_000);
      result.close();
      expect(engine.stats()).to.include({ memoryBytes: 0, diskBytes: 0 });
    } finally {
      await engine.close();
    }
    expect(existsSync(dir)).to.equal(false);
  });

  it('evicts the least recently used results beyond the disk budget, and says why', async function () {
    const engine = await bigEngine({
      resultMemoryBytes: 256 * 1024,
      resultDiskBytes: 4 * 2 ** 20,
      spillParentDir: parent,
    });
    try {
      const old = await run(engine, ROWS);
      expectIds(await old.readRows(100_000, 10), 100_000, 10);
      const fresh = await run(engine, ROWS);
      expectIds(await fresh.readRows(150_000, 10), 150_000, 10);
      const err = await failureOf(old.readRows(0, 10));
      expect(err.code).to.equal('000612');
      expect(String(err.message)).to.match(
        /^Result for query \S+ has expired: evicted by the emulator's result byte budget \(disk 4 MiB/,
      );
      expect(old.expired).to.match(/byte budget/);
      expectIds(await fresh.readRows(0, 10), 0, 10);
      expect(engine.stats().evictions).to.equal(1);
    } finally {
      await engine.close();
    }
  });

  it('evicts small results, the least recently used first, when they alone fill the memory budget', async function () {
    const engine = await bigEngine({ resultMemoryBytes: 64 * 1024, spillParentDir: parent });
    try {
      const results: ResultSet[] = [];
      for (let i = 0; i < 100; i++)
        results.push(await run(engine, `SELECT ${i} AS N, REPEAT('x', 200) AS PAD`));
      const err = await failureOf(results[0].readRows(0, 1));
      expect(err.code).to.equal('000612');
      expect(String(err.message)).to.match(/evicted by the emulator's result byte budget \(memory 64 KiB;/);
      expect(await results[99].readRows(0, 1)).to.deep.equal([['99', 'x'.repeat(200)]]);
      expect(engine.stats().memoryBytes).to.be.at.most(64 * 1024);
      expect(engine.stats().diskBytes).to.equal(0);
    } finally {
      await engine.close();
    }
  });

  it('keeps only the rows produced of a result whose stream must close when its rest would not fit the disk budget', async function () {
    const engine = await bigEngine({
      maxOpenStreams: 1,
      resultDiskBytes: 1024 * 1024,
      spillParentDir: parent,
    });
    try {
      const first = await run(engine, ROWS);
      const second = await run(engine, ROWS);
      const err = await failureOf(first.readRows(200_000, 10));
      expect(err.code).to.equal('000612');
      expect(String(err.message)).to.match(
        /DuckDB stream had to close \(more than 1 big results open at once\)/,
      );
      expect(String(err.message)).to.match(
        /its rows from \d+ on were evicted by the emulator's result byte budget/,
      );
      // What it had produced stays readable.
      expectIds(await first.readRows(0, 10_000), 0, 10_000);
      expectIds(await second.readRows(0, 10), 0, 10);
    } finally {
      await engine.close();
    }
  });

  it('removes spill directories of processes that are gone when it starts', async function () {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = join(parent, `smcp-emulator-${gone}-abcdef`);
    mkdirSync(stale);
    const engine = await createEngine({ spillParentDir: parent });
    try {
      expect(existsSync(stale)).to.equal(false);
      expect(existsSync(engine.spillDir)).to.equal(true);
    } finally {
      await engine.close();
    }
  });
});
