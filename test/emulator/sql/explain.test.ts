import { expect } from 'chai';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';
import { errorOf, makeSession, query } from './helpers.js';

/** SHOW TABLES' bytes of a sample table: what a full scan of it estimates. */
async function showBytes(engine: SqlEngine, table: string): Promise<number> {
  const out = await query(engine, makeSession(), `SHOW TABLES LIKE '${table}' IN SCHEMA SAMPLE_DB.SALES`);
  return Number(out.rows[0]?.[out.names.indexOf('bytes')]);
}

interface Plan {
  GlobalStats: { partitionsTotal: number; partitionsAssigned: number; bytesAssigned: number };
  Operations: { id: number; operation: string; objects?: string[]; bytesAssigned?: number }[][];
}

async function jsonPlan(engine: SqlEngine, sql: string): Promise<Plan> {
  const out = await query(engine, makeSession(), `EXPLAIN USING JSON ${sql}`);
  expect(out.names).to.deep.equal(['content']);
  expect(out.rows).to.have.length(1);
  return JSON.parse(String(out.rows[0]?.[0])) as Plan;
}

describe('emulator SQL engine: EXPLAIN', function () {
  let engine: SqlEngine;

  before(async function () {
    engine = await createEngine({ sampleData: true });
  });
  after(async function () {
    await engine.close();
  });

  it("answers EXPLAIN USING JSON with Snowflake's GlobalStats for the table a SELECT scans", async function () {
    const bytes = await showBytes(engine, 'EVENTS');
    expect(bytes).to.be.greaterThan(16 * 1024 * 1024);
    const plan = await jsonPlan(engine, 'SELECT * FROM EVENTS WHERE KIND = 1');
    const partitions = Math.ceil(bytes / (16 * 1024 * 1024));
    expect(plan.GlobalStats).to.deep.equal({
      partitionsTotal: partitions,
      partitionsAssigned: partitions,
      bytesAssigned: bytes,
    });
    const scans = plan.Operations.flat().filter((op) => op.operation === 'TableScan');
    expect(scans.map((s) => s.objects)).to.deep.equal([['SAMPLE_DB.SALES.EVENTS']]);
    expect(plan.Operations[0]?.[0]).to.include({ id: 0, operation: 'Result' });
  });

  it('sums the tables of a join and those behind a view, in the session database and schema', async function () {
    const s = makeSession();
    await query(engine, s, 'CREATE DATABASE EXPLAIN_DB');
    await query(engine, s, 'CREATE SCHEMA EXPLAIN_DB.S');
    await query(engine, s, 'CREATE TABLE EXPLAIN_DB.S.T (A INT, B VARCHAR)');
    await query(engine, s, "INSERT INTO EXPLAIN_DB.S.T SELECT range, 'x' FROM range(1000)");
    await query(engine, s, 'CREATE VIEW EXPLAIN_DB.S.V AS SELECT A FROM EXPLAIN_DB.S.T WHERE A > 10');
    const inDb = makeSession({ database: 'EXPLAIN_DB', schema: 'S' });
    const out = await query(
      engine,
      inDb,
      'EXPLAIN USING JSON SELECT * FROM V JOIN SAMPLE_DB.SALES.CUSTOMERS C ON C.CUSTOMER_ID = V.A',
    );
    const plan = JSON.parse(String(out.rows[0]?.[0])) as Plan;
    const customers = await showBytes(engine, 'CUSTOMERS');
    expect(plan.GlobalStats.bytesAssigned).to.equal(1000 * 2 * 8 + customers);
    expect(plan.GlobalStats.partitionsAssigned).to.equal(2);
  });

  it('estimates 0 for a statement that names no table', async function () {
    const plan = await jsonPlan(engine, "SELECT 1 AS ONE, 'a' || 'b'");
    expect(plan.GlobalStats).to.deep.equal({ partitionsTotal: 0, partitionsAssigned: 0, bytesAssigned: 0 });
  });

  it('estimates 0 for what the emulator answers itself (SYSTEM$WAIT, table functions), and runs none of it', async function () {
    for (const sql of ['SELECT SYSTEM$WAIT(30)', 'SELECT SEQ4() FROM TABLE(GENERATOR(ROWCOUNT => 10))']) {
      const plan = await jsonPlan(engine, sql);
      expect(plan.GlobalStats, sql).to.deep.equal({
        partitionsTotal: 0,
        partitionsAssigned: 0,
        bytesAssigned: 0,
      });
    }
  });

  it('answers plain EXPLAIN and USING TABULAR as rows with a GlobalStats row first', async function () {
    for (const sql of [
      'EXPLAIN SELECT COUNT(*) FROM ORDERS',
      'EXPLAIN USING TABULAR SELECT COUNT(*) FROM ORDERS',
    ]) {
      const out = await query(engine, makeSession(), sql);
      expect(out.names).to.deep.equal([
        'step',
        'id',
        'parentOperators',
        'operation',
        'objects',
        'alias',
        'expressions',
        'partitionsTotal',
        'partitionsAssigned',
        'bytesAssigned',
      ]);
      const bytes = String(await showBytes(engine, 'ORDERS'));
      expect(out.rows[0]?.[3]).to.equal('GlobalStats');
      expect(out.rows[0]?.[9]).to.equal(bytes);
      const scan = out.rows.find((r) => r[3] === 'TableScan');
      expect(scan?.[4]).to.equal('SAMPLE_DB.SALES.ORDERS');
      expect(scan?.[9]).to.equal(bytes);
    }
  });

  it('answers EXPLAIN USING TEXT as one text with GlobalStats and the operations', async function () {
    const out = await query(engine, makeSession(), 'EXPLAIN USING TEXT SELECT * FROM CUSTOMERS');
    const text = String(out.rows[0]?.[0]);
    expect(text).to.match(
      /^GlobalStats:\n {4}partitionsTotal=1\n {4}partitionsAssigned=1\n {4}bytesAssigned=\d+\n/,
    );
    expect(text).to.include('->TableScan SAMPLE_DB.SALES.CUSTOMERS');
  });

  it('refuses an unknown format and an unknown table as Snowflake does, and runs nothing', async function () {
    const s = makeSession();
    expect(await errorOf(engine, s, 'EXPLAIN USING XML SELECT 1')).to.include({ code: '001003' });
    expect(await errorOf(engine, s, 'EXPLAIN USING JSON')).to.include({ code: '001003' });
    expect(await errorOf(engine, s, 'EXPLAIN USING JSON SELECT * FROM NO_SUCH_TABLE')).to.include({
      code: '002003',
    });
    await query(engine, s, 'CREATE TABLE EXPLAIN_DB.S.EXPLAINED (A INT)');
    await query(engine, s, 'EXPLAIN USING JSON INSERT INTO EXPLAIN_DB.S.EXPLAINED VALUES (1)');
    const count = await query(engine, s, 'SELECT COUNT(*) FROM EXPLAIN_DB.S.EXPLAINED');
    expect(count.rows).to.deep.equal([['0']]);
  });
});
