/**
 * Resolves which Snowflake connection smcp uses, the Snowflake way and in agreement with
 * snowflake-sdk's `loadConnectionConfiguration()`: named connections in `$SNOWFLAKE_HOME/connections.toml`
 * (and `[connections.<name>]` in config.toml), chosen as connection-choice.ts says; SNOWFLAKE_*
 * variables and SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>; command-line flags. Precedence flag > env >
 * file > default, and every value keeps its provenance. The embedded emulator stands in only when
 * asked for or when no Snowflake settings exist at all. Nothing here reads process.env: callers
 * pass the environment.
 */

import { BoundedFileError, readBoundedFile } from '../config/bounded-file.js';
import { homedir } from 'node:os';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { displayPath, pickSourced, sourced } from '../config/settings-source.js';
import type { Sourced } from '../config/settings-source.js';
import { SmcpError } from '../errors.js';
import {
  EMULATOR_CONNECTION,
  refuseSettingsWithoutChoice,
  selectConnectionName,
} from './connection-choice.js';
import type { ChoiceInputs } from './connection-choice.js';
import { normalizeKey, reviewConnectionKeys } from './connection-keys.js';
import type { PassedOverKey } from './connection-keys.js';
import { checkPrivateKey } from './private-key.js';
import { readSettingsFiles } from './settings-files.js';
import type { FileConnection } from './settings-files.js';
import { SETTING_SPECS, specFor, specForFileKey } from './settings-keys.js';
import type { Authenticator, SettingKey, SettingSpec } from './settings-keys.js';

/** Connection flags as the CLI passes them (all optional; absent means "not given"). */
export interface ConnectionFlags {
  connection?: string;
  /** Serve the embedded emulator's sample data, whatever else is set (`--emulator`). */
  emulator?: boolean;
  account?: string;
  user?: string;
  password?: string;
  authenticator?: string;
  privateKeyPath?: string;
  privateKeyPassphrase?: string;
  token?: string;
  tokenFilePath?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  role?: string;
  host?: string;
  port?: string | number;
  protocol?: string;
}

