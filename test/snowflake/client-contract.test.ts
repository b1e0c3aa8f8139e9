/**
 * Contract suite of the Snowflake client layer: the real snowflake-sdk through smcp's pool and
 * client, against a started emulator (loopback, ephemeral port).
 */
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { SmcpError } from '../../src/errors.js';
import { SnowflakeClient } from '../../src/snowflake/client.js';
import type { ClientOptions, QueryRequest, QueryResult } from '../../src/snowflake/client.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';

const PASSWORD = 'correct horse';
const PASSPHRASE = 'battery staple';

describe('snowflake client contract (real driver against the emulator)', function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let dir: string;
  const clients: SnowflakeClient[] = [];
  let main: SnowflakeClient;

  const plainKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = (k: typeof plainKey) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smcp-contract-'));
    writeFileSync(join(dir, 'plain.p8'), plainKey.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    writeFileSync(
      join(dir, 'enc.p8'),
      encKey.privateKey.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: PASSPHRASE,
      }),
      { mode: 0o600 },
    );
    writeFileSync(join(dir, 'stranger.p8'), strangerKey.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    writeFileSync(join(dir, 'pat.token'), 'pat-secret-1\n', { mode: 0o600 });
    emu = await startEmulator({
      port: 0,
      users: [
        {
          name: 'ANALYST',
          password: PASSWORD,
          rsaPublicKey: spki(plainKey),
          rsaPublicKey2: spki(encKey),
          oauthAccessTokens: ['oauth-secret-1'],
          programmaticAccessTokens: ['pat-secret-1'],
          defaultRole: 'ANALYST_ROLE',
          roles: ['SYSADMIN'],
          defaultWarehouse: 'COMPUTE_WH',
          defaultDatabase: 'SAMPLE_DB',
          defaultSchema: 'SALES',
        },
      ],
    });
    main = await open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 4 });
  });

  after(async () => {
    for (const c of clients) await c.close();
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function env(extra: Record<string, string>): Record<string, string> {
    return {
      SNOWFLAKE_ACCOUNT: emu.account,
      SNOWFLAKE_USER: 'ANALYST',
      SNOWFLAKE_HOST: '127.0.0.1',
      SNOWFLAKE_PORT: String(emu.port),
      SNOWFLAKE_PROTOCOL: 'http',
      ...extra,
    };
  }

  async function open(extra: Record<string, string>, options: ClientOptions = {}): Promise<SnowflakeClient> {
    const resolved = resolveConnectionSettings({ env: env(extra), home: dir, cwd: dir });
    if (!resolved.configured) throw new Error('expected a configured connection');
    const client = await SnowflakeClient.open(resolved, { loginRetries: 0, ...options });
    clients.push(client);
    return client;
  }

  async function failure(promise: Promise<unknown>): Promise<SmcpError> {
    try {
      await promise;
    } catch (err) {
      expect(err, String(err)).to.be.instanceOf(SmcpError);
      return err as SmcpError;
    }
    throw new Error('expected an SmcpError');
  }

  let seq = 0;
  function request(sql: string, extra: Partial<QueryRequest> = {}): QueryRequest {
    seq++;
    return {
      sql,
      maxRows: 1000,
      maxBytes: 1_000_000,
      timeoutSeconds: 10,
      context: { requestId: `req-${seq}`, clientId: 'contract-test', tool: 'run_query' },
      retryable: true,
      ...extra,
    };
  }

  const q = (client: SnowflakeClient, sql: string, extra: Partial<QueryRequest> = {}): Promise<QueryResult> =>
    client.query(request(sql, extra));

  async function history(requestId: string): Promise<Record<string, unknown>[]> {
    const res = await q(
      main,
      `SELECT QUERY_TEXT, QUERY_TAG, EXECUTION_STATUS, ERROR_CODE, USER_NAME FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) WHERE QUERY_TAG LIKE '%"req":"${requestId}"%'`,
    );
    return res.rows.map((row) => Object.fromEntries(res.columns.map((c, i) => [c.name, row[i]])));
  }

  describe('authentication', () => {
    it('logs in with a password', async () => {
      const res = await q(main, 'SELECT CURRENT_USER()');
      expect(res.rows).to.deep.equal([['ANALYST']]);
    });

    it('logs in with an unencrypted key pair', async () => {
      const c = await open({ SNOWFLAKE_PRIVATE_KEY_PATH: join(dir, 'plain.p8') });
      expect((await q(c, 'SELECT CURRENT_USER()')).rows).to.deep.equal([['ANALYST']]);
    });

    it('logs in with a passphrase-encrypted key pair', async () => {
      const c = await open({
        SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE_JWT',
        SNOWFLAKE_PRIVATE_KEY_FILE: join(dir, 'enc.p8'),
        PRIVATE_KEY_PASSPHRASE: PASSPHRASE,
      });
      expect((await q(c, 'SELECT 1')).rows).to.deep.equal([[1]]);
    });

    it('logs in with an OAuth access token', async () => {
      const c = await open({ SNOWFLAKE_AUTHENTICATOR: 'OAUTH', SNOWFLAKE_TOKEN: 'oauth-secret-1' });
      expect((await q(c, 'SELECT CURRENT_USER()')).rows).to.deep.equal([['ANALYST']]);
    });

    it('logs in with a programmatic access token from a token file', async () => {
      const c = await open({
        SNOWFLAKE_AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN',
        SNOWFLAKE_TOKEN_FILE_PATH: join(dir, 'pat.token'),
      });
      expect((await q(c, 'SELECT CURRENT_USER()')).rows).to.deep.equal([['ANALYST']]);
    });

    it('refuses a wrong password with AUTH_FAILED 390100', async () => {
      const err = await failure(open({ SNOWFLAKE_PASSWORD: 'wrong' }));
      expect(err.code).to.equal('AUTH_FAILED');
      expect(err.details.snowflakeCode).to.equal('390100');
    });

    it('refuses an unregistered key, a wrong OAuth token and a wrong PAT with AUTH_FAILED', async () => {
      const key = await failure(open({ SNOWFLAKE_PRIVATE_KEY_PATH: join(dir, 'stranger.p8') }));
      expect(key.code).to.equal('AUTH_FAILED');
      const oauth = await failure(open({ SNOWFLAKE_AUTHENTICATOR: 'OAUTH', SNOWFLAKE_TOKEN: 'nope' }));
      expect(oauth.code).to.equal('AUTH_FAILED');
      const pat = await failure(
        open({ SNOWFLAKE_AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', SNOWFLAKE_TOKEN: 'nope' }),
      );
      expect(pat.code).to.equal('AUTH_FAILED');
    });

    it('reports an unreachable endpoint as NETWORK, quickly', async () => {
      const port = await new Promise<number>((resolve) => {
        const srv = createServer();
        srv.listen(0, '127.0.0.1', () => {
          const p = (srv.address() as { port: number }).port;
          srv.close(() => resolve(p));
        });
      });
      const started = Date.now();
      const err = await failure(open({ SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_PORT: String(port) }));
      expect(err.code).to.equal('NETWORK');
      expect(Date.now() - started).to.be.below(10_000);
    });
  });

  describe('queries', () => {
    it('answers metadata commands', async () => {
      const dbs = await q(main, 'SHOW DATABASES');
      const nameIdx = dbs.columns.findIndex((c) => c.name === 'name');
      const names = dbs.rows.map((r) => r[nameIdx]);
      expect(names).to.include.members(['SAMPLE_DB', 'ANALYTICS']);
      const tables = await q(main, 'SHOW TABLES IN SCHEMA SAMPLE_DB.SALES');
      const tIdx = tables.columns.findIndex((c) => c.name === 'name');
      expect(tables.rows.map((r) => r[tIdx])).to.include.members(['CUSTOMERS', 'ORDERS', 'EVENTS']);
    });

    it('serializes every type of ALL_TYPES without loss', async () => {
      const res = await q(main, 'SELECT * FROM SAMPLE_DB.TYPES.ALL_TYPES ORDER BY ID');
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
      const b64 = await q(main, 'SELECT BIN FROM SAMPLE_DB.TYPES.ALL_TYPES WHERE ID = 1', {
        binaryEncoding: 'base64',
      });
      expect(b64.rows).to.deep.equal([['3q2+7w==']]);
    });

    it('streams a large result through chunks without loss', async () => {
      const res = await q(main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS LIMIT 200000', {
        maxRows: 200_000,
        maxBytes: 1_000_000_000,
        timeoutSeconds: 60,
      });
      expect(res.rowCount).to.equal(200_000);
      expect(res.totalRows).to.equal(200_000);
      expect(res.truncated).to.equal(false);
    });

    it('cuts a 1M-row result at the row cap, fast', async () => {
      const res = await q(main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS', {
        maxRows: 1000,
        timeoutSeconds: 60,
      });
      expect(res).to.deep.include({
        rowCount: 1000,
        truncated: true,
        truncatedBy: 'rows',
        totalRows: 1_000_000,
      });
      expect(res.queryId).to.match(/^[0-9a-f-]{36}$/);
      expect(res.elapsedMs).to.be.below(1000);
    });

    it('cuts a result at the byte cap', async () => {
      const res = await q(main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS', {
        maxRows: 100_000,
        maxBytes: 10_000,
      });
      expect(res.truncated).to.equal(true);
      expect(res.truncatedBy).to.equal('bytes');
      expect(res.bytes).to.be.at.most(10_000);
      expect(Buffer.byteLength(JSON.stringify(res.rows))).to.equal(res.bytes);
      expect(res.rowCount).to.be.greaterThan(0);
    });

    it('fetches more of an earlier result by query id', async () => {
      const first = await q(main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS ORDER BY 1', { maxRows: 10 });
      const more = await main.getResult(first.queryId, 5, 10, { maxBytes: 1_000_000 });
      expect(more.rows.slice(0, 5)).to.deep.equal(first.rows.slice(5, 10));
      expect(more.rowCount).to.equal(10);
      expect(more.truncated).to.equal(true);
      expect(await main.queryStatus(first.queryId)).to.equal('SUCCESS');
      const missing = await failure(
        main.getResult('01234567-89ab-cdef-0123-456789abcdef', 0, 10, { maxBytes: 1000 }),
      );
      expect(missing.code).to.equal('RESULT_NOT_FOUND');
    });

    it('tags every statement with the request context (visible in query history)', async () => {
      const r = request('SELECT 42', {
        context: { requestId: 'tag-check', clientId: 'cli-9', tool: 'describe', transport: 'stdio' },
      });
      await main.query(r);
      const rows = await history('tag-check');
      expect(rows).to.have.length(1);
      expect(JSON.parse(String(rows[0].QUERY_TAG))).to.deep.equal({
        app: 'smcp',
        req: 'tag-check',
        client: 'cli-9',
        tool: 'describe',
        transport: 'stdio',
      });
      expect(rows[0]).to.include({ QUERY_TEXT: 'SELECT 42', USER_NAME: 'ANALYST' });
    });

    it('refuses a second statement in the same text', async () => {
      const err = await failure(q(main, 'SELECT 1; SELECT 2'));
      expect(err.code).to.be.oneOf(['SQL_ERROR', 'SQL_SYNTAX']);
    });
  });

  describe('time limits and cancellation', () => {
    it('stops a statement at its timeout with QUERY_TIMEOUT', async () => {
      const started = Date.now();
      const err = await failure(q(main, 'SELECT SYSTEM$WAIT(5)', { timeoutSeconds: 1 }));
      expect(err.code).to.equal('QUERY_TIMEOUT');
      expect(err.details.snowflakeCode).to.equal('000630');
      expect(Date.now() - started).to.be.below(4000);
    });

    it('cancels a running statement in Snowflake when the signal aborts', async () => {
      const controller = new AbortController();
      const r = request('SELECT SYSTEM$WAIT(5)', {
        signal: controller.signal,
        context: { requestId: 'cancel-check', clientId: 'c', tool: 'run_query' },
      });
      setTimeout(() => controller.abort(), 300);
      const started = Date.now();
      const err = await failure(main.query(r));
      expect(err.code).to.equal('QUERY_CANCELLED');
      expect(Date.now() - started).to.be.below(3000);
      const rows = await history('cancel-check');
      expect(rows).to.have.length(1);
      expect(rows[0].ERROR_CODE).to.equal('000604');
      expect(String(rows[0].EXECUTION_STATUS)).to.match(/FAIL/);
    });

    it('runs requests in parallel up to the pool maximum', async () => {
      const c = await open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 4 });
      const started = Date.now();
      await Promise.all([1, 2, 3, 4].map(() => q(c, 'SELECT SYSTEM$WAIT(1)')));
      expect(Date.now() - started).to.be.below(2500);
      expect(c.stats()).to.include({ size: 4, borrowed: 0, available: 4, max: 4 });
    });

    it('fails fast with POOL_EXHAUSTED when no connection frees up in time', async () => {
      const one = await open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1, acquireTimeoutMs: 200 });
      const long = q(one, 'SELECT SYSTEM$WAIT(2)');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const err = await failure(q(one, 'SELECT 1'));
      expect(err.code).to.equal('POOL_EXHAUSTED');
      expect(Date.now() - started).to.be.below(1500);
      await long;
      expect(one.stats()).to.include({ max: 1, borrowed: 0, pending: 0 });
      expect((await q(one, 'SELECT 1')).rows).to.deep.equal([[1]]);
    });
  });

  describe('sessions', () => {
    it('renews expired session tokens and replaces sessions whose master token expired', async () => {
      const c = await open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      await q(c, 'SELECT 1');
      emu.expireSessions();
      expect((await q(c, 'SELECT 2')).rows).to.deep.equal([[2]]);
      emu.expireSessions({ master: true });
      expect((await q(c, 'SELECT 3')).rows).to.deep.equal([[3]]);
    });

    it('applies a request database only to that request', async () => {
      const c = await open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      const base = await q(c, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()');
      expect(base.rows).to.deep.equal([['SAMPLE_DB', 'SALES']]);
      const other = await q(c, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()', { database: 'ANALYTICS' });
      expect(other.rows[0][0]).to.equal('ANALYTICS');
      const typed = await q(c, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()', {
        database: 'SAMPLE_DB',
        schema: 'TYPES',
      });
      expect(typed.rows).to.deep.equal([['SAMPLE_DB', 'TYPES']]);
      expect((await q(c, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()')).rows).to.deep.equal([
        ['SAMPLE_DB', 'SALES'],
      ]);
    });

    it('does not let USE or ALTER SESSION in one request leak into the next', async () => {
      const c = await open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      await q(c, 'USE SCHEMA SAMPLE_DB.TYPES');
      expect((await q(c, 'SELECT CURRENT_SCHEMA()')).rows).to.deep.equal([['SALES']]);
      await q(c, 'USE ROLE SYSADMIN');
      expect((await q(c, 'SELECT CURRENT_ROLE()')).rows).to.deep.equal([['ANALYST_ROLE']]);
      await q(c, "ALTER SESSION SET TIMEZONE = 'Asia/Tokyo'");
      const params = await q(c, 'SHOW PARAMETERS');
      const key = params.columns.findIndex((col) => col.name === 'key');
      const value = params.columns.findIndex((col) => col.name === 'value');
      const timezone = params.rows.find((row) => row[key] === 'TIMEZONE');
      expect(timezone?.[value]).to.be.a('string').and.not.equal('Asia/Tokyo');
    });
  });

  describe('error mapping', () => {
    it('maps a missing table to NOT_FOUND with 002003/42S02 and the query id', async () => {
      const err = await failure(q(main, 'SELECT * FROM SAMPLE_DB.SALES.NO_SUCH_TABLE'));
      expect(err.code).to.equal('NOT_FOUND');
      expect(err.details).to.include({ snowflakeCode: '002003', sqlState: '42S02' });
      expect(err.details.queryId).to.match(/^[0-9a-f-]{36}$/);
    });

    it('maps a syntax error to SQL_SYNTAX', async () => {
      const err = await failure(q(main, 'SELEC 1'));
      expect(err.code).to.equal('SQL_SYNTAX');
      expect(err.details.snowflakeCode).to.equal('001003');
    });

    it('maps a warehouse that cannot run queries to WAREHOUSE_UNAVAILABLE', async () => {
      const c = await open({ SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_WAREHOUSE: 'UNAVAILABLE_WH' });
      const err = await failure(q(c, 'SELECT COUNT(*) FROM SAMPLE_DB.SALES.ORDERS'));
      expect(err.code).to.equal('WAREHOUSE_UNAVAILABLE');
      expect(err.details.snowflakeCode).to.equal('000606');
    });

    it('keeps serving after errors', async () => {
      expect((await q(main, 'SELECT 7')).rows).to.deep.equal([[7]]);
      expect((await main.healthCheck()).ok).to.equal(true);
    });
  });

  describe('performance', () => {
    it('answers SELECT 1 through pool and client (p50 of 300)', async () => {
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const started = performance.now();
        await q(main, 'SELECT 1');
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const p50 = times[150];
      console.log(`      SELECT 1 p50 ${p50.toFixed(2)} ms, p99 ${times[297].toFixed(2)} ms`);
      expect(p50).to.be.below(10);
    });
  });
});
