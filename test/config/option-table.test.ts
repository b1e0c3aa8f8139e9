/**
 * The option table is the one declaration of smcp's settings: it must be well formed, agree with
 * the layers that apply defaults and read environment variables on their own (MCP settings, the
 * Snowflake settings catalogue, the pm2 ecosystem file), and the yargs options every command gets
 * must be exactly the table's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'smol-toml';
import yargs from 'yargs';
import { withTableOptions } from '../../src/cli/option-flags.js';
import { OPTION_COMMANDS } from '../../src/config/options/spec.js';
import type { OptionSpec } from '../../src/config/options/spec.js';
import { CONFIG_OPTIONS, OPTION_TABLE, optionDefault, optionsOf } from '../../src/config/options/table.js';
import { DEFAULT_MCP_SETTINGS } from '../../src/mcp/settings.js';
import { SETTING_SPECS } from '../../src/snowflake/settings-keys.js';

const ALL: readonly OptionSpec[] = OPTION_TABLE;

/** `value` as config.toml would hold it, parsed back by the TOML parser smcp uses. */
function viaToml(text: string): unknown {
  return parse(`value = ${text}`).value;
}

describe('the option table', () => {
  it('declares each option once, kebab-case, with a help line', () => {
    const keys = ALL.map((spec) => spec.key);
    expect(new Set(keys).size, 'distinct keys').to.equal(keys.length);
    for (const spec of ALL) {
      expect(spec.key, spec.key).to.match(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(spec.help.trim(), `help of ${spec.key}`).not.to.equal('');
      expect(spec.commands.length, `commands of ${spec.key}`).to.be.greaterThan(0);
      if (spec.unsetByDefault) expect(spec.default, `default of ${spec.key}`).not.to.equal(undefined);
    }
  });

  it('gives every config.toml key a default or an example its own schema accepts', () => {
    expect(CONFIG_OPTIONS.length).to.be.greaterThan(20);
    for (const spec of CONFIG_OPTIONS) {
      const samples = [
        spec.config.example,
        spec.default === undefined ? undefined : JSON.stringify(spec.default),
      ];
      const given = samples.filter((s): s is string => s !== undefined);
      expect(given, `default or example of ${spec.key}`).not.to.deep.equal([]);
      for (const sample of given) {
        expect(spec.config.schema.safeParse(viaToml(sample)).success, `${spec.key} = ${sample}`).to.equal(
          true,
        );
      }
    }
  });

  it('says the defaults the MCP settings apply', () => {
    const applied: [string, unknown][] = [
      ['max-rows', DEFAULT_MCP_SETTINGS.maxRows],
      ['max-bytes', DEFAULT_MCP_SETTINGS.maxBytes],
      ['timeout', DEFAULT_MCP_SETTINGS.defaultTimeoutSeconds],
      ['tool-prefix', DEFAULT_MCP_SETTINGS.toolPrefix],
      ['format', DEFAULT_MCP_SETTINGS.defaultFormat],
      ['allow-write', DEFAULT_MCP_SETTINGS.allowWrite],
      ['allow-ddl', DEFAULT_MCP_SETTINGS.allowDdl],
    ];
    for (const [key, value] of applied) {
      expect(optionDefault(key as never), key).to.equal(value);
    }
  });

  it('names the environment variables the Snowflake settings catalogue reads, for every flag it has', () => {
    const flagged = SETTING_SPECS.filter((spec) => spec.flag !== undefined);
    expect(flagged.length).to.be.greaterThan(10);
    for (const setting of flagged) {
      const option = ALL.find((spec) => `--${spec.key}` === setting.flag);
      expect(option, `table entry for ${setting.flag}`).not.to.equal(undefined);
      expect(
        option!.env?.map((v) => v.name),
        setting.flag,
      ).to.deep.equal([...setting.envVars]);
    }
  });

  it('repeats its port and host defaults in ecosystem.config.js', async () => {
    const saved = { port: process.env.SMCP_PORT, host: process.env.SMCP_HOST };
    delete process.env.SMCP_PORT;
    delete process.env.SMCP_HOST;
    try {
      const file = new URL('../../ecosystem.config.js', import.meta.url).href;
      const { apps } = (await import(file)) as { apps: { args: string[] }[] };
      const args = apps[0].args;
      expect(args[args.indexOf('--port') + 1]).to.equal(String(optionDefault('port')));
      expect(args[args.indexOf('--host') + 1]).to.equal(optionDefault('host'));
    } finally {
      if (saved.port !== undefined) process.env.SMCP_PORT = saved.port;
      if (saved.host !== undefined) process.env.SMCP_HOST = saved.host;
    }
  });

  describe('as yargs options', () => {
    let dir: string;
    let savedConfigHome: string | undefined;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'smcp-option-table-'));
      savedConfigHome = process.env.XDG_CONFIG_HOME;
      // Each test gets its own config.toml path, so the per-path cache never carries over.
      process.env.XDG_CONFIG_HOME = dir;
    });
    afterEach(() => {
      if (savedConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = savedConfigHome;
      rmSync(dir, { recursive: true, force: true });
    });

    function parser(command: (typeof OPTION_COMMANDS)[number], argv: string[]) {
      const strict = yargs(argv)
        .strict()
        .exitProcess(false)
        .fail((message, err) => {
          throw err ?? new Error(message);
        });
      return withTableOptions(strict, command);
    }

    it('defines for each command exactly the options the table gives it', () => {
      for (const command of OPTION_COMMANDS) {
        const defined = Object.keys(
          (parser(command, []) as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions()
            .key,
        ).filter((key) => key !== 'help' && key !== 'version');
        expect(defined.sort(), command).to.deep.equal(
          optionsOf(command)
            .map((spec) => spec.key)
            .sort(),
        );
      }
    });

    it('fills the defaults the parser applies and leaves the others unset', async () => {
      const start = (await parser('start', []).parseAsync()) as Record<string, unknown>;
      expect(start).to.include({ port: 8000, host: '127.0.0.1', logLevel: 'info', drainTimeout: 30 });
      expect(start).not.to.have.property('maxRows');
      expect(start).not.to.have.property('allowLocalUsers');
      const stdio = (await parser('stdio', []).parseAsync()) as Record<string, unknown>;
      expect(stdio.logLevel).to.equal('warn');
      expect(() => parser('stdio', ['--port', '1']).parseSync()).to.throw(/Unknown argument: port/);
    });

    it("takes config.toml values for the command's own keys only, under the command line", async () => {
      mkdirSync(join(dir, 'smcp'), { mode: 0o700 });
      writeFileSync(join(dir, 'smcp', 'config.toml'), 'max_rows = 5\nport = 9100\ntools = "list_tables"\n', {
        mode: 0o600,
      });
      const stdio = (await parser('stdio', []).parseAsync()) as Record<string, unknown>;
      expect(stdio).to.deep.include({ maxRows: 5, tools: ['list_tables'] });
      expect(stdio).not.to.have.property('port');
      const start = (await parser('start', ['--port', '7']).parseAsync()) as Record<string, unknown>;
      expect(start).to.include({ port: 7, maxRows: 5 });
    });
  });
});
