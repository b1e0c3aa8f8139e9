/**
 * Conversions into timestamps that depend on the session time zone, read back through the real
 * snowflake-sdk with the column types the driver sees: TIMESTAMP_NTZ values and dates cast to
 * TIMESTAMP_TZ/LTZ are wall times in the session zone; TRY_TO_TIMESTAMP_TZ/LTZ read text as
 * TO_TIMESTAMP_TZ/LTZ do and give NULL for text that is no timestamp; the format forms read the
 * parsed wall time in the session zone; integer text is seconds (or milli-, micro-, nanoseconds by
 * its magnitude) since the epoch. A UTC session reads the same values as UTC.
 */
import { expect } from 'chai';
import { execute, failureOf } from './driver.js';
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

  /** The driver types of WALL_CASTS' columns, in any session. */
  const WALL_TYPES = [
    'timestamp_tz',
    'timestamp_ltz',
    'timestamp_tz',
    'timestamp_ltz',
    'timestamp_ltz',
    'timestamp_tz',
    'timestamp_ltz',
    'timestamp_tz',
    'timestamp_ntz',
  ];

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
      types: WALL_TYPES,
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
      types: WALL_TYPES,
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
  const EPOCH_CALLS = `SELECT TO_TIMESTAMP('1700000000') AS A, '1700000000'::TIMESTAMP_NTZ AS B,
    TO_TIMESTAMP_LTZ('1700000000000') AS C, TRY_TO_TIMESTAMP('1700000000123456') AS D,
    CAST('1700000000123456789' AS TIMESTAMP_TZ) AS E, TO_TIMESTAMP_NTZ('-86400') AS F,
    TRY_CAST('31535999999' AS TIMESTAMP) AS G, TO_DATE('2024-01-01') AS H,
    '31536000000'::TIMESTAMP_NTZ AS I`;

  const EPOCHS = [
    '2023-11-14 22:13:20.000',
    '2023-11-14 22:13:20.000',
    '2023-11-14 22:13:20.000 +0000',
    '2023-11-14 22:13:20.123',
    '2023-11-14 22:13:20.123 +0000',
    '1969-12-31 00:00:00.000',
    '2969-05-02 23:59:59.000',
    '2024-01-01',
    '1971-01-01 00:00:00.000',
  ];
  const EPOCH_TYPES = [
    'timestamp_ntz',
    'timestamp_ntz',
    'timestamp_ltz',
    'timestamp_ntz',
    'timestamp_tz',
    'timestamp_ntz',
    'timestamp_ntz',
    'date',
    'timestamp_ntz',
  ];

  it('reads integer text as seconds, milli-, micro- or nanoseconds since the epoch by its magnitude', async function () {
    expect(await shown(EPOCH_CALLS)).to.deep.equal({ row: EPOCHS, types: EPOCH_TYPES });
    await execute(alice.conn, LOS_ANGELES);
    const local = await shown(EPOCH_CALLS);
    expect(local.types).to.deep.equal(EPOCH_TYPES);
    // The same instants; only the TIMESTAMP_LTZ shows in the session zone.
    expect(local.row).to.deep.equal(EPOCHS.map((v, k) => (k === 2 ? '2023-11-14 14:13:20.000 -0800' : v)));
  });

  /** Rows of table `name` ordered by N (A TIMESTAMP_TZ, B TIMESTAMP_LTZ, C TIMESTAMP_NTZ, D TIMESTAMP). */
  async function epochTable(name: string): Promise<{ rows: unknown[][]; types: string[] }> {
    await execute(
      alice.conn,
      `CREATE TABLE ${name} (A TIMESTAMP_TZ, B TIMESTAMP_LTZ, C TIMESTAMP_NTZ, D TIMESTAMP, N INT)`,
    );
    await execute(
      alice.conn,
      `INSERT INTO ${name} VALUES ('1700000000', '1700000000000', '1700000000', '1700000000000000', 1)`,
    );
    await execute(alice.conn, `INSERT INTO ${name} SELECT X, X, X, X, 2 FROM (SELECT '1700000000' AS X)`);
    await execute(alice.conn, `INSERT INTO ${name} VALUES (?, ?, ?, ?, 3)`, [
      '1700000000',
      '1700000000',
      '1700000000',
      '-1',
    ]);
    const { rows, statement } = await execute(alice.conn, `SELECT A, B, C, D FROM ${name} ORDER BY N`);
    return {
      rows: rows.map((r) => Object.values(r).map((v) => JSON.parse(JSON.stringify(v)) as unknown)),
      types: (statement.getColumns() ?? []).map((c) => c.getType()),
    };
  }

  it('stores integer text written into timestamp columns as its instant since the epoch', async function () {
    const utc = ['2023-11-14 22:13:20.000 +0000', '2023-11-14 22:13:20.000 +0000', '2023-11-14 22:13:20.000'];
    expect(await epochTable('EPOCHS_UTC')).to.deep.equal({
      rows: [
        [...utc, '2023-11-14 22:13:20.000'],
        [...utc, '2023-11-14 22:13:20.000'],
        [...utc, '1969-12-31 23:59:59.000'],
      ],
      types: ['timestamp_tz', 'timestamp_ltz', 'timestamp_ntz', 'timestamp_ntz'],
    });
    await execute(alice.conn, LOS_ANGELES);
    const local = [
      '2023-11-14 22:13:20.000 +0000',
      '2023-11-14 14:13:20.000 -0800',
      '2023-11-14 22:13:20.000',
    ];
    expect(await epochTable('EPOCHS_LOCAL')).to.deep.equal({
      rows: [
        [...local, '2023-11-14 22:13:20.000'],
        [...local, '2023-11-14 22:13:20.000'],
        [...local, '1969-12-31 23:59:59.000'],
      ],
      types: ['timestamp_tz', 'timestamp_ltz', 'timestamp_ntz', 'timestamp_ntz'],
    });
  });
  const TEXT_COLUMN_CALLS = `SELECT TO_TIMESTAMP(X) AS A, X::TIMESTAMP_NTZ AS B, TO_TIMESTAMP_LTZ(X) AS C,
    TO_TIMESTAMP(Y) AS D, Y::TIMESTAMP_NTZ AS E, TO_TIMESTAMP_LTZ(Y) AS F, ?::TIMESTAMP_NTZ AS G,
    ?::TIMESTAMP_NTZ AS H FROM (SELECT '1700000000' AS X, '2024-01-01 10:00:00' AS Y)`;
  const TEXT_COLUMN_BINDS = ['1700000000', '2024-01-01 10:00:00'];
  const TEXT_COLUMN_TYPES = [
    'timestamp_ntz',
    'timestamp_ntz',
    'timestamp_ltz',
    'timestamp_ntz',
    'timestamp_ntz',
    'timestamp_ltz',
    'timestamp_ntz',
    'timestamp_ntz',
  ];

  it('reads integer text in a column or a cast bind as a count since the epoch, timestamp text as before', async function () {
    const shownWith = async (): Promise<{ row: unknown[]; types: string[] }> => {
      const { rows, statement } = await execute(alice.conn, TEXT_COLUMN_CALLS, TEXT_COLUMN_BINDS);
      return {
        row: Object.values(rows[0] ?? {}).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
        types: (statement.getColumns() ?? []).map((c) => c.getType()),
      };
    };
    const ntz = '2023-11-14 22:13:20.000';
    const wall = '2024-01-01 10:00:00.000';
    expect(await shownWith()).to.deep.equal({
      row: [
        ntz,
        ntz,
        '2023-11-14 22:13:20.000 +0000',
        wall,
        wall,
        '2024-01-01 10:00:00.000 +0000',
        ntz,
        wall,
      ],
      types: TEXT_COLUMN_TYPES,
    });
    await execute(alice.conn, LOS_ANGELES);
    expect(await shownWith()).to.deep.equal({
      row: [
        ntz,
        ntz,
        '2023-11-14 14:13:20.000 -0800',
        wall,
        wall,
        '2024-01-01 10:00:00.000 -0800',
        ntz,
        wall,
      ],
      types: TEXT_COLUMN_TYPES,
    });
  });
  it('keeps the offset a TZH:TZM format reads into TIMESTAMP_TZ, in a UTC and a non-UTC session', async function () {
    const sql = `SELECT TO_TIMESTAMP_TZ('2024-01-01 10:00 +02:00', 'YYYY-MM-DD HH24:MI TZH:TZM') AS A,
      TRY_TO_TIMESTAMP_TZ(X, 'YYYY-MM-DD HH24:MI TZH:TZM') AS B, TRY_TO_TIMESTAMP_TZ('soon', 'YYYY-MM-DD TZH:TZM') AS C,
      TO_TIMESTAMP_LTZ(X, 'YYYY-MM-DD HH24:MI TZH:TZM') AS D FROM (SELECT '2024-07-01 10:00 +05:30' AS X)`;
    const types = ['timestamp_tz', 'timestamp_tz', 'timestamp_tz', 'timestamp_ltz'];
    const kept = ['2024-01-01 10:00:00.000 +0200', '2024-07-01 10:00:00.000 +0530', null];
    expect(await shown(sql)).to.deep.equal({ row: [...kept, '2024-07-01 04:30:00.000 +0000'], types });
    await execute(alice.conn, LOS_ANGELES);
    expect(await shown(sql)).to.deep.equal({ row: [...kept, '2024-06-30 21:30:00.000 -0700'], types });
  });
  it('fails with 100096 naming the text and the format where text does not match a format', async function () {
    const mismatches = async (): Promise<unknown[]> =>
      Promise.all(
        [
          "SELECT TO_TIMESTAMP('2024/01/01', 'YYYY-MM-DD')",
          "SELECT TO_TIMESTAMP_LTZ(X, 'YYYY-MM-DD HH24:MI') FROM (SELECT '2024-01-01' AS X)",
          "SELECT TO_TIMESTAMP_TZ(X, 'YYYY-MM-DD HH24:MI TZH:TZM') FROM (SELECT 'soon' AS X)",
          "SELECT TO_DATE(X, 'DD.MM.YYYY') FROM (SELECT '2024-01-31' AS X)",
        ].map((sql) => failureOf(alice.conn, sql)),
      );
    const expected = [
      { code: '100096', message: "Can't parse '2024/01/01' as timestamp with format 'YYYY-MM-DD'" },
      { code: '100096', message: "Can't parse '2024-01-01' as timestamp with format 'YYYY-MM-DD HH24:MI'" },
      { code: '100096', message: "Can't parse 'soon' as timestamp with format 'YYYY-MM-DD HH24:MI TZH:TZM'" },
      { code: '100096', message: "Can't parse '2024-01-31' as date with format 'DD.MM.YYYY'" },
    ];
    const matching = `SELECT TO_TIMESTAMP(X, 'YYYY/MM/DD') AS A, TO_DATE(X, 'YYYY/MM/DD') AS B,
      TO_TIMESTAMP(NULL, 'YYYY/MM/DD') AS C, TRY_TO_TIMESTAMP(X, 'DD.MM.YYYY') AS D FROM (SELECT '2024/01/31' AS X)`;
    const parsed = {
      row: ['2024-01-31 00:00:00.000', '2024-01-31', null, null],
      types: ['timestamp_ntz', 'date', 'timestamp_ntz', 'timestamp_ntz'],
    };
    expect(await mismatches()).to.deep.equal(expected);
    expect(await shown(matching)).to.deep.equal(parsed);
    await execute(alice.conn, LOS_ANGELES);
    expect(await mismatches()).to.deep.equal(expected);
    expect(await shown(matching)).to.deep.equal(parsed);
  });
});
