import { expect } from 'chai';
import { SmcpError } from '../../src/errors.js';
import { mapSnowflakeError } from '../../src/snowflake/error-map.js';
import { buildQueryTag, QUERY_TAG_MAX } from '../../src/snowflake/query-tag.js';
import { columnSerializers, parseJsonLossless, serializeRow } from '../../src/snowflake/serialize.js';
import type { DriverColumn } from '../../src/snowflake/serialize.js';
import {
  mayChangeSessionState,
  resetStatementsFor,
  useStatementsFor,
} from '../../src/snowflake/session-state.js';
import { SlotGate } from '../../src/snowflake/slot-gate.js';

function column(type: string, scale = 0): DriverColumn {
  return {
    getName: () => type.toUpperCase(),
    getType: () => type,
    isNullable: () => true,
    getScale: () => scale,
    getPrecision: () => 38,
  };
}

/** The shape of the driver's SfDate for a timestamp. */
function sfDate(epochSeconds: number, nanos: number, timezone: unknown) {
  return { getEpochSeconds: () => epochSeconds, getNanoSeconds: () => nanos, getTimezone: () => timezone };
}

describe('value serialization', () => {
  const one = (type: string, scale: number, value: unknown, binary?: 'hex' | 'base64') =>
    serializeRow([value], columnSerializers([column(type, scale)], { binaryEncoding: binary }))[0];

  it('keeps NUMBER digits: decimals and big integers as strings, safe integers as numbers', () => {
    expect(one('fixed', 2, '12.30')).to.equal('12.30');
    expect(one('fixed', 0, '12345678901234567890')).to.equal('12345678901234567890');
    expect(one('fixed', 0, '9007199254740991')).to.equal(9007199254740991);
    expect(one('fixed', 0, '-9007199254740992')).to.equal('-9007199254740992');
  });

  it('renders FLOAT as a number and non-finite values as strings', () => {
    expect(one('real', 0, '3.5')).to.equal(3.5);
    expect(one('real', 0, 'NaN')).to.equal('NaN');
    expect(one('real', 0, 'inf')).to.equal('Infinity');
    expect(one('real', 0, '-inf')).to.equal('-Infinity');
  });

  it('renders timestamps as ISO 8601 with the column scale and offset', () => {
    const t = Date.UTC(2024, 0, 2, 3, 4, 5) / 1000;
    expect(one('timestamp_ntz', 9, sfDate(t, 123456789, 'UTC'))).to.equal('2024-01-02T03:04:05.123456789');
    expect(one('timestamp_tz', 6, sfDate(t, 123456000, 120))).to.equal('2024-01-02T05:04:05.123456+02:00');
    expect(one('timestamp_tz', 0, sfDate(t, 0, -330))).to.equal('2024-01-01T21:34:05-05:30');
    expect(one('timestamp_ltz', 3, sfDate(t, 5000000, 'America/Los_Angeles'))).to.equal(
      '2024-01-01T19:04:05.005-08:00',
    );
    expect(one('date', 0, sfDate(Date.UTC(1969, 11, 31) / 1000, 0, 'UTC'))).to.equal('1969-12-31');
  });

  it('renders TIME to the column scale, BINARY as hex or base64, JSON parsed', () => {
    expect(one('time', 3, '13:14:15.123456789')).to.equal('13:14:15.123');
    expect(one('time', 0, '13:14:15.000000000')).to.equal('13:14:15');
    expect(one('binary', 0, Buffer.from([0xca, 0xfe]))).to.equal('CAFE');
    expect(one('binary', 0, Buffer.from([0xca, 0xfe]), 'base64')).to.equal('yv4=');
    expect(one('variant', 0, '{"a":[1,2]}')).to.deep.equal({ a: [1, 2] });
    expect(one('boolean', 0, false)).to.equal(false);
    expect(one('text', 0, null)).to.equal(null);
  });
});

