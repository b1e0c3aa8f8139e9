/**
 * The fault suite: faults injected through the emulator (slow queries, dropped connections, HTTP
 * 5xx, session expiry, failed logins, an unavailable warehouse) against the real stack — the
 * emulator's wire server, snowflake-sdk, smcp's pool and client, the MCP tool registry and, for
 * one scenario set, the HTTP server with an official SDK client. Each fault must end in a clear
 * error with a stable code or in a successful retry: never a hung call, a leaked pool slot or a
 * server that stops serving.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ErrorCode } from '../../src/errors.js';
import type { ToolResult } from '../../src/mcp/server-factory.js';
import type { ToolErrorInfo } from '../../src/mcp/tool-result.js';
import { mapSnowflakeError } from '../../src/snowflake/error-map.js';
import { errorOf, FAULT_PASSWORD, rowsOf, startFaultEmulator, startRig, within } from './fault-harness.js';
import type { FaultRig } from './fault-harness.js';

/** Asserts an outcome is a success or an error with one of `codes` and a readable message. */
function expectSuccessOr(result: ToolResult, codes: ErrorCode[]): void {
  const error = errorOf(result);
  if (!error) return;
  expect(codes, `unexpected error ${error.code}: ${error.message}`).to.include(error.code);
  expect(error.message).to.match(/\w{3,}/);
  expect(error.message).not.to.match(/\n\s+at /);
}

/** Asserts a failed result with `code` and a message (no stack trace). */
function expectError(result: ToolResult, code: ErrorCode): ToolErrorInfo {
  const error = errorOf(result);
  expect(error, `expected ${code}, got a success`).to.not.equal(undefined);
  expect(error!.code, error!.message).to.equal(code);
  expect(error!.message.length).to.be.greaterThan(10);
  expect(error!.message).not.to.match(/\n\s+at /);
  return error!;
}

/** Asserts that no pool slot leaked and the rig still serves an ordinary query. */
async function expectHealthy(rig: FaultRig): Promise<void> {
  rig.emu.faults.clear();
  const pool = await rig.settledPool();
  expect(pool.borrowed, 'borrowed connections after the fault').to.equal(0);
  expect(pool.pending, 'pending borrows after the fault').to.equal(0);
  expect(pool.size).to.be.at.most(pool.max);
  const ok = await rig.call('execute_query', { sql: 'SELECT 42 AS ANSWER' }, 10_000);
  expect(rowsOf(ok).map((r) => String(r[0]))).to.deep.equal(['42']);
  const after = await rig.settledPool();
  expect([after.borrowed, after.pending]).to.deep.equal([0, 0]);
}

const SELECT_COUNT = 'SELECT COUNT(*) AS N FROM SAMPLE_DB.SALES.CUSTOMERS';

