/**
 * `smcp config init|show|validate`: writes smcp's commented config.toml template; shows which
 * Snowflake connection smcp would use and smcp's own settings, every value with where it came from
 * (secrets redacted); and checks both, exiting 2 with one line naming the bad file and field.
 */
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ensurePrivateDir } from '../../config/paths.js';
import { stringDefault } from '../../config/options/table.js';
import { displayPath } from '../../config/settings-source.js';
import { SMCP_CONFIG_KEYS, smcpConfigTemplate } from '../../config/smcp-config.js';
import type { SmcpConfig } from '../../config/smcp-config.js';
import { SmcpError } from '../../errors.js';
import { loadSmcpConfig, smcpConfigFile } from '../config-defaults.js';
import { connectionFlagOrigins, toConnectionFlags } from '../connection-flags.js';
import { withTableOptions } from '../option-flags.js';
import type { OptionArgs } from '../option-flags.js';
import { say, sayJson, warn } from '../output.js';
import { emulatorWhy } from '../status-view.js';
import { httpOptionsFrom, mcpSettingsFrom } from '../serve-options.js';
import { assertBindAllowed } from '../../transports/http-security.js';
import { resolveConnectionSettings } from '../../snowflake/settings.js';
import type { ResolvedConnection } from '../../snowflake/settings.js';
import { describeConnection } from '../../snowflake/settings-view.js';

type ConfigArgs = OptionArgs<'config show'> & { json: boolean };
type ValidateArgs = OptionArgs<'config validate'> & { json: boolean };
type InitArgs = { force: boolean; print: boolean };

/** One of smcp's own settings as shown by `config show`. */
interface SmcpSettingRow {
  readonly key: string;
  readonly value: unknown;
  readonly origin: string;
}

/** What config.toml sets, in the option table's order, each with the key as the file spells it. */
function smcpRows(config: SmcpConfig): SmcpSettingRow[] {
  const where = displayPath(config.file);
  return SMCP_CONFIG_KEYS.filter((spec) => Object.hasOwn(config.values, spec.key)).map((spec) => {
    const spelled = config.spelled[spec.key] ?? spec.key;
    return { key: spelled, value: config.values[spec.key], origin: `${where} ${spelled}` };
  });
}

