/**
 * Arrow results, proven with apache-arrow: a client that asks for Arrow (the Python connector's
 * PYTHON_CONNECTOR_QUERY_RESULT_FORMAT, at login, by ALTER SESSION or on the statement) gets
 * `queryResultFormat: "arrow"`, the first rows as an IPC stream in `rowsetBase64` and the rest in
 * Arrow chunks, with Snowflake's field metadata; every Snowflake type decodes to the value the JSON
 * rowset carries. snowflake-sdk keeps getting JSON, and so do DML answers.
 */
import { expect } from 'chai';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, rawLogin, rawQueryRequest, startTestEmulator } from './harness.js';

type Data = Record<string, unknown> & {
  rowtype: { name: string; type: string; scale: number | null }[];
  rowset?: (string | null)[][];
  rowsetBase64?: string;
  queryResultFormat: string;
  chunks: { url: string; rowCount: number }[];
};

async function query(
  emulator: RunningEmulator,
  token: string,
  sqlText: string,
  parameters?: Record<string, unknown>,
): Promise<Data> {
  const answer = await rawQueryRequest(emulator, token, { sqlText, ...(parameters ? { parameters } : {}) });
  expect(answer.json?.success, answer.text).to.equal(true);
  return answer.json?.data as Data;
}

/** Every Snowflake type, one row of values and one of NULLs. */
const ALL_TYPES = `SELECT 7::NUMBER(10,0) AS I, -12.34::NUMBER(10,2) AS D,
  12345678901234567890123::NUMBER(38,0) AS BIG, 1.5::DOUBLE AS R, 'héllo ☃' AS T, TRUE AS B,
  '2024-02-29'::DATE AS DT, '13:14:15.123456'::TIME AS TM,
  '2024-02-29 13:14:15.123456'::TIMESTAMP_NTZ AS NTZ, '1969-12-31 23:59:59.5'::TIMESTAMP_NTZ AS OLD,
  '2024-02-29 13:14:15.5'::TIMESTAMP_LTZ AS LTZ, '2024-02-29 13:14:15.25 +02:00'::TIMESTAMP_TZ AS TZ,
  TO_BINARY('CAFE', 'HEX') AS BIN, PARSE_JSON('{"a":[1,2]}') AS V
UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`;

/** The wire text (as in a JSON rowset) of a decoded Arrow value of a column of `type`. */
function wireText(value: unknown, type: string, scale: number): string | null {
  if (value === null || value === undefined) return null;
  const fixed9 = (seconds: bigint | number, nanos: number): string => {
    const total = BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
    const negative = total < 0n;
    const digits = (negative ? -total : total).toString().padStart(10, '0');
    return `${negative ? '-' : ''}${digits.slice(0, -9)}.${digits.slice(-9)}`;
  };
  switch (type) {
    case 'fixed': {
      let unscaled: bigint;
      if (typeof value === 'bigint') unscaled = value;
      else {
        const words = value as Uint32Array;
        unscaled = 0n;
        for (let w = 3; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[w] ?? 0);
        if (unscaled >= 1n << 127n) unscaled -= 1n << 128n;
      }
      if (scale === 0) return unscaled.toString();
      const negative = unscaled < 0n;
      const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
      return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    }
    case 'real':
      return typeof value === 'number' ? String(value) : null;
    case 'boolean':
      return value === true ? '1' : '0';
    case 'date':
      return String(Number(value) / 86_400_000);
    case 'time': {
      // TIME(9): nanoseconds since midnight.
      const nanos = value as bigint;
      return fixed9(nanos / 1_000_000_000n, Number(nanos % 1_000_000_000n));
    }
    case 'timestamp_ntz':
    case 'timestamp_ltz': {
      const { epoch, fraction } = (value as { toJSON(): { epoch: bigint; fraction: number } }).toJSON();
      return fixed9(epoch, fraction);
    }
    case 'timestamp_tz': {
      const { epoch, fraction, timezone } = (
        value as { toJSON(): { epoch: bigint; fraction: number; timezone: number } }
      ).toJSON();
      return `${fixed9(epoch, fraction)} ${timezone}`;
    }
    case 'binary':
      return Buffer.from(value as Uint8Array)
        .toString('hex')
        .toUpperCase();
    default:
      // TEXT, VARIANT, OBJECT, ARRAY: utf8.
      return value as string;
  }
}

function decode(base64: string): Table {
  return tableFromIPC(Buffer.from(base64, 'base64'));
}

