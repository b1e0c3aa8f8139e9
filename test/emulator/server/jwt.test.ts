/**
 * The key-pair JWT check on its own: the cases the driver never produces (expired, forged,
 * tampered, wrong subject) must all be refused.
 */
import { expect } from 'chai';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { verifyLoginJwt } from '../../../src/emulator/server/jwt.js';
import {
  publicKeyFingerprint,
  UserDirectory,
  type DirectoryUser,
} from '../../../src/emulator/server/users.js';

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function makeJwt(privateKey: KeyObject, payload: Record<string, unknown>, alg = 'RS256'): string {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${sign('sha256', Buffer.from(head), privateKey).toString('base64url')}`;
}

describe('emulator key-pair JWT verification', function () {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const fp = publicKeyFingerprint(publicKey);
  let user: DirectoryUser;
  const now = Date.now();
  const good = { iss: `ACCT.ALICE.${fp}`, sub: 'ACCT.ALICE', iat: now, exp: now + 120_000 };

  before(function () {
    const users = new UserDirectory();
    user = users.add({
      name: 'alice',
      rsaPublicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    });
  });

  it('accepts the driver-style token (iat/exp in milliseconds)', function () {
    expect(verifyLoginJwt(makeJwt(privateKey, good), user, 'acct', now)).to.equal(true);
  });

  it('accepts standard NumericDate seconds too', function () {
    const payload = { ...good, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 60 };
    expect(verifyLoginJwt(makeJwt(privateKey, payload), user, 'ACCT', now)).to.equal(true);
  });

  it('refuses an expired token', function () {
    const payload = { ...good, iat: now - 3_600_000, exp: now - 600_000 };
    expect(verifyLoginJwt(makeJwt(privateKey, payload), user, 'ACCT', now)).to.equal(false);
  });

  it('refuses a token living longer than an hour', function () {
    const payload = { ...good, exp: now + 24 * 3_600_000 };
    expect(verifyLoginJwt(makeJwt(privateKey, payload), user, 'ACCT', now)).to.equal(false);
  });

  it('refuses a token signed by another key under the registered fingerprint', function () {
    expect(verifyLoginJwt(makeJwt(other.privateKey, good), user, 'ACCT', now)).to.equal(false);
  });

  it('refuses a tampered payload', function () {
    const [h, , s] = makeJwt(privateKey, good).split('.');
    const forged = `${h}.${b64({ ...good, sub: 'ACCT.ALICE', exp: now + 200_000 })}.${s}`;
    expect(verifyLoginJwt(forged, user, 'ACCT', now)).to.equal(false);
  });

  it('refuses the wrong account, subject or algorithm', function () {
    expect(verifyLoginJwt(makeJwt(privateKey, good), user, 'OTHER', now)).to.equal(false);
    expect(verifyLoginJwt(makeJwt(privateKey, { ...good, sub: 'ACCT.BOB' }), user, 'ACCT', now)).to.equal(
      false,
    );
    expect(verifyLoginJwt(makeJwt(privateKey, good, 'none'), user, 'ACCT', now)).to.equal(false);
  });

  it('refuses garbage without throwing', function () {
    for (const token of ['', 'a.b', 'a.b.c', '...', 'x'.repeat(5000)]) {
      expect(verifyLoginJwt(token, user, 'ACCT', now)).to.equal(false);
    }
  });
});
