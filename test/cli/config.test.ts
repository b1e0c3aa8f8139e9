import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { isolatedHome, runSmcp } from '../helpers/cli.js';
import type { IsolatedHome } from '../helpers/cli.js';

interface ShowJson {
  configured: boolean;
  settings: { key: string; value: string | number; source: string; origin: string }[];
}

function writeConnections(home: IsolatedHome, text: string): string {
  const dir = join(home.home, '.snowflake');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'connections.toml');
  writeFileSync(file, text);
  chmodSync(file, 0o600);
  return file;
}

describe('smcp config (CLI)', function () {
  this.timeout(20_000);
  let home: IsolatedHome;

  beforeEach(() => {
    home = isolatedHome();
  });
  afterEach(() => home.remove());

  it('says the embedded emulator is used when nothing is configured', async () => {
    const run = await runSmcp(['config', 'show'], home.env);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.contain('embedded emulator');
  });

  it('shows each value with its origin, environment over file, secrets redacted', async () => {
    writeConnections(
      home,
      '[default]\naccount = "myorg-prod"\nuser = "FILE_USER"\npassword = "hunter2-secret"\nwarehouse = "WH"\n',
    );
    const run = await runSmcp(['config', 'show', '--json'], { ...home.env, SNOWFLAKE_USER: 'ENV_USER' });
    expect(run.code, run.stderr).to.equal(0);
    const shown = JSON.parse(run.stdout) as ShowJson;
    const byKey = new Map(shown.settings.map((s) => [s.key, s]));
    expect(shown.configured).to.equal(true);
    expect(byKey.get('account')).to.include({ value: 'myorg-prod', source: 'file' });
    expect(byKey.get('account')?.origin).to.contain('connections.toml [default] account');
    expect(byKey.get('user')).to.include({ value: 'ENV_USER', source: 'env', origin: 'SNOWFLAKE_USER' });
    expect(byKey.get('password')?.source).to.equal('file');
    expect(run.stdout).not.to.contain('hunter2-secret');
  });

  it('lets a flag win over the environment', async () => {
    writeConnections(home, '[default]\naccount = "a1"\nuser = "u"\npassword = "p"\n');
    const run = await runSmcp(['config', 'show', '--json', '--warehouse', 'FLAG_WH'], {
      ...home.env,
      SNOWFLAKE_WAREHOUSE: 'ENV_WH',
    });
    const shown = JSON.parse(run.stdout) as ShowJson;
    expect(shown.settings.find((s) => s.key === 'warehouse')).to.include({
      value: 'FLAG_WH',
      source: 'flag',
    });
  });

  it('rejects malformed TOML with one line naming the file and position, exit 2, no stack trace', async () => {
    const file = writeConnections(home, '[default]\naccount = "a1\nuser = "u"\n');
    const run = await runSmcp(['config', 'validate'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain(file.replace(home.home, '~'));
    expect(run.stderr).to.match(/line \d+/);
    expect(run.stderr.trim().split('\n')).to.have.length(1);
    expect(run.stderr).not.to.match(/\n\s+at /);
  });

  it('names the known connections when an unknown one is asked for', async () => {
    writeConnections(
      home,
      '[prod]\naccount = "a1"\nuser = "u"\npassword = "p"\n[dev]\naccount = "a2"\nuser = "u"\npassword = "p"\n',
    );
    const run = await runSmcp(['config', 'validate', '--connection', 'staging'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('staging');
    expect(run.stderr).to.contain('prod, dev');
    expect(run.stderr).to.contain('[CONNECTION_UNKNOWN]');
  });

  it('reports a missing private key file as KEY_FILE, exit 2', async () => {
    writeConnections(
      home,
      '[default]\naccount = "a1"\nuser = "u"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "/nonexistent/key.p8"\n',
    );
    const run = await runSmcp(['config', 'validate'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('/nonexistent/key.p8');
    expect(run.stderr).to.contain('[KEY_FILE]');
  });

  it('reports a missing account for a named connection, naming the field', async () => {
    writeConnections(home, '[default]\nuser = "u"\npassword = "p"\n');
    const run = await runSmcp(['config', 'validate'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/missing account/);
  });

  it('refuses a private key path that is not a regular file (/dev/zero, a directory) at once, exit 2', async () => {
    for (const path of ['/dev/zero', home.home]) {
      writeConnections(
        home,
        `[default]\naccount = "a1"\nuser = "u"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "${path}"\n`,
      );
      const run = await runSmcp(['config', 'validate'], home.env, 10_000);
      expect(run.code, `${path}: ${run.stderr}`).to.equal(2);
      expect(run.stderr).to.contain(path).and.to.contain('[KEY_FILE]');
      expect(run.stderr).to.match(/not a regular file|is a directory/);
    }
  });

  it('refuses what smcp start would refuse: a token file that is a directory, a public bind without a token', async () => {
    const configDir = join(home.home, '.config', 'smcp');
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    const configFile = join(configDir, 'config.toml');
    writeFileSync(configFile, `auth_token_file = "${home.home}"\n`, { mode: 0o600 });
    const tokenDir = await runSmcp(['config', 'validate'], home.env);
    expect(tokenDir.code, tokenDir.stderr).to.equal(2);
    expect(tokenDir.stderr).to.contain(home.home).and.to.contain('is a directory');

    writeFileSync(configFile, 'host = "0.0.0.0"\n', { mode: 0o600 });
    const publicHost = await runSmcp(['config', 'validate'], home.env);
    expect(publicHost.code, publicHost.stderr).to.equal(2);
    expect(publicHost.stderr).to.contain('without a bearer token');
    const withToken = await runSmcp(['config', 'validate'], {
      ...home.env,
      SMCP_TOKEN: 'a-long-enough-test-token',
    });
    expect(withToken.code, withToken.stderr).to.equal(0);

    const flag = await runSmcp(['config', 'validate', '--host', '10.1.2.3'], home.env);
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.contain('10.1.2.3');
  });
});
