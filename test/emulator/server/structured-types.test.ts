/**
 * Structured types through the real snowflake-sdk: casts to OBJECT(…), ARRAY(…) and MAP(…), nested,
 * answered with the `fields` metadata the driver converts by (so it returns typed members, Maps
 * with typed keys, numbers as numbers), with dates and times inside written in the session's
 * output formats and time zone, while object constants and PARSE_JSON stay semi-structured.
 */
import { expect } from 'chai';
import type { Connection, RowStatement } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, rawLogin, rawQueryRequest, startTestEmulator } from './harness.js';

/** The session formats snowflake-sdk's own structured-type tests set. */
const LA_SESSION =
  "ALTER SESSION SET TIMEZONE = 'America/Los_Angeles', " +
  "TIMESTAMP_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM', " +
  "TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM', " +
  "TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM', " +
  "TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF3'";

/** Rows as plain JSON (the driver's dates become their formatted text, Maps their entries). */
function plain(rows: unknown): unknown {
  return JSON.parse(
    JSON.stringify(rows, (_k, v: unknown) => (v instanceof Map ? { map: [...v.entries()] } : v)),
  );
}

/** How the driver classifies each column: structured (object/array/map) or variant. */
function kindsOf(statement: RowStatement): string[] {
  return (statement.getColumns() ?? []).map((c) => {
    if (c.isObject()) return 'object';
    if (c.isArray()) return 'array';
    if (c.isMap()) return 'map';
    return c.isVariant() ? `variant:${c.getType()}` : c.getType();
  });
}

/** A rowtype entry as sent on the wire. */
interface WireColumn {
  name: string;
  type: string;
  precision: number | null;
  scale: number | null;
  fields?: WireColumn[];
}

/** The failure message of a statement ('no error' when it succeeds). */
async function failure(conn: Connection, sql: string): Promise<string> {
  return execute(conn, sql).then(
    () => 'no error',
    (e: Error) => e.message,
  );
}

