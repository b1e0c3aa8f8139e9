/**
 * Contract: every authentication method the client layer supports, and wrong credentials, through
 * the real snowflake-sdk against the emulator.
 */
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failure, PASSWORD, useContractHarness } from './contract-harness.js';

const PASSPHRASE = 'battery staple';

describe('snowflake client contract: authentication', function () {
  this.timeout(30_000);
  const plainKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = (k: typeof plainKey) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const h = useContractHarness({
    prepare(dir) {
      const pkcs8 = { type: 'pkcs8', format: 'pem' } as const;
      writeFileSync(join(dir, 'plain.p8'), plainKey.privateKey.export(pkcs8), { mode: 0o600 });
      writeFileSync(
        join(dir, 'enc.p8'),
        encKey.privateKey.export({ ...pkcs8, cipher: 'aes-256-cbc', passphrase: PASSPHRASE }),
        { mode: 0o600 },
      );
      writeFileSync(join(dir, 'stranger.p8'), strangerKey.privateKey.export(pkcs8), { mode: 0o600 });
      writeFileSync(join(dir, 'pat.token'), 'pat-secret-1\n', { mode: 0o600 });
      return {
        rsaPublicKey: spki(plainKey),
        rsaPublicKey2: spki(encKey),
        oauthAccessTokens: ['oauth-secret-1'],
        programmaticAccessTokens: ['pat-secret-1'],
      };
    },
  });

  it('logs in with a password', async () => {
    const res = await h.q(h.main, 'SELECT CURRENT_USER()');
    expect(res.rows).to.deep.equal([['ANALYST']]);
  });

  it('logs in with an unencrypted key pair', async () => {
    const c = await h.open({ SNOWFLAKE_PRIVATE_KEY_PATH: join(h.dir, 'plain.p8') });
    expect((await h.q(c, 'SELECT CURRENT_USER()')).rows).to.deep.equal([['ANALYST']]);
  });

  it('logs in with a passphrase-encrypted key pair', async () => {
    const c = await h.open({
      SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE_JWT',
      SNOWFLAKE_PRIVATE_KEY_FILE: join(h.dir, 'enc.p8'),
      PRIVATE_KEY_PASSPHRASE: PASSPHRASE,
    });
    expect((await h.q(c, 'SELECT 1')).rows).to.deep.equal([[1]]);
  });

  it('logs in with an OAuth access token', async () => {
    const c = await h.open({ SNOWFLAKE_AUTHENTICATOR: 'OAUTH', SNOWFLAKE_TOKEN: 'oauth-secret-1' });
    expect((await h.q(c, 'SELECT CURRENT_USER()')).rows).to.deep.equal([['ANALYST']]);
  });

  it('logs in with a programmatic access token from a token file', async () => {
    const c = await h.open({
      SNOWFLAKE_AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN',
      SNOWFLAKE_TOKEN_FILE_PATH: join(h.dir, 'pat.token'),
    });
    expect((await h.q(c, 'SELECT CURRENT_USER()')).rows).to.deep.equal([['ANALYST']]);
  });

  it('refuses a wrong password with AUTH_FAILED 390100', async () => {
    const err = await failure(h.open({ SNOWFLAKE_PASSWORD: 'wrong' }));
    expect(err.code).to.equal('AUTH_FAILED');
    expect(err.details.snowflakeCode).to.equal('390100');
  });

  it('refuses an unregistered key, a wrong OAuth token and a wrong PAT with AUTH_FAILED', async () => {
    const key = await failure(h.open({ SNOWFLAKE_PRIVATE_KEY_PATH: join(h.dir, 'stranger.p8') }));
    expect(key.code).to.equal('AUTH_FAILED');
    const oauth = await failure(h.open({ SNOWFLAKE_AUTHENTICATOR: 'OAUTH', SNOWFLAKE_TOKEN: 'nope' }));
    expect(oauth.code).to.equal('AUTH_FAILED');
    const pat = await failure(
      h.open({ SNOWFLAKE_AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', SNOWFLAKE_TOKEN: 'nope' }),
    );
    expect(pat.code).to.equal('AUTH_FAILED');
  });

  it('reports an unreachable endpoint as NETWORK after one attempt, not a retry storm', async () => {
    // A listener that drops every connection at once: each login attempt shows up as one connection.
    let attempts = 0;
    const srv = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    const port = await new Promise<number>((resolve) => {
      srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port));
    });
    try {
      const err = await failure(h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, {}, port));
      expect(err.code).to.equal('NETWORK');
      expect(attempts).to.be.within(1, 2);
    } finally {
      srv.close();
    }
  });
});
