/**
 * Text written into TIMESTAMP_TZ, TIMESTAMP_LTZ and TIMESTAMP_NTZ columns by INSERT, UPDATE, MERGE
 * and text binds, read back through the real snowflake-sdk: TZ keeps the instant and the offset
 * written, LTZ the instant (shown in the session time zone), NTZ the wall time as written (the
 * offset ignored); text without an offset is in the session time zone; text that is no timestamp
 * fails with Snowflake's 100035 naming it. Casts and TO_TIMESTAMP_TZ/LTZ of text read it the same way.
 */
import { expect } from 'chai';
import type { Bind } from 'snowflake-sdk';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

const FORMS = [
  '2024-01-01 10:00:00 +02:00',
  '2024-01-01T10:00:00+02:00',
  '2024-01-01 10:00:00.123 -0530',
  '2024-01-01T10:00:00Z',
  '2024-01-01 10:00:00',
  'Thu, 21 Jan 2016 06:32:44 -0800',
];

describe('emulator timestamp writes from text', function () {
  const alice = useAliceConnection();
  let table = 0;

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE TS_WRITES_DB');
    await execute(alice.conn, 'USE SCHEMA TS_WRITES_DB.PUBLIC');
  });

  afterEach(async function () {
    await execute(alice.conn, 'ALTER SESSION UNSET TIMEZONE');
  });

  /** A new table (A TIMESTAMP_TZ, B TIMESTAMP_LTZ, C TIMESTAMP_NTZ, N INT); its name. */
  async function newTable(): Promise<string> {
    const name = `T${++table}`;
    await execute(
      alice.conn,
      `CREATE TABLE ${name} (A TIMESTAMP_TZ, B TIMESTAMP_LTZ, C TIMESTAMP_NTZ, N INT)`,
    );
    return name;
  }

  /** Rows of A, B, C ordered by N, as the driver shows them, and the columns' driver types. */
  async function readBack(name: string): Promise<{ rows: unknown[][]; types: string[] }> {
    const { rows, statement } = await execute(alice.conn, `SELECT A, B, C FROM ${name} ORDER BY N`);
    const shown = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
    return {
      rows: rows.map((r) => [shown(r.A), shown(r.B), shown(r.C)]),
      types: (statement.getColumns() ?? []).map((c) => c.getType()),
    };
  }

  const same = (text: string, n: number): string => `('${text}', '${text}', '${text}', ${n})`;

  it('stores the offset forms agents write as Snowflake does in a UTC session', async function () {
    const t = await newTable();
    await execute(alice.conn, `INSERT INTO ${t} VALUES ${FORMS.map((f, n) => same(f, n)).join(', ')}`);
    expect(await readBack(t)).to.deep.equal({
      rows: [
        ['2024-01-01 10:00:00.000 +0200', '2024-01-01 08:00:00.000 +0000', '2024-01-01 10:00:00.000'],
        ['2024-01-01 10:00:00.000 +0200', '2024-01-01 08:00:00.000 +0000', '2024-01-01 10:00:00.000'],
        ['2024-01-01 10:00:00.123 -0530', '2024-01-01 15:30:00.123 +0000', '2024-01-01 10:00:00.123'],
        ['2024-01-01 10:00:00.000 +0000', '2024-01-01 10:00:00.000 +0000', '2024-01-01 10:00:00.000'],
        ['2024-01-01 10:00:00.000 +0000', '2024-01-01 10:00:00.000 +0000', '2024-01-01 10:00:00.000'],
        ['2016-01-21 06:32:44.000 -0800', '2016-01-21 14:32:44.000 +0000', '2016-01-21 06:32:44.000'],
      ],
      types: ['timestamp_tz', 'timestamp_ltz', 'timestamp_ntz'],
    });
  });

  it('reads text without an offset in the session time zone, named columns in any order', async function () {
    const t = await newTable();
    await execute(alice.conn, "ALTER SESSION SET TIMEZONE = 'America/New_York'");
    await execute(
      alice.conn,
      `INSERT INTO ${t} (N, C, B, A) VALUES (1, '2024-01-01 10:00:00', '2024-01-01 10:00:00', '2024-01-01 10:00:00'),
        (2, '2024-07-01 10:00 +02:00', '2024-07-01 10:00 +02:00', '2024-07-01 10:00 +02:00')`,
    );
    expect((await readBack(t)).rows).to.deep.equal([
      ['2024-01-01 10:00:00.000 -0500', '2024-01-01 10:00:00.000 -0500', '2024-01-01 10:00:00.000'],
      ['2024-07-01 10:00:00.000 +0200', '2024-07-01 04:00:00.000 -0400', '2024-07-01 10:00:00.000'],
    ]);
  });

  /** The one row of `sql`, as the driver shows each column. */
  async function shownRow(sql: string): Promise<unknown[]> {
    const { rows } = await execute(alice.conn, sql);
    return Object.values(rows[0] ?? {}).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
  }

  const CASTS = `SELECT '2024-01-01 10:00'::TIMESTAMP_TZ AS A, CAST('2024-07-01 10:00:00' AS TIMESTAMP_TZ) AS B,
    TO_TIMESTAMP_TZ('2024-01-01 10:00:00.5') AS C, '2024-07-01 10:00'::TIMESTAMP_LTZ AS D,
    CAST('2024-01-01 10:00' AS TIMESTAMP_LTZ) AS E, TO_TIMESTAMP_LTZ('2024-07-01 10:00') AS F,
    '2024-01-01 10:00 +02:00'::TIMESTAMP_TZ AS G, TO_TIMESTAMP_LTZ('2024-07-01T10:00:00Z') AS H,
    '2024-07-01 10:00'::TIMESTAMP_NTZ AS I, CAST(X AS TIMESTAMP_TZ) AS J, TO_TIMESTAMP_LTZ(X) AS K
    FROM (SELECT '2024-01-01 10:00' AS X)`;

  it('casts and TO_TIMESTAMP_TZ/LTZ read text without an offset in the session zone, refuse other text', async function () {
    await execute(alice.conn, "ALTER SESSION SET TIMEZONE = 'America/New_York'");
    expect(await shownRow(CASTS)).to.deep.equal([
      '2024-01-01 10:00:00.000 -0500',
      '2024-07-01 10:00:00.000 -0400',
      '2024-01-01 10:00:00.500 -0500',
      '2024-07-01 10:00:00.000 -0400',
      '2024-01-01 10:00:00.000 -0500',
      '2024-07-01 10:00:00.000 -0400',
      '2024-01-01 10:00:00.000 +0200',
      '2024-07-01 06:00:00.000 -0400',
      '2024-07-01 10:00:00.000',
      '2024-01-01 10:00:00.000 -0500',
      '2024-01-01 10:00:00.000 -0500',
    ]);
    for (const sql of [
      "SELECT 'soon'::TIMESTAMP_TZ",
      "SELECT TO_TIMESTAMP_LTZ(X) FROM (SELECT 'soon' AS X)",
    ]) {
      const error = (await execute(alice.conn, sql).catch((e: unknown) => e)) as {
        code?: unknown;
        message?: string;
      };
      expect([error.code, error.message]).to.deep.equal(['100035', "Timestamp 'soon' is not recognized"]);
    }
  });

  it('casts and TO_TIMESTAMP_TZ/LTZ read text without an offset as UTC in a UTC session', async function () {
    expect(await shownRow(CASTS)).to.deep.equal([
      '2024-01-01 10:00:00.000 +0000',
      '2024-07-01 10:00:00.000 +0000',
      '2024-01-01 10:00:00.500 +0000',
      '2024-07-01 10:00:00.000 +0000',
      '2024-01-01 10:00:00.000 +0000',
      '2024-07-01 10:00:00.000 +0000',
      '2024-01-01 10:00:00.000 +0200',
      '2024-07-01 10:00:00.000 +0000',
      '2024-07-01 10:00:00.000',
      '2024-01-01 10:00:00.000 +0000',
      '2024-01-01 10:00:00.000 +0000',
    ]);
  });

  it('converts text in UPDATE SET of a table given an alias', async function () {
    const t = await newTable();
    await execute(alice.conn, `INSERT INTO ${t} (N) VALUES (1)`);
    await execute(
      alice.conn,
      `UPDATE ${t} x SET A = '2025-03-04 05:06:07 -01:00', B = '2025-03-04T05:06:07-01:00', C = '2025-03-04 05:06:07 -0100' WHERE x.N = 1`,
    );
    expect((await readBack(t)).rows).to.deep.equal([
      ['2025-03-04 05:06:07.000 -0100', '2025-03-04 06:06:07.000 +0000', '2025-03-04 05:06:07.000'],
    ]);
  });

  it('converts text in MERGE updates and inserts, with and without a column list', async function () {
    const t = await newTable();
    await execute(alice.conn, `INSERT INTO ${t} (N) VALUES (1)`);
    await execute(
      alice.conn,
      `MERGE INTO ${t} USING (SELECT 1 AS K UNION ALL SELECT 2) s ON ${t}.N = s.K
        WHEN MATCHED THEN UPDATE SET ${t}.A = '2026-01-01 01:00 +03:00', B = '2026-01-01 01:00 +03:00', C = '2026-01-01 01:00 +03:00'
        WHEN NOT MATCHED THEN INSERT (N, A, B, C) VALUES (s.K, '2026-02-02 02:00Z', '2026-02-02 02:00Z', '2026-02-02 02:00Z')`,
    );
    await execute(
      alice.conn,
      `MERGE INTO ${t} USING (SELECT 3 AS K) s ON ${t}.N = s.K
        WHEN NOT MATCHED THEN INSERT VALUES ('2027-01-01 01:00 -02:30', '2027-01-01 01:00 -02:30', '2027-01-01 01:00 -02:30', s.K)`,
    );
    expect((await readBack(t)).rows).to.deep.equal([
      ['2026-01-01 01:00:00.000 +0300', '2025-12-31 22:00:00.000 +0000', '2026-01-01 01:00:00.000'],
      ['2026-02-02 02:00:00.000 +0000', '2026-02-02 02:00:00.000 +0000', '2026-02-02 02:00:00.000'],
      ['2027-01-01 01:00:00.000 -0230', '2027-01-01 03:30:00.000 +0000', '2027-01-01 01:00:00.000'],
    ]);
  });

  it('converts the text columns of an INSERT … SELECT source, from literals, VALUES and a table', async function () {
    const t = await newTable();
    await execute(alice.conn, 'CREATE TABLE TS_TEXTS (S STRING, M INT)');
    await execute(alice.conn, "INSERT INTO TS_TEXTS VALUES ('2024-03-03 03:03 -03:00', 3)");
    await execute(alice.conn, `INSERT INTO ${t} SELECT ${same('2024-01-01 10:00 +02:00', 1).slice(1, -1)}`);
    await execute(
      alice.conn,
      `INSERT INTO ${t} SELECT *, 2 FROM VALUES ('2024-02-02T02:00Z', '2024-02-02T02:00Z', '2024-02-02T02:00Z')`,
    );
    await execute(alice.conn, `INSERT INTO ${t} (N, C, B, A) SELECT M, S, S, S FROM TS_TEXTS`);
    await execute(alice.conn, `INSERT INTO ${t} (A, N) SELECT '2024-05-05 05:05'::TIMESTAMP_TZ, 4`);
    expect((await readBack(t)).rows).to.deep.equal([
      ['2024-01-01 10:00:00.000 +0200', '2024-01-01 08:00:00.000 +0000', '2024-01-01 10:00:00.000'],
      ['2024-02-02 02:00:00.000 +0000', '2024-02-02 02:00:00.000 +0000', '2024-02-02 02:00:00.000'],
      ['2024-03-03 03:03:00.000 -0300', '2024-03-03 06:03:00.000 +0000', '2024-03-03 03:03:00.000'],
      ['2024-05-05 05:05:00.000 +0000', null, null],
    ]);
    const error = await execute(alice.conn, `INSERT INTO ${t} (A, N) SELECT 'junk', 5`).catch(
      (e: unknown) => e,
    );
    expect([(error as { code?: unknown }).code, (error as Error).message]).to.deep.equal([
      '100035',
      "Timestamp 'junk' is not recognized",
    ]);
  });

  it('converts the text columns of a MERGE source, a table or a query, qualified or not', async function () {
    const t = await newTable();
    await execute(alice.conn, 'CREATE TABLE TS_MERGE_SRC (V STRING, K INT)');
    await execute(
      alice.conn,
      "INSERT INTO TS_MERGE_SRC VALUES ('2024-02-02 02:00 -01:00', 1), ('2024-03-03 03:00Z', 2)",
    );
    await execute(
      alice.conn,
      `MERGE INTO ${t} USING (SELECT '2024-01-01 10:00 +02:00' AS V, 1 AS K) s ON ${t}.N = s.K
        WHEN NOT MATCHED THEN INSERT (A, B, C, N) VALUES (s.V, s.V, V, s.K)`,
    );
    await execute(
      alice.conn,
      `MERGE INTO ${t} tt USING TS_MERGE_SRC AS s ON tt.N = s.K
        WHEN MATCHED THEN UPDATE SET A = s.V, tt.B = s.V, C = s.V
        WHEN NOT MATCHED THEN INSERT VALUES (s.V, s.V, s.V, s.K)`,
    );
    expect((await readBack(t)).rows).to.deep.equal([
      ['2024-02-02 02:00:00.000 -0100', '2024-02-02 03:00:00.000 +0000', '2024-02-02 02:00:00.000'],
      ['2024-03-03 03:00:00.000 +0000', '2024-03-03 03:00:00.000 +0000', '2024-03-03 03:00:00.000'],
    ]);
    const error = await execute(
      alice.conn,
      `MERGE INTO ${t} USING (SELECT 'junk' AS V) s ON 1 = 0 WHEN NOT MATCHED THEN INSERT (A) VALUES (s.V)`,
    ).catch((e: unknown) => e);
    expect([(error as { code?: unknown }).code, (error as Error).message]).to.deep.equal([
      '100035',
      "Timestamp 'junk' is not recognized",
    ]);
  });

  it('converts text binds, one row and a batch of rows', async function () {
    const t = await newTable();
    const text = '2024-05-06 07:08:09 +04:00';
    await execute(alice.conn, `INSERT INTO ${t} VALUES (?, ?, ?, 1)`, [text, text, text]);
    await execute(alice.conn, `INSERT INTO ${t} (A, B, C, N) VALUES (?, ?, ?, ?)`, [
      ['2024-05-06T07:08:09Z', '2024-05-06T07:08:09Z', '2024-05-06T07:08:09Z', 2],
      ['2024-05-06 07:08:09.5 -0100', '2024-05-06 07:08:09.5 -0100', '2024-05-06 07:08:09.5 -0100', 3],
    ] as unknown as Bind[]);
    await execute(alice.conn, `UPDATE ${t} SET C = ? WHERE N = 1`, ['2024-12-24 18:00 +01:00']);
    expect((await readBack(t)).rows).to.deep.equal([
      ['2024-05-06 07:08:09.000 +0400', '2024-05-06 03:08:09.000 +0000', '2024-12-24 18:00:00.000'],
      ['2024-05-06 07:08:09.000 +0000', '2024-05-06 07:08:09.000 +0000', '2024-05-06 07:08:09.000'],
      ['2024-05-06 07:08:09.500 -0100', '2024-05-06 08:08:09.500 +0000', '2024-05-06 07:08:09.500'],
    ]);
  });

  it('refuses text that is no timestamp with 100035 naming it, and writes nothing', async function () {
    const t = await newTable();
    const failures: unknown[] = [];
    for (const sql of [
      `INSERT INTO ${t} (A, N) VALUES ('not a time', 1)`,
      `INSERT INTO ${t} (B, N) VALUES ('2024-13-01 10:00 +02:00', 1)`,
      `INSERT INTO ${t} VALUES (NULL, NULL, 'soon', 1)`,
    ]) {
      const error = await execute(alice.conn, sql).then(
        () => null,
        (e: unknown) => e as { code?: unknown; message?: string },
      );
      failures.push(error && [error.code, error.message]);
    }
    expect(failures).to.deep.equal([
      ['100035', "Timestamp 'not a time' is not recognized"],
      ['100035', "Timestamp '2024-13-01 10:00 +02:00' is not recognized"],
      ['100035', "Timestamp 'soon' is not recognized"],
    ]);
    expect((await readBack(t)).rows).to.deep.equal([]);
    await execute(alice.conn, `INSERT INTO ${t} (N) VALUES (1)`);
    const error = await execute(alice.conn, `UPDATE ${t} SET B = 'yesterday'`).catch((e: unknown) => e);
    expect((error as { code?: unknown; message?: string }).message).to.equal(
      "Timestamp 'yesterday' is not recognized",
    );
    expect((error as { code?: unknown }).code).to.equal('100035');
  });
});