describe('lossless JSON of VARIANT/OBJECT/ARRAY', () => {
  it('keeps numbers a double cannot hold as their digits, others as numbers', () => {
    expect(
      parseJsonLossless('{"a": 12345678901234567890, "b": -9007199254740993, "c": 9007199254740991}'),
    ).to.deep.equal({
      a: '12345678901234567890',
      b: '-9007199254740993',
      c: 9007199254740991,
    });
    expect(
      parseJsonLossless(
        '[0.1000000000000000055511151231257827, 1e400, 1.5e300, 2.5e-300, 1e20, 0.1, 123456789012345.6789]',
      ),
    ).to.deep.equal([
      '0.1000000000000000055511151231257827',
      '1e400',
      // An integer beyond 2^53, however it is written.
      '1.5e300',
      2.5e-300,
      '1e20',
      0.1,
      '123456789012345.6789',
    ]);
    expect(parseJsonLossless('{"nested": [{"id": 18446744073709551615}]}')).to.deep.equal({
      nested: [{ id: '18446744073709551615' }],
    });
  });

  it('leaves strings alone and returns text that is not JSON as it is', () => {
    expect(parseJsonLossless('"12345678901234567890"')).to.equal('12345678901234567890');
    expect(parseJsonLossless('{"s": "2024-02-29T13:45:30.123456789"}')).to.deep.equal({
      s: '2024-02-29T13:45:30.123456789',
    });
    expect(parseJsonLossless('not json 12345678901234567890')).to.equal('not json 12345678901234567890');
    // Duplicate keys: the last wins, as with JSON.parse.
    expect(parseJsonLossless('{"a": 1, "a": 12345678901234567890}')).to.deep.equal({
      a: 12345678901234567000,
    });
  });
});

describe('pool slot gate', () => {
  it('grants slots first come, first served, and drops a waiter that aborts', async () => {
    const gate = new SlotGate(1, 10);
    const order: string[] = [];
    await gate.take(undefined, 1000);
    const controller = new AbortController();
    const a = gate.take(undefined, 1000).then(() => order.push('a'));
    const b = gate.take(controller.signal, 1000).then(
      () => order.push('b'),
      (err: SmcpError) => order.push(`b:${err.code}`),
    );
    const c = gate.take(undefined, 1000).then(() => order.push('c'));
    expect(gate.waiting).to.equal(3);
    controller.abort();
    await b;
    expect(gate.waiting).to.equal(2);
    gate.give();
    await a;
    gate.give();
    await c;
    expect(order).to.deep.equal(['b:QUERY_CANCELLED', 'a', 'c']);
    expect(gate.inUse).to.equal(1);
  });

  it("holds one client to its share and serves waiting clients in turn, so one client's load cannot starve another", async () => {
    const gate = new SlotGate(4, 100, 2);
    const order: string[] = [];
    // The greedy client takes its share of 2 and queues 6 more.
    await gate.take(undefined, 1000, 'greedy');
    await gate.take(undefined, 1000, 'greedy');
    const greedy = Array.from({ length: 6 }, (_, i) =>
      gate.take(undefined, 1000, 'greedy').then(() => order.push(`g${i}`)),
    );
    expect(gate.inUse).to.equal(2);
    // Two slots stay free for others: another client is served at once, not behind the queue.
    await gate.take(undefined, 1000, 'polite');
    order.push('p0');
    const polite = gate.take(undefined, 1000, 'polite').then(() => order.push('p1'));
    await polite;
    expect(gate.inUse).to.equal(4);
    // Both are at their share now: a third client waits and is next in turn when a slot frees.
    const third = gate.take(undefined, 1000, 'third').then(() => order.push('t0'));
    gate.give('greedy');
    await third;
    expect(order).to.deep.equal(['p0', 'p1', 't0']);
    gate.give('polite');
    gate.give('polite');
    gate.give('third');
    await greedy[0];
    // Back at its share of 2, the greedy client waits although two slots are free.
    expect(gate.inUse).to.equal(2);
    expect(gate.waiting).to.equal(5);
    for (let i = 1; i < 6; i++) {
      gate.give('greedy');
      await greedy[i];
    }
    expect(order.filter((o) => o.startsWith('g'))).to.deep.equal(['g0', 'g1', 'g2', 'g3', 'g4', 'g5']);
  });

  it('fails a wait past its timeout, a full queue and every waiter on close', async () => {
    const gate = new SlotGate(1, 1);
    await gate.take(undefined, 1000);
    const timedOut = await gate.take(undefined, 20).catch((err: SmcpError) => err.code);
    expect(timedOut).to.equal('POOL_EXHAUSTED');
    const waiting = gate.take(undefined, 1000).catch((err: SmcpError) => err.message);
    const full = await gate.take(undefined, 1000).catch((err: SmcpError) => err.code);
    expect(full).to.equal('POOL_EXHAUSTED');
    gate.close(new SmcpError('POOL_EXHAUSTED', 'closed'));
    expect(await waiting).to.equal('closed');
    expect(gate.waiting).to.equal(0);
  });
});

