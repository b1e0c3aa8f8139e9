import { expect } from 'chai';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';
import { DataGeneration, PreparedCache } from '../../../src/emulator/sql/prepared-cache.js';
import { makeSession, query } from './helpers.js';

describe('emulator SQL engine: reused query plans', function () {
  let engine: SqlEngine;

  before(async function () {
    // One DuckDB connection: every statement lands on the same plan cache.
    engine = await createEngine({ sampleData: false, maxConnections: 1 });
    const s = makeSession({ database: null, schema: null });
    await query(engine, s, 'CREATE DATABASE PLANS');
    await query(engine, s, 'CREATE SCHEMA PLANS.A');
    await query(engine, s, 'CREATE SCHEMA PLANS.B');
    await query(engine, s, 'CREATE TABLE PLANS.A.T (X INT)');
    await query(engine, s, 'CREATE TABLE PLANS.B.T (X INT)');
    await query(engine, s, 'INSERT INTO PLANS.A.T VALUES (1), (50)');
    await query(engine, s, 'INSERT INTO PLANS.B.T VALUES (7)');
  });
  after(async function () {
    await engine.close();
  });

  const session = (): ReturnType<typeof makeSession> => makeSession({ database: 'PLANS', schema: 'A' });

  it('sees rows another session inserted after the same query ran', async function () {
    const reader = session();
    const sql = 'SELECT COUNT(*) AS N FROM T WHERE X > 100';
    expect((await query(engine, reader, sql)).rows).to.deep.equal([['0']]);
    expect((await query(engine, reader, sql)).rows).to.deep.equal([['0']]);
    // DuckDB prunes the filter with table statistics when planning: a kept plan would still say 0.
    await query(engine, session(), 'INSERT INTO T VALUES (200)');
    expect((await query(engine, reader, sql)).rows).to.deep.equal([['1']]);
    await query(engine, session(), 'DELETE FROM T WHERE X = 200');
    expect((await query(engine, reader, sql)).rows).to.deep.equal([['0']]);
  });

  it('sees a column added after the same query ran', async function () {
    const s = session();
    await query(engine, s, 'CREATE TABLE W (A INT)');
    await query(engine, s, 'INSERT INTO W VALUES (1)');
    expect((await query(engine, s, 'SELECT * FROM W')).names).to.deep.equal(['A']);
    await query(engine, s, 'ALTER TABLE W ADD COLUMN B INT');
    expect((await query(engine, s, 'SELECT * FROM W')).names).to.deep.equal(['A', 'B']);
  });

  it('resolves the same text against the current schema', async function () {
    const s = session();
    expect((await query(engine, s, 'SELECT X FROM T ORDER BY X')).rows).to.deep.equal([['1'], ['50']]);
    await query(engine, s, 'USE SCHEMA PLANS.B');
    expect((await query(engine, s, 'SELECT X FROM T ORDER BY X')).rows).to.deep.equal([['7']]);
    await query(engine, s, 'USE SCHEMA PLANS.A');
    expect((await query(engine, s, 'SELECT X FROM T ORDER BY X')).rows).to.deep.equal([['1'], ['50']]);
  });

  it('binds each run its own values', async function () {
    const s = session();
    const sql = 'SELECT COUNT(*) FROM T WHERE X = ?';
    const run = async (v: string): Promise<unknown> =>
      (await query(engine, s, sql, { bindings: { '1': { type: 'FIXED', value: v } } })).rows;
    expect(await run('1')).to.deep.equal([['1']]);
    expect(await run('2')).to.deep.equal([['0']]);
    expect(await run('50')).to.deep.equal([['1']]);
  });

  it('shows statements run since in the query history', async function () {
    const s = session();
    const sql =
      "SELECT COUNT(*) FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) WHERE QUERY_TEXT = 'SELECT 42'";
    const before = Number((await query(engine, s, sql)).rows[0]?.[0]);
    await query(engine, s, 'SELECT 42');
    expect(Number((await query(engine, s, sql)).rows[0]?.[0])).to.equal(before + 1);
  });
});

describe('emulator prepared-statement cache', function () {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;

  before(async function () {
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    conn = await instance.connect();
  });
  after(function () {
    conn.disconnectSync();
    instance.closeSync();
  });

  it('hands out the same plan for the same text, path and generation', async function () {
    const cache = new PreparedCache();
    const generation = new DataGeneration();
    const first = await cache.get(conn, 'p', 'SELECT 1', generation, true);
    const second = await cache.get(conn, 'p', 'SELECT 1', generation, true);
    expect(first.owned).to.equal(false);
    expect(second.prepared).to.equal(first.prepared);
    const otherPath = await cache.get(conn, 'q', 'SELECT 1', generation, true);
    expect(otherPath.prepared).to.not.equal(first.prepared);
    cache.clear();
  });

  it('drops every plan when the generation moves', async function () {
    const cache = new PreparedCache();
    const generation = new DataGeneration();
    const first = await cache.get(conn, 'p', 'SELECT 1', generation, true);
    generation.bump();
    const again = await cache.get(conn, 'p', 'SELECT 1', generation, true);
    expect(again.prepared).to.not.equal(first.prepared);
    expect(cache.size).to.equal(1);
    cache.clear();
  });

  it('keeps only SELECTs it was allowed to keep, and at most `max`', async function () {
    const cache = new PreparedCache(2);
    const generation = new DataGeneration();
    const notAllowed = await cache.get(conn, 'p', 'SELECT 1', generation, false);
    expect(notAllowed.owned).to.equal(true);
    notAllowed.prepared.destroySync();
    const write = await cache.get(conn, 'p', 'CREATE TABLE IF NOT EXISTS Z (A INT)', generation, true);
    expect(write.owned).to.equal(true);
    write.prepared.destroySync();
    expect(cache.size).to.equal(0);
    for (const sql of ['SELECT 1', 'SELECT 2', 'SELECT 3']) await cache.get(conn, 'p', sql, generation, true);
    expect(cache.size).to.equal(2);
    cache.clear();
    expect(cache.size).to.equal(0);
  });
});
