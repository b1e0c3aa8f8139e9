/**
 * Snowflake's date and time functions through the real snowflake-sdk: the result types the driver
 * sees (column metadata) and the values, with string literals and typed binds cast as Snowflake
 * casts them.
 */
import { expect } from 'chai';
import { execute, type Executed } from './driver.js';
import { useAliceConnection } from './alice.js';
import { rawLogin, rawQueryRequest } from './harness.js';

describe('emulator date functions: result types', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE DATE_TYPES_DB');
    await execute(alice.conn, 'USE SCHEMA DATE_TYPES_DB.PUBLIC');
  });

  /** Each column of the first row: [value as the driver's JSON shows it, driver type]. */
  async function typed(sql: string): Promise<[unknown, string][]> {
    const { rows, statement } = await execute(alice.conn, sql);
    // The driver's date and time values print in Snowflake's output format through toJSON.
    const shown = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
    return (statement.getColumns() ?? []).map((c) => [shown(rows[0]?.[c.getName()]), c.getType()]);
  }

  it('keeps a DATE a DATE under DATE + n and DATEADD with a date part', async function () {
    expect(
      await typed(
        "SELECT '2024-01-31'::DATE + 1 AS A, DATEADD(day, 1, '2024-01-31'::DATE) AS B, DATEADD(month, 1, '2024-01-31'::DATE) AS C, DATEADD(year, 1, '2024-02-29'::DATE) AS D, DATEADD(quarter, 1, '2024-01-31'::DATE) AS E, DATEADD(week, -1, '2024-01-31'::DATE) AS F, TIMESTAMPADD(dd, 2, '2024-01-31'::DATE) AS G",
      ),
    ).to.deep.equal([
      ['2024-02-01', 'date'],
      ['2024-02-01', 'date'],
      ['2024-02-29', 'date'],
      ['2025-02-28', 'date'],
      ['2024-04-30', 'date'],
      ['2024-01-24', 'date'],
      ['2024-02-02', 'date'],
    ]);
  });

  it('turns a DATE into a TIMESTAMP_NTZ when DATEADD adds a time part', async function () {
    expect(
      await typed(
        "SELECT DATEADD(hour, 1, '2024-01-31'::DATE) AS A, DATEADD(minute, 90, '2024-01-31'::DATE) AS B",
      ),
    ).to.deep.equal([
      ['2024-01-31 01:00:00.000', 'timestamp_ntz'],
      ['2024-01-31 01:30:00.000', 'timestamp_ntz'],
    ]);
  });

  it('keeps TIMESTAMP_NTZ, TIMESTAMP_LTZ, TIMESTAMP_TZ (with its offset) and TIME under DATEADD', async function () {
    expect(
      await typed(
        "SELECT DATEADD(day, 1, '2024-01-31 10:00:00'::TIMESTAMP_NTZ) AS A, DATEADD(month, 1, '2024-01-31'::TIMESTAMP_LTZ) AS B, DATEADD(day, 1, '2024-01-31 10:00 +02:00'::TIMESTAMP_TZ) AS C, DATEADD(hour, 1, '10:00:00'::TIME) AS D",
      ),
    ).to.deep.equal([
      ['2024-02-01 10:00:00.000', 'timestamp_ntz'],
      ['2024-02-29 00:00:00.000 +0000', 'timestamp_ltz'],
      ['2024-02-01 10:00:00.000 +0200', 'timestamp_tz'],
      ['11:00:00', 'time'],
    ]);
  });

  it('keeps a TIMESTAMP_TZ bind (as drivers send a time with its zone) a TIMESTAMP_TZ under DATEADD', async function () {
    // snowflake-sdk binds no TIMESTAMP_TZ, so the statement goes as the Python connector sends it;
    // the driver then reads its result by query id.
    const { token } = await rawLogin(alice.emulator);
    const answer = await rawQueryRequest(alice.emulator, token, {
      sqlText: 'SELECT DATEADD(day, 1, ?) AS A, DATEADD(hour, 2, ?) AS B, DATEADD(day, 1, ?) AS C',
      bindings: {
        // 2024-01-02 03:04:05.123456 UTC at +02:00 (offset 120 + 1440).
        '1': { type: 'TIMESTAMP_TZ', value: '1704164645123456000 1560' },
        '2': { type: 'TIMESTAMP_TZ', value: '2024-01-02 03:04:05.123 -05:00' },
        '3': { type: 'TIMESTAMP_NTZ', value: '1704164645123456000' },
      },
    });
    expect(answer.json?.success, answer.text).to.equal(true);
    const queryId = (answer.json?.data as { queryId: string }).queryId;
    const { rows, statement } = await new Promise<Executed>((resolve, reject) => {
      void alice.conn.getResultsFromQueryId({
        queryId,
        complete: (err, stmt, result) =>
          err ? reject(err) : resolve({ rows: (result ?? []) as Record<string, unknown>[], statement: stmt }),
      });
    });
    const shown = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
    expect(
      (statement.getColumns() ?? []).map((c) => [shown(rows[0]?.[c.getName()]), c.getType()]),
    ).to.deep.equal([
      ['2024-01-03 05:04:05.123 +0200', 'timestamp_tz'],
      ['2024-01-02 05:04:05.123 -0500', 'timestamp_tz'],
      ['2024-01-03 03:04:05.123', 'timestamp_ntz'],
    ]);
  });

  it('casts string literals as Snowflake does: DATEADD and DATE_TRUNC give TIMESTAMP_NTZ', async function () {
    expect(
      await typed(
        "SELECT DATEADD(day, 1, '2024-01-31') AS A, DATEADD(day, 1, '2024-01-31 10:00:00') AS B, DATE_TRUNC(day, '2024-01-31 10:11:12') AS C",
      ),
    ).to.deep.equal([
      ['2024-02-01 00:00:00.000', 'timestamp_ntz'],
      ['2024-02-01 10:00:00.000', 'timestamp_ntz'],
      ['2024-01-31 00:00:00.000', 'timestamp_ntz'],
    ]);
  });

  it('truncates a DATE to a DATE, a TIMESTAMP to a TIMESTAMP and a TIME to a TIME', async function () {
    expect(
      await typed(
        "SELECT DATE_TRUNC(month, '2024-01-31'::DATE) AS A, DATE_TRUNC('week', '2024-01-31'::DATE) AS B, DATE_TRUNC('month', '2024-01-31 10:11:12'::TIMESTAMP) AS C, DATE_TRUNC(hour, '10:11:12'::TIME) AS D",
      ),
    ).to.deep.equal([
      ['2024-01-01', 'date'],
      ['2024-01-29', 'date'],
      ['2024-01-01 00:00:00.000', 'timestamp_ntz'],
      ['10:00:00', 'time'],
    ]);
  });

  it('truncates a TIMESTAMP_TZ in its own offset and keeps the offset, as Snowflake does', async function () {
    expect(
      await typed(
        `SELECT DATE_TRUNC(day, '2024-01-31 01:00 +02:00'::TIMESTAMP_TZ) AS A,
           DATE_TRUNC(month, '2024-01-31 22:00 -05:00'::TIMESTAMP_TZ) AS B,
           DATE_TRUNC(hour, '2024-01-31 10:45:30 +05:30'::TIMESTAMP_TZ) AS C`,
      ),
    ).to.deep.equal([
      ['2024-01-31 00:00:00.000 +0200', 'timestamp_tz'],
      ['2024-01-01 00:00:00.000 -0500', 'timestamp_tz'],
      ['2024-01-31 10:00:00.000 +0530', 'timestamp_tz'],
    ]);
  });

  it('counts DATEDIFF/TIMESTAMPDIFF boundaries as integers, string literals included', async function () {
    const { statement, rows } = await execute(
      alice.conn,
      "SELECT DATEDIFF(day, '2024-01-01', '2024-01-31') AS A, DATEDIFF(month, '2024-01-31'::DATE, '2024-02-01'::DATE) AS B, DATEDIFF(hour, '2024-01-01 10:59'::TIMESTAMP, '2024-01-01 11:00'::TIMESTAMP) AS C, TIMESTAMPDIFF(day, '2024-01-01', '2024-01-31') AS D, DATEDIFF(second, '10:00:00'::TIME, '11:00:00'::TIME) AS E",
    );
    const cols = statement.getColumns() ?? [];
    expect(cols.map((c) => [c.getType(), c.getScale()])).to.deep.equal(Array(5).fill(['fixed', 0]));
    expect(rows[0]).to.deep.equal({ A: 30, B: 1, C: 1, D: 30, E: 3600 });
  });

  it('answers LAST_DAY as a DATE for months, quarters, years and weeks', async function () {
    expect(
      await typed(
        "SELECT LAST_DAY('2024-02-10'::DATE) AS A, LAST_DAY('2024-02-10') AS B, LAST_DAY('2024-02-10 10:00'::TIMESTAMP, quarter) AS C, LAST_DAY('2024-02-10'::DATE, year) AS D, LAST_DAY('2024-01-31'::DATE, week) AS E",
      ),
    ).to.deep.equal([
      ['2024-02-29', 'date'],
      ['2024-02-29', 'date'],
      ['2024-03-31', 'date'],
      ['2024-12-31', 'date'],
      ['2024-02-04', 'date'],
    ]);
  });

  it('keeps the end of a month at the end of a month under ADD_MONTHS, and the input type', async function () {
    expect(
      await typed(
        "SELECT ADD_MONTHS('2024-01-31'::DATE, 1) AS A, ADD_MONTHS('2024-02-29'::DATE, 1) AS B, ADD_MONTHS('2024-01-15', -2) AS C, ADD_MONTHS('2024-02-29 10:30:00'::TIMESTAMP, 1) AS D",
      ),
    ).to.deep.equal([
      ['2024-02-29', 'date'],
      ['2024-03-31', 'date'],
      ['2023-11-15', 'date'],
      ['2024-03-31 10:30:00.000', 'timestamp_ntz'],
    ]);
  });

  it('applies the same types to table columns (DATE, TIMESTAMP_NTZ, VARCHAR) and to binds', async function () {
    await execute(alice.conn, 'CREATE TABLE T (D DATE, TS TIMESTAMP_NTZ, S VARCHAR)');
    await execute(alice.conn, "INSERT INTO T VALUES ('2024-01-31', '2024-01-31 10:00', '2024-01-15')");
    expect(
      await typed(
        'SELECT DATEADD(month, 1, D) AS A, DATEADD(day, 1, TS) AS B, DATEADD(day, 1, S) AS C, DATE_TRUNC(month, D) AS E, DATEDIFF(day, S, D) AS F, LAST_DAY(S) AS G, ADD_MONTHS(D, 1) AS H FROM T',
      ),
    ).to.deep.equal([
      ['2024-02-29', 'date'],
      ['2024-02-01 10:00:00.000', 'timestamp_ntz'],
      ['2024-01-16 00:00:00.000', 'timestamp_ntz'],
      ['2024-01-01', 'date'],
      [16, 'fixed'],
      ['2024-01-31', 'date'],
      ['2024-02-29', 'date'],
    ]);
    const { rows } = await execute(alice.conn, 'SELECT DATEDIFF(day, ?, ?) AS A, LAST_DAY(:3) AS B', [
      '2024-01-01',
      '2024-01-31',
      '2024-02-10',
    ]);
    expect(JSON.parse(JSON.stringify(rows))).to.deep.equal([{ A: 30, B: '2024-02-29' }]);
  });

  it('adds a number with a fraction to a DATE as whole days, rounded, and keeps a DATE', async function () {
    expect(
      await typed(
        "SELECT '2024-01-31'::DATE + 1.5 AS A, '2024-01-31'::DATE - 1.5 AS B, CAST('2024-01-31' AS DATE) + 0.4 AS C, DATE '2024-01-31' + 2.5 AS D, TO_DATE('2024-01-31') - 0.5 AS E, 1 + 1.5 AS F",
      ),
    ).to.deep.equal([
      ['2024-02-02', 'date'],
      ['2024-01-29', 'date'],
      ['2024-01-31', 'date'],
      ['2024-02-03', 'date'],
      ['2024-01-30', 'date'],
      [2.5, 'fixed'],
    ]);
  });

  it('adds a number with a fraction to a DATE column as whole days, rounded, and keeps a DATE', async function () {
    await execute(alice.conn, 'CREATE OR REPLACE TABLE DAYS (ID INT, D DATE, N NUMBER(10,2), "due" DATE)');
    await execute(alice.conn, "INSERT INTO DAYS VALUES (1, '2024-01-31', 2.25, '2024-03-01')");
    expect(
      await typed(
        `SELECT D + 1.5 AS A, D - 1.5 AS B, D + 0.4 AS C, DAYS.D + 2.5 AS E, "due" - 0.5 AS G,
           D + 1.49999999999999999999 AS H, N + 1.5 AS F FROM DAYS`,
      ),
    ).to.deep.equal([
      ['2024-02-02', 'date'],
      ['2024-01-29', 'date'],
      ['2024-01-31', 'date'],
      ['2024-02-03', 'date'],
      ['2024-02-29', 'date'],
      ['2024-02-01', 'date'],
      [3.75, 'fixed'],
    ]);
    // Through aliases, joins, subqueries, CTEs, WHERE and UPDATE too.
    expect(
      await typed(
        `WITH C AS (SELECT D FROM DAYS) SELECT X.D + 1.5 AS A, (SELECT D + 1.5 FROM C) AS B, Y.D - 2.5 AS C
           FROM (SELECT D FROM DAYS) X JOIN DAYS AS Y ON Y.D + 0.5 = '2024-02-01'::DATE`,
      ),
    ).to.deep.equal([
      ['2024-02-02', 'date'],
      ['2024-02-02', 'date'],
      ['2024-01-28', 'date'],
    ]);
    // A column of that name in another table stays a number there.
    await execute(alice.conn, 'CREATE OR REPLACE TABLE AMOUNTS (ID INT, D NUMBER(10,2))');
    await execute(alice.conn, 'INSERT INTO AMOUNTS VALUES (1, 2.25)');
    expect(
      await typed('SELECT M.D + 1.5 AS A, DAYS.D + 1.5 AS B FROM DAYS JOIN AMOUNTS M ON M.ID = DAYS.ID'),
    ).to.deep.equal([
      [3.75, 'fixed'],
      ['2024-02-02', 'date'],
    ]);
    await execute(alice.conn, 'UPDATE DAYS SET D = D + 1.5');
    expect(await typed('SELECT D FROM DAYS')).to.deep.equal([['2024-02-02', 'date']]);
    await execute(alice.conn, "CREATE TEMPORARY TABLE TEMP_DAYS AS SELECT '2024-01-31'::DATE AS T");
    expect(await typed('SELECT T + 1.5 AS A FROM TEMP_DAYS')).to.deep.equal([['2024-02-02', 'date']]);
  });
});
