import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import yargs from 'yargs';
import { applySmcpConfig } from '../../src/cli/config-defaults.js';
import { SMCP_CONFIG_KEYS, readSmcpConfig, smcpConfigTemplate } from '../../src/config/smcp-config.js';
import type { SmcpConfig } from '../../src/config/smcp-config.js';
import { SmcpError } from '../../src/errors.js';

function thrown(fn: () => unknown): SmcpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SmcpError) return err;
    throw err;
  }
  throw new Error('expected an SmcpError');
}

describe("smcp's config.toml", () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smcp-config-'));
    file = join(dir, 'config.toml');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(text: string, mode = 0o600): void {
    writeFileSync(file, text);
    chmodSync(file, mode);
  }

  it('reports a missing file as absent with no values', () => {
    expect(readSmcpConfig(file)).to.deep.include({ file, exists: false, values: {} });
  });

  it('reads snake_case and kebab-case keys into option names, lists and ~ paths', () => {
    write(
      [
        'port = 9100',
        'max_rows = 5',
        '"allow-write" = true',
        'format = "csv"',
        'allowed_origin = ["https://a.example", "https://b.example"]',
        'cors_origin = "https://c.example"',
        'auth_token_file = "~/token"',
        'drain_timeout = 2.5',
        'warehouse = "WH"',
      ].join('\n'),
    );
    const config = readSmcpConfig(file);
    expect(config.exists).to.equal(true);
    expect(config.values).to.deep.equal({
      port: 9100,
      'max-rows': 5,
      'allow-write': true,
      format: 'csv',
      'allowed-origin': ['https://a.example', 'https://b.example'],
      'cors-origin': ['https://c.example'],
      'auth-token-file': join(homedir(), 'token'),
      'drain-timeout': 2.5,
      warehouse: 'WH',
    });
    expect(config.spelled['max-rows']).to.equal('max_rows');
    expect(config.spelled['allow-write']).to.equal('allow-write');
  });

  it('refuses an unknown key, naming the file and the key', () => {
    write('port = 9100\nmax_row = 5\n');
    const err = thrown(() => readSmcpConfig(file));
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.contain(file.replace(homedir(), '~'));
    expect(err.message).to.contain('unknown key "max_row"');
    expect(err.message).to.contain('max_rows');
    expect(err.details).to.include({ file, field: 'max_row' });
  });

  it('refuses a table as an unknown key', () => {
    write('[server]\nport = 1\n');
    expect(thrown(() => readSmcpConfig(file)).message).to.contain('unknown key "server"');
  });

  for (const [line, key, expected] of [
    ['max_rows = "5"', 'max_rows', 'a positive integer, got "5"'],
    ['port = 70000', 'port', 'an integer from 0 to 65535, got 70000'],
    ['max_bytes = 1.5', 'max_bytes', 'a positive integer, got 1.5'],
    ['allow_write = "yes"', 'allow_write', 'true or false, got "yes"'],
    ['format = "xml"', 'format', 'one of "markdown", "csv", "json", got "xml"'],
    ['allowed_host = [1, 2]', 'allowed_host', 'a string or a list of non-empty strings, got [1,2]'],
    ['warehouse = ""', 'warehouse', 'a non-empty string, got ""'],
  ] as const) {
    it(`refuses ${line}, naming the file, key and expected type`, () => {
      write(`${line}\n`);
      const err = thrown(() => readSmcpConfig(file));
      expect(err.code).to.equal('CONFIG_INVALID');
      expect(err.message).to.contain(`config.toml ${key}: expected ${expected}`);
      expect(err.details).to.include({ file, field: key });
    });
  }

  it('refuses secrets and says where they belong', () => {
    write('password = "hunter2"\n');
    const err = thrown(() => readSmcpConfig(file));
    expect(err.message).to.contain('password: secrets do not belong in this file');
    expect(err.message).to.contain('connections.toml');
    expect(err.message).not.to.contain('hunter2');
    write('token = "abc"\n');
    expect(thrown(() => readSmcpConfig(file)).message).to.contain('auth_token_file');
  });

  it('refuses one option set twice in both spellings', () => {
    write('max_rows = 5\nmax-rows = 6\n');
    expect(thrown(() => readSmcpConfig(file)).message).to.match(/"max-rows" and "max_rows" set the same/);
  });

  it('reports a TOML syntax error with the file, line and column', () => {
    write('port = 9100\nhost = "127.0.0.1\nmax_rows = 5\n');
    const err = thrown(() => readSmcpConfig(file));
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.match(/config\.toml: invalid TOML at line 2, column \d+/);
    expect(err.details.file).to.equal(file);
  });

  it('refuses a file others may write to', () => {
    write('port = 1\n', 0o666);
    expect(thrown(() => readSmcpConfig(file)).message).to.contain('writable by group or others');
  });

  it('writes a template that sets nothing as is and is valid with every key uncommented', () => {
    const template = smcpConfigTemplate();
    write(template);
    expect(readSmcpConfig(file).values).to.deep.equal({});
    expect(template).to.contain('connections.toml');
    expect(template).to.match(/no secrets/i);

    write(template.replace(/^# (\w+ = )/gm, '$1'));
    const all = readSmcpConfig(file).values;
    expect(Object.keys(all).sort()).to.deep.equal(SMCP_CONFIG_KEYS.map((k) => k.key).sort());
    expect(all).to.include({ port: 8000, 'max-rows': 1000, 'log-level': 'info', 'allow-write': false });
  });

  describe('as yargs defaults', () => {
    const config: SmcpConfig = {
      file: '/x/config.toml',
      exists: true,
      values: { 'max-rows': 5, port: 9100, warehouse: 'CFG_WH', 'allow-write': true },
      spelled: {},
      sqlTools: [],
      connectionOptions: {},
    };

    async function parse(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
      const parser = yargs(argv)
        .option('max-rows', { type: 'number' })
        .option('warehouse', { type: 'string' })
        .option('allow-write', { type: 'boolean', default: false })
        .strict()
        .exitProcess(false)
        .fail((message, err) => {
          throw err ?? new Error(message);
        });
      return await applySmcpConfig(parser, { config, env }).parseAsync();
    }

    it('fills options the command defines and ignores keys it does not (strict mode intact)', async () => {
      const args = await parse([]);
      expect(args).to.include({ maxRows: 5, warehouse: 'CFG_WH', allowWrite: true });
      expect(args).not.to.have.property('port');
    });

    it('lets a command-line flag win, --no-<flag> included', async () => {
      expect(await parse(['--max-rows', '7', '--no-allow-write'])).to.include({
        maxRows: 7,
        allowWrite: false,
      });
    });

    it('lets a SNOWFLAKE_* variable win over the file for connection keys', async () => {
      const args = await parse([], { SNOWFLAKE_WAREHOUSE: 'ENV_WH' });
      expect(args.warehouse).to.equal(undefined);
    });
  });
});
