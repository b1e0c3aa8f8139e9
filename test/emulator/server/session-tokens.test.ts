/**
 * Session tokens that are not (or no longer) good, answered as Snowflake answers them: a token
 * never issued gets HTTP 401 with 390104 (the driver's "invalid token" error, connection still up),
 * the token of an ended session 390111 (the driver drops the connection), an expired one 390112;
 * logging out twice is harmless for the driver.
 */
import { expect } from 'chai';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { execute, snowflake } from './driver.js';
import { raw, rawLogin, rawQueryRequest, sessionHeader as auth, startTestEmulator } from './harness.js';

describe('emulator wire server: session tokens', function () {
  let emulator: RunningEmulator;

  before(async function () {
    emulator = await startTestEmulator();
  });

  after(async function () {
    await emulator.close();
  });

  it('answers a token it never issued with HTTP 401 and 390104', async function () {
    const answer = await rawQueryRequest(emulator, 'invalid token', { sqlText: 'SELECT 1' });
    expect(answer.status).to.equal(401);
    expect(answer.json).to.include({
      success: false,
      code: '390104',
      message: 'User must login again to access the service.',
    });
  });

  it("gives the driver its invalid-token error and leaves the connection up, as Snowflake's 401 does", async function () {
    const conn = snowflake.createConnection({
      accessUrl: emulator.url,
      account: emulator.account,
      sessionToken: 'invalid token',
    } as Parameters<typeof snowflake.createConnection>[0]);
    const err = await execute(conn, 'SELECT 1').then(
      () => undefined,
      (e: { code?: unknown }) => e,
    );
    // 401004: ERR_SF_RESPONSE_INVALID_TOKEN.
    expect(err?.code).to.equal(401004);
    expect(conn.isUp()).to.equal(true);
  });

  it('answers the token of an ended session with 390111, and the driver drops the connection', async function () {
    const { token } = await rawLogin(emulator);
    const out = await raw(emulator, 'POST', '/session?delete=true', '{}', auth(token));
    expect(out.json).to.include({ success: true });
    const again = await rawQueryRequest(emulator, token, { sqlText: 'SELECT 1' });
    expect(again.status).to.equal(200);
    expect(again.json).to.include({ success: false, code: '390111' });

    const conn = snowflake.createConnection({
      accessUrl: emulator.url,
      account: emulator.account,
      sessionToken: token,
    } as Parameters<typeof snowflake.createConnection>[0]);
    await execute(conn, 'SELECT 1').catch(() => undefined);
    expect(conn.isUp()).to.equal(false);
  });

  it('answers a second logout of the same session with 390111, which the driver takes as done', async function () {
    const { token } = await rawLogin(emulator);
    await raw(emulator, 'POST', '/session?delete=true', '{}', auth(token));
    const second = await raw(emulator, 'POST', '/session?delete=true', '{}', auth(token));
    expect(second.json).to.include({ success: false, code: '390111' });

    // The driver's destroy() of a connection whose session already ended succeeds.
    const conn = snowflake.createConnection({
      accessUrl: emulator.url,
      account: emulator.account,
      sessionToken: token,
    } as Parameters<typeof snowflake.createConnection>[0]);
    const err = await new Promise<unknown>((resolve) => conn.destroy((e) => resolve(e)));
    expect(err).to.equal(undefined);
    expect(conn.isUp()).to.equal(false);
  });

  it('answers a logout with an expired session token with 390112', async function () {
    const { token } = await rawLogin(emulator);
    emulator.expireSessions();
    const out = await raw(emulator, 'POST', '/session?delete=true', '{}', auth(token));
    expect(out.status).to.equal(200);
    expect(out.json).to.include({ success: false, code: '390112' });
  });

  it('answers a heartbeat without a token with HTTP 401 and 390101', async function () {
    const answer = await raw(emulator, 'POST', '/session/heartbeat', '{}');
    expect(answer.status).to.equal(401);
    expect(answer.json).to.include({ success: false, code: '390101' });
  });
});
