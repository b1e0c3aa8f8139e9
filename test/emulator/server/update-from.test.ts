/**
 * UPDATE … SET c = s.v FROM src s WHERE … through the real snowflake-sdk: text columns of the FROM
 * list (and of the target itself) written into TIMESTAMP_TZ/LTZ/NTZ, DECFLOAT and VARIANT columns
 * convert as the plain UPDATE SET converts literals: TZ keeps the offset written, LTZ the instant,
 * NTZ the wall time, text without an offset is in the session time zone; typed values are left to
 * the casts; text that is no timestamp fails with 100035 naming it.
 */
import { expect } from 'chai';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator UPDATE … FROM conversions', function () {
  const alice = useAliceConnection();
  let table = 0;

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE UPD_DB');
    await execute(alice.conn, 'USE SCHEMA UPD_DB.PUBLIC');
    await execute(
      alice.conn,
      'CREATE TABLE SRC (ID INT, T STRING, DD STRING, J STRING, REAL_TS TIMESTAMP_NTZ)',
    );
    await execute(
      alice.conn,
      `INSERT INTO SRC VALUES
         (1, '2024-05-05 10:00:00 -05:00', '12345678901234567890.123', '{"k":[1,2]}', '2020-01-01 00:00:00'),
         (2, '2024-06-06 01:00:00', '3', '[1]', NULL)`,
    );
  });

  afterEach(async function () {
    await execute(alice.conn, 'ALTER SESSION UNSET TIMEZONE');
  });

  /** A new target table with rows 1 and 2; its name. */
  async function newTable(): Promise<string> {
    const name = `U${++table}`;
    await execute(
      alice.conn,
      `CREATE TABLE ${name} (ID INT, TS TIMESTAMP_TZ, LT TIMESTAMP_LTZ, NT TIMESTAMP_NTZ, D DECFLOAT, V VARIANT, TXT STRING)`,
    );
    await execute(
      alice.conn,
      `INSERT INTO ${name} (ID, TXT) VALUES (1, '2023-03-03 03:03:03 +03:00'), (2, 'bad')`,
    );
    return name;
  }

  /** Rows of `sql` as the driver shows them (JSON-shaped) and the driver's column types. */
  async function readBack(sql: string): Promise<{ rows: unknown[]; types: string[] }> {
    const { rows, statement } = await execute(alice.conn, sql);
    return {
      rows: JSON.parse(JSON.stringify(rows)) as unknown[],
      types: (statement.getColumns() ?? []).map((c) => c.getType()),
    };
  }

  it('converts text columns of the FROM list as a plain UPDATE SET converts literals', async function () {
    const t = await newTable();
    const { rows } = await execute(
      alice.conn,
      `UPDATE ${t} SET TS = s.T, LT = s.T, NT = s.T, D = s.DD, V = s.J FROM SRC s WHERE ${t}.ID = s.ID`,
    );
    expect(rows).to.deep.equal([{ 'number of rows updated': 2, 'number of multi-joined rows updated': 0 }]);
    expect(await readBack(`SELECT TS, LT, NT, D, V FROM ${t} ORDER BY ID`)).to.deep.equal({
      rows: [
        {
          TS: '2024-05-05 10:00:00.000 -0500',
          LT: '2024-05-05 15:00:00.000 +0000',
          NT: '2024-05-05 10:00:00.000',
          D: '12345678901234567890.123',
          V: { k: [1, 2] },
        },
        {
          TS: '2024-06-06 01:00:00.000 +0000',
          LT: '2024-06-06 01:00:00.000 +0000',
          NT: '2024-06-06 01:00:00.000',
          D: '3',
          V: [1],
        },
      ],
      types: ['timestamp_tz', 'timestamp_ltz', 'timestamp_ntz', 'decfloat', 'variant'],
    });
    // The same values written as literals by a plain UPDATE SET are stored the same.
    const plain = await newTable();
    await execute(
      alice.conn,
      `UPDATE ${plain} SET TS = '2024-05-05 10:00:00 -05:00', LT = '2024-05-05 10:00:00 -05:00',
         NT = '2024-05-05 10:00:00 -05:00', D = '12345678901234567890.123', V = '{"k":[1,2]}' WHERE ID = 1`,
    );
    const first = `SELECT TS, LT, NT, D, V FROM %s WHERE ID = 1`;
    expect(await readBack(first.replace('%s', plain))).to.deep.equal(await readBack(first.replace('%s', t)));
  });

  it('reads text without an offset in the session time zone, with aliases and expressions', async function () {
    const t = await newTable();
    await execute(alice.conn, "ALTER SESSION SET TIMEZONE = 'America/New_York'");
    await execute(
      alice.conn,
      `UPDATE ${t} AS x SET TS = y.T || '', LT = y.T FROM SRC AS y WHERE x.ID = y.ID AND y.ID = 2`,
    );
    expect(await readBack(`SELECT TS, LT FROM ${t} WHERE ID = 2`)).to.deep.equal({
      rows: [{ TS: '2024-06-06 01:00:00.000 -0400', LT: '2024-06-06 01:00:00.000 -0400' }],
      types: ['timestamp_tz', 'timestamp_ltz'],
    });
  });

  it('leaves typed source values to the casts, and reads text columns of the target itself', async function () {
    const t = await newTable();
    await execute(
      alice.conn,
      `UPDATE ${t} SET TS = s.REAL_TS, NT = s.REAL_TS FROM SRC s WHERE ${t}.ID = s.ID AND s.ID = 1`,
    );
    await execute(alice.conn, `UPDATE ${t} SET LT = TXT WHERE ID = 1`);
    expect(await readBack(`SELECT TS, NT, LT FROM ${t} WHERE ID = 1`)).to.deep.equal({
      rows: [
        {
          TS: '2020-01-01 00:00:00.000 +0000',
          NT: '2020-01-01 00:00:00.000',
          LT: '2023-03-03 00:03:03.000 +0000',
        },
      ],
      types: ['timestamp_tz', 'timestamp_ntz', 'timestamp_ltz'],
    });
  });

  it('fails with 100035 naming text that is no timestamp, and changes nothing', async function () {
    const t = await newTable();
    const err = await execute(alice.conn, `UPDATE ${t} SET TS = TXT`).then(
      () => null,
      (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message }),
    );
    expect(err).to.deep.equal({ code: '100035', message: "Timestamp 'bad' is not recognized" });
    expect((await readBack(`SELECT COUNT(TS) AS C FROM ${t}`)).rows).to.deep.equal([{ C: 0 }]);
  });
});
