/**
 * Resolves which Snowflake connection smcp uses, the Snowflake way and in agreement with
 * snowflake-sdk's `loadConnectionConfiguration()`: named connections in `$SNOWFLAKE_HOME/connections.toml`
 * (and `[connections.<name>]` in config.toml), chosen by `--connection`, SNOWFLAKE_DEFAULT_CONNECTION_NAME,
 * `default_connection_name` in config.toml, else `default`; SNOWFLAKE_* variables and
 * SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>; command-line flags. Precedence flag > env > file > default, and
 * every value keeps its provenance. Nothing here reads process.env: callers pass the environment.
 */

import { BoundedFileError, readBoundedFile } from '../config/bounded-file.js';
import { homedir } from 'node:os';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { displayPath, pickSourced, sourced } from '../config/settings-source.js';
import type { Sourced } from '../config/settings-source.js';
import { SmcpError } from '../errors.js';
import { checkPrivateKey } from './private-key.js';
import { readSettingsFiles } from './settings-files.js';
import type { FileConnection, SettingsFiles } from './settings-files.js';
import { SETTING_SPECS, specFor, specForFileKey } from './settings-keys.js';
import type { Authenticator, SettingKey, SettingSpec } from './settings-keys.js';

/** Connection flags as the CLI passes them (all optional; absent means "not given"). */
export interface ConnectionFlags {
  connection?: string;
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
}

/** No account anywhere: smcp will start and use its embedded emulator. */
export interface UnconfiguredConnection {
  readonly configured: false;
  readonly connectionName: Sourced<string>;
  readonly filesRead: readonly string[];
  /** Set when files define connections but none was selected (e.g. no `[default]`). */
  readonly notice?: string;
}

/** Result of resolveConnectionSettings. */
export type ResolvedConnection = ConfiguredConnection | UnconfiguredConnection;

/** Everything the resolver reads, passed in so tests and callers control it. */
export interface ResolveInputs {
  /** The environment (pass process.env from the CLI). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags?: ConnectionFlags;
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

function selectConnectionName(inputs: ResolveInputs, files: SettingsFiles, home: string): Sourced<string> {
  const flag = inputs.flags?.connection;
  if (nonEmpty(flag)) return sourced(flag, 'flag', '--connection');
  const env = inputs.env.SNOWFLAKE_DEFAULT_CONNECTION_NAME;
  if (nonEmpty(env)) return sourced(env, 'env', 'SNOWFLAKE_DEFAULT_CONNECTION_NAME');
  const fromFile = files.defaultConnectionName;
  if (fromFile) {
    return sourced(fromFile.value, 'file', `${displayPath(fromFile.file, home)} default_connection_name`);
  }
  return sourced('default', 'default', 'default');
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
  const flagOrigin = spec.flag ?? `option ${spec.key}`;
  const flag: RawSourced | undefined =
    flagValue !== undefined && flagValue !== ''
      ? { ...sourced<unknown>(flagValue, 'flag', flagOrigin), field: flagOrigin }
      : undefined;
  const envVar = spec.envVars.find((name) => nonEmpty(inputs.env[name]));
  const env: RawSourced | undefined = envVar
    ? { ...sourced<unknown>(inputs.env[envVar], 'env', envVar), field: envVar }
    : undefined;
  let file: RawSourced | undefined;
  if (conn.table) {
    const values = conn.table.values;
    const fileKey = spec.fileKeys.find((k) => values[k] !== undefined);
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

/**
 * Resolves the connection smcp should use. Returns `{ configured: false }` when no file, variable
 * or flag gives an account (smcp then uses its embedded emulator). Throws SmcpError with one clear
 * line naming the file/variable/flag and field: CONFIG_INVALID (malformed TOML, bad value, missing
 * account or user, unknown authenticator), CONNECTION_UNKNOWN (named connection not defined; the
 * message lists the known ones), KEY_FILE (missing key file, encrypted key without or with a wrong
 * passphrase).
 */
export function resolveConnectionSettings(inputs: ResolveInputs): ResolvedConnection {
  const home = inputs.home ?? homedir();
  const cwd = inputs.cwd ?? process.cwd();
  const files = readSettingsFiles({ env: inputs.env, home, platform: inputs.platform });
  const connectionName = selectConnectionName(inputs, files, home);
  const name = connectionName.value;
  const table = files.connections.get(name);
  const connEnv = connectionEnv(name, inputs.env);
  const known = [...files.connections.keys()];

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
    const notice =
      known.length > 0
        ? `no connection "${name}" in ${files.read.map((f) => displayPath(f, home)).join(', ')} (known: ${known.join(', ')}); pass --connection to use one`
        : undefined;
    return { configured: false, connectionName, filesRead: files.read, ...(notice ? { notice } : {}) };
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
  return { configured: true, connectionName, filesRead: files.read, settings };
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
