import { expect } from 'chai';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';
import { makeSession, query } from './helpers.js';

describe('emulator SQL engine: values and rowtype', function () {
  let engine: SqlEngine;

  before(async function () {
    engine = await createEngine({ sampleData: true });
  });
  after(async function () {
    await engine.close();
  });

  it('answers SELECT 1 as fixed(38,0) "1"', async function () {
    const s = makeSession();
    const out = await query(engine, s, 'SELECT 1');
    expect(out.rows).to.deep.equal([['1']]);
    expect(out.columns[0]).to.include({ name: '1', type: 'fixed', precision: 38, scale: 0 });
    expect(out.statementTypeId).to.equal(0x1000);
  });

  it('encodes every type of ALL_TYPES the Snowflake way', async function () {
    const out = await query(engine, makeSession(), 'SELECT * FROM SAMPLE_DB.TYPES.ALL_TYPES ORDER BY ID');
    const types = Object.fromEntries(out.columns.map((c) => [c.name, c]));
    expect(types.BIG_NUM).to.include({ type: 'fixed', precision: 38, scale: 0 });
    expect(types.DEC).to.include({ type: 'fixed', precision: 10, scale: 2 });
    expect(types.FLT?.type).to.equal('real');
    expect(types.STR).to.include({ type: 'text', length: 50 });
    expect(types.TXT).to.include({ type: 'text', length: 16777216 });
    expect(types.TS_NTZ).to.include({ type: 'timestamp_ntz', scale: 9 });
    expect(types.TS_LTZ?.type).to.equal('timestamp_ltz');
    expect(types.TS_TZ?.type).to.equal('timestamp_tz');
    expect(types.BIN?.type).to.equal('binary');
    expect(types.VAR?.type).to.equal('variant');
    expect(types.OBJ?.type).to.equal('object');
    expect(types.ARR?.type).to.equal('array');
    const row = Object.fromEntries(out.names.map((n, i) => [n, out.rows[0]?.[i]]));
    expect(row).to.include({
      BIG_NUM: '12345678901234567890',
      DEC: '12.34',
      FLT: '3.5',
      BOOL: '1',
      DT: '19782',
      TM: '49530.123456000',
      TS_NTZ: '1709214330.123456000',
      TS_LTZ: '1709214330.123456000',
      TS_TZ: '1709207130.123456000 1560',
      BIN: 'DEADBEEF',
      OBJ: '{"name":"smcp","ok":true}',
      ARR: '[1,"two",null]',
    });
    const row2 = Object.fromEntries(out.names.map((n, i) => [n, out.rows[1]?.[i]]));
    expect(row2).to.include({
      BIG_NUM: '-12345678901234567890',
      DEC: '-0.50',
      BOOL: '0',
      DT: '-1',
      TS_NTZ: '-0.500000000',
      TXT: 'line1\nline2',
    });
    const row3 = Object.fromEntries(out.names.map((n, i) => [n, out.rows[2]?.[i]]));
    expect(row3.BIG_NUM).to.equal('9007199254740993');
    expect(row3.STR).to.equal("quote's");
    const nulls = out.rows[3] ?? [];
    expect(nulls.slice(1).every((v) => v === null)).to.equal(true);
  });

  it('keeps declared types through a view', async function () {
    const out = await query(
      engine,
      makeSession(),
      'SELECT TS_TZ, OBJ, STR FROM SAMPLE_DB.TYPES.V_ALL_TYPES WHERE ID = 1',
    );
    expect(out.columns.map((c) => c.type)).to.deep.equal(['timestamp_tz', 'object', 'text']);
  });

  it('folds unquoted identifiers to upper case and keeps quoted ones', async function () {
    const out = await query(
      engine,
      makeSession(),
      'select customer_id, name as n, 1 as "lower", count(*) over () from customers limit 1',
    );
    expect(out.names).to.deep.equal(['CUSTOMER_ID', 'N', 'lower', 'COUNT(*) OVER ()']);
  });

  it('reads rows 999000..999010 of EVENTS lazily', async function () {
    const s = makeSession();
    const result = await engine.execute(s, 'SELECT ID, KIND FROM EVENTS ORDER BY ID', { queryId: 'lazy' });
    try {
      expect(result.rowCount).to.equal(1_000_000);
      const rows = await result.readRows(999_000, 10);
      expect(rows.map((r) => r[0])).to.deep.equal(Array.from({ length: 10 }, (_v, i) => String(999_001 + i)));
      const again = await result.readRows(0, 2);
      expect(again.map((r) => r[0])).to.deep.equal(['1', '2']);
      expect(await result.readRows(999_995, 100)).to.have.length(5);
    } finally {
      result.close();
    }
  });

  it('runs Snowflake functions: IFF, NVL, NVL2, ZEROIFNULL, DECODE, DIV0, SQUARE, EQUAL_NULL', async function () {
    const out = await query(
      engine,
      makeSession(),
      "SELECT IFF(1 < 2, 'yes', 'no'), NVL(NULL, 'x'), NVL2(1, 'a', 'b'), ZEROIFNULL(NULL), NULLIFZERO(0), DECODE(2, 1, 'one', 2, 'two', 'other'), DIV0(1, 0), SQUARE(3), EQUAL_NULL(NULL, NULL), CONTAINS('abc', 'b'), STARTSWITH('abc', 'a')",
    );
    expect(out.rows[0]).to.deep.equal([
      'yes',
      'x',
      'a',
      '0',
      null,
      'two',
      out.rows[0]?.[6] ?? '',
      '9',
      '1',
      '1',
      '1',
    ]);
    expect(Number(out.rows[0]?.[6])).to.equal(0);
  });

  it('runs conversions and JSON builders', async function () {
    const out = await query(
      engine,
      makeSession(),
      "SELECT TO_NUMBER('12.5', 10, 2), TRY_TO_NUMBER('x'), TO_DATE('2024-03-01'), TO_VARCHAR(42), TO_TIMESTAMP_NTZ('2024-01-01 00:00:01'), PARSE_JSON('{\"a\":1}'), OBJECT_CONSTRUCT('a', 1), ARRAY_CONSTRUCT(1, 2, 3), ARRAY_SIZE(ARRAY_CONSTRUCT(1, 2)), DATEDIFF(day, '2024-01-01'::DATE, '2024-03-01'::DATE)",
    );
    expect(out.rows[0]).to.deep.equal([
      '12.50',
      null,
      '19783',
      '42',
      '1704067201.000000000',
      '{"a":1}',
      '{"a":1}',
      '[1,2,3]',
      '2',
      '60',
    ]);
    expect(out.columns[2]?.type).to.equal('date');
  });

  it('answers CURRENT_*() from the session', async function () {
    const s = makeSession();
    const out = await query(
      engine,
      s,
      'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_ROLE(), CURRENT_WAREHOUSE(), CURRENT_USER(), CURRENT_SESSION()',
    );
    expect(out.rows[0]).to.deep.equal(['SAMPLE_DB', 'SALES', 'SYSADMIN', 'COMPUTE_WH', 'TEST_USER', s.id]);
    expect(out.names[0]).to.equal('CURRENT_DATABASE()');
  });

  it('reports DML in Snowflake shape and writes work', async function () {
    const s = makeSession({ database: 'ANALYTICS', schema: 'PUBLIC' });
    await query(
      engine,
      s,
      "CREATE TABLE T_WRITE (ID NUMBER(38,0), V VARIANT, TZ TIMESTAMP_TZ) COMMENT = 'scratch'",
    );
    const ins = await query(
      engine,
      s,
      "INSERT INTO T_WRITE SELECT 1, PARSE_JSON('[1]'), '2024-01-01 00:00:00+00:00'",
    );
    expect(ins.names).to.deep.equal(['number of rows inserted']);
    expect(ins.rows).to.deep.equal([['1']]);
    expect(ins.statementTypeId).to.equal(0x3100);
    const upd = await query(engine, s, 'UPDATE T_WRITE SET ID = 2');
    expect(upd.names[0]).to.equal('number of rows updated');
    const sel = await query(engine, s, 'SELECT * FROM T_WRITE');
    expect(sel.columns.map((c) => c.type)).to.deep.equal(['fixed', 'variant', 'timestamp_tz']);
    expect(sel.rows).to.deep.equal([['2', '[1]', '1704067200.000000000 1440']]);
    const del = await query(engine, s, 'DELETE FROM T_WRITE');
    expect(del.rows).to.deep.equal([['1']]);
    await query(engine, s, 'DROP TABLE T_WRITE');
  });
});
