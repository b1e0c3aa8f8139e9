/**
 * Session lifecycle and robustness through the real snowflake-sdk and raw HTTP: token renewal,
 * master expiry, heartbeat, logout, garbage requests, and a clean close.
 */
import { expect } from 'chai';
import { connect as netConnect } from 'node:net';
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import {
  ALICE_PASSWORD,
  raw,
  rawLogin,
  rawQueryRequest,
  sessionHeader,
  startTestEmulator,
} from './harness.js';

const ALICE = { username: 'alice', password: ALICE_PASSWORD };

describe('emulator wire server: sessions and robustness', function () {
  let emulator: RunningEmulator;
  const open: Connection[] = [];

  before(async function () {
    emulator = await startTestEmulator();
  });

  after(async function () {
    for (const conn of open) await destroy(conn);
    await emulator.close();
  });

  async function login(): Promise<Connection> {
    const conn = await connect(emulator, ALICE);
    open.push(conn);
    return conn;
  }

  it('renews an expired session token through the master token, transparently', async function () {
    const conn = await login();
    await execute(conn, 'SELECT 1');
    const before = emulator.stats().renewals;
    emulator.expireSessions();
    const { rows } = await execute(conn, 'SELECT 3 AS THREE');
    expect(rows).to.deep.equal([{ THREE: 3 }]);
    expect(emulator.stats().renewals).to.equal(before + 1);
    await execute(conn, 'SELECT 4');
    expect(emulator.stats().renewals).to.equal(before + 1);
  });

  it('fails the connection when the master token has expired too, and a new login works', async function () {
    const conn = await login();
    emulator.expireSessions({ master: true });
    const err = await execute(conn, 'SELECT 1').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(Error);
    expect(conn.isUp()).to.equal(false);
    const fresh = await login();
    const { rows } = await execute(fresh, 'SELECT 5 AS FIVE');
    expect(rows).to.deep.equal([{ FIVE: 5 }]);
  });

  it('answers heartbeats', async function () {
    const conn = await login();
    // isValidAsync() is the driver's heartbeat; it answers false when the heartbeat fails.
    expect(await conn.isValidAsync()).to.equal(true);
    const { token } = await rawLogin(emulator);
    const answer = await raw(emulator, 'POST', '/session/heartbeat', '{}', sessionHeader(token));
    expect(answer.json).to.include({ success: true });
  });

  it('ends the session on logout', async function () {
    const conn = await connect(emulator, ALICE);
    const before = emulator.stats().activeSessions;
    await destroy(conn);
    expect(emulator.stats().activeSessions).to.equal(before - 1);
  });

  it('refuses a request without a session token with HTTP 401 and 390101, as Snowflake does', async function () {
    const answer = await raw(
      emulator,
      'POST',
      '/queries/v1/query-request',
      JSON.stringify({ sqlText: 'SELECT 1' }),
    );
    expect(answer.status).to.equal(401);
    expect(answer.json).to.include({ success: false, code: '390101' });
  });

  it('answers an unknown endpoint with 404 JSON code 390400', async function () {
    const answer = await raw(emulator, 'GET', '/no/such/thing');
    expect(answer.status).to.equal(404);
    expect(answer.contentType).to.contain('application/json');
    expect(answer.json).to.include({ success: false, code: '390400' });
  });

  it('answers a malformed JSON body with a JSON error', async function () {
    const { token } = await rawLogin(emulator);
    const answer = await raw(
      emulator,
      'POST',
      '/queries/v1/query-request',
      '{"sqlText": ',
      sessionHeader(token),
    );
    expect(answer.status).to.equal(400);
    expect(answer.json).to.include({ success: false, code: '390400' });
  });

  it('answers a body that is not an object, and garbage gzip, with JSON errors', async function () {
    const list = await raw(emulator, 'POST', '/session/v1/login-request', '[1,2,3]');
    expect(list.json).to.include({ success: false });
    const gz = await raw(emulator, 'POST', '/session/v1/login-request', Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect(gz.json).to.include({ success: false });
    const noData = await raw(emulator, 'POST', '/session/v1/login-request', '{}');
    expect(noData.json).to.include({ success: false });
  });

  it('refuses a body over 16 MB with 413', async function () {
    const answer = await raw(emulator, 'POST', '/telemetry/send', Buffer.alloc(17 * 1024 * 1024, 0x20));
    expect(answer.status).to.equal(413);
  });

  it('answers a retried query-request (same requestId) with the same statement', async function () {
    const { token } = await rawLogin(emulator);
    const body = { sqlText: 'SELECT 1' };
    const first = await rawQueryRequest(emulator, token, body, '?requestId=r-1');
    const again = await rawQueryRequest(emulator, token, body, '?requestId=r-1&retryCount=1');
    const firstData = first.json?.data as { queryId?: string } | undefined;
    const againData = again.json?.data as { queryId?: string } | undefined;
    expect(firstData?.queryId).to.be.a('string');
    expect(againData?.queryId).to.equal(firstData?.queryId);
  });

  it('answers an unknown result and chunk with errors', async function () {
    const { token } = await rawLogin(emulator);
    const result = await raw(
      emulator,
      'GET',
      '/queries/00000000-0000-0000-0000-000000000000/result',
      undefined,
      sessionHeader(token),
    );
    expect(result.json).to.include({ success: false, code: '000709' });
    const chunk = await raw(emulator, 'GET', '/chunks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/0');
    expect(chunk.status).to.equal(404);
  });

  it('keeps serving the driver after all that garbage', async function () {
    const conn = await login();
    const { rows } = await execute(conn, 'SELECT 6 AS SIX');
    expect(rows).to.deep.equal([{ SIX: 6 }]);
  });

  it('refuses to bind a non-loopback host without allowRemote', async function () {
    const err = await startTestEmulator({ host: '0.0.0.0' }).then(
      async (e) => {
        await e.close();
        return undefined;
      },
      (e: { code?: unknown }) => e,
    );
    expect(err?.code).to.equal('CONFIG_INVALID');
  });

  it('leaves nothing listening after close(), and close() is idempotent', async function () {
    const other = await startTestEmulator();
    const conn = await connect(other, ALICE);
    await execute(conn, 'SELECT 1');
    await other.close();
    await other.close();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = netConnect(other.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).to.equal(true);
  });
});
