import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { connect, destroy, execute } from '../emulator/server/driver.js';
import { makeKeys } from '../emulator/server/harness.js';
import { isolatedHome, portAnswers, readJsonOutput, runSmcp, startSmcp, stopChild } from '../helpers/cli.js';
import type { IsolatedHome } from '../helpers/cli.js';

interface EmulatorDetails {
  url: string;
  account: string;
  user: string;
  password: string;
  host: string;
  port: number;
  rsaPublicKeyFp?: string;
}

describe('smcp emulator (CLI)', function () {
  this.timeout(30_000);
  let home: IsolatedHome;

  beforeEach(() => {
    home = isolatedHome();
  });
  afterEach(() => home.remove());

  it('serves the Snowflake wire protocol to snowflake-sdk and stops cleanly on SIGTERM', async () => {
    const child = startSmcp(['emulator', '--port', '0', '--json', '--password', 'cli-secret'], home.env);
    try {
      const details = await readJsonOutput<EmulatorDetails>(child);
      expect(details.host).to.equal('127.0.0.1');
      expect(details.password).to.equal('cli-secret');
      const conn = await connect(details, {
        username: details.user,
        password: details.password,
        warehouse: 'COMPUTE_WH',
      });
      const { rows } = await execute(conn, 'SELECT COUNT(*) AS N FROM SAMPLE_DB.SALES.EVENTS');
      expect(Number(rows[0]?.N)).to.equal(1_000_000);
      await new Promise<void>((resolve) => conn.destroy(() => resolve()));
      expect(await stopChild(child, 'SIGTERM')).to.equal(0);
      expect(await portAnswers(details.port)).to.equal(false);
    } finally {
      await stopChild(child, 'SIGKILL');
    }
  });

  it('registers --rsa-public-key for the user, so key-pair login works', async () => {
    const keys = makeKeys();
    const publicFile = join(keys.dir, 'registered.pub');
    writeFileSync(publicFile, keys.registered.publicPem);
    const child = startSmcp(
      ['emulator', '--port', '0', '--json', '--no-sample-data', '--rsa-public-key', publicFile],
      home.env,
    );
    try {
      const details = await readJsonOutput<EmulatorDetails>(child);
      expect(details.rsaPublicKeyFp).to.match(/^SHA256:[A-Za-z0-9+/]+=*$/);
      const conn = await connect(details, {
        username: details.user,
        authenticator: 'SNOWFLAKE_JWT',
        privateKeyPath: keys.registered.plainPath,
      });
      const { rows } = await execute(conn, 'SELECT CURRENT_USER() AS U');
      expect(rows).to.deep.equal([{ U: details.user }]);
      await destroy(conn);
      expect(await stopChild(child, 'SIGTERM')).to.equal(0);
    } finally {
      await stopChild(child, 'SIGKILL');
      keys.remove();
    }
  });

  it('refuses an --rsa-public-key file that holds no RSA public key, naming the flag', async () => {
    const keys = makeKeys();
    try {
      const run = await runSmcp(
        ['emulator', '--port', '0', '--rsa-public-key', keys.registered.plainPath],
        home.env,
      );
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('--rsa-public-key');
      const missing = await runSmcp(
        ['emulator', '--port', '0', '--rsa-public-key', join(keys.dir, 'nope.pub')],
        home.env,
      );
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.contain('--rsa-public-key');
    } finally {
      keys.remove();
    }
  });

  it('refuses a non-loopback --host with a usage error naming the flag', async () => {
    const run = await runSmcp(['emulator', '--host', '0.0.0.0', '--port', '0'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/--host must be a loopback address/);
    expect(run.stderr).not.to.match(/\n\s+at /);
  });

  it('refuses a result budget or lifetime that is not a positive number, naming the flag', async () => {
    for (const flag of ['--result-memory-mb', '--result-disk-mb', '--result-lifetime-hours']) {
      const run = await runSmcp(['emulator', '--port', '0', flag, '0'], home.env);
      expect(run.code, flag).to.equal(2);
      expect(run.stderr, flag).to.contain(`${flag} must be a positive number, got 0`);
    }
  });

  it('refuses a port out of range with exit code 2', async () => {
    const run = await runSmcp(['emulator', '--port', '70000'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('--port must be a whole number from 0 to 65535');
  });
});

describe('smcp command line', function () {
  this.timeout(20_000);
  let home: IsolatedHome;

  beforeEach(() => {
    home = isolatedHome();
  });
  afterEach(() => home.remove());

  it('prints its version', async () => {
    const run = await runSmcp(['--version'], home.env);
    expect(run.code).to.equal(0);
    expect(run.stdout.trim()).to.match(/^\d+\.\d+\.\d+/);
  });

  it('answers an unknown command with a usage error, a hint and exit code 2', async () => {
    const run = await runSmcp(['frobnicate'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('frobnicate');
    expect(run.stderr).to.contain("Run 'smcp --help' for usage.");
  });

  it('answers an unknown flag with exit code 2', async () => {
    const run = await runSmcp(['config', 'show', '--bogus-flag'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/bogus-flag/);
  });
});
