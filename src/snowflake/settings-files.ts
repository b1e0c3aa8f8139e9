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
import { permissionWarning, refuseWritableByOthers } from './settings-file-permissions.js';

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
  /** Warnings for the user, one line each (a file holding a secret that others may read). */
  readonly warnings: readonly string[];
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

function readToml(
  file: string,
  inputs: LocateInputs,
  warnings: string[],
): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  const { env, home } = inputs;
  const stats = statSync(file);
  refuseWritableByOthers(file, stats, env, home);
  let text: string;
  try {
    text = readBoundedFile(file);
  } catch (err) {
    const reason = err instanceof BoundedFileError ? err.reason : `cannot be read (${String(err)})`;
    throw new SmcpError('CONFIG_INVALID', `${displayPath(file, home)} ${reason}`, { file });
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(text);
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
  const warning = permissionWarning(file, stats, parsed, env, home);
  if (warning !== undefined) warnings.push(warning);
  return parsed;
}

/**
 * connections.toml holds only connection tables; a value outside them is read by no connector, so
 * it is refused rather than passed over: `default_connection_name` belongs in config.toml, and an
 * `account = …` above the first table header belongs under one.
 */
function refuseStrayValue(file: string, key: string, configFile: string, home: string): never {
  const shown = displayPath(file, home);
  const message =
    key === 'default_connection_name'
      ? `${shown}: default_connection_name is not read from this file (snowflake-sdk, the Snowflake CLI and smcp read it from ${displayPath(configFile, home)}); move it there, or set SNOWFLAKE_DEFAULT_CONNECTION_NAME`
      : `${shown}: "${key}" sits outside any connection table; put it under [default] or a [NAME] table`;
  throw new SmcpError('CONFIG_INVALID', message, { file, field: key });
}

/**
 * Reads config.toml then connections.toml from the Snowflake home directory. Missing files are
 * fine; malformed ones throw CONFIG_INVALID naming the file, line and column, and so does a value
 * in connections.toml outside a connection table. A file holding a secret that others may read
 * adds a warning (see settings-file-permissions.ts).
 */
export function readSettingsFiles(inputs: LocateInputs): SettingsFiles {
  const dir = snowflakeHomeDir(inputs);
  const read: string[] = [];
  const connections = new Map<string, FileConnection>();
  let defaultConnectionName: SettingsFiles['defaultConnectionName'];

  const configFile = join(dir, 'config.toml');
  const warnings: string[] = [];
  const config = readToml(configFile, inputs, warnings);
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
  const conns = readToml(connectionsFile, inputs, warnings);
  if (conns) {
    read.push(connectionsFile);
    for (const [connName, table] of Object.entries(conns)) {
      if (!isTable(table)) refuseStrayValue(connectionsFile, connName, configFile, inputs.home);
      connections.set(connName, { file: connectionsFile, values: table });
    }
  }
  return { dir, read, connections, defaultConnectionName, warnings };
}
