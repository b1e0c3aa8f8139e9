/**
 * Login through the real snowflake-sdk against the emulator: every supported authenticator, and
 * Snowflake's error code for each kind of wrong credential.
 */
import { expect } from 'chai';
import type { Connection, ConnectionOptions } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy } from './driver.js';
import {
  ALICE_OAUTH,
  ALICE_PASSWORD,
  ALICE_PAT,
  makeKeys,
  startTestEmulator,
  type KeyDir,
} from './harness.js';

describe('emulator wire server: login', function () {
  let emulator: RunningEmulator;
  let keys: KeyDir;
  const open: Connection[] = [];

  before(async function () {
    keys = makeKeys();
    emulator = await startTestEmulator({}, keys);
  });

  after(async function () {
    for (const conn of open) await destroy(conn);
    await emulator.close();
    keys.remove();
  });

  async function login(extra: Partial<ConnectionOptions>): Promise<Connection> {
    const conn = await connect(emulator, extra);
    open.push(conn);
    return conn;
  }

  async function loginError(extra: Partial<ConnectionOptions>): Promise<{ code: unknown; message: string }> {
    try {
      const conn = await connect(emulator, extra);
      open.push(conn);
    } catch (err) {
      return err as { code: unknown; message: string };
    }
    throw new Error('login unexpectedly succeeded');
  }

  it('accepts the right password and reports the session', async function () {
    const conn = await login({ username: 'alice', password: ALICE_PASSWORD });
    expect(conn.isUp()).to.equal(true);
  });

  it('refuses a wrong password with 390100', async function () {
    const err = await loginError({ username: 'alice', password: 'nope' });
    expect(err.code).to.equal('390100');
    expect(err.message).to.contain('Incorrect username or password');
  });

  it('refuses an unknown user with 390100', async function () {
    const err = await loginError({ username: 'mallory', password: ALICE_PASSWORD });
    expect(err.code).to.equal('390100');
  });

  it('refuses a login to another account with 390100 and names the served account', async function () {
    const err = await connect(
      { url: emulator.url, account: 'OTHERACCT' },
      { username: 'alice', password: ALICE_PASSWORD },
    )
      .then(() => ({ code: 'none', message: '' }))
      .catch((e: { code: unknown; message: string }) => e);
    expect(err.code).to.equal('390100');
    expect(err.message).to.contain(emulator.account);
  });

  it('refuses a disabled user with 390101 even with the right password', async function () {
    const err = await loginError({ username: 'bob', password: 'bob-secret' });
    expect(err.code).to.equal('390101');
  });

  it('refuses a role that is not granted with 390189', async function () {
    const err = await loginError({ username: 'alice', password: ALICE_PASSWORD, role: 'SYSADMIN' });
    expect(err.code).to.equal('390189');
  });

  it('accepts a granted role other than the default', async function () {
    const conn = await login({ username: 'alice', password: ALICE_PASSWORD, role: 'reporter' });
    expect(conn.isUp()).to.equal(true);
  });

  it('accepts a key pair from an unencrypted private key file', async function () {
    const conn = await login({
      username: 'alice',
      authenticator: 'SNOWFLAKE_JWT',
      privateKeyPath: keys.registered.plainPath,
    });
    expect(conn.isUp()).to.equal(true);
  });

  it('accepts a key pair from a passphrase-encrypted private key file', async function () {
    const conn = await login({
      username: 'alice',
      authenticator: 'SNOWFLAKE_JWT',
      privateKeyPath: keys.registered.encryptedPath,
      privateKeyPass: keys.registered.passphrase,
    });
    expect(conn.isUp()).to.equal(true);
  });

  it('refuses a key pair that is not registered with 390144', async function () {
    const err = await loginError({
      username: 'alice',
      authenticator: 'SNOWFLAKE_JWT',
      privateKeyPath: keys.stranger.plainPath,
    });
    expect(err.code).to.equal('390144');
  });

  it('refuses a registered key used for another user with 390144', async function () {
    const err = await loginError({
      username: 'bob',
      authenticator: 'SNOWFLAKE_JWT',
      privateKeyPath: keys.registered.plainPath,
    });
    expect(err.code).to.equal('390144');
  });

  it('accepts an OAuth access token', async function () {
    const conn = await login({ username: 'alice', authenticator: 'OAUTH', token: ALICE_OAUTH });
    expect(conn.isUp()).to.equal(true);
  });

  it('refuses a wrong OAuth access token with 390303', async function () {
    const err = await loginError({ username: 'alice', authenticator: 'OAUTH', token: 'forged' });
    expect(err.code).to.equal('390303');
  });

  it('accepts a programmatic access token', async function () {
    const conn = await login({
      username: 'alice',
      authenticator: 'PROGRAMMATIC_ACCESS_TOKEN',
      token: ALICE_PAT,
    });
    expect(conn.isUp()).to.equal(true);
  });

  it('accepts a programmatic access token in place of the password', async function () {
    const conn = await login({ username: 'alice', password: ALICE_PAT });
    expect(conn.isUp()).to.equal(true);
  });

  it('refuses a wrong programmatic access token with 394400', async function () {
    const err = await loginError({
      username: 'alice',
      authenticator: 'PROGRAMMATIC_ACCESS_TOKEN',
      token: 'forged',
    });
    expect(err.code).to.equal('394400');
  });

  it('lets a user added at run time log in', async function () {
    emulator.addUser({ name: 'carol', password: 'carol-pw' });
    const conn = await login({ username: 'CAROL', password: 'carol-pw' });
    expect(conn.isUp()).to.equal(true);
  });
});
