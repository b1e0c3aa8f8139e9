import { expect } from 'chai';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';
import { errorOf, makeSession, query } from './helpers.js';

describe('emulator SQL engine: TIMESTAMP_TZ offsets and BINARY input', function () {
  let engine: SqlEngine;

  before(async function () {
    engine = await createEngine({ sampleData: true });
  });
  after(async function () {
    await engine.close();
  });

  const one = async (sql: string): Promise<(string | null)[]> => {
    const out = await query(engine, makeSession(), sql);
    return out.rows[0] ?? [];
  };

  it('keeps the offset of each stored TIMESTAMP_TZ value', async function () {
    const out = await query(
      engine,
      makeSession(),
      'SELECT ID, TS_TZ FROM SAMPLE_DB.TYPES.ALL_TYPES ORDER BY ID',
    );
    expect(out.columns[1]?.type).to.equal('timestamp_tz');
    expect(out.rows).to.deep.equal([
      ['1', '1709207130.123456000 1560'], // 2024-02-29 13:45:30.123456 +02:00
      ['2', '946699200.000000000 1140'], // 1999-12-31 23:00:00 -05:00
      ['3', '946684800.000000000 1770'], // 2000-01-01 05:30:00 +05:30
      ['4', null],
    ]);
  });

  it('compares, sorts and aggregates TIMESTAMP_TZ by instant, keeping offsets', async function () {
    const sorted = await query(
      engine,
      makeSession(),
      'SELECT ID FROM SAMPLE_DB.TYPES.ALL_TYPES WHERE TS_TZ IS NOT NULL ORDER BY TS_TZ DESC',
    );
    expect(sorted.rows.map((r) => r[0])).to.deep.equal(['1', '2', '3']);
    const later = await query(
      engine,
      makeSession(),
      "SELECT ID FROM SAMPLE_DB.TYPES.ALL_TYPES WHERE TS_TZ > '2000-01-01 03:00:00' ORDER BY ID",
    );
    expect(later.rows.map((r) => r[0])).to.deep.equal(['1', '2']);
    const withOffset = await query(
      engine,
      makeSession(),
      "SELECT COUNT(*) FROM SAMPLE_DB.TYPES.ALL_TYPES WHERE TS_TZ >= '2000-01-01 05:30:00 +05:30'::TIMESTAMP_TZ",
    );
    expect(withOffset.rows).to.deep.equal([['3']]);
    const agg = await query(
      engine,
      makeSession(),
      'SELECT MIN(TS_TZ), MAX(TS_TZ) FROM SAMPLE_DB.TYPES.ALL_TYPES',
    );
    expect(agg.columns.map((c) => c.type)).to.deep.equal(['timestamp_tz', 'timestamp_tz']);
    expect(agg.rows).to.deep.equal([['946684800.000000000 1770', '1709207130.123456000 1560']]);
  });

  it('parses TIMESTAMP_TZ literals with an offset and keeps it', async function () {
    expect(
      await one(
        "SELECT '2024-01-02 03:04:05 +02:00'::TIMESTAMP_TZ, TO_TIMESTAMP_TZ('2024-01-02 03:04:05.5-05:30'), " +
          "CAST('2024-01-02T03:04:05Z' AS TIMESTAMP_TZ), '2024-01-02 03:04:05'::TIMESTAMP_TZ",
      ),
    ).to.deep.equal([
      '1704157445.000000000 1560',
      '1704184445.500000000 1110',
      '1704164645.000000000 1440',
      '1704164645.000000000 1440',
    ]);
  });

  it('keeps offsets through CREATE TABLE, INSERT … SELECT and CTAS', async function () {
    const s = makeSession({ database: 'SAMPLE_DB', schema: 'TYPES' });
    await query(engine, s, 'CREATE OR REPLACE TABLE TZ_COPY (ID NUMBER, T TIMESTAMP_TZ)');
    await query(engine, s, "INSERT INTO TZ_COPY SELECT 1, '2024-06-01 12:00:00 -08:00'::TIMESTAMP_TZ");
    await query(engine, s, 'CREATE OR REPLACE TABLE TZ_CTAS AS SELECT * FROM TZ_COPY');
    const out = await query(engine, s, 'SELECT T FROM TZ_CTAS');
    expect(out.columns[0]?.type).to.equal('timestamp_tz');
    expect(out.rows).to.deep.equal([['1717272000.000000000 960']]);
    await query(engine, s, 'DROP TABLE TZ_COPY');
    await query(engine, s, 'DROP TABLE TZ_CTAS');
  });

  it('keeps microseconds of TIMESTAMP_NTZ and TIME (the precision the engine documents)', async function () {
    expect(
      await one("SELECT '2024-01-02 03:04:05.123456789'::TIMESTAMP_NTZ(9), '13:45:30.123456789'::TIME"),
    ).to.deep.equal(['1704164645.123456000', '49530.123456000']);
  });

  it('reads BINARY text as hex, like BINARY_INPUT_FORMAT = HEX', async function () {
    expect(
      await one(
        "SELECT 'CAFE'::BINARY, TO_BINARY('cafe'), CAST('00ff' AS BINARY), TO_BINARY('yv4=', 'BASE64'), " +
          "TO_BINARY('hi', 'UTF-8'), TRY_TO_BINARY('ZZ')",
      ),
    ).to.deep.equal(['CAFE', 'CAFE', '00FF', 'CAFE', '6869', null]);
  });

  it('refuses text that is not hex when converting to BINARY', async function () {
    const err = await errorOf(engine, makeSession(), "SELECT 'nothex'::BINARY");
    expect(err.code).to.not.equal('no error');
  });
});
