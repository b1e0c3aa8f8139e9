import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(run.stdout).to.contain("embedded emulator's SAMPLE DATA");
  });

  it('refuses connections that exist but are not chosen, instead of serving sample data (exit 2, one line)', async () => {
    writeConnections(
      home,
      '[prod]\naccount = "a1"\nuser = "u"\npassword = "p"\n[dev]\naccount = "a2"\nuser = "u"\npassword = "p"\n',
    );
    for (const action of ['validate', 'show']) {
      const run = await runSmcp(['config', action], home.env);
      expect(run.code, run.stdout).to.equal(2);
      expect(run.stderr).to.equal(
        'smcp: ~/.snowflake/connections.toml has connections "prod", "dev" but none is chosen: pass --connection NAME, ' +
          'set SNOWFLAKE_DEFAULT_CONNECTION_NAME, or set default_connection_name in ~/.snowflake/config.toml [CONNECTION_UNKNOWN]\n',
      );
      expect(run.stdout).not.to.match(/emulator/i);
    }
  });

  it('honours default_connection_name in ~/.snowflake/config.toml, SNOWFLAKE_DEFAULT_CONNECTION_NAME over it, and refuses it in connections.toml', async () => {
    const file = writeConnections(
      home,
      '[prod]\naccount = "a1"\nuser = "u"\npassword = "p"\n[dev]\naccount = "a2"\nuser = "u"\npassword = "p"\n',
    );
    const configFile = join(home.home, '.snowflake', 'config.toml');
    writeFileSync(configFile, 'default_connection_name = "dev"\n', { mode: 0o600 });
    const fromFile = await runSmcp(['config', 'validate'], home.env);
    expect(fromFile.code, fromFile.stderr).to.equal(0);
    expect(fromFile.stdout).to.contain('connection "dev" is valid (account a2)');
    const fromEnv = await runSmcp(['config', 'validate'], {
      ...home.env,
      SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'prod',
    });
    expect(fromEnv.stdout).to.contain('connection "prod" is valid (account a1)');

    rmSync(configFile);
    writeFileSync(file, `default_connection_name = "dev"\n${readFileSync(file, 'utf8')}`);
    const misplaced = await runSmcp(['config', 'validate'], home.env);
    expect(misplaced.code).to.equal(2);
    expect(misplaced.stderr).to.contain(
      'default_connection_name is not read from this file (snowflake-sdk, the Snowflake CLI and smcp read it from ~/.snowflake/config.toml)',
    );
  });

  it('names a misspelt connection key with the key meant, exit 2', async () => {
    writeConnections(home, '[prod]\nacount = "a1"\nuser = "u"\npassword = "p"\nregion = "us-east-1"\n');
    const run = await runSmcp(['config', 'validate', '--connection', 'prod'], home.env);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal(
      'smcp: ~/.snowflake/connections.toml [prod]: unknown key "acount" (did you mean "account"?) [CONFIG_INVALID]\n',
    );
    writeConnections(home, '[prod]\naccount = "a1"\nuser = "u"\npassword = "p"\nregion = "us-east-1"\n');
    const fixed = await runSmcp(['config', 'show', '--connection', 'prod'], home.env);
    expect(fixed.code, fixed.stderr).to.equal(0);
    expect(fixed.stdout).to.contain('not used by smcp: region');
  });

  it('warns, as the connectors do, when connections.toml holds a password others can read', async () => {
    const file = writeConnections(home, '[default]\naccount = "a1"\nuser = "u"\npassword = "p"\n');
    chmodSync(file, 0o644);
    const run = await runSmcp(['config', 'validate'], home.env);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.equal(
      'smcp: warning: bad owner or permissions on ~/.snowflake/connections.toml: it holds a secret (password) and ' +
        'group or others can read it (mode 644); run chmod 0600 ~/.snowflake/connections.toml\n',
    );
    chmodSync(file, 0o600);
    expect((await runSmcp(['config', 'validate'], home.env)).stderr).to.equal('');
  });

  it('serves the emulator when asked: --emulator, or connection = "emulator" in smcp\'s config.toml', async () => {
    writeConnections(home, '[default]\naccount = "a1"\nuser = "u"\npassword = "p"\n');
    const flag = await runSmcp(['config', 'show', '--json', '--emulator'], home.env);
    expect(flag.code, flag.stderr).to.equal(0);
    const shown = JSON.parse(flag.stdout) as ShowJson & { sampleData: boolean };
    expect(shown).to.deep.include({ configured: false, sampleData: true });
    expect(shown.settings[0]).to.include({ key: 'connection', value: 'emulator', origin: '--emulator' });

    const configDir = join(home.home, '.config', 'smcp');
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.toml'), 'connection = "emulator"\n', { mode: 0o600 });
    const fromConfig = await runSmcp(['config', 'validate'], home.env);
    expect(fromConfig.code, fromConfig.stderr).to.equal(0);
    expect(fromConfig.stdout).to.contain(
      'valid: smcp serves the embedded emulator\'s SAMPLE DATA (asked for: connection "emulator" from ~/.config/smcp/config.toml connection)',
    );
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
