/**
 * Conversions into timestamps that depend on the session time zone, read back through the real
 * snowflake-sdk with the column types the driver sees: TIMESTAMP_NTZ values and dates cast to
 * TIMESTAMP_TZ/LTZ are wall times in the session zone; TRY_TO_TIMESTAMP_TZ/LTZ read text as
 * TO_TIMESTAMP_TZ/LTZ do and give NULL for text that is no timestamp; the format forms read the
 * parsed wall time in the session zone; integer text is seconds (or milli-, micro-, nanoseconds by
 * its magnitude) since the epoch. A UTC session reads the same values as UTC.
 */
import { expect } from 'chai';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator timestamp conversions in the session time zone', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE TS_CONVERSIONS_DB');
    await execute(alice.conn, 'USE SCHEMA TS_CONVERSIONS_DB.PUBLIC');
    await execute(alice.conn, 'CREATE TABLE WALLS (W TIMESTAMP_NTZ, D DATE, L TIMESTAMP_LTZ)');
    await execute(
      alice.conn,
      "INSERT INTO WALLS VALUES ('2024-01-01 10:00:00', '2024-07-01', '2024-07-01 10:00:00 +02:00')",
    );
  });

  afterEach(async function () {
    await execute(alice.conn, 'ALTER SESSION UNSET TIMEZONE');
  });

  /** The one row of `sql` as the driver shows each column, and the columns' driver types. */
  async function shown(sql: string): Promise<{ row: unknown[]; types: string[] }> {
    const { rows, statement } = await execute(alice.conn, sql);
    return {
      row: Object.values(rows[0] ?? {}).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
      types: (statement.getColumns() ?? []).map((c) => c.getType()),
    };
  }

  const LOS_ANGELES = "ALTER SESSION SET TIMEZONE = 'America/Los_Angeles'";

  const WALL_CASTS = `SELECT W::TIMESTAMP_TZ AS A, CAST(W AS TIMESTAMP_LTZ) AS B, TO_TIMESTAMP_TZ(W) AS C,
    TO_TIMESTAMP_LTZ(W) AS D, '2024-07-01 10:00'::TIMESTAMP_NTZ::TIMESTAMP_LTZ AS E,
    CAST(D AS TIMESTAMP_TZ) AS F, TO_TIMESTAMP_LTZ(D) AS G, L::TIMESTAMP_TZ AS H, W AS I FROM WALLS`;

  it('casts TIMESTAMP_NTZ values and dates to TIMESTAMP_TZ/LTZ as wall times in the session zone', async function () {
    await execute(alice.conn, LOS_ANGELES);
    expect(await shown(WALL_CASTS)).to.deep.equal({
      row: [
        '2024-01-01 10:00:00.000 -0800',
        '2024-01-01 10:00:00.000 -0800',
        '2024-01-01 10:00:00.000 -0800',
        '2024-01-01 10:00:00.000 -0800',
        '2024-07-01 10:00:00.000 -0700',
        '2024-07-01 00:00:00.000 -0700',
        '2024-07-01 00:00:00.000 -0700',
        '2024-07-01 01:00:00.000 -0700',
        '2024-01-01 10:00:00.000',
      ],
      types: [
        'timestamp_tz',
        'timestamp_ltz',
        'timestamp_tz',
        'timestamp_ltz',
        'timestamp_ltz',
        'timestamp_tz',
        'timestamp_ltz',
        'timestamp_tz',
        'timestamp_ntz',
      ],
    });
  });

  it('casts TIMESTAMP_NTZ values and dates to TIMESTAMP_TZ/LTZ as UTC wall times in a UTC session', async function () {
    expect(await shown(WALL_CASTS)).to.deep.equal({
      row: [
        '2024-01-01 10:00:00.000 +0000',
        '2024-01-01 10:00:00.000 +0000',
        '2024-01-01 10:00:00.000 +0000',
        '2024-01-01 10:00:00.000 +0000',
        '2024-07-01 10:00:00.000 +0000',
        '2024-07-01 00:00:00.000 +0000',
        '2024-07-01 00:00:00.000 +0000',
        '2024-07-01 08:00:00.000 +0000',
        '2024-01-01 10:00:00.000',
      ],
      types: [
        'timestamp_tz',
        'timestamp_ltz',
        'timestamp_tz',
        'timestamp_ltz',
        'timestamp_ltz',
        'timestamp_tz',
        'timestamp_ltz',
        'timestamp_tz',
        'timestamp_ntz',
      ],
    });
  });
  const TEXT_CALLS = `SELECT TRY_TO_TIMESTAMP_TZ('2024-01-01 10:00') AS A, TRY_TO_TIMESTAMP_LTZ('2024-07-01 10:00:00') AS B,
    TRY_TO_TIMESTAMP_TZ('2024-01-01 10:00 +02:00') AS C, TRY_TO_TIMESTAMP_LTZ(X) AS D,
    TRY_TO_TIMESTAMP_TZ('soon') AS E, TRY_TO_TIMESTAMP_LTZ('2024-13-01 10:00') AS F, TRY_TO_TIMESTAMP_TZ(Y) AS G,
    TO_TIMESTAMP_TZ('2024-01-01 10:00:00', 'YYYY-MM-DD HH24:MI:SS') AS H,
    TO_TIMESTAMP_LTZ('07/01/2024 10:00', 'MM/DD/YYYY HH24:MI') AS I,
    TRY_TO_TIMESTAMP_TZ(X, 'YYYY-MM-DD HH24:MI') AS J, TRY_TO_TIMESTAMP_LTZ('soon', 'YYYY-MM-DD HH24:MI') AS K,
    TO_TIMESTAMP('2024-01-01 10:00:00', 'YYYY-MM-DD HH24:MI:SS') AS L, TRY_TO_TIMESTAMP_NTZ(Y) AS M
    FROM (SELECT '2024-07-01 10:00' AS X, 'not a time' AS Y)`;

  const TEXT_TYPES = [
    'timestamp_tz',
    'timestamp_ltz',
    'timestamp_tz',
    'timestamp_ltz',
    'timestamp_tz',
    'timestamp_ltz',
    'timestamp_tz',
    'timestamp_tz',
    'timestamp_ltz',
    'timestamp_tz',
    'timestamp_ltz',
    'timestamp_ntz',
    'timestamp_ntz',
  ];

  it('reads text in the session zone in TRY_TO_TIMESTAMP_TZ/LTZ and the format forms, NULL for no timestamp', async function () {
    await execute(alice.conn, LOS_ANGELES);
    expect(await shown(TEXT_CALLS)).to.deep.equal({
      row: [
        '2024-01-01 10:00:00.000 -0800',
        '2024-07-01 10:00:00.000 -0700',
        '2024-01-01 10:00:00.000 +0200',
        '2024-07-01 10:00:00.000 -0700',
        null,
        null,
        null,
        '2024-01-01 10:00:00.000 -0800',
        '2024-07-01 10:00:00.000 -0700',
        '2024-07-01 10:00:00.000 -0700',
        null,
        '2024-01-01 10:00:00.000',
        null,
      ],
      types: TEXT_TYPES,
    });
  });

  it('reads text as UTC in TRY_TO_TIMESTAMP_TZ/LTZ and the format forms in a UTC session', async function () {
    expect(await shown(TEXT_CALLS)).to.deep.equal({
      row: [
        '2024-01-01 10:00:00.000 +0000',
        '2024-07-01 10:00:00.000 +0000',
        '2024-01-01 10:00:00.000 +0200',
        '2024-07-01 10:00:00.000 +0000',
        null,
        null,
        null,
        '2024-01-01 10:00:00.000 +0000',
        '2024-07-01 10:00:00.000 +0000',
        '2024-07-01 10:00:00.000 +0000',
        null,
        '2024-01-01 10:00:00.000',
        null,
      ],
      types: TEXT_TYPES,
    });
  });
});
