/**
 * Contract: values of every Snowflake type reach the caller without loss, through the real driver
 * and smcp's serialization.
 */
import { expect } from 'chai';
import { useContractHarness } from './contract-harness.js';

describe('snowflake client contract: types', function () {
  this.timeout(30_000);
  const h = useContractHarness();

  it('serializes every type of ALL_TYPES without loss', async () => {
    const res = await h.q(h.main, 'SELECT * FROM SAMPLE_DB.TYPES.ALL_TYPES ORDER BY ID');
    const named = res.rows.map((row) => Object.fromEntries(res.columns.map((c, i) => [c.name, row[i]])));
    expect(res.columns.map((c) => `${c.name}:${c.type}`)).to.deep.equal([
      'ID:NUMBER',
      'NUM:NUMBER',
      'BIG_NUM:NUMBER',
      'DEC:NUMBER',
      'FLT:FLOAT',
      'STR:TEXT',
      'TXT:TEXT',
      'BOOL:BOOLEAN',
      'DT:DATE',
      'TM:TIME',
      'TS_NTZ:TIMESTAMP_NTZ',
      'TS_LTZ:TIMESTAMP_LTZ',
      'TS_TZ:TIMESTAMP_TZ',
      'BIN:BINARY',
      'VAR:VARIANT',
      'OBJ:OBJECT',
      'ARR:ARRAY',
    ]);
    expect(res.columns.find((c) => c.name === 'DEC')).to.include({ precision: 10, scale: 2 });
    const [r1, r2, r3, r4] = named;
    expect(r1).to.deep.include({
      ID: 1,
      NUM: 42,
      BIG_NUM: '12345678901234567890',
      DEC: '12.34',
      FLT: 3.5,
      STR: 'hello',
      TXT: 'Grüße, 世界',
      BOOL: true,
      DT: '2024-02-29',
      TM: '13:45:30.123456000',
      TS_NTZ: '2024-02-29T13:45:30.123456000',
      BIN: 'DEADBEEF',
      VAR: { a: 1, b: [1, 2] },
      OBJ: { name: 'smcp', ok: true },
      ARR: [1, 'two', null],
    });
    expect(r2).to.deep.include({
      NUM: -7,
      BIG_NUM: '-12345678901234567890',
      DEC: '-0.50',
      FLT: -1e10,
      STR: '',
      TXT: 'line1\nline2',
      BOOL: false,
      DT: '1969-12-31',
      TM: '00:00:00.000000000',
      TS_NTZ: '1969-12-31T23:59:59.500000000',
      BIN: '',
      VAR: 'just a string',
      OBJ: {},
      ARR: [],
    });
    expect(r3).to.deep.include({
      BIG_NUM: '9007199254740993',
      DEC: '0.01',
      FLT: 0.1,
      STR: "quote's",
      VAR: 3.14,
    });
    expect(r3).to.deep.include({ TM: '23:59:59.999999000', ARR: [[1, 2], [3]] });
    expect(Object.entries(r4).filter(([k, v]) => k !== 'ID' && v !== null)).to.deep.equal([]);
    // LTZ/TZ: ISO 8601 with an offset, denoting the stored instant to the nanosecond.
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}[+-]\d{2}:\d{2}$/;
    for (const [value, instant] of [
      [r1.TS_LTZ, '2024-02-29T13:45:30.123Z'],
      [r1.TS_TZ, '2024-02-29T11:45:30.123Z'],
      [r2.TS_TZ, '2000-01-01T04:00:00.000Z'],
    ] as const) {
      expect(value).to.be.a('string').and.match(iso);
      const text = typeof value === 'string' ? value : '';
      expect(new Date(text).toISOString()).to.equal(instant);
      expect(text).to.contain(text.includes('.123') ? '.123456000' : '.000000000');
    }
  });

  it('renders BINARY as base64 on request', async () => {
    const b64 = await h.q(h.main, 'SELECT BIN FROM SAMPLE_DB.TYPES.ALL_TYPES WHERE ID = 1', {
      binaryEncoding: 'base64',
    });
    expect(b64.rows).to.deep.equal([['3q2+7w==']]);
  });

  it('keeps integers beyond 2^53 inside VARIANT, OBJECT and ARRAY as exact digit strings', async () => {
    const res = await h.q(
      h.main,
      `SELECT PARSE_JSON('{"a": 12345678901234567890}') AS V, ` +
        `PARSE_JSON('{"id": 9007199254740993, "n": 7, "f": 2.5, "s": "12345678901234567890"}') AS O, ` +
        `PARSE_JSON('[-9223372036854775808, 1, 9007199254740991]') AS A`,
    );
    const [v, o, a] = res.rows[0];
    expect(v).to.deep.equal({ a: '12345678901234567890' });
    // Numbers a double holds exactly stay numbers; a string stays a string.
    expect(o).to.deep.equal({ id: '9007199254740993', n: 7, f: 2.5, s: '12345678901234567890' });
    expect(a).to.deep.equal(['-9223372036854775808', 1, 9007199254740991]);
  });
});