describe('emulator: structured types', function () {
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    await execute(conn, LA_SESSION);
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  it('converts every member of an OBJECT cast of an object constant as snowflake-sdk reads it', async function () {
    const { rows, statement } = await execute(
      conn,
      `SELECT {'string': 'a', 'b': 1, 'i': '3', 'l': 4, 'f': 1.1, 'bool': true,
         'timestampltz': '2021-12-22 09:43:44'::TIMESTAMP_LTZ, 'timestampntz': '2021-12-23 09:44:44'::TIMESTAMP_NTZ,
         'timestamptz': '2021-12-24 09:45:45 -0800'::TIMESTAMP_TZ, 'date': '2023-12-24'::DATE,
         'time': '12:34:56'::TIME, 'binary': TO_BINARY('616263', 'HEX')}
       ::OBJECT(string VARCHAR, b TINYINT, i INTEGER, l BIGINT, f FLOAT, bool BOOLEAN,
         timestampltz TIMESTAMP_LTZ, timestampntz TIMESTAMP_NTZ, timestamptz TIMESTAMP_TZ, date DATE,
         time TIME, binary BINARY) AS RESULT`,
    );
    expect(kindsOf(statement)).to.deep.equal(['object']);
    expect(plain(rows)).to.deep.equal([
      {
        RESULT: {
          string: 'a',
          b: 1,
          i: 3,
          l: 4,
          f: 1.1,
          bool: true,
          timestampltz: '2021-12-22 09:43:44.000 -0800',
          timestampntz: '2021-12-23 09:44:44.000',
          timestamptz: '2021-12-24 09:45:45.000 -0800',
          date: '2023-12-24',
          time: '12:34:56',
          binary: [97, 98, 99],
        },
      },
    ]);
  });

  it('reads ARRAY(…) and MAP(…) casts, nested, with typed elements, keys and values', async function () {
    const { rows, statement } = await execute(
      conn,
      `SELECT ARRAY_CONSTRUCT(1, 2, 3)::ARRAY(INTEGER) AS NUMS,
         ARRAY_CONSTRUCT('2021-12-22 09:43:44.123456')::ARRAY(TIMESTAMP_NTZ) AS STAMPS,
         {'1': '1', '2': '2'}::MAP(INTEGER, INTEGER) AS INTS,
         {'1': {'x': 'one'}, '2': {'x': 'two'}}::MAP(INTEGER, MAP(VARCHAR, VARCHAR)) AS MAPS,
         ARRAY_CONSTRUCT({'s': 'a', 'n': '1'}, {'s': 'b', 'n': '2'})::ARRAY(OBJECT(s VARCHAR, n INTEGER)) AS OBJS,
         {'x': ARRAY_CONSTRUCT('one', 'two')}::MAP(VARCHAR, ARRAY(VARCHAR)) AS LISTS`,
    );
    expect(kindsOf(statement)).to.deep.equal(['array', 'array', 'map', 'map', 'array', 'map']);
    const row = rows[0] ?? {};
    expect(row.INTS).to.deep.equal(
      new Map([
        [1, 1],
        [2, 2],
      ]),
    );
    expect(row.MAPS).to.deep.equal(
      new Map([
        [1, new Map([['x', 'one']])],
        [2, new Map([['x', 'two']])],
      ]),
    );
    expect(plain(row)).to.deep.include({
      NUMS: [1, 2, 3],
      // snowflake-sdk keeps whole seconds of timestamps inside structured values, as against Snowflake.
      STAMPS: ['2021-12-22 09:43:44.000'],
      OBJS: [
        { s: 'a', n: 1 },
        { s: 'b', n: 2 },
      ],
      LISTS: { map: [['x', ['one', 'two']]] },
    });
  });

  it('describes structured columns with their fields on the wire, and semi-structured ones without', async function () {
    const { token } = await rawLogin(emulator);
    const data = await wireQuery(
      emulator,
      token,
      `SELECT PARSE_JSON('{"a": 1.5, "t": "2024-01-02 03:04:05"}')::OBJECT(a NUMBER(10,2), t TIMESTAMP_NTZ, m MAP(VARCHAR, ARRAY(DOUBLE))) AS O,
         {'k': 1} AS SEMI, PARSE_JSON('[1]') AS V`,
    );
    const strip = (c: WireColumn): unknown => ({
      name: c.name,
      type: c.type,
      ...(c.type === 'fixed' ? { precision: c.precision, scale: c.scale } : {}),
      ...(c.fields ? { fields: c.fields.map(strip) } : {}),
    });
    expect(data.rowtype.map(strip)).to.deep.equal([
      {
        name: 'O',
        type: 'object',
        fields: [
          { name: 'a', type: 'fixed', precision: 10, scale: 2 },
          { name: 't', type: 'timestamp_ntz' },
          {
            name: 'm',
            type: 'map',
            fields: [
              { name: 'key', type: 'text' },
              { name: 'value', type: 'array', fields: [{ name: '', type: 'real' }] },
            ],
          },
        ],
      },
      { name: 'SEMI', type: 'object' },
      { name: 'V', type: 'variant' },
    ]);
    // Members in declared order, a missing one as null, times in the session's formats.
    expect(data.rowset?.[0]?.[0]).to.equal('{"a":1.50,"t":"2024-01-02 03:04:05.000","m":null}');
  });

  it("writes dates and times inside structured values in the session's formats and time zone", async function () {
    const { token } = await rawLogin(emulator);
    await wireQuery(
      emulator,
      token,
      "ALTER SESSION SET TIMEZONE = 'Asia/Kolkata', TIMESTAMP_LTZ_OUTPUT_FORMAT = 'DD.MM.YYYY HH24:MI:SS.FF6 TZH:TZM', " +
        "DATE_OUTPUT_FORMAT = 'DD/MM/YYYY', TIME_OUTPUT_FORMAT = 'HH24:MI', BINARY_OUTPUT_FORMAT = 'BASE64'",
    );
    const data = await wireQuery(
      emulator,
      token,
      `SELECT {'t': '2024-03-01 10:00:00.123456 +00:00'::TIMESTAMP_LTZ, 'd': '2024-03-01'::DATE,
         'h': '13:14:15'::TIME, 'b': TO_BINARY('CAFE', 'HEX')}::OBJECT(t TIMESTAMP_LTZ, d DATE, h TIME, b BINARY) AS O`,
    );
    expect(data.rowset?.[0]?.[0]).to.equal(
      '{"t":"01.03.2024 15:30:00.123456 +05:30","d":"01/03/2024","h":"13:14","b":"yv4="}',
    );
  });

  it('casts with CAST and TRY_CAST, keeps NULLs, and fails on a value of the wrong shape', async function () {
    const { rows, statement } = await execute(
      conn,
      `SELECT CAST(PARSE_JSON('{"a": 5}') AS OBJECT(a NUMBER(10,2))) AS C,
         TRY_CAST(PARSE_JSON('[1]') AS OBJECT(a INT)) AS T, NULL::ARRAY(INT) AS N,
         PARSE_JSON('{"a": 1}')::OBJECT(a INT)::OBJECT(a VARCHAR) AS AGAIN`,
    );
    expect(kindsOf(statement)).to.deep.equal(['object', 'object', 'array', 'object']);
    expect(rows).to.deep.equal([{ C: { a: 5 }, T: null, N: null, AGAIN: { a: '1' } }]);
    expect(await failure(conn, "SELECT PARSE_JSON('[1]')::OBJECT(a INT)")).to.equal(
      'Failed to cast variant value [1] to OBJECT',
    );
    expect(await failure(conn, 'SELECT PARSE_JSON(\'{"a": 1}\')::ARRAY(INT)')).to.equal(
      'Failed to cast variant value {"a":1} to ARRAY',
    );
    expect(await failure(conn, "SELECT {'a': 1}::MAP(OBJECT(a INT), INT)")).to.equal(
      'SQL compilation error:\nUnsupported MAP key type OBJECT(a NUMBER(38,0)): a MAP key is VARCHAR or NUMBER.',
    );
  });

  it('casts a structured value back to VARIANT, OBJECT and ARRAY as its plain JSON', async function () {
    const { rows, statement } = await execute(
      conn,
      `SELECT {'a': 1}::OBJECT(a INT)::VARIANT AS V, CAST({'a': 1}::OBJECT(a INT) AS OBJECT) AS O,
         ARRAY_CONSTRUCT(1, 2)::ARRAY(INT)::ARRAY AS A, TO_VARIANT({'a': 2}::OBJECT(a INT)) AS T,
         ARRAY_CONSTRUCT({'a': 3}::OBJECT(a INT)) AS AC, OBJECT_CONSTRUCT('k', [4]::ARRAY(INT)) AS OC,
         TO_JSON({'a': 5}::OBJECT(a INT)) AS J`,
    );
    // Snowflake types what CAST … AS OBJECT/ARRAY and the constructors build OBJECT and ARRAY.
    expect(kindsOf(statement)).to.deep.equal([
      'variant:variant',
      'variant:object',
      'variant:array',
      'variant:variant',
      'variant:array',
      'variant:object',
      'text',
    ]);
    expect(rows).to.deep.equal([
      { V: { a: 1 }, O: { a: 1 }, A: [1, 2], T: { a: 2 }, AC: [{ a: 3 }], OC: { k: [4] }, J: '{"a":5}' },
    ]);
  });

  it('keeps object constants, ARRAY_CONSTRUCT and PARSE_JSON semi-structured', async function () {
    const { rows, statement } = await execute(
      conn,
      `SELECT {'a': 1, 'b': 'x'} AS O, ARRAY_CONSTRUCT(1, 'two') AS A, PARSE_JSON('{"k": [1]}') AS V, [1, 2] L`,
    );
    expect(kindsOf(statement)).to.deep.equal([
      'variant:object',
      'variant:array',
      'variant:variant',
      'variant:array',
    ]);
    expect(rows).to.deep.equal([{ O: { a: 1, b: 'x' }, A: [1, 'two'], V: { k: [1] }, L: [1, 2] }]);
  });
});

async function wireQuery(
  emulator: RunningEmulator,
  token: string,
  sqlText: string,
): Promise<{ rowtype: WireColumn[]; rowset?: (string | null)[][] }> {
  const answer = await rawQueryRequest(emulator, token, { sqlText });
  expect(answer.json?.success, answer.text).to.equal(true);
  return answer.json?.data as { rowtype: WireColumn[]; rowset?: (string | null)[][] };
}