describe('faults injected through the emulator', function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let rig: FaultRig;

  before(async function () {
    emu = await startFaultEmulator();
    rig = await startRig(emu);
  });
  afterEach(function () {
    emu?.faults.clear();
  });
  after(async function () {
    await rig?.close();
    await emu?.close();
  });

  describe('slow queries', function () {
    it('cancels a statement past its timeout in Snowflake and answers QUERY_TIMEOUT', async function () {
      // Bounded below the statement's own 20 s: an answer at all means smcp did not wait it out.
      const result = await rig.call('execute_query', { sql: 'SELECT SYSTEM$WAIT(20)', timeout_s: 1 }, 19_000);
      const error = expectError(result, 'QUERY_TIMEOUT');
      expect(error.message).to.match(/timeout|time limit/i);
      const queryId = error.queryId;
      expect(queryId, 'the timeout names the query').to.be.a('string');
      const status = await rig.call('query_status', { query_id: queryId });
      expect((status.structuredContent as { running: boolean; status: string }).running).to.equal(false);
      expect((status.structuredContent as { status: string }).status).to.equal('FAILED_WITH_ERROR');
      await expectHealthy(rig);
    });

    it('gives up on a server that never answers at the deadline, with QUERY_TIMEOUT', async function () {
      // The wire server sits on the query request far past timeout + grace (1 s + 5 s).
      emu.faults.set({ queryDelayMs: 15_000 });
      // Bounded below the server's 15 s: the answer comes from smcp's deadline, not the server.
      const result = await rig.call('execute_query', { sql: 'SELECT 1', timeout_s: 1 }, 14_000);
      expectError(result, 'QUERY_TIMEOUT');
      await expectHealthy(rig);
    });

    it('times out eight concurrent slow statements and frees every slot', async function () {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          rig.call('execute_query', { sql: `SELECT SYSTEM$WAIT(20) AS W${i}`, timeout_s: 1 }, 15_000),
        ),
      );
      for (const result of results) expectError(result, 'QUERY_TIMEOUT');
      await expectHealthy(rig);
    });
  });

  describe('dropped connections', function () {
    it('retries a read whose connection was dropped mid-request', async function () {
      emu.faults.set({ dropNextConnections: 1 });
      const result = await rig.call('execute_query', { sql: SELECT_COUNT }, 10_000);
      expect(emu.faults.get().dropNextConnections).to.equal(0);
      expect(rowsOf(result)).to.have.length(1);
      await expectHealthy(rig);
    });

    it('ends a read during a network outage by the deadline, not a hang', async function () {
      emu.faults.set({ dropNextConnections: 1000 });
      const result = await rig.call('execute_query', { sql: 'SELECT 2', timeout_s: 1 }, 20_000);
      expectSuccessOr(result, ['QUERY_TIMEOUT', 'NETWORK']);
      expect(result.isError).to.equal(true);
      await expectHealthy(rig);
    });
  });

  describe('HTTP 5xx from the wire server', function () {
    for (const status of [503, 500]) {
      it(`retries a query answered ${status} once and returns its rows`, async function () {
        emu.faults.set({ failNextQueries: { count: 1, httpStatus: status } });
        const result = await rig.call('execute_query', { sql: SELECT_COUNT }, 10_000);
        expect(emu.faults.get().failNextQueries?.count).to.equal(0);
        expect(rowsOf(result)).to.have.length(1);
        await expectHealthy(rig);
      });
    }

    it('ends persistent 503s by the deadline with a stable code', async function () {
      emu.faults.set({ failNextQueries: { count: 1000, httpStatus: 503 } });
      const result = await rig.call('execute_query', { sql: 'SELECT 3', timeout_s: 1 }, 20_000);
      expectSuccessOr(result, ['QUERY_TIMEOUT', 'NETWORK']);
      expect(result.isError).to.equal(true);
      await expectHealthy(rig);
    });

    it('maps the driver giving up on 5xx answers to NETWORK, not SQL_ERROR or INTERNAL', function () {
      // The driver's own form (code 401002) and the pool's (a plain Error with the message only).
      const withCode = Object.assign(new Error('Request to Snowflake failed.'), { code: 401002 });
      expect(mapSnowflakeError(withCode).code).to.equal('NETWORK');
      expect(mapSnowflakeError(new Error('Request to Snowflake failed.')).code).to.equal('NETWORK');
    });
  });

  describe('session expiry', function () {
    it('renews an expired session token transparently', async function () {
      const before = emu.stats();
      emu.expireSessions();
      const result = await rig.call('execute_query', { sql: SELECT_COUNT }, 10_000);
      expect(rowsOf(result)).to.have.length(1);
      expect(emu.stats().renewals).to.be.greaterThan(before.renewals);
      await expectHealthy(rig);
    });

    it('logs in again when the master token expired too, transparently for a read', async function () {
      const before = emu.stats();
      emu.expireSessions({ master: true });
      const result = await rig.call('execute_query', { sql: SELECT_COUNT }, 10_000);
      expect(rowsOf(result)).to.have.length(1);
      expect(emu.stats().logins).to.be.greaterThan(before.logins);
      await expectHealthy(rig);
    });
  });

  describe('failed logins', function () {
    it('answers NETWORK when new connections cannot log in, without a retry storm', async function () {
      emu.expireSessions({ master: true });
      emu.faults.set({ failLogins: 100 });
      const result = await rig.call('execute_query', { sql: SELECT_COUNT }, 15_000);
      const error = expectError(result, 'NETWORK');
      expect(error.message).to.match(/Snowflake/);
      // One login plus the driver's one login retry: the pool does not hammer a failing endpoint.
      const attempts = 100 - (emu.faults.get().failLogins ?? 0);
      expect(attempts).to.be.within(1, 2);
      await expectHealthy(rig);
    });

    it('answers AUTH_FAILED when the password changed under a running pool', async function () {
      const spec = emu.users[0];
      const before = emu.stats();
      emu.addUser({ ...spec, password: 'rotated-elsewhere' });
      try {
        emu.expireSessions({ master: true });
        const result = await rig.call('execute_query', { sql: SELECT_COUNT }, 15_000);
        const error = expectError(result, 'AUTH_FAILED');
        expect(error.message).to.match(/password|credential|authenticat/i);
        expect(error.message).not.to.include('rotated-elsewhere');
        expect(error.message).not.to.include(FAULT_PASSWORD);
        // A refused password is not retried: one refused login for the call.
        expect(emu.stats().failedLogins - before.failedLogins).to.be.within(1, 2);
      } finally {
        emu.addUser(spec);
      }
      await expectHealthy(rig);
    });

    it('refuses a burst of calls with AUTH_FAILED, one login at a time, no leaked slots', async function () {
      const spec = emu.users[0];
      const before = emu.stats();
      emu.addUser({ ...spec, password: 'rotated-elsewhere' });
      try {
        emu.expireSessions({ master: true });
        const results = await Promise.all(
          Array.from({ length: 12 }, () => rig.call('execute_query', { sql: SELECT_COUNT }, 20_000)),
        );
        for (const result of results) expectSuccessOr(result, ['AUTH_FAILED', 'SESSION_EXPIRED']);
        expect(results.filter((r) => errorOf(r)?.code === 'AUTH_FAILED').length).to.be.greaterThan(0);
        // At most one refused login per call and its retry: no storm.
        expect(emu.stats().failedLogins - before.failedLogins).to.be.at.most(24);
      } finally {
        emu.addUser(spec);
      }
      await expectHealthy(rig);
      // The driver's pool may still log in connections for the callers that gave up; once they
      // sit idle, a later session expiry must still be survived by a read (they get a heartbeat).
      const deadline = performance.now() + 5000;
      while (performance.now() < deadline) {
        const { size, available } = rig.runtime.poolStats();
        if (size === available) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      emu.expireSessions({ master: true });
      expect(rowsOf(await rig.call('execute_query', { sql: SELECT_COUNT }, 10_000))).to.have.length(1);
      await expectHealthy(rig);
    });
  });

  describe('an unavailable warehouse', function () {
    let suspended: FaultRig | undefined;
    after(async function () {
      await suspended?.close();
    });

    it('answers WAREHOUSE_UNAVAILABLE and keeps serving what needs no warehouse', async function () {
      suspended = await startRig(emu, { warehouse: 'UNAVAILABLE_WH' });
      const result = await suspended.call('execute_query', { sql: SELECT_COUNT }, 10_000);
      const error = expectError(result, 'WAREHOUSE_UNAVAILABLE');
      expect(error.message).to.match(/warehouse/i);
      // The same server still answers a statement that needs no warehouse, and leaks nothing.
      await expectHealthy(suspended);
      // The warehouse is a property of that connection only.
      expect(rowsOf(await rig.call('execute_query', { sql: SELECT_COUNT }))).to.have.length(1);
    });
  });

  describe('writes (--allow-write)', function () {
    let writer: FaultRig | undefined;
    let nextId = 0;
    const countOf = async (id: number): Promise<number> =>
      Number(
        rowsOf(
          await rig.call('execute_query', {
            sql: `SELECT COUNT(*) FROM SAMPLE_DB.SALES.FAULT_WRITES WHERE ID = ${id}`,
          }),
        )[0][0],
      );

    before(async function () {
      writer = await startRig(emu, { mcp: { allowWrite: true, allowDdl: true } });
      const created = await writer.call('execute_query', {
        sql: 'CREATE TABLE SAMPLE_DB.SALES.FAULT_WRITES (ID INTEGER)',
      });
      rowsOf(created);
    });
    after(async function () {
      await writer?.close();
    });

    it('never applies a write twice when its connection was dropped', async function () {
      const id = ++nextId;
      emu.faults.set({ dropNextConnections: 1 });
      const result = await writer!.call(
        'execute_query',
        { sql: `INSERT INTO SAMPLE_DB.SALES.FAULT_WRITES (ID) VALUES (${id})` },
        12_000,
      );
      expectSuccessOr(result, ['NETWORK', 'QUERY_TIMEOUT']);
      emu.faults.clear();
      const applied = await countOf(id);
      expect(applied).to.equal(result.isError ? applied : 1);
      expect(applied).to.be.at.most(1);
      await expectHealthy(writer!);
    });

    it('does not re-run a write whose session could not be renewed: SESSION_EXPIRED', async function () {
      const id = ++nextId;
      emu.expireSessions({ master: true });
      const before = emu.stats().statements;
      const result = await writer!.call(
        'execute_query',
        { sql: `INSERT INTO SAMPLE_DB.SALES.FAULT_WRITES (ID) VALUES (${id})` },
        12_000,
      );
      const error = expectError(result, 'SESSION_EXPIRED');
      expect(error.message).to.match(/session expired/i);
      expect(error.message).to.match(/not retried/i);
      expect(emu.stats().statements).to.equal(before);
      expect(await countOf(id)).to.equal(0);
      await expectHealthy(writer!);
    });
  });

  describe('many concurrent calls under faults', function () {
    it('ends 24 calls under 5xx, drops and expiry in successes or clear errors, no leaked slots', async function () {
      emu.faults.set({ failNextQueries: { count: 4, httpStatus: 503 }, dropNextConnections: 3 });
      const calls = Array.from({ length: 24 }, (_, i) =>
        // timeout_s covers the whole call, the wait for a connection included: 24 calls of one
        // client share half the pool, so give them time for the queue as well as the retries.
        rig.call('execute_query', { sql: `${SELECT_COUNT} WHERE ${i} >= 0`, timeout_s: 25 }, 40_000),
      );
      // Expire every session while the burst is in flight.
      setTimeout(() => emu.expireSessions({ master: true }), 20);
      const results = await Promise.all(calls);
      for (const result of results) expectSuccessOr(result, ['NETWORK', 'SESSION_EXPIRED', 'QUERY_TIMEOUT']);
      expect(results.filter((r) => !r.isError).length).to.be.greaterThan(12);
      await expectHealthy(rig);
    });
  });

  describe('over HTTP with an official SDK client', function () {
    let client: Client | undefined;

    before(async function () {
      client = new Client({ name: 'fault-suite', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${rig.runtime.http.url}/mcp`)));
    });
    after(async function () {
      await client?.close();
    });

    const callHttp = async (args: Record<string, unknown>, ms = 12_000): Promise<ToolResult> =>
      (await within(
        ms,
        client!.callTool({ name: 'execute_query', arguments: args }),
        'tools/call',
      )) as ToolResult;

    it('serves through every fault in turn and stays up', async function () {
      this.timeout(45_000);
      expect(rowsOf(await callHttp({ sql: SELECT_COUNT }))).to.have.length(1);

      emu.faults.set({ failNextQueries: { count: 1, httpStatus: 503 } });
      emu.expireSessions({ master: true });
      expect(rowsOf(await callHttp({ sql: SELECT_COUNT }))).to.have.length(1);

      expectError(await callHttp({ sql: 'SELECT SYSTEM$WAIT(20)', timeout_s: 1 }), 'QUERY_TIMEOUT');

      emu.expireSessions({ master: true });
      emu.faults.set({ failLogins: 100 });
      expectError(await callHttp({ sql: SELECT_COUNT }), 'NETWORK');
      emu.faults.clear();

      expect(rowsOf(await callHttp({ sql: SELECT_COUNT }))).to.have.length(1);
      const res = await within(5000, fetch(`${rig.runtime.http.url}/healthz`), 'healthz');
      expect(res.status).to.equal(200);
      expect(rig.runtime.http.stats().inFlight).to.equal(0);
      await expectHealthy(rig);
    });
  });
});
