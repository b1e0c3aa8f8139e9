/**
 * config.toml's settings as a reload re-derives them from a real file: the command line and the
 * environment keep winning, a key taken out of the file falls back to its built-in default, and
 * the changed keys are sorted into those the reload applies and those that wait for a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cliArgv, setCliArgv } from '../../src/cli/argv.js';
import { argsWithConfig, settingChanges } from '../../src/cli/reload-settings.js';
import { readSmcpConfig } from '../../src/config/smcp-config.js';
import type { SmcpConfig } from '../../src/config/smcp-config.js';

describe('settings re-read for a reload', () => {
  let dir: string;
  let saved: readonly string[];
  const config = (text: string): SmcpConfig => {
    const file = join(dir, 'config.toml');
    writeFileSync(file, text, { mode: 0o600 });
    return readSmcpConfig(file);
  };
  // As the daemon parsed them: --port and --max-rows given, max_bytes and warehouse from the file,
  // the built-in defaults yargs fills in.
  const started = {
    port: 0,
    host: '127.0.0.1',
    stateless: false,
    allowWrite: false,
    allowDdl: false,
    logLevel: 'info',
    maxRows: 7,
    maxBytes: 4096,
    format: undefined,
    drainTimeout: 30,
    warehouse: 'W1',
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smcp-reload-settings-'));
    saved = cliArgv();
    setCliArgv(['start', '--foreground', '--port', '0', '--max-rows', '7']);
  });
  afterEach(() => {
    setCliArgv(saved);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the file again for what the command line did not give, and the defaults for keys taken out', () => {
    const file = config('port = 9000\nmax_rows = 3\nformat = "csv"\nwarehouse = "W2"\n');
    const { args, fromFile } = argsWithConfig(started, file, 'start', {});
    expect(args).to.include({ port: 0, maxRows: 7, format: 'csv', warehouse: 'W2', drainTimeout: 30 });
    // max_bytes is no longer in the file: unset again, so the settings layer applies its default.
    expect(args).to.not.have.property('maxBytes');
    expect(fromFile.get('warehouse')).to.equal('W2');
    expect(fromFile.has('port')).to.equal(false);
  });

  it('lets an environment variable that outranks the file keep its say', () => {
    const file = config('warehouse = "W2"\n');
    const { args, fromFile } = argsWithConfig(started, file, 'start', { SNOWFLAKE_WAREHOUSE: 'FROM_ENV' });
    expect(args.warehouse).to.equal('W1');
    expect(fromFile.has('warehouse')).to.equal(false);
  });

  it('names the keys it applies apart from those that wait for a restart', () => {
    const file = config('host = "::1"\nformat = "json"\ndrain_timeout = 5\nmax_bytes = 4096\n');
    const { args } = argsWithConfig(started, file, 'start', {});
    expect(settingChanges(started, started, args)).to.deep.equal({
      settings: ['format'],
      needsRestart: ['host', 'drain_timeout'],
    });
    // Once applied, the next reload of the same file applies nothing new but still names the rest.
    expect(settingChanges(started, args, args)).to.deep.equal({
      settings: [],
      needsRestart: ['host', 'drain_timeout'],
    });
  });
});
