/**
 * Finds and parses the Snowflake settings files the way snowflake-sdk, the Python connector and the
 * Snowflake CLI do: `$SNOWFLAKE_HOME/connections.toml` (top-level tables are connections) and
 * `$SNOWFLAKE_HOME/config.toml` (`default_connection_name` and `[connections.<name>]` tables).
 * When SNOWFLAKE_HOME is unset the directory is `~/.snowflake`, or — like the Python connector —
 * the platform config dir (`$XDG_CONFIG_HOME/snowflake`) when `~/.snowflake` does not exist.
 */

import { existsSync, statSync } from 'node:fs';
import { BoundedFileError, readBoundedFile } from '../config/bounded-file.js';
import { join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { displayPath } from '../config/settings-source.js';
import { SmcpError } from '../errors.js';

/** One connection table found in a file. */
export interface FileConnection {
  /** Absolute path of the file that defines it. */
  readonly file: string;
  /** Raw key/value pairs of the table, untouched. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** What the settings files say. */
export interface SettingsFiles {
  /** The directory that was searched. */
  readonly dir: string;
  /** Files that exist and were read, in the order read. */
  readonly read: readonly string[];
  /** Connections by name; a connections.toml table replaces a config.toml one of the same name. */
  readonly connections: ReadonlyMap<string, FileConnection>;
  /** `default_connection_name` from config.toml, with the file it came from. */
  readonly defaultConnectionName?: { readonly value: string; readonly file: string };
}

/** Inputs for locating the files; nothing is read from process.env here. */
export interface LocateInputs {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly platform?: NodeJS.Platform;
}

/** The directory holding connections.toml and config.toml. */
export function snowflakeHomeDir({ env, home, platform = process.platform }: LocateInputs): string {
  const explicit = env.SNOWFLAKE_HOME;
  if (explicit !== undefined && explicit !== '') return explicit.replace(/^~(?=$|[/\\])/, home);
  const dotDir = join(home, '.snowflake');
  if (existsSync(dotDir)) return dotDir;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'snowflake');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'snowflake');
  const xdg = env.XDG_CONFIG_HOME;
  const candidate = join(xdg !== undefined && xdg !== '' ? xdg : join(home, '.config'), 'snowflake');
  return existsSync(candidate) ? candidate : dotDir;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Refuses a settings file others may write to, as snowflake-sdk does (it may hold secrets). */
function checkPermissions(file: string, env: LocateInputs['env'], home: string): void {
  if (process.platform === 'win32' || env.SKIP_TOKEN_FILE_PERMISSIONS_VERIFICATION) return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o022) !== 0) {
    throw new SmcpError(
      'CONFIG_INVALID',
      `${displayPath(file, home)} is writable by group or others (mode ${mode.toString(8)}); run chmod 600 on it`,
      { file },
    );
  }
}

function readToml(file: string, env: LocateInputs['env'], home: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  checkPermissions(file, env, home);
  let text: string;
  try {
    text = readBoundedFile(file);
  } catch (err) {
    const reason = err instanceof BoundedFileError ? err.reason : `cannot be read (${String(err)})`;
    throw new SmcpError('CONFIG_INVALID', `${displayPath(file, home)} ${reason}`, { file });
  }
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document:\s*/, '') ?? 'invalid TOML';
      throw new SmcpError(
        'CONFIG_INVALID',
        `${displayPath(file, home)}: invalid TOML at line ${err.line}, column ${err.column}: ${reason}`,
        { file },
      );
    }
    throw err;
  }
}

/**
 * Reads config.toml then connections.toml from the Snowflake home directory. Missing files are
 * fine; malformed ones throw CONFIG_INVALID naming the file, line and column.
 */
export function readSettingsFiles(inputs: LocateInputs): SettingsFiles {
  const dir = snowflakeHomeDir(inputs);
  const read: string[] = [];
  const connections = new Map<string, FileConnection>();
  let defaultConnectionName: SettingsFiles['defaultConnectionName'];

  const configFile = join(dir, 'config.toml');
  const config = readToml(configFile, inputs.env, inputs.home);
  if (config) {
    read.push(configFile);
    const name = config.default_connection_name;
    if (name !== undefined) {
      if (typeof name !== 'string' || name.trim() === '') {
        throw new SmcpError(
          'CONFIG_INVALID',
          `${displayPath(configFile, inputs.home)} default_connection_name: must be a connection name`,
          { file: configFile, field: 'default_connection_name' },
        );
      }
      defaultConnectionName = { value: name.trim(), file: configFile };
    }
    const tables = config.connections;
    if (isTable(tables)) {
      for (const [connName, table] of Object.entries(tables)) {
        if (isTable(table)) connections.set(connName, { file: configFile, values: table });
      }
    }
  }

  const connectionsFile = join(dir, 'connections.toml');
  const conns = readToml(connectionsFile, inputs.env, inputs.home);
  if (conns) {
    read.push(connectionsFile);
    for (const [connName, table] of Object.entries(conns)) {
      if (isTable(table)) connections.set(connName, { file: connectionsFile, values: table });
    }
  }
  return { dir, read, connections, defaultConnectionName };
}