function formatValue(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

/** Resolves the connection as the serving commands would, and warns as they would. */
function resolveFromArgs(args: ConfigArgs): ResolvedConnection {
  const resolved = resolveConnectionSettings({
    env: process.env,
    flags: toConnectionFlags(args),
    flagOrigins: connectionFlagOrigins(args),
  });
  for (const line of resolved.warnings ?? []) warn(`smcp: warning: ${line}`);
  return resolved;
}

/** The sentence saying the embedded emulator's sample data would be served, and why. */
function emulatorSentence(resolved: ResolvedConnection): string {
  if (resolved.configured) return '';
  const why = emulatorWhy({ requested: resolved.requested, origin: resolved.connectionName.origin });
  return resolved.requested
    ? `smcp serves the embedded emulator's SAMPLE DATA (${why}).`
    : "No Snowflake settings exist: smcp serves the embedded emulator's SAMPLE DATA (use --connection to serve your account).";
}

function showHandler(args: ArgumentsCamelCase<ConfigArgs>): void {
  const resolved = resolveFromArgs(args);
  const config = loadSmcpConfig();
  const rows = describeConnection(resolved);
  const own = smcpRows(config);
  const passedOver = resolved.configured ? (resolved.passedOver ?? []) : [];
  if (args.json) {
    sayJson({
      configured: resolved.configured,
      sampleData: !resolved.configured,
      ...(resolved.configured ? {} : { emulatorRequested: resolved.requested }),
      filesRead: resolved.filesRead,
      settings: rows,
      passedOver,
      warnings: resolved.warnings ?? [],
      smcpConfig: { file: config.file, exists: config.exists, settings: own },
    });
    return;
  }
  if (!resolved.configured) say(emulatorSentence(resolved));
  const width = Math.max(...rows.map((r) => r.key.length));
  for (const row of rows) say(`${row.key.padEnd(width)}  ${String(row.value)}    (${row.origin})`);
  if (passedOver.length > 0) {
    const keys = passedOver.map((p) => (p.known ? p.key : `${p.key} (unknown to the Snowflake connectors)`));
    say(`not used by smcp: ${keys.join(', ')}`);
  }
  if (resolved.filesRead.length > 0) say(`\nfiles read: ${resolved.filesRead.join(', ')}`);
  if (!config.exists) {
    say(`\nsmcp settings: no ${displayPath(config.file)} (built-in defaults; smcp config init writes one)`);
  } else if (own.length === 0) {
    say(`\nsmcp settings: ${displayPath(config.file)} sets nothing (built-in defaults)`);
  } else {
    say('\nsmcp settings (defaults under command-line flags):');
    const ownWidth = Math.max(...own.map((r) => r.key.length));
    for (const row of own) say(`${row.key.padEnd(ownWidth)}  ${formatValue(row.value)}    (${row.origin})`);
  }
}

/**
 * What `smcp start` with the same settings would refuse before serving: a token file that is not a
 * readable regular file, a non-loopback bind without a token, bad limits. Throws that same error.
 */
function checkServingSettings(args: ValidateArgs): void {
  mcpSettingsFrom(args);
  const http = httpOptionsFrom(args);
  assertBindAllowed(http.host ?? stringDefault('host'), http.token);
}

function validateHandler(args: ArgumentsCamelCase<ValidateArgs>): void {
  // The builder already read config.toml (a bad one never gets here); say what it held.
  checkServingSettings(args);
  const config = loadSmcpConfig();
  const count = Object.keys(config.values).length;
  say(
    config.exists
      ? `${displayPath(config.file)} is valid (${count} setting${count === 1 ? '' : 's'})`
      : `no ${displayPath(config.file)}: smcp uses its built-in defaults`,
  );
  const resolved = resolveFromArgs(args);
  if (resolved.configured) {
    say(
      `connection "${resolved.connectionName.value}" is valid (account ${resolved.settings.account.value})`,
    );
  } else {
    say(`valid: ${emulatorSentence(resolved).replace(/^No/, 'no')}`);
  }
}

function withJson<T>(yargs: Argv<T>): Argv<T & { json: boolean }> {
  return yargs.option('json', { type: 'boolean', default: false, describe: 'print JSON' });
}

/** Writes `text` to `file` with mode 0600 via a temp file, so a reader never sees half a file. */
function writePrivateFile(file: string, text: string, overwrite: boolean): void {
  if (!overwrite) {
    writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
    return;
  }
  const temp = join(dirname(file), `.${basename(file)}.tmp`);
  writeFileSync(temp, text, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

function initHandler(args: ArgumentsCamelCase<InitArgs>): void {
  const template = smcpConfigTemplate();
  if (args.print) {
    process.stdout.write(template);
    return;
  }
  const file = smcpConfigFile();
  ensurePrivateDir(dirname(file));
  try {
    writePrivateFile(file, template, args.force);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SmcpError('USAGE', `${file} already exists; use --force to replace it`, {
        file,
        field: '--force',
      });
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new SmcpError('CONFIG_INVALID', `cannot write ${file}: ${reason}`, { file });
  }
  say(`wrote ${file}`);
}

function initBuilder(yargs: Argv): Argv<InitArgs> {
  return yargs
    .option('force', { type: 'boolean', default: false, describe: 'replace an existing file' })
    .option('print', {
      type: 'boolean',
      default: false,
      describe: 'print the template to stdout instead of writing it',
    });
}

/** The `config` command module with its `init`, `show` and `validate` subcommands. */
export const configCommand: CommandModule<object, object> = {
  command: 'config',
  describe: "Write, show or check smcp's settings and the Snowflake connection",
  builder: (yargs) =>
    yargs
      .command({
        command: 'init',
        describe: 'write a commented config.toml with every setting and its default',
        builder: initBuilder,
        handler: initHandler,
      })
      .command({
        command: 'show',
        describe: 'print each setting and where it came from',
        builder: (yargs) => withJson(withTableOptions(yargs, 'config show')),
        handler: showHandler,
      })
      .command({
        command: 'validate',
        describe:
          'check config.toml, the connection and what smcp start would refuse; exit 2 naming the file and field when wrong',
        builder: (yargs) => withJson(withTableOptions(yargs, 'config validate')),
        handler: validateHandler,
      })
      .demandCommand(1, 'Name a config action: init, show or validate.'),
  handler: () => undefined,
};
