/**
 * Binds through the real snowflake-sdk and as other drivers send them on the wire: batches (array
 * binds), typed binds converted as Snowflake converts them, and missing binds.
 */
import { expect } from 'chai';
import type { Bind, Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, rawLogin, rawQueryRequest, startTestEmulator } from './harness.js';
import { failure } from './sessions.js';

interface Answer {
  success: boolean;
  code?: string;
  message?: string;
  data?: {
    rowtype: { name: string; type: string }[];
    rowset: (string | null)[][];
  };
}

/** Rows of array binds, as snowflake-sdk takes them in `binds` (its types name single binds only). */
function batch(rows: unknown[][]): Bind[] {
  return rows as unknown as Bind[];
}

describe('emulator binds', function () {
  let emulator: RunningEmulator;
  let conn: Connection;
  let token: string;

  async function query(sqlText: string, bindings: Record<string, unknown>): Promise<Answer> {
    const answer = await rawQueryRequest(emulator, token, { sqlText, bindings });
    return answer.json as unknown as Answer;
  }

  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    await execute(conn, 'CREATE DATABASE BINDS_DB');
    ({ token } = await rawLogin(emulator, { query: { databaseName: 'BINDS_DB', schemaName: 'PUBLIC' } }));
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  it('announces an array binding threshold no batch reaches, so the driver never stages binds', async function () {
    const { parameters: params } = await rawLogin(emulator);
    const threshold = params.find((p) => p.name === 'CLIENT_STAGE_ARRAY_BINDING_THRESHOLD')?.value;
    expect(threshold)
      .to.be.a('number')
      .and.at.least(2 ** 31 - 1);
  });

  it('inserts a batch of rows from array binds, converting each value to its column type', async function () {
    await execute(
      conn,
      `CREATE OR REPLACE TABLE BATCH(S STRING, N NUMBER, D DATE, T TIME, NTZ TIMESTAMP_NTZ,
        TZ TIMESTAMP_TZ, BI BINARY(5), B BOOLEAN)`,
    );
    const rows: unknown[][] = [];
    for (let i = 0; i < 50; i++) {
      rows.push([
        `s${i}`,
        i,
        '2020-05-11',
        '12:35:41.3333333',
        new Date('2022-04-01T23:59:59Z'),
        '2022-07-08 12:05:30.250 -08:00',
        'ffff00',
        i % 2 === 0,
      ]);
    }
    const { statement } = await execute(
      conn,
      'INSERT INTO BATCH VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      batch(rows),
    );
    expect(statement.getNumUpdatedRows()).to.equal(50);
    const counts = await execute(
      conn,
      'SELECT COUNT(*) AS C, MIN(N) AS LO, MAX(N) AS HI, COUNT_IF(B) AS TRUES FROM BATCH',
    );
    expect(counts.rows).to.deep.equal([{ C: 50, LO: 0, HI: 49, TRUES: 25 }]);
    // Wire forms: days, seconds since midnight, epoch seconds (offset minutes + 1440), hex.
    const back = await query('SELECT D, T, NTZ, TZ, BI FROM BATCH WHERE N = 7', {});
    expect(back.data?.rowset).to.deep.equal([
      ['18393', '45341.333333000', '1648857599.000000000', '1657310730.250000000 960', 'FFFF00'],
    ]);
  });

  it('runs a batch as one statement: a row that fails leaves none inserted', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE ALL_OR_NONE(S STRING, N NUMBER)');
    const err = await failure(
      execute(
        conn,
        'INSERT INTO ALL_OR_NONE VALUES (?, ?)',
        batch([
          ['a', '1'],
          ['b', '2'],
          ['c', 'not a number'],
        ]),
      ),
    );
    expect(err.code).to.equal('100038');
    const { rows } = await execute(conn, 'SELECT COUNT(*) AS C FROM ALL_OR_NONE');
    expect(rows).to.deep.equal([{ C: 0 }]);
  });

  it('updates from a batch and counts the rows of every execution', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE UPD(K NUMBER, V STRING)');
    await execute(conn, "INSERT INTO UPD VALUES (1, 'a'), (2, 'b'), (2, 'c'), (3, 'd')");
    const { rows } = await execute(
      conn,
      'UPDATE UPD SET V = ? WHERE K = ?',
      batch([
        ['x', 1],
        ['y', 2],
      ]),
    );
    expect(rows).to.deep.equal([{ 'number of rows updated': 3, 'number of multi-joined rows updated': 0 }]);
  });

  it('keeps a DATE, TIME or TIMESTAMP_LTZ bind its type in DATEADD and TIMEADD, as Snowflake types them', async function () {
    const answer = await query(
      'SELECT DATEADD(day, 1, ?) AS D, DATEADD(hour, 1, ?) AS DH, TIMEADD(minute, 5, ?) AS T, DATEADD(day, 1, ?) AS TS, DATEADD(day, 1, ?) AS LTZ',
      {
        '1': { type: 'DATE', value: '1352592000000' },
        '2': { type: 'DATE', value: '1352592000000' },
        '3': { type: 'TIME', value: '45296789000000' },
        '4': { type: 'TEXT', value: '2012-11-11' },
        '5': { type: 'TIMESTAMP_LTZ', value: '1453357964000000000' },
      },
    );
    expect(answer.success, answer.message).to.equal(true);
    expect(answer.data?.rowtype.map((c) => c.type)).to.deep.equal([
      'date',
      'timestamp_ntz',
      'time',
      'timestamp_ntz',
      'timestamp_ltz',
    ]);
    const row = answer.data?.rowset[0] ?? [];
    expect(row[0]).to.equal('15656'); // 2012-11-12
    expect(row[1]).to.match(/^1352595600\.0+$/); // 2012-11-11 01:00:00
    expect(row[2]).to.match(/^45596\.789/); // 12:39:56.789
    expect(row[3]).to.match(/^1352678400\.0+$/); // 2012-11-12 00:00:00
    expect(row[4]).to.match(/^1453444364\.0+$/); // a day after 2016-01-21 06:32:44 UTC
  });

  it('refuses array binds for a query with 002040', async function () {
    const err = await failure(execute(conn, 'SELECT ? AS A', batch([[1], [2]])));
    expect(err.code).to.equal('002040');
  });

  it('converts typed binds as Snowflake does (epoch values, hex, offsets) with their own types', async function () {
    const answer = await query(
      'SELECT ? AS D, ? AS T, ? AS NTZ, ? AS LTZ, ? AS TZ, ? AS BI, ? AS B, ? AS R, ? AS F, ? AS S',
      {
        '1': { type: 'DATE', value: '1352592000000' },
        '2': { type: 'TIME', value: '45296789000000' },
        '3': { type: 'TIMESTAMP_NTZ', value: '1453357964123456000' },
        '4': { type: 'TIMESTAMP_LTZ', value: '1453357964000000000' },
        '5': { type: 'TIMESTAMP_TZ', value: '1453386764000000000 960' },
        '6': { type: 'BINARY', value: 'cafe' },
        '7': { type: 'BOOLEAN', value: 'true' },
        '8': { type: 'REAL', value: '1.5' },
        '9': { type: 'FIXED', value: '12345678901234' },
        '10': { type: 'TEXT', value: 'héllo' },
      },
    );
    expect(answer.success, answer.message).to.equal(true);
    expect(answer.data?.rowtype.map((c) => c.type)).to.deep.equal([
      'date',
      'time',
      'timestamp_ntz',
      'timestamp_ltz',
      'timestamp_tz',
      'binary',
      'boolean',
      'real',
      'fixed',
      'text',
    ]);
    const row = answer.data?.rowset[0] ?? [];
    expect(row[0]).to.equal('15655'); // 2012-11-11
    expect(row[1]).to.match(/^45296\.789/);
    expect(row[2]).to.match(/^1453357964\.123456/);
    expect(row[3]).to.match(/^1453357964\.0/);
    // Wall 2016-01-21 06:32:44 at -08:00: UTC instant 14:32:44, offset -480 minutes (+1440).
    expect(row[4]).to.match(/^1453386764\.0+ 960$/);
    expect(row[5]).to.equal('CAFE');
    expect(row[6]).to.equal('1');
    expect(row[7]).to.equal('1.5');
    expect(row[8]).to.equal('12345678901234');
    expect(row[9]).to.equal('héllo');
  });

  it('names the typed bind that is not of its type', async function () {
    const date = await query('SELECT ? AS D', { '1': { type: 'DATE', value: 'soon' } });
    expect([date.code, date.message]).to.deep.equal(['100040', "Date 'soon' is not recognized"]);
    const bin = await query('SELECT ? AS B', { '1': { type: 'BINARY', value: 'xyz' } });
    expect(bin.code).to.equal('100115');
    expect(bin.message).to.include("'xyz'");
  });

  it('answers 002049 for a placeholder without a bind, naming it and where it is', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE MISSING(S STRING, N NUMBER)');
    const none = await failure(execute(conn, 'INSERT INTO MISSING VALUES (?, ?)'));
    expect([none.code, none.message]).to.deep.equal([
      '002049',
      'SQL compilation error: error line 1 at position 28\nBind variable ? not set.',
    ]);
    const numbered = await failure(execute(conn, 'INSERT INTO MISSING VALUES (:1, :2)', ['only one']));
    expect([numbered.code, numbered.message]).to.deep.equal([
      '002049',
      'SQL compilation error: error line 1 at position 32\nBind variable :2 not set.',
    ]);
  });

  it('takes the binds a statement uses: extra binds ignored, ? and :n mixed, :n alone', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE USED(S STRING, N NUMBER)');
    await execute(conn, 'INSERT INTO USED VALUES (?, ?)', ['extra', 1, 99]);
    await execute(conn, 'INSERT INTO USED VALUES (?, :2)', ['mixed', 2]);
    await execute(conn, "INSERT INTO USED VALUES ('alone', :2)", ['ignored', 3]);
    const { rows } = await execute(conn, 'SELECT S, N FROM USED ORDER BY N');
    expect(rows).to.deep.equal([
      { S: 'extra', N: 1 },
      { S: 'mixed', N: 2 },
      { S: 'alone', N: 3 },
    ]);
  });

  it('does not take the value after an object constant key for a numbered bind', async function () {
    const err = await failure(execute(conn, "SELECT {'k': 1} AS O"));
    expect(err.code).to.not.equal('002049');
  });

  it('reads RFC 2822 timestamp text bound into timestamp columns, as Snowflake does', async function () {
    await execute(
      conn,
      'CREATE OR REPLACE TABLE MAIL_TIMES(NTZ TIMESTAMP_NTZ, LTZ TIMESTAMP_LTZ, TZ TIMESTAMP_TZ, D DATE)',
    );
    const text = 'Thu, 21 Jan 2016 06:32:44 -0800';
    await execute(conn, 'INSERT INTO MAIL_TIMES VALUES (?, ?, ?, ?)', [text, text, text, text]);
    const back = await query('SELECT NTZ, LTZ, TZ, D FROM MAIL_TIMES', {});
    // NTZ keeps the wall time, LTZ the instant (14:32:44 UTC), TZ both (offset -480 + 1440).
    expect(back.data?.rowset).to.deep.equal([
      ['1453357964.000000000', '1453386764.000000000', '1453386764.000000000 960', '16821'],
    ]);
  });

  it('reads RFC 2822 timestamp literals in TO_TIMESTAMP_* and casts', async function () {
    const text = "'Thu, 21 Jan 2016 06:32:44 -0800'";
    const back = await query(
      `SELECT TO_TIMESTAMP_NTZ(${text}), TO_TIMESTAMP_LTZ(${text}), TO_TIMESTAMP_TZ(${text}), ${text}::DATE`,
      {},
    );
    expect(back.success, back.message).to.equal(true);
    expect(back.data?.rowset).to.deep.equal([
      ['1453357964.000000000', '1453386764.000000000', '1453386764.000000000 960', '16821'],
    ]);
  });

  it('refuses array binds of different lengths, or mixed with single binds, naming why', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE RAGGED(S STRING, N NUMBER)');
    const ragged = await query('INSERT INTO RAGGED VALUES (?, ?)', {
      '1': { type: 'TEXT', value: ['a', 'b'] },
      '2': { type: 'FIXED', value: ['1'] },
    });
    expect([ragged.code, ragged.message]).to.deep.equal([
      '002049',
      'SQL compilation error:\nArray bind lengths differ: 2 and 1 rows.',
    ]);
    const mixed = await query('INSERT INTO RAGGED VALUES (?, ?)', {
      '1': { type: 'TEXT', value: ['a', 'b'] },
      '2': { type: 'FIXED', value: '1' },
    });
    expect(mixed.code).to.equal('002049');
    expect(mixed.message).to.include('cannot be mixed');
  });
});
