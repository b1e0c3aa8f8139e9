/**
 * Which connection smcp chooses and when the embedded emulator may stand in: sample data only when
 * asked for or when no Snowflake settings exist; typos in a connection table named with the key
 * meant; the connectors' warning for a settings file holding a secret that others may read.
 */
import { expect } from 'chai';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmcpError } from '../../src/errors.js';
import { closestConnectorKey, editDistance } from '../../src/snowflake/connection-keys.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';
import type { ConfiguredConnection, ResolveInputs } from '../../src/snowflake/settings.js';
import { OTHER_UID, canSwitchUser } from '../helpers/other-user.js';

describe('snowflake connection choice', () => {
  let home: string;
  let sfHome: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'smcp-choice-'));
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

  function resolve(
    env: Record<string, string> = {},
    flags: ResolveInputs['flags'] = {},
    flagOrigins: ResolveInputs['flagOrigins'] = {},
  ) {
    return resolveConnectionSettings({ env, flags, flagOrigins, home, cwd: home, platform: 'linux' });
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

  const PROD = '[prod]\naccount = "acme-prod"\nuser = "u"\npassword = "p"\n';
  const DEV = '[dev]\naccount = "acme-dev"\nuser = "u"\npassword = "p"\n';

  describe('the emulator only when asked for or when nothing is configured', () => {
    it('refuses connection variables or flags without an account, naming them', () => {
      const err = failure(() => resolve({ SNOWFLAKE_USER: 'someone' }, { warehouse: 'WH' }));
      expect(err.code).to.equal('CONFIG_INVALID');
      expect(err.message).to.match(
        /^Snowflake settings are given \(SNOWFLAKE_USER, --warehouse\) but no account: set SNOWFLAKE_ACCOUNT or --account/,
      );
      const fromSmcpConfig = failure(() =>
        resolve({}, { role: 'ANALYST' }, { role: '~/.config/smcp/config.toml role' }),
      );
      expect(fromSmcpConfig.message).to.contain('(~/.config/smcp/config.toml role)');
      const perConnection = failure(() => resolve({ SNOWFLAKE_CONNECTIONS_PROD_ACCOUNT: 'acme' }));
      expect(perConnection.message).to.contain('SNOWFLAKE_CONNECTIONS_PROD_ACCOUNT');
    });

    it('serves the emulator when asked with --emulator, whatever is configured', () => {
      write('connections.toml', PROD + DEV);
      const r = resolve({ SNOWFLAKE_ACCOUNT: 'acme' }, { emulator: true, warehouse: 'WH' });
      expect(r).to.deep.include({ configured: false, requested: true });
      expect(r.connectionName).to.deep.equal({ value: 'emulator', source: 'flag', origin: '--emulator' });
    });

    it('refuses --emulator beside --connection or --account from the command line', () => {
      const clash = failure(() => resolve({}, { emulator: true, connection: 'prod' }));
      expect(clash.code).to.equal('USAGE');
      expect(clash.message).to.equal('--emulator and --connection prod contradict each other; drop one');
      expect(failure(() => resolve({}, { emulator: true, account: 'acme' })).code).to.equal('USAGE');
      // smcp's config.toml only sets defaults: --emulator on the command line outranks them.
      const r = resolve({}, { emulator: true, connection: 'prod' }, { connection: 'config.toml connection' });
      expect(r.configured).to.equal(false);
    });

    it('serves the emulator for the connection name "emulator" unless a connection has that name', () => {
      write('connections.toml', PROD);
      const byFlag = resolve({}, { connection: 'emulator' });
      expect(byFlag).to.deep.include({ configured: false, requested: true });
      expect(byFlag.connectionName.origin).to.equal('--connection');
      const byEnv = resolve({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'emulator' });
      expect(byEnv).to.deep.include({ configured: false, requested: true });
      expect(byEnv.connectionName.origin).to.equal('SNOWFLAKE_DEFAULT_CONNECTION_NAME');
      write('connections.toml', PROD + '[emulator]\naccount = "shared-emu"\nuser = "u"\npassword = "p"\n');
      expect(configured({}, { connection: 'emulator' }).settings.account.value).to.equal('shared-emu');
    });

    it('names every file that defines connections when none is chosen', () => {
      write('config.toml', '[connections.ci]\naccount = "ci"\nuser = "u"\npassword = "p"\n');
      write('connections.toml', PROD);
      const err = failure(() => resolve());
      expect(err.message).to.match(
        /^~\/\.snowflake\/config\.toml and ~\/\.snowflake\/connections\.toml have connections "ci", "prod" but none is chosen/,
      );
    });
  });

  describe('default_connection_name', () => {
    it('is read from config.toml beside connections.toml, and SNOWFLAKE_DEFAULT_CONNECTION_NAME wins', () => {
      write('connections.toml', PROD + DEV);
      write('config.toml', 'default_connection_name = "dev"\n');
      expect(configured().connectionName.origin).to.equal('~/.snowflake/config.toml default_connection_name');
      expect(configured().settings.account.value).to.equal('acme-dev');
      const fromEnv = configured({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'prod' });
      expect(fromEnv.connectionName).to.deep.include({ value: 'prod', source: 'env' });
      expect(configured({}, { connection: 'prod' }).settings.account.value).to.equal('acme-prod');
    });

    it('is refused at the top of connections.toml, where no connector reads it', () => {
      write('connections.toml', 'default_connection_name = "prod"\n' + PROD + DEV);
      const err = failure(() => resolve());
      expect(err.code).to.equal('CONFIG_INVALID');
      expect(err.message).to.equal(
        '~/.snowflake/connections.toml: default_connection_name is not read from this file (snowflake-sdk, ' +
          'the Snowflake CLI and smcp read it from ~/.snowflake/config.toml); move it there, or set SNOWFLAKE_DEFAULT_CONNECTION_NAME',
      );
      write('connections.toml', 'account = "acme"\n' + PROD);
      expect(failure(() => resolve()).message).to.equal(
        '~/.snowflake/connections.toml: "account" sits outside any connection table; put it under [default] or a [NAME] table',
      );
    });
  });

  describe('keys of a connection table', () => {
    it('names a misspelt key with the key meant', () => {
      const cases: [string, string][] = [
        [
          'acount = "acme-prod"\nuser = "u"\npassword = "p"\n',
          'unknown key "acount" (did you mean "account"?)',
        ],
        ['account = "a"\nuser = "u"\npasswrod = "p"\n', 'unknown key "passwrod" (did you mean "password"?)'],
        [
          'account = "a"\nuser = "u"\npassword = "p"\nwarehose = "WH"\n',
          'unknown key "warehose" (did you mean "warehouse"?)',
        ],
        [
          'account = "a"\nuser = "u"\npassword = "p"\nclient_sesion_keep_alive = true\n',
          'unknown key "client_sesion_keep_alive" (did you mean "client_session_keep_alive"?)',
        ],
      ];
      for (const [body, expected] of cases) {
        const file = write('connections.toml', `[prod]\n${body}`);
        const err = failure(() => resolve({}, { connection: 'prod' }));
        expect(err.code).to.equal('CONFIG_INVALID');
        expect(err.message).to.equal(`~/.snowflake/connections.toml [prod]: ${expected}`);
        expect(err.details).to.deep.equal({ file, field: expected.split('"')[1] });
      }
    });

    it('accepts every key the connectors use, in their spellings, passing over those smcp does not use', () => {
      const others = [
        'region = "us-east-1"',
        'login_timeout = 30',
        'client_session_keep_alive = true',
        'authenticator = "SNOWFLAKE"',
        'private_key_file_pwd = "x"',
        'protocol = "https"',
        'port = 443',
        'host = "acme-prod.snowflakecomputing.com"',
        'oauth_client_id = "id"',
        'workload_identity_provider = "AWS"',
        'clientSessionKeepAliveHeartbeatFrequency = 900',
        'QUERY_TAG = "x"',
        'session_parameters = { QUERY_TAG = "y" }',
        'my_team_note = "not a Snowflake key"',
      ];
      write('connections.toml', `${PROD}${others.join('\n')}\n`);
      const c = configured({}, { connection: 'prod' });
      expect(c.passedOver).to.deep.equal([
        { key: 'region', known: true },
        { key: 'login_timeout', known: true },
        { key: 'client_session_keep_alive', known: true },
        { key: 'oauth_client_id', known: true },
        { key: 'workload_identity_provider', known: true },
        { key: 'clientSessionKeepAliveHeartbeatFrequency', known: true },
        { key: 'QUERY_TAG', known: true },
        { key: 'session_parameters', known: true },
        { key: 'my_team_note', known: false },
      ]);
      expect(c.settings.port?.value).to.equal(443);
    });

    it('reads the camelCase spellings snowflake-sdk accepts', () => {
      writeFileSync(join(home, 'key.p8'), 'not read: checkFiles is off');
      write('connections.toml', '[prod]\naccount = "a"\nuser = "u"\nprivateKeyPath = "~/key.p8"\n');
      const c = resolveConnectionSettings({
        env: {},
        flags: { connection: 'prod' },
        home,
        cwd: home,
        platform: 'linux',
        checkFiles: false,
      });
      if (!c.configured) throw new Error('expected a configured connection');
      expect(c.settings.privateKeyPath).to.deep.include({
        value: join(home, 'key.p8'),
        origin: '~/.snowflake/connections.toml [prod] privateKeyPath',
      });
      expect(c.settings.authenticator.value).to.equal('SNOWFLAKE_JWT');
    });

    it('counts a swap of two letters as one edit, and suggests nothing far from every key', () => {
      expect(editDistance('passwrod', 'password')).to.equal(1);
      expect(editDistance('acount', 'account')).to.equal(1);
      expect(closestConnectorKey('usr')).to.equal('user');
      expect(closestConnectorKey('account')).to.equal(undefined);
      expect(closestConnectorKey('my_team_note')).to.equal(undefined);
    });
  });

  describe('permissions of a file holding a secret', () => {
    it('warns as the connectors do when group or others can read it, naming the file and chmod 0600', () => {
      write('connections.toml', PROD, 0o644);
      const r = configured({}, { connection: 'prod' });
      expect(r.warnings).to.deep.equal([
        'bad owner or permissions on ~/.snowflake/connections.toml: it holds a secret (password) and group or ' +
          'others can read it (mode 644); run chmod 0600 ~/.snowflake/connections.toml',
      ]);
      expect(
        configured({ SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE: 'true' }, { connection: 'prod' })
          .warnings,
      ).to.deep.equal([]);
      write(
        'connections.toml',
        '[prod]\naccount = "a"\nuser = "u"\nauthenticator = "EXTERNALBROWSER"\n',
        0o644,
      );
      expect(configured({}, { connection: 'prod' }).warnings).to.deep.equal([]);
      write('config.toml', '[connections.ci]\naccount = "a"\nuser = "u"\ntoken = "t"\n', 0o640);
      expect(configured({}, { connection: 'prod' }).warnings?.[0]).to.match(
        /^bad owner or permissions on ~\/\.snowflake\/config\.toml: it holds a secret \(token\)/,
      );
    });

    it('warns when another user owns it', function () {
      if (!canSwitchUser()) this.skip();
      const file = write('connections.toml', PROD, 0o600);
      chownSync(file, OTHER_UID, OTHER_UID);
      expect(configured({}, { connection: 'prod' }).warnings).to.deep.equal([
        `bad owner or permissions on ~/.snowflake/connections.toml: it holds a secret (password) and it belongs to uid ${OTHER_UID}, not to you; run chown $USER ~/.snowflake/connections.toml`,
      ]);
    });
  });
});
