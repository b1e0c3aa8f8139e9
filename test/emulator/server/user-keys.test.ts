/**
 * Key-pair credentials registered in SQL, through the real driver: ALTER USER … SET RSA_PUBLIC_KEY
 * (bare base64, as Snowflake takes it) makes SNOWFLAKE_JWT login work, DESC USER shows the key's
 * fingerprint, RSA_PUBLIC_KEY_2 rotates, UNSET ends key-pair login; bad keys and other users'
 * keys are refused.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, makeKeys, startTestEmulator, type KeyDir } from './harness.js';

type Failure = { code?: unknown; sqlState?: unknown; message?: unknown };

function failureOf(promise: Promise<unknown>): Promise<Failure | undefined> {
  return promise.then(
    () => undefined,
    (e: Failure) => e,
  );
}

/** The key as ALTER USER takes it: base64 DER without the BEGIN/END lines. */
function bare(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

function fingerprint(pem: string): string {
  const der = createPublicKey(pem).export({ format: 'der', type: 'spki' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

describe('emulator wire server: RSA keys registered with ALTER USER', function () {
  let emulator: RunningEmulator;
  let keys: KeyDir;
  let alice: Connection;

  const keyLogin = (privateKeyPath: string, username = 'alice'): Promise<Connection> =>
    connect(emulator, { username, authenticator: 'SNOWFLAKE_JWT', privateKeyPath });

  before(async function () {
    keys = makeKeys();
    // ALICE starts without a key; CAROL is a plain user.
    emulator = await startTestEmulator();
    emulator.addUser({ name: 'CAROL', password: 'carol-secret' });
    alice = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
  });

  after(async function () {
    await destroy(alice);
    await emulator.close();
    keys.remove();
  });

  it('refuses key-pair login before a key is registered (390144)', async function () {
    const err = await failureOf(keyLogin(keys.registered.plainPath));
    expect(err?.code).to.equal('390144');
  });

  it('registers RSA_PUBLIC_KEY, shows its fingerprint in DESC USER, and key-pair login works', async function () {
    const { rows } = await execute(
      alice,
      `ALTER USER alice SET RSA_PUBLIC_KEY = '${bare(keys.registered.publicPem)}'`,
    );
    expect(rows).to.deep.equal([{ status: 'Statement executed successfully.' }]);
    const described = await execute(alice, 'DESC USER alice');
    const property = (name: string): unknown =>
      (described.rows as { property: string; value: string }[]).find((r) => r.property === name)?.value;
    expect(property('RSA_PUBLIC_KEY_FP')).to.equal(fingerprint(keys.registered.publicPem));
    expect(property('RSA_PUBLIC_KEY')).to.equal(bare(keys.registered.publicPem));
    expect(property('RSA_PUBLIC_KEY_2_FP')).to.equal('null');
    const conn = await keyLogin(keys.registered.plainPath);
    try {
      const { rows: who } = await execute(conn, 'SELECT CURRENT_USER() AS U');
      expect(who).to.deep.equal([{ U: 'ALICE' }]);
    } finally {
      await destroy(conn);
    }
  });

  it('rotates with RSA_PUBLIC_KEY_2: both keys log in until the first is unset', async function () {
    await execute(alice, `ALTER USER alice SET RSA_PUBLIC_KEY_2 = '${bare(keys.stranger.publicPem)}'`);
    await destroy(await keyLogin(keys.stranger.plainPath));
    await destroy(await keyLogin(keys.registered.plainPath));
    await execute(alice, 'ALTER USER alice UNSET RSA_PUBLIC_KEY');
    const err = await failureOf(keyLogin(keys.registered.plainPath));
    expect(err?.code).to.equal('390144');
    await destroy(await keyLogin(keys.stranger.plainPath));
    await execute(alice, 'ALTER USER alice UNSET RSA_PUBLIC_KEY_2');
    expect((await failureOf(keyLogin(keys.stranger.plainPath)))?.code).to.equal('390144');
  });

  it('takes a PEM key too', async function () {
    await execute(alice, `ALTER USER alice SET RSA_PUBLIC_KEY = '${keys.registered.publicPem.trim()}'`);
    await destroy(await keyLogin(keys.registered.plainPath));
  });

  it('refuses a value that is not an RSA public key (001008), leaving the keys as they were', async function () {
    const err = await failureOf(execute(alice, "ALTER USER alice SET RSA_PUBLIC_KEY = 'bm90IGEga2V5'"));
    expect(err).to.include({ code: '001008', sqlState: '22023' });
    expect(String(err?.message)).to.contain('RSA_PUBLIC_KEY');
    await destroy(await keyLogin(keys.registered.plainPath));
  });

  it("refuses a user without an alice role changing another user's key (003001)", async function () {
    const carol = await connect(emulator, { username: 'carol', password: 'carol-secret' });
    try {
      const err = await failureOf(
        execute(carol, `ALTER USER alice SET RSA_PUBLIC_KEY = '${bare(keys.stranger.publicPem)}'`),
      );
      expect(err?.code).to.equal('003001');
      // Her own key she may set.
      await execute(carol, `ALTER USER carol SET RSA_PUBLIC_KEY = '${bare(keys.stranger.publicPem)}'`);
      await destroy(await keyLogin(keys.stranger.plainPath, 'carol'));
    } finally {
      await destroy(carol);
    }
  });

  it('answers an unknown user with 002003 and other ALTER USER properties with 0A000', async function () {
    expect((await failureOf(execute(alice, 'DESC USER nobody')))?.code).to.equal('002003');
    const other = await failureOf(execute(alice, "ALTER USER alice SET DISPLAY_NAME = 'Al'"));
    expect(other).to.include({ code: '002040', sqlState: '0A000' });
    expect(String(other?.message)).to.contain('DISPLAY_NAME');
  });
});
