/**
 * Which connection smcp uses, and when the embedded emulator may stand in for one.
 *
 * The name is chosen as the Snowflake CLI and the connectors choose it (Snowflake CLI "Managing
 * Snowflake connections"; snowflake-connector-python `config_manager.py`, where an environment
 * variable outranks the file; snowflake-sdk `loadConnectionConfiguration()`, which knows only the
 * variable and `default`):
 *
 *   1. `--connection NAME` (smcp's own config.toml `connection` is its default, below the variable);
 *   2. SNOWFLAKE_DEFAULT_CONNECTION_NAME;
 *   3. top-level `default_connection_name` in `$SNOWFLAKE_HOME/config.toml`, the file beside
 *      connections.toml (not in connections.toml: no connector reads it there);
 *   4. `default`.
 *
 * The embedded emulator, with its sample data, serves only when asked for (`--emulator`, or the
 * connection name `emulator` while no connection of that name is defined) or when no Snowflake
 * settings exist at all. Settings that exist but choose nothing are an error, never a quiet switch
 * to sample data.
 */
import { join } from 'node:path';
import { displayPath, sourced } from '../config/settings-source.js';
import type { Sourced } from '../config/settings-source.js';
import { SmcpError } from '../errors.js';
import type { SettingsFiles } from './settings-files.js';
import { SETTING_SPECS } from './settings-keys.js';

/** The connection name that asks for the embedded emulator (unless a connection has that name). */
export const EMULATOR_CONNECTION = 'emulator';

/** What the choice reads: the environment, the flags (with where smcp's config set them), home. */
export interface ChoiceInputs {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags: Readonly<Record<string, unknown>>;
  /** Origins of flag values that came from a settings file rather than the command line. */
  readonly flagOrigins: Readonly<Record<string, string | undefined>>;
  readonly home: string;
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** The connection name with where it came from (see the precedence above). */
export function selectConnectionName(inputs: ChoiceInputs, files: SettingsFiles): Sourced<string> {
  const flag = inputs.flags.connection;
  if (typeof flag === 'string' && flag !== '') {
    const fromFile = inputs.flagOrigins.connection;
    return fromFile ? sourced(flag, 'file', fromFile) : sourced(flag, 'flag', '--connection');
  }
  const env = inputs.env.SNOWFLAKE_DEFAULT_CONNECTION_NAME;
  if (nonEmpty(env)) return sourced(env, 'env', 'SNOWFLAKE_DEFAULT_CONNECTION_NAME');
  const fromFile = files.defaultConnectionName;
  if (fromFile) {
    return sourced(
      fromFile.value,
      'file',
      `${displayPath(fromFile.file, inputs.home)} default_connection_name`,
    );
  }
  return sourced('default', 'default', 'default');
}

/**
 * The connection-setting variables and flags that are set (`SNOWFLAKE_USER`, `--warehouse`, …):
 * signs that the user means a Snowflake account. Unprefixed variables such as
 * PRIVATE_KEY_PASSPHRASE are left out: other programs use those names too.
 */
export function givenSettings(inputs: ChoiceInputs): string[] {
  const given: string[] = [];
  for (const spec of SETTING_SPECS) {
    const flagValue = inputs.flags[spec.key];
    if (flagValue !== undefined && flagValue !== '') {
      given.push(inputs.flagOrigins[spec.key] ?? spec.flag ?? `option ${spec.key}`);
    }
    for (const variable of spec.envVars) {
      if (variable.startsWith('SNOWFLAKE_') && nonEmpty(inputs.env[variable])) given.push(variable);
    }
  }
  for (const [variable, value] of Object.entries(inputs.env)) {
    if (variable.startsWith('SNOWFLAKE_CONNECTIONS_') && nonEmpty(value)) given.push(variable);
  }
  return given;
}

function listing(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/**
 * Throws when Snowflake settings exist although no account was found for the connection chosen by
 * default: CONNECTION_UNKNOWN when the files define connections but none is chosen (naming the
 * files, the connections and the three ways to choose one), CONFIG_INVALID when variables or flags
 * are set without an account. Returns when nothing is configured at all.
 */
export function refuseSettingsWithoutChoice(inputs: ChoiceInputs, files: SettingsFiles): void {
  const home = inputs.home;
  const names = [...files.connections.keys()];
  if (names.length > 0) {
    const holding = [...new Set([...files.connections.values()].map((c) => c.file))];
    const where = holding.map((file) => displayPath(file, home)).join(' and ');
    const configFile = displayPath(join(files.dir, 'config.toml'), home);
    throw new SmcpError(
      'CONNECTION_UNKNOWN',
      `${where} ${holding.length > 1 ? 'have' : 'has'} connection${names.length > 1 ? 's' : ''} ${listing(names)} but none is chosen: ` +
        `pass --connection NAME, set SNOWFLAKE_DEFAULT_CONNECTION_NAME, or set default_connection_name in ${configFile}`,
      { file: holding[holding.length - 1], field: 'connection' },
    );
  }
  const given = givenSettings(inputs);
  if (given.length > 0) {
    const connectionsFile = displayPath(join(files.dir, 'connections.toml'), home);
    throw new SmcpError(
      'CONFIG_INVALID',
      `Snowflake settings are given (${given.join(', ')}) but no account: set SNOWFLAKE_ACCOUNT or --account, ` +
        `or define a connection in ${connectionsFile}; --emulator serves the embedded emulator's sample data instead`,
    );
  }
}