describe('error mapping', () => {
  it('keeps Snowflake code, SQLSTATE and query id', () => {
    const err = Object.assign(new Error("SQL compilation error:\nObject 'X' does not exist."), {
      code: '002003',
      sqlState: '42S02',
      data: { queryId: '01b2c3d4-0000-0000-0000-000000000001' },
    });
    const mapped = mapSnowflakeError(err);
    expect(mapped).to.be.instanceOf(SmcpError);
    expect(mapped.code).to.equal('NOT_FOUND');
    expect(mapped.message).to.equal("SQL compilation error: Object 'X' does not exist.");
    expect(mapped.details).to.deep.equal({
      snowflakeCode: '002003',
      sqlState: '42S02',
      queryId: '01b2c3d4-0000-0000-0000-000000000001',
    });
  });

  it('maps codes, errnos and pool timeouts to the catalogue', () => {
    const codeOf = (e: unknown) => mapSnowflakeError(e).code;
    expect(codeOf(Object.assign(new Error('x'), { code: 390100 }))).to.equal('AUTH_FAILED');
    expect(codeOf(Object.assign(new Error('x'), { code: '390114' }))).to.equal('SESSION_EXPIRED');
    expect(codeOf(Object.assign(new Error('x'), { code: '000630' }))).to.equal('QUERY_TIMEOUT');
    expect(codeOf(Object.assign(new Error('x'), { code: '000606' }))).to.equal('WAREHOUSE_UNAVAILABLE');
    expect(codeOf(Object.assign(new Error('x'), { code: '003001' }))).to.equal('PERMISSION_DENIED');
    expect(codeOf(Object.assign(new Error('x'), { code: '100038', sqlState: '22018' }))).to.equal(
      'SQL_ERROR',
    );
    expect(codeOf(Object.assign(new Error('Network error'), { code: 401001 }))).to.equal('NETWORK');
    expect(codeOf(Object.assign(new Error('boom'), { cause: { code: 'ECONNREFUSED' } }))).to.equal('NETWORK');
    expect(codeOf(Object.assign(new Error('ResourceRequest timed out'), { name: 'TimeoutError' }))).to.equal(
      'POOL_EXHAUSTED',
    );
    expect(codeOf(new Error('Incorrect username or password was specified.'))).to.equal('AUTH_FAILED');
    expect(codeOf(new TypeError('bug'))).to.equal('INTERNAL');
  });
});

describe('query tag', () => {
  it('is JSON naming app, request, client and tool', () => {
    expect(JSON.parse(buildQueryTag({ requestId: 'r1', clientId: 'c1', tool: 'run_query' }))).to.deep.equal({
      app: 'smcp',
      req: 'r1',
      client: 'c1',
      tool: 'run_query',
    });
  });

  it('stays within 2000 characters', () => {
    const tag = buildQueryTag({
      requestId: 'r'.repeat(5000),
      clientId: 'c'.repeat(5000),
      tool: 't',
      transport: 'http',
    });
    expect(tag.length).to.be.at.most(QUERY_TAG_MAX);
    expect(JSON.parse(tag)).to.include({ app: 'smcp', tool: 't', transport: 'http' });
  });
});

describe('session isolation rules', () => {
  const base = { database: 'SAMPLE_DB', schema: 'SALES', role: 'PUBLIC', warehouse: 'COMPUTE_WH' };

  it('recognizes statements that change session state', () => {
    for (const sql of [
      'ALTER SESSION SET QUERY_TAG = 1',
      '  use database x',
      '-- c\nSET x = 1',
      '/* c */ begin',
      'create temporary table t (a int)',
      'CREATE OR REPLACE TEMP TABLE t AS SELECT 1',
      'call p()',
    ]) {
      expect(mayChangeSessionState(sql), sql).to.equal(true);
    }
    for (const sql of [
      'SELECT 1',
      'show tables',
      'WITH a AS (SELECT 1) SELECT * FROM a',
      'CREATE TABLE t (a int)',
    ]) {
      expect(mayChangeSessionState(sql), sql).to.equal(false);
    }
  });

  it('issues USE only for what differs', () => {
    expect(useStatementsFor(base, { database: 'sample_db' })).to.deep.equal([]);
    expect(useStatementsFor(base, { database: 'ANALYTICS' })).to.deep.equal(['USE DATABASE ANALYTICS']);
    expect(useStatementsFor(base, { database: 'SAMPLE_DB', schema: 'TYPES' })).to.deep.equal([
      'USE SCHEMA SAMPLE_DB.TYPES',
    ]);
    expect(useStatementsFor(base, { database: 'my db' })).to.deep.equal(['USE DATABASE "my db"']);
  });

  it('restores the baseline with USE, or says it cannot', () => {
    expect(resetStatementsFor({ ...base, database: 'ANALYTICS', schema: 'PUBLIC' }, base)).to.deep.equal([
      'USE SCHEMA "SAMPLE_DB"."SALES"',
    ]);
    expect(resetStatementsFor(base, { ...base, database: null, schema: null })).to.equal(undefined);
  });
});
