/**
 * Applies smcp's config.toml to a command's options as defaults under the command line: the file
 * is read once per process, and each option helper hands over only the keys it defines, because
 * yargs' strict mode refuses config keys a command does not know (and a key such as `timeout` means
 * the statement timeout, not `smcp stop --timeout`). A bad file throws SmcpError CONFIG_INVALID
 * from the builder, which the CLI reports as one line with exit 2.
 */
import type { Argv } from 'yargs';
import { daemonFiles, resolvePaths } from '../config/paths.js';
import { readSmcpConfig } from '../config/smcp-config.js';
import type { SmcpConfig } from '../config/smcp-config.js';
import { findOption } from '../config/options/table.js';

const cache = new Map<string, SmcpConfig>();
const applied = new Map<string, unknown>();

/** Path of config.toml for `env` (default: this process's environment). */
export function smcpConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return daemonFiles(resolvePaths(env)).configFile;
}

/** Reads and validates config.toml once per process and path (throws CONFIG_INVALID when bad). */
export function loadSmcpConfig(env: NodeJS.ProcessEnv = process.env): SmcpConfig {
  const file = smcpConfigFile(env);
  let config = cache.get(file);
  if (!config) {
    config = readSmcpConfig(file);
    cache.set(file, config);
  }
  return config;
}

/**
 * The variables that outrank config.toml for an option, so the precedence stays flag > variable >
 * config.toml (> connections.toml for the connection keys). A variable holding something else
 * than the option's value (SMCP_TOKEN for auth_token_file) is weighed by the option's reader.
 */
export function outrankingEnv(key: string): readonly string[] {
  return (findOption(key)?.env ?? []).filter((v) => v.holds === undefined).map((v) => v.name);
}

/** Options of {@link applySmcpConfig}. */
export interface ApplySmcpConfigOptions {
  /**
   * The kebab-case option names to take from the file; each must be an option of this command.
   * Default: every option the yargs instance has defined so far.
   */
  readonly keys?: readonly string[];
  /** An already read config (tests); default: {@link loadSmcpConfig}. */
  readonly config?: SmcpConfig;
  readonly env?: NodeJS.ProcessEnv;
}

function definedOptions(yargs: unknown): Set<string> {
  const api = yargs as { getOptions?: () => { key?: Record<string, unknown> } };
  return new Set(Object.keys(api.getOptions?.().key ?? {}));
}

/**
 * Sets config.toml values as defaults of `yargs`' options (a flag on the command line wins), for
 * the options named in `options.keys` (or all defined ones). Returns `yargs`. Throws SmcpError
 * CONFIG_INVALID naming the file and key when config.toml is invalid.
 */
export function applySmcpConfig<T>(yargs: Argv<T>, options: ApplySmcpConfigOptions = {}): Argv<T> {
  const env = options.env ?? process.env;
  const config = options.config ?? loadSmcpConfig(env);
  if (!config.exists) return yargs;
  const keys = options.keys ?? [...definedOptions(yargs)];
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    if (!Object.hasOwn(config.values, key)) continue;
    if (outrankingEnv(key).some((name) => (env[name] ?? '') !== '')) continue;
    picked[key] = config.values[key];
    applied.set(key, config.values[key]);
  }
  return Object.keys(picked).length > 0 ? yargs.config(picked) : yargs;
}

/** The config.toml values applied to the running command so far, by kebab-case option name. */
export function appliedSmcpConfig(): ReadonlyMap<string, unknown> {
  return applied;
}
