/**
 * config.toml's settings as a reload sees them: the daemon's arguments as they would parse with the
 * file read again (a flag on the command line still wins, and so does an environment variable
 * that outranks the file), and which changed keys the reload applies. Limits, write switches, tool
 * naming, visibility, the cost guard and the connection choice shape calls, so new calls take the
 * new values while calls in flight keep theirs. The listener (port, host, token, origins,
 * transports), the per-client HTTP limits, the pool, logging and the drain deadline belong to
 * things that run for the daemon's lifetime: their new values wait for a restart, and the reload
 * says so.
 */
import { configKeyName, defaultFor } from '../config/options/spec.js';
import type { OptionCommand } from '../config/options/spec.js';
import { CONFIG_OPTIONS } from '../config/options/table.js';
import type { SmcpConfig } from '../config/smcp-config.js';
import { givenOptionNames } from './argv.js';
import { outrankingEnv } from './config-defaults.js';
import { camelCase } from './option-flags.js';

/** The options a reload applies to new calls (besides the connections and SQL tools). */
const APPLIED_SETTINGS: ReadonlySet<string> = new Set([
  'max-rows',
  'max-bytes',
  'timeout',
  'cost-guard',
  'max-scan-bytes',
  'max-scan-bytes-per-client',
  'metadata-ttl',
  'metadata-cache-objects',
  'tools',
  'show-objects',
  'hide-objects',
  'allow-write',
  'allow-ddl',
  'tool-prefix',
  'format',
]);

/** The connection options a reload applies (reported as connection changes). */
const APPLIED_CONNECTION: ReadonlySet<string> = new Set([
  'connection',
  'connections',
  'warehouse',
  'database',
  'schema',
  'role',
]);

/** Arguments re-derived from config.toml, and the connection keys taken from the file. */
export interface RereadArgs<A> {
  readonly args: A;
  /** Kebab-case connection keys whose value came from the file, with that value (for origins). */
  readonly fromFile: ReadonlyMap<string, unknown>;
}

/** The config.toml options `command` takes, with their camel-cased argument names. */
function configOptions(command: OptionCommand): { key: string; arg: string }[] {
  return CONFIG_OPTIONS.filter((spec) => spec.commands.includes(command)).map((spec) => ({
    key: spec.key,
    arg: camelCase(spec.key),
  }));
}

/**
 * `args` (as `command` parsed them at start) with every option the file may set taken from
 * `config` instead: its value there, else the built-in default yargs would have filled in. Options
 * given on the command line, and those an environment variable outranks, keep their values.
 */
export function argsWithConfig<A extends object>(
  args: A,
  config: SmcpConfig,
  command: OptionCommand = 'start',
  env: NodeJS.ProcessEnv = process.env,
): RereadArgs<A> {
  const given = givenOptionNames();
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  const fromFile = new Map<string, unknown>();
  for (const { key, arg } of configOptions(command)) {
    if (given.has(key) || outrankingEnv(key).some((name) => (env[name] ?? '') !== '')) continue;
    const spec = CONFIG_OPTIONS.find((s) => s.key === key)!;
    if (Object.hasOwn(config.values, key)) {
      out[arg] = config.values[key];
      fromFile.set(key, config.values[key]);
      continue;
    }
    const fallback = spec.unsetByDefault ? undefined : defaultFor(spec, command);
    if (fallback === undefined) delete out[arg];
    else out[arg] = fallback;
  }
  return { args: out as A, fromFile };
}

/** The config.toml keys (snake_case) among `keys` whose argument differs between `a` and `b`. */
function differing(a: object, b: object, keys: readonly { key: string; arg: string }[]): string[] {
  const before = a as Record<string, unknown>;
  const after = b as Record<string, unknown>;
  return keys
    .filter(({ arg }) => JSON.stringify(before[arg]) !== JSON.stringify(after[arg]))
    .map(({ key }) => configKeyName(key));
}

/**
 * What changed between the arguments the daemon serves under and those read again: `settings`,
 * the keys the reload applies (compared with the last reload, `applied`), and `needsRestart`,
 * the keys whose new value waits for a restart (compared with the start, `started`).
 */
export function settingChanges(
  started: object,
  applied: object,
  next: object,
  command: OptionCommand = 'start',
): { settings: string[]; needsRestart: string[] } {
  const options = configOptions(command);
  return {
    settings: differing(
      applied,
      next,
      options.filter(({ key }) => APPLIED_SETTINGS.has(key)),
    ),
    needsRestart: differing(
      started,
      next,
      options.filter(({ key }) => !APPLIED_SETTINGS.has(key) && !APPLIED_CONNECTION.has(key)),
    ),
  };
}