/** Plain value type of each setting after validation. */
export interface SettingValueTypes {
  account: string;
  user: string;
  password: string;
  authenticator: Authenticator;
  privateKeyPath: string;
  privateKeyPassphrase: string;
  token: string;
  tokenFilePath: string;
  warehouse: string;
  database: string;
  schema: string;
  role: string;
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

/** Resolved settings, each with its provenance. account and authenticator are always present. */
export type SourcedSettings = { readonly [K in SettingKey]?: Sourced<SettingValueTypes[K]> } & {
  readonly account: Sourced<string>;
  readonly authenticator: Sourced<Authenticator>;
};

/** A usable connection: validated, key file checked, every value with its origin. */
export interface ConfiguredConnection {
  readonly configured: true;
  readonly connectionName: Sourced<string>;
  /** Settings files that were read. */
  readonly filesRead: readonly string[];
  readonly settings: SourcedSettings;
  /** Keys of the connection table smcp does not use (other tools' settings), if any. */
  readonly passedOver?: readonly PassedOverKey[];
  /** Lines to warn the user about (a settings file holding a secret that others may read). */
  readonly warnings?: readonly string[];
}

/**
 * The embedded emulator with its sample data: asked for (`--emulator`, or the connection name
 * `emulator`), or no Snowflake settings exist at all.
 */
export interface UnconfiguredConnection {
  readonly configured: false;
  /** `emulator`; its origin says who asked (`--emulator`, a variable, a file) or `no Snowflake settings`. */
  readonly connectionName: Sourced<string>;
  /** True when the emulator was asked for; false when it stands in because nothing is configured. */
  readonly requested: boolean;
  readonly filesRead: readonly string[];
  readonly warnings?: readonly string[];
}

/** Result of resolveConnectionSettings. */
export type ResolvedConnection = ConfiguredConnection | UnconfiguredConnection;

/** Everything the resolver reads, passed in so tests and callers control it. */
export interface ResolveInputs {
  /** The environment (pass process.env from the CLI). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags?: ConnectionFlags;
  /**
   * Origins of flag values that came from a settings file instead of the command line (smcp's own
   * config.toml), by flag key: `~/.config/smcp/config.toml warehouse`. Such values rank as file.
   */
  readonly flagOrigins?: Partial<Record<keyof ConnectionFlags, string>>;
  /** Home directory for `~` and the default SNOWFLAKE_HOME; defaults to os.homedir(). */
  readonly home?: string;
  /** Base for relative key and token file paths; defaults to process.cwd(). */
  readonly cwd?: string;
  /** Check that key and token files exist and the key decrypts (default true). */
  readonly checkFiles?: boolean;
  readonly platform?: NodeJS.Platform;
}

type RawSourced = Sourced<unknown> & { readonly file?: string; readonly field: string };

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> variables for the chosen connection, by canonical key. */
function connectionEnv(name: string, env: ResolveInputs['env']): Map<SettingKey, RawSourced> {
  const prefix = `SNOWFLAKE_CONNECTIONS_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  const found = new Map<SettingKey, RawSourced>();
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith(prefix) || !nonEmpty(value)) continue;
    const spec = specForFileKey(variable.slice(prefix.length));
    if (spec && !found.has(spec.key)) {
      found.set(spec.key, { ...sourced(value, 'env', variable), field: variable });
    }
  }
  return found;
}

function candidates(
  spec: SettingSpec,
  inputs: ResolveInputs,
  connEnv: Map<SettingKey, RawSourced>,
  conn: { name: string; table?: FileConnection },
  home: string,
): RawSourced | undefined {
  const flagValue = inputs.flags?.[spec.key as keyof ConnectionFlags];
  // Secrets have no CLI flag; a caller passing one programmatically is named by its option key.
  const fromFile = inputs.flagOrigins?.[spec.key as keyof ConnectionFlags];
  const flagOrigin = fromFile ?? spec.flag ?? `option ${spec.key}`;
  const flag: RawSourced | undefined =
    flagValue !== undefined && flagValue !== ''
      ? { ...sourced<unknown>(flagValue, fromFile ? 'file' : 'flag', flagOrigin), field: flagOrigin }
      : undefined;
  const envVar = spec.envVars.find((name) => nonEmpty(inputs.env[name]));
  const env: RawSourced | undefined = envVar
    ? { ...sourced<unknown>(inputs.env[envVar], 'env', envVar), field: envVar }
    : undefined;
  let file: RawSourced | undefined;
  if (conn.table) {
    const values = conn.table.values;
    // The first accepted spelling present wins, each compared as the connectors compare keys.
    const present = Object.keys(values).filter((k) => values[k] !== undefined);
    const fileKey = spec.fileKeys
      .map((k) => present.find((p) => normalizeKey(p) === normalizeKey(k)))
      .find((k) => k !== undefined);
    if (fileKey !== undefined) {
      const origin = `${displayPath(conn.table.file, home)} [${conn.name}] ${fileKey}`;
      file = { ...sourced(values[fileKey], 'file', origin), file: conn.table.file, field: fileKey };
    }
  }
  // Per-connection variables outrank the generic SNOWFLAKE_<KEY> ones (same source, listed first).
  return pickSourced<unknown>(flag, connEnv.get(spec.key), env, file) as RawSourced | undefined;
}

function validate(spec: SettingSpec, raw: RawSourced): Sourced<string | number> {
  const result = spec.schema.safeParse(raw.value);
  if (result.success) return sourced(result.data, raw.source, raw.origin);
  const issue = result.error.issues[0]?.message ?? 'is invalid';
  const shown = spec.secret ? '' : ` (got ${JSON.stringify(raw.value)})`;
  throw new SmcpError('CONFIG_INVALID', `${raw.origin}: ${issue}${shown}`, {
    ...(raw.file ? { file: raw.file } : {}),
    field: raw.field,
  });
}

function expandPath(value: string, home: string, cwd: string): string {
  const expanded = value.replace(/^~(?=$|[/\\])/, home);
  return isAbsolute(expanded) ? expanded : resolvePath(cwd, expanded);
}

/** `--emulator` with a command-line `--connection` or `--account` asks for two things at once. */
function refuseEmulatorClash(inputs: ResolveInputs): void {
  const flags = inputs.flags ?? {};
  for (const key of ['connection', 'account'] as const) {
    const value = flags[key];
    if (value === undefined || value === '' || inputs.flagOrigins?.[key] !== undefined) continue;
    if (key === 'connection' && value === EMULATOR_CONNECTION) continue;
    throw new SmcpError('USAGE', `--emulator and --${key} ${value} contradict each other; drop one`, {
      field: '--emulator',
    });
  }
}

/**
 * Resolves the connection smcp should use. Returns `{ configured: false }` for the embedded
 * emulator: when asked for (`--emulator`, or the connection name `emulator` while no connection
 * of that name is defined), or when no Snowflake settings exist at all (no connections in the
 * files, no SNOWFLAKE_* connection variable, no connection flag). Throws SmcpError with one clear
 * line naming the file/variable/flag and field: CONFIG_INVALID (malformed TOML, bad value, a key
 * that looks like a typo, missing account or user, unknown authenticator, settings without an
 * account), CONNECTION_UNKNOWN (named connection not defined, or connections defined but none
 * chosen; the message lists them), KEY_FILE (missing key file, encrypted key without or with a
 * wrong passphrase), USAGE (`--emulator` with `--connection` or `--account`).
 */
export function resolveConnectionSettings(inputs: ResolveInputs): ResolvedConnection {
  const home = inputs.home ?? homedir();
  const cwd = inputs.cwd ?? process.cwd();
  if (inputs.flags?.emulator) {
    refuseEmulatorClash(inputs);
    const connectionName = sourced(EMULATOR_CONNECTION, 'flag', '--emulator');
    return { configured: false, requested: true, connectionName, filesRead: [] };
  }
  const files = readSettingsFiles({ env: inputs.env, home, platform: inputs.platform });
  const choice: ChoiceInputs = {
    env: inputs.env,
    flags: (inputs.flags ?? {}) as Record<string, unknown>,
    flagOrigins: inputs.flagOrigins ?? {},
    home,
  };
  const connectionName = selectConnectionName(choice, files);
  const name = connectionName.value;
  const table = files.connections.get(name);
  const connEnv = connectionEnv(name, inputs.env);
  const known = [...files.connections.keys()];
  const warnings = files.warnings;

  if (!table && connEnv.size === 0 && name === EMULATOR_CONNECTION && connectionName.source !== 'default') {
    return { configured: false, requested: true, connectionName, filesRead: files.read, warnings };
  }
  if (!table && connEnv.size === 0 && connectionName.source !== 'default') {
    const where =
      files.read.length > 0
        ? files.read.map((f) => displayPath(f, home)).join(' or ')
        : `${displayPath(files.dir, home)}/connections.toml`;
    const list = known.length > 0 ? `known connections: ${known.join(', ')}` : 'no connections are defined';
    throw new SmcpError(
      'CONNECTION_UNKNOWN',
      `connection "${name}" (from ${connectionName.origin}) is not defined in ${where}; ${list}`,
      { file: files.read[files.read.length - 1] ?? `${files.dir}/connections.toml`, field: 'connection' },
    );
  }

  const passedOver = table
    ? reviewConnectionKeys(
        table.values,
        `${displayPath(table.file, home)} [${name}]`,
        { file: table.file },
        (key) => specForFileKey(key) !== undefined,
      )
    : [];
  const values: Partial<Record<SettingKey, Sourced<string | number>>> = {};
  for (const spec of SETTING_SPECS) {
    const raw = candidates(spec, inputs, connEnv, { name, table }, home);
    if (raw) values[spec.key] = validate(spec, raw);
  }

  const where = (key: SettingKey): string => {
    const spec = specFor(key);
    const places = [
      ...(table ? [`${spec.fileKeys[0]} in ${displayPath(table.file, home)} [${name}]`] : []),
      spec.envVars[0],
      ...(spec.flag ? [spec.flag] : []),
    ];
    return places.length > 1
      ? `${places.slice(0, -1).join(', ')} or ${places[places.length - 1]}`
      : places[0];
  };
  const missing = (key: SettingKey, why: string): SmcpError =>
    new SmcpError(
      'CONFIG_INVALID',
      `connection "${name}": missing ${specFor(key).fileKeys[0]}${why ? ' ' + why : ''} (set ${where(key)})`,
      {
        ...(table ? { file: table.file } : {}),
        field: specFor(key).fileKeys[0],
      },
    );

  if (!values.account) {
    if (table || connEnv.size > 0 || connectionName.source !== 'default') throw missing('account', '');
    refuseSettingsWithoutChoice(choice, files);
    return {
      configured: false,
      requested: false,
      connectionName: sourced(EMULATOR_CONNECTION, 'default', 'no Snowflake settings exist'),
      filesRead: files.read,
      warnings,
    };
  }
  const account = values.account.value as string;
  if (!/^[A-Za-z0-9_.-]+$/.test(account) || /snowflakecomputing/i.test(account)) {
    throw new SmcpError(
      'CONFIG_INVALID',
      `${values.account.origin}: must be an account identifier like myorg-myaccount or xy12345.us-east-1 (got "${account}")`,
      { field: 'account' },
    );
  }

  if (!values.authenticator) {
    const inferJwt = values.privateKeyPath !== undefined && values.password === undefined;
    values.authenticator = inferJwt
      ? sourced('SNOWFLAKE_JWT', 'default', 'default (a private key file is set)')
      : sourced('SNOWFLAKE', 'default', 'default');
  }
  for (const key of ['privateKeyPath', 'tokenFilePath'] as const) {
    const v = values[key];
    if (v) values[key] = sourced(expandPath(String(v.value), home, cwd), v.source, v.origin);
  }

  const auth = values.authenticator.value as Authenticator;
  const needsUser =
    ['SNOWFLAKE', 'SNOWFLAKE_JWT', 'USERNAME_PASSWORD_MFA'].includes(auth) || auth.startsWith('https://');
  if (needsUser && !values.user) throw missing('user', `for authenticator ${auth}`);
  if ((auth === 'SNOWFLAKE' || auth === 'USERNAME_PASSWORD_MFA') && !values.password) {
    if (values.token) {
      throw new SmcpError(
        'CONFIG_INVALID',
        `connection "${name}": a token is set (${values.token.origin}) but the authenticator is ${auth}; set authenticator to OAUTH or PROGRAMMATIC_ACCESS_TOKEN`,
        { ...(table ? { file: table.file } : {}), field: 'authenticator' },
      );
    }
    throw missing('password', `for authenticator ${auth}`);
  }
  if (auth === 'SNOWFLAKE_JWT' && !values.privateKeyPath)
    throw missing('privateKeyPath', 'for authenticator SNOWFLAKE_JWT');
  if ((auth === 'OAUTH' || auth === 'PROGRAMMATIC_ACCESS_TOKEN') && !values.token && !values.tokenFilePath) {
    throw missing('token', `(or token_file_path) for authenticator ${auth}`);
  }

  const settings = values as unknown as SourcedSettings;
  if (inputs.checkFiles ?? true) checkReferencedFiles(settings, home);
  return { configured: true, connectionName, filesRead: files.read, settings, passedOver, warnings };
}

function checkReferencedFiles(settings: SourcedSettings, home: string): void {
  if (settings.authenticator.value === 'SNOWFLAKE_JWT' && settings.privateKeyPath) {
    checkPrivateKey(settings.privateKeyPath, settings.privateKeyPassphrase, home);
  }
  const tokenFile = settings.tokenFilePath;
  if (tokenFile && !settings.token) readTokenFile(tokenFile, home);
}

/**
 * Reads a token file (OAuth or programmatic access token), trimmed. Throws CONFIG_INVALID naming the
 * file and the setting when it is missing, unreadable or empty.
 */
export function readTokenFile(tokenFile: Sourced<string>, home: string = homedir()): string {
  const shown = displayPath(tokenFile.value, home);
  const details = { file: tokenFile.value, field: tokenFile.origin };
  let token: string;
  try {
    token = readBoundedFile(tokenFile.value).trim();
  } catch (err) {
    const reason = err instanceof BoundedFileError ? err.reason : `cannot be read (${String(err)})`;
    throw new SmcpError(
      'CONFIG_INVALID',
      `token file ${shown} (from ${tokenFile.origin}) ${reason}`,
      details,
    );
  }
  if (token === '') {
    throw new SmcpError('CONFIG_INVALID', `token file ${shown} (from ${tokenFile.origin}) is empty`, details);
  }
  return token;
}
