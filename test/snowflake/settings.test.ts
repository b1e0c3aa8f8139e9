import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDACTED } from '../../src/config/settings-source.js';
import { SmcpError } from '../../src/errors.js';
import { buildDriverOptions } from '../../src/snowflake/driver-options.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';
import type { ConfiguredConnection, ResolveInputs } from '../../src/snowflake/settings.js';
import { describeConnection } from '../../src/snowflake/settings-view.js';

describe('snowflake connection settings', () => {
  let home: string;
  let sfHome: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'smcp-settings-'));
    sfHome = join(home, '.snowflake');
    mkdirSync(sfHome, { mode: 0o700 });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  function write(name: string, text: string, mode = 0o600): string {
    const file = join(sfHome, name);
    writeFileSync(file, text, { mode });
    chmodSync(file, mode);
    return file;
  }

  function resolve(env: Record<string, string> = {}, flags: ResolveInputs['flags'] = {}) {
    return resolveConnectionSettings({ env, flags, home, cwd: home, platform: 'linux' });
  }

  function configured(
    env: Record<string, string> = {},
    flags: ResolveInputs['flags'] = {},
  ): ConfiguredConnection {
    const r = resolve(env, flags);
    if (!r.configured) throw new Error('expected a configured connection');
    return r;
  }

  function failure(fn: () => unknown): SmcpError {
    try {
      fn();
    } catch (err) {
      expect(err).to.be.instanceOf(SmcpError);
      return err as SmcpError;
    }
    throw new Error('expected an SmcpError');
  }

  const BASIC = '[default]\naccount = "acme-prod"\nuser = "alice"\npassword = "s3cret"\n';

  it('stands the emulator in only when no file, variable or flag holds any Snowflake setting', () => {
    const r = resolve({ SNOWFLAKE_HOME: sfHome, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' });
    expect(r).to.deep.include({ configured: false, requested: false });
    expect(r.connectionName).to.deep.include({ value: 'emulator', source: 'default' });
  });

  it('reads the [default] connection of connections.toml and remembers file, table and key', () => {
    write('connections.toml', BASIC);
    const c = configured();
    expect(c.settings.account).to.deep.equal({
      value: 'acme-prod',
      source: 'file',
      origin: '~/.snowflake/connections.toml [default] account',
    });
    expect(c.settings.user?.origin).to.equal('~/.snowflake/connections.toml [default] user');
    expect(c.settings.authenticator).to.deep.include({ value: 'SNOWFLAKE', source: 'default' });
    expect(c.filesRead).to.deep.equal([join(sfHome, 'connections.toml')]);
  });

  it('lets variables override the file and flags override variables', () => {
    write('connections.toml', BASIC + 'warehouse = "FILE_WH"\nrole = "FILE_ROLE"\n');
    const c = configured({ SNOWFLAKE_USER: 'bob', SNOWFLAKE_WAREHOUSE: 'ENV_WH' }, { warehouse: 'FLAG_WH' });
    expect(c.settings.user).to.deep.equal({ value: 'bob', source: 'env', origin: 'SNOWFLAKE_USER' });
    expect(c.settings.warehouse).to.deep.equal({ value: 'FLAG_WH', source: 'flag', origin: '--warehouse' });
    expect(c.settings.role).to.deep.include({ value: 'FILE_ROLE', source: 'file' });
  });

  it('ranks SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> above SNOWFLAKE_<KEY>', () => {
    write('connections.toml', '[prod]\naccount = "acme"\nuser = "file"\npassword = "p"\n');
    const c = configured(
      {
        SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'prod',
        SNOWFLAKE_USER: 'generic',
        SNOWFLAKE_CONNECTIONS_PROD_USER: 'specific',
      },
      {},
    );
    expect(c.settings.user).to.deep.include({ value: 'specific', origin: 'SNOWFLAKE_CONNECTIONS_PROD_USER' });
  });

  it('chooses the connection by flag, then SNOWFLAKE_DEFAULT_CONNECTION_NAME, then config.toml', () => {
    write(
      'connections.toml',
      BASIC +
        '[dev]\naccount = "acme-dev"\nuser = "d"\npassword = "p"\n[prod]\naccount = "acme-prod2"\nuser = "p"\npassword = "p"\n',
    );
    write('config.toml', 'default_connection_name = "dev"\n');
    expect(configured().connectionName).to.deep.equal({
      value: 'dev',
      source: 'file',
      origin: '~/.snowflake/config.toml default_connection_name',
    });
    expect(configured({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'prod' }).settings.account.value).to.equal(
      'acme-prod2',
    );
    const c = configured({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'prod' }, { connection: 'default' });
    expect(c.connectionName).to.deep.include({ value: 'default', source: 'flag', origin: '--connection' });
    expect(c.settings.account.value).to.equal('acme-prod');
  });

  it('reads [connections.<name>] from config.toml, with connections.toml winning for the same name', () => {
    write(
      'config.toml',
      '[connections.dev]\naccount = "from-config"\nuser = "u"\npassword = "p"\n[connections.ci]\naccount = "ci-acct"\nuser = "u"\npassword = "p"\n',
    );
    write('connections.toml', '[dev]\naccount = "from-connections"\nuser = "u"\npassword = "p"\n');
    expect(configured({}, { connection: 'dev' }).settings.account.value).to.equal('from-connections');
    const ci = configured({}, { connection: 'ci' });
    expect(ci.settings.account.origin).to.equal('~/.snowflake/config.toml [ci] account');
  });

  it('honours SNOWFLAKE_HOME', () => {
    const other = join(home, 'elsewhere');
    mkdirSync(other);
    writeFileSync(
      join(other, 'connections.toml'),
      '[default]\naccount = "elsewhere"\nuser = "u"\npassword = "p"\n',
      { mode: 0o600 },
    );
    const c = configured({ SNOWFLAKE_HOME: other });
    expect(c.settings.account.value).to.equal('elsewhere');
  });

  it('builds a connection from variables alone', () => {
    const c = configured({
      SNOWFLAKE_ACCOUNT: 'envacct',
      SNOWFLAKE_USER: 'u',
      SNOWFLAKE_PASSWORD: 'p',
      SNOWFLAKE_PORT: '8443',
    });
    expect(c.settings.account).to.deep.include({ source: 'env', origin: 'SNOWFLAKE_ACCOUNT' });
    expect(c.settings.port?.value).to.equal(8443);
  });

  it('refuses connections that exist when none is chosen, instead of serving sample data', () => {
    write('connections.toml', '[prod]\naccount = "a"\nuser = "u"\npassword = "p"\n[dev]\naccount = "d"\n');
    const err = failure(() => resolve());
    expect(err.code).to.equal('CONNECTION_UNKNOWN');
    expect(err.message).to.equal(
      '~/.snowflake/connections.toml has connections "prod", "dev" but none is chosen: pass --connection NAME, ' +
        'set SNOWFLAKE_DEFAULT_CONNECTION_NAME, or set default_connection_name in ~/.snowflake/config.toml',
    );
    expect(err.details).to.deep.equal({ file: join(sfHome, 'connections.toml'), field: 'connection' });
  });

  it('refuses an unknown connection name and lists the known ones', () => {
    write('connections.toml', BASIC + '[prod]\naccount = "a"\nuser = "u"\npassword = "p"\n');
    const err = failure(() => resolve({}, { connection: 'staging' }));
    expect(err.code).to.equal('CONNECTION_UNKNOWN');
    expect(err.message).to.equal(
      'connection "staging" (from --connection) is not defined in ~/.snowflake/connections.toml; known connections: default, prod',
    );
    expect(err.details.field).to.equal('connection');
  });

  it('reports malformed TOML with file, line and column', () => {
    write('connections.toml', '[default]\naccount = "a"\nuser = = "u"\n');
    const err = failure(() => resolve());
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.match(/^~\/\.snowflake\/connections\.toml: invalid TOML at line 3, column \d+: /);
    expect(err.details.file).to.equal(join(sfHome, 'connections.toml'));
  });

  it('refuses a bad port naming the file, table and key', () => {
    write('connections.toml', BASIC + 'port = "http"\n');
    const err = failure(() => resolve());
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.equal(
      '~/.snowflake/connections.toml [default] port: must be an integer from 1 to 65535 (got "http")',
    );
    expect(err.details).to.deep.include({ field: 'port', file: join(sfHome, 'connections.toml') });
    expect(failure(() => resolve({ SNOWFLAKE_PORT: '70000' })).message).to.match(
      /^SNOWFLAKE_PORT: must be an integer/,
    );
    expect(failure(() => resolve({}, { port: 0 })).message).to.match(/^--snowflake-port: /);
  });

  it('names the CLI flags as the CLI spells them: --snowflake-host/-port/-protocol, none for secrets', () => {
    const port = failure(() => resolve({ SNOWFLAKE_ACCOUNT: 'a', SNOWFLAKE_USER: 'u' }, { port: 'http' }));
    expect(port.message).to.match(/^--snowflake-port: must be an integer/);
    expect(port.details.field).to.equal('--snowflake-port');
    const protocol = failure(() => resolve({}, { protocol: 'ftp' }));
    expect(protocol.message).to.match(/^--snowflake-protocol: must be "http" or "https"/);
    const host = configured(
      { SNOWFLAKE_ACCOUNT: 'a', SNOWFLAKE_USER: 'u', SNOWFLAKE_PASSWORD: 'p' },
      { host: '127.0.0.1' },
    );
    expect(host.settings.host).to.deep.equal({
      value: '127.0.0.1',
      source: 'flag',
      origin: '--snowflake-host',
    });
    // The CLI has no --password (command lines show in ps): the hint must not invent one.
    const password = failure(() => resolve({ SNOWFLAKE_ACCOUNT: 'a', SNOWFLAKE_USER: 'u' }));
    expect(password.message).to.equal(
      'connection "default": missing password for authenticator SNOWFLAKE (set SNOWFLAKE_PASSWORD)',
    );
    write('connections.toml', '[default]\naccount = "a"\nuser = "u"\n');
    expect(failure(() => resolve()).message).to.equal(
      'connection "default": missing password for authenticator SNOWFLAKE (set password in ~/.snowflake/connections.toml [default] or SNOWFLAKE_PASSWORD)',
    );
  });

  it('refuses an unknown authenticator', () => {
    write('connections.toml', BASIC + 'authenticator = "kerberos"\n');
    const err = failure(() => resolve());
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.match(/\[default\] authenticator: must be one of SNOWFLAKE, SNOWFLAKE_JWT/);
  });

  it('refuses a connection table without an account', () => {
    write('connections.toml', '[default]\nuser = "u"\npassword = "p"\n');
    const err = failure(() => resolve());
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.equal(
      'connection "default": missing account (set account in ~/.snowflake/connections.toml [default], SNOWFLAKE_ACCOUNT or --account)',
    );
  });

  it('refuses password authentication without a user', () => {
    const err = failure(() => resolve({ SNOWFLAKE_ACCOUNT: 'a', SNOWFLAKE_PASSWORD: 'p' }));
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.match(/missing user for authenticator SNOWFLAKE/);
  });

  it('refuses a token with the password authenticator', () => {
    const err = failure(() => resolve({ SNOWFLAKE_ACCOUNT: 'a', SNOWFLAKE_USER: 'u', SNOWFLAKE_TOKEN: 't' }));
    expect(err.message).to.match(/set authenticator to OAUTH or PROGRAMMATIC_ACCESS_TOKEN/);
  });

  it('refuses a group-writable connections.toml, as the driver does', () => {
    write('connections.toml', BASIC, 0o664);
    const err = failure(() => resolve());
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.match(/writable by group or others/);
  });

  describe('key pair', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const plainPem = privateKey.export({ type: 'pkcs8', format: 'pem' });
    const encryptedPem = privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'open sesame',
    });

    it('infers SNOWFLAKE_JWT from a key file and resolves ~ in its path', () => {
      writeFileSync(join(home, 'rsa_key.p8'), plainPem, { mode: 0o600 });
      write('connections.toml', '[default]\naccount = "a"\nuser = "u"\nprivate_key_file = "~/rsa_key.p8"\n');
      const c = configured();
      expect(c.settings.authenticator).to.deep.include({ value: 'SNOWFLAKE_JWT', source: 'default' });
      expect(c.settings.privateKeyPath?.value).to.equal(join(home, 'rsa_key.p8'));
      const options = buildDriverOptions(c) as Record<string, unknown>;
      expect(options).to.deep.include({
        authenticator: 'SNOWFLAKE_JWT',
        privateKeyPath: join(home, 'rsa_key.p8'),
      });
    });

    it('refuses a missing key file with KEY_FILE', () => {
      write(
        'connections.toml',
        '[default]\naccount = "a"\nuser = "u"\nauthenticator = "snowflake_jwt"\nprivate_key_file = "/nonexistent/key.p8"\n',
      );
      const err = failure(() => resolve());
      expect(err.code).to.equal('KEY_FILE');
      expect(err.message).to.equal(
        'private key file /nonexistent/key.p8 (from ~/.snowflake/connections.toml [default] private_key_file) does not exist',
      );
    });

    it('refuses an encrypted key without a passphrase and with a wrong one', () => {
      writeFileSync(join(home, 'enc.p8'), encryptedPem, { mode: 0o600 });
      const env = {
        SNOWFLAKE_ACCOUNT: 'a',
        SNOWFLAKE_USER: 'u',
        SNOWFLAKE_PRIVATE_KEY_PATH: join(home, 'enc.p8'),
      };
      const none = failure(() => resolve(env));
      expect(none.code).to.equal('KEY_FILE');
      expect(none.message).to.match(/is encrypted: set private_key_file_pwd or PRIVATE_KEY_PASSPHRASE$/);
      const wrong = failure(() => resolve({ ...env, PRIVATE_KEY_PASSPHRASE: 'nope' }));
      expect(wrong.code).to.equal('KEY_FILE');
      expect(wrong.message).to.match(/cannot be decrypted with the passphrase from PRIVATE_KEY_PASSPHRASE/);
      const ok = configured({ ...env, PRIVATE_KEY_PASSPHRASE: 'open sesame' });
      expect(buildDriverOptions(ok)).to.deep.include({ privateKeyPass: 'open sesame' });
    });

    it('refuses a file that is not a private key', () => {
      writeFileSync(join(home, 'junk.p8'), 'hello', { mode: 0o600 });
      const err = failure(() =>
        resolve({
          SNOWFLAKE_ACCOUNT: 'a',
          SNOWFLAKE_USER: 'u',
          SNOWFLAKE_PRIVATE_KEY_FILE: join(home, 'junk.p8'),
        }),
      );
      expect(err.code).to.equal('KEY_FILE');
      expect(err.message).to.match(/is not a PEM private key/);
    });
  });

  describe('tokens and driver options', () => {
    it('reads an OAuth token from token_file_path', () => {
      writeFileSync(join(home, 'token'), '  tok-123\n', { mode: 0o600 });
      write(
        'connections.toml',
        '[default]\naccount = "a"\nauthenticator = "oauth"\ntoken_file_path = "token"\n',
      );
      const options = buildDriverOptions(configured()) as Record<string, unknown>;
      expect(options).to.deep.include({ authenticator: 'OAUTH', token: 'tok-123' });
    });

    it('refuses a missing token file', () => {
      const err = failure(() =>
        resolve({
          SNOWFLAKE_ACCOUNT: 'a',
          SNOWFLAKE_AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN',
          SNOWFLAKE_TOKEN_FILE_PATH: '/no/such/token',
        }),
      );
      expect(err.code).to.equal('CONFIG_INVALID');
      expect(err.message).to.equal(
        'token file /no/such/token (from SNOWFLAKE_TOKEN_FILE_PATH) does not exist',
      );
    });

    it('points the driver at host, port and protocol and always passes the account', () => {
      const c = configured(
        { SNOWFLAKE_ACCOUNT: 'SMCPLOCAL', SNOWFLAKE_USER: 'u', SNOWFLAKE_PASSWORD: 'p' },
        {
          host: '127.0.0.1',
          port: '4567',
          protocol: 'HTTP',
        },
      );
      expect(buildDriverOptions(c)).to.deep.include({
        account: 'SMCPLOCAL',
        accessUrl: 'http://127.0.0.1:4567',
        username: 'u',
        password: 'p',
        application: 'smcp',
      });
    });

    it('asks the driver to cache browser SSO tokens', () => {
      const c = configured({ SNOWFLAKE_ACCOUNT: 'a', SNOWFLAKE_AUTHENTICATOR: 'externalbrowser' });
      expect(buildDriverOptions(c)).to.deep.include({
        authenticator: 'EXTERNALBROWSER',
        clientStoreTemporaryCredential: true,
      });
    });
  });

  it('redacts secrets for config show but keeps their source', () => {
    write('connections.toml', BASIC);
    const rows = describeConnection(configured({ PRIVATE_KEY_PASSPHRASE: 'pp', SNOWFLAKE_TOKEN: 'tt' }));
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.connection).to.deep.include({ value: 'default', source: 'default' });
    expect(byKey.password).to.deep.equal({
      key: 'password',
      value: REDACTED,
      source: 'file',
      origin: '~/.snowflake/connections.toml [default] password',
    });
    expect(byKey.private_key_file_pwd).to.deep.include({
      value: REDACTED,
      source: 'env',
      origin: 'PRIVATE_KEY_PASSPHRASE',
    });
    expect(byKey.token).to.deep.include({ value: REDACTED, origin: 'SNOWFLAKE_TOKEN' });
    expect(byKey.user).to.deep.include({ value: 'alice' });
    expect(JSON.stringify(rows)).not.to.contain('s3cret');
  });
});