describe('emulator wire server: Arrow results', function () {
  let emulator: RunningEmulator;
  let arrowToken: string;
  let jsonToken: string;

  before(async function () {
    emulator = await startTestEmulator();
    const python = { CLIENT_APP_ID: 'PythonConnector' };
    const arrow = { ...python, SESSION_PARAMETERS: { PYTHON_CONNECTOR_QUERY_RESULT_FORMAT: 'ARROW' } };
    ({ token: arrowToken } = await rawLogin(emulator, { data: arrow }));
    ({ token: jsonToken } = await rawLogin(emulator, { data: python }));
  });

  after(async function () {
    await emulator.close();
  });

  it('answers every Snowflake type in Arrow with the values of the JSON rowset', async function () {
    const json = await query(emulator, jsonToken, ALL_TYPES);
    const arrow = await query(emulator, arrowToken, ALL_TYPES);
    expect(json.queryResultFormat).to.equal('json');
    expect(arrow.queryResultFormat).to.equal('arrow');
    expect(arrow.rowtype).to.deep.equal(json.rowtype);
    const table = decode(arrow.rowsetBase64 ?? '');
    expect(table.numRows).to.equal(2);
    arrow.rowtype.forEach((column, c) => {
      const vector = table.getChildAt(c)!;
      for (let r = 0; r < 2; r++) {
        const text = wireText(vector.get(r), column.type, column.scale ?? 0);
        expect(text, `${column.name} row ${r}`).to.equal(json.rowset?.[r]?.[c] ?? null);
      }
    });
  });

  it('answers OBJECT, ARRAY and low-scale time columns of a table in Arrow with the JSON values', async function () {
    for (const sql of [
      'CREATE DATABASE IF NOT EXISTS ARROWDB',
      'CREATE OR REPLACE TABLE ARROWDB.PUBLIC.SEMI (O OBJECT, A ARRAY, V VARIANT, T3 TIME(3), NTZ3 TIMESTAMP_NTZ(3), LTZ0 TIMESTAMP_LTZ(0))',
      `INSERT INTO ARROWDB.PUBLIC.SEMI SELECT PARSE_JSON('{"k":[1,{"x":null}]}'), PARSE_JSON('[1,"two",3.5]'),
         PARSE_JSON('"text"'), '01:02:03.456'::TIME, '2001-02-03 04:05:06.789'::TIMESTAMP_NTZ, '2001-02-03 04:05:06'::TIMESTAMP_LTZ`,
      'INSERT INTO ARROWDB.PUBLIC.SEMI VALUES (NULL, NULL, NULL, NULL, NULL, NULL)',
    ]) {
      await query(emulator, jsonToken, sql);
    }
    const sql = 'SELECT * FROM ARROWDB.PUBLIC.SEMI ORDER BY O NULLS LAST';
    const json = await query(emulator, jsonToken, sql);
    const arrow = await query(emulator, arrowToken, sql);
    expect(json.rowtype.map((c) => c.type)).to.deep.equal([
      'object',
      'array',
      'variant',
      'time',
      'timestamp_ntz',
      'timestamp_ltz',
    ]);
    const table = decode(arrow.rowsetBase64 ?? '');
    arrow.rowtype.forEach((column, c) => {
      const vector = table.getChildAt(c)!;
      expect(table.schema.fields[c]?.metadata.get('logicalType')).to.equal(column.type.toUpperCase());
      for (let r = 0; r < 2; r++) {
        let value: unknown = vector.get(r);
        const scale = column.scale ?? 0;
        if ((column.type === 'time' || column.type.startsWith('timestamp')) && typeof value === 'bigint') {
          // Scales up to 7 travel as one int64 in units of 10^-scale seconds.
          value = value * 10n ** BigInt(9 - scale);
          const nanos = value as bigint;
          value =
            column.type === 'time'
              ? nanos
              : {
                  toJSON: () => ({ epoch: nanos / 1_000_000_000n, fraction: Number(nanos % 1_000_000_000n) }),
                };
        }
        expect(wireText(value, column.type, scale), `${column.name} row ${r}`).to.equal(
          json.rowset?.[r]?.[c] ?? null,
        );
      }
    });
  });

  it("types each column as Snowflake does and carries Snowflake's field metadata", async function () {
    const arrow = await query(emulator, arrowToken, ALL_TYPES);
    const fields = decode(arrow.rowsetBase64 ?? '').schema.fields;
    const shape = fields.map((f) => [
      f.name,
      String(f.type),
      f.metadata.get('logicalType'),
      f.metadata.get('scale'),
    ]);
    expect(shape).to.deep.equal([
      ['I', 'Int64', 'FIXED', '0'],
      ['D', 'Int64', 'FIXED', '2'],
      ['BIG', 'Decimal[38e0]', 'FIXED', '0'],
      ['R', 'Float64', 'REAL', '0'],
      ['T', 'Utf8', 'TEXT', '0'],
      ['B', 'Bool', 'BOOLEAN', '0'],
      ['DT', 'Date32<DAY>', 'DATE', '0'],
      ['TM', 'Int64', 'TIME', '9'],
      ['NTZ', 'Struct<{epoch:Int64, fraction:Int32}>', 'TIMESTAMP_NTZ', '9'],
      ['OLD', 'Struct<{epoch:Int64, fraction:Int32}>', 'TIMESTAMP_NTZ', '9'],
      ['LTZ', 'Struct<{epoch:Int64, fraction:Int32}>', 'TIMESTAMP_LTZ', '9'],
      ['TZ', 'Struct<{epoch:Int64, fraction:Int32, timezone:Int32}>', 'TIMESTAMP_TZ', '9'],
      ['BIN', 'Binary', 'BINARY', '0'],
      ['V', 'Utf8', 'VARIANT', '0'],
    ]);
    expect(fields[0]?.metadata.get('precision')).to.equal('10');
    expect(fields[11]?.metadata.get('byteLength')).to.equal('16');
    expect(fields[4]?.metadata.get('charLength')).to.equal('16777216');
  });

  it('sends the rows past the first part as Arrow chunks, each a self-contained IPC stream', async function () {
    const arrow = await query(
      emulator,
      arrowToken,
      'SELECT range AS N, range::VARCHAR AS S FROM range(30000) ORDER BY N',
    );
    expect(arrow.chunks.length).to.be.greaterThan(0);
    const seen: bigint[] = [];
    const first = decode(arrow.rowsetBase64 ?? '');
    for (let r = 0; r < first.numRows; r++) seen.push(first.getChild('N')!.get(r) as bigint);
    for (const chunk of arrow.chunks) {
      const body = Buffer.from(await (await fetch(chunk.url)).arrayBuffer());
      const table = tableFromIPC(body);
      expect(table.numRows).to.equal(chunk.rowCount);
      for (let r = 0; r < table.numRows; r++) {
        const n = table.getChild('N')!.get(r) as bigint;
        expect(table.getChild('S')!.get(r)).to.equal(String(n));
        seen.push(n);
      }
    }
    expect(seen.length).to.equal(30000);
    expect(seen.every((n, i) => n === BigInt(i))).to.equal(true);
  });

  it('follows ALTER SESSION and statement parameters, and answers DML counts as JSON', async function () {
    const { token } = await rawLogin(emulator, { data: { CLIENT_APP_ID: 'PythonConnector' } });
    expect((await query(emulator, token, 'SELECT 1')).queryResultFormat).to.equal('json');
    expect(
      (await query(emulator, token, 'SELECT 1', { PYTHON_CONNECTOR_QUERY_RESULT_FORMAT: 'arrow' }))
        .queryResultFormat,
    ).to.equal('arrow');
    await query(emulator, token, "ALTER SESSION SET PYTHON_CONNECTOR_QUERY_RESULT_FORMAT = 'ARROW'");
    expect((await query(emulator, token, 'SELECT 1')).queryResultFormat).to.equal('arrow');
    await query(emulator, token, 'CREATE DATABASE IF NOT EXISTS ARROWDB');
    await query(emulator, token, 'CREATE TABLE ARROWDB.PUBLIC.T (N INT)');
    const insert = await query(emulator, token, 'INSERT INTO ARROWDB.PUBLIC.T VALUES (1), (2)');
    expect(insert.queryResultFormat).to.equal('json');
    expect(insert.rowset).to.deep.equal([['2']]);
  });

  it('answers an empty query result with an empty rowsetBase64', async function () {
    const arrow = await query(emulator, arrowToken, 'SELECT 1 AS A WHERE FALSE');
    expect(arrow).to.include({ queryResultFormat: 'arrow', rowsetBase64: '' });
  });

  it('keeps JSON for snowflake-sdk, which cannot read Arrow, even when the parameter asks for it', async function () {
    const conn = await connect(emulator, {
      username: 'alice',
      password: ALICE_PASSWORD,
      clientSessionKeepAlive: false,
    });
    try {
      await execute(conn, "ALTER SESSION SET PYTHON_CONNECTOR_QUERY_RESULT_FORMAT = 'ARROW'");
      const { rows } = await execute(conn, "SELECT 42 AS N, 'x' AS S");
      expect(rows).to.deep.equal([{ N: 42, S: 'x' }]);
    } finally {
      await destroy(conn);
    }
  });
});
