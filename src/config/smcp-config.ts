/**
 * smcp's own settings file, `$XDG_CONFIG_HOME/smcp/config.toml`: defaults for the command-line
 * options (a flag always wins). Keys are the long option names, snake_case or kebab-case
 * (`max_rows` = `max-rows`); the option table (./options/table.ts) says which options the file may
 * set and validates each with zod; anything unknown is refused, so a typo never silently does
 * nothing. Secrets never live here: the bearer token comes from
 * `auth_token_file` or SMCP_TOKEN, Snowflake credentials from ~/.snowflake/connections.toml.
 */
import { existsSync, statSync } from 'node:fs';
import { BoundedFileError, readBoundedFile } from './bounded-file.js';
import { homedir } from 'node:os';
import { parse, TomlError } from 'smol-toml';
import { SmcpError } from '../errors.js';
import { configKeyName } from './options/spec.js';
import type { ConfigurableOption, OptionConfigKey, OptionValue } from './options/spec.js';
import { CONFIG_OPTIONS, configKeyNames, findOption } from './options/table.js';
import { displayPath } from './settings-source.js';
import { parseConnectionOptions } from './connection-options.js';
import type { ConnectionOverrides } from './connection-options.js';
import { parseSqlTools } from './sql-tools.js';
import type { SqlToolDefinition } from './sql-tools.js';

/** One key of config.toml: an option of the table that the file may set. */
export type SmcpConfigKey = ConfigurableOption;

/** Every key config.toml accepts, in template order (the option table's configurable options). */
export const SMCP_CONFIG_KEYS: readonly SmcpConfigKey[] = CONFIG_OPTIONS;

const TEMPLATE_HEAD = `# smcp settings: defaults for the command-line options of every smcp command that has them.
# A flag on the command line always wins. Keys are the long option names (max_rows = --max-rows);
# snake_case and kebab-case both work. Remove the "# " in front of a key to set it; each line
# shows the built-in default, or an example where there is none. For the Snowflake connection
# keys, SNOWFLAKE_* environment variables win over this file too.
#
# No secrets here. The Snowflake account, user and credentials belong in
# ~/.snowflake/connections.toml (shared with snowflake-sdk and the Snowflake CLI, mode 0600);
# the MCP bearer token goes in the file named by auth_token_file, or in SMCP_TOKEN.
# With no Snowflake settings at all, or with connection = "emulator", smcp serves its embedded
# emulator's sample data; connections defined but none chosen is an error, never sample data.`;

/** A value as TOML writes it (`8000`, `"info"`, `["a", "b"]`). */
function tomlValue(value: OptionValue): string {
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** `text` with `note` added: inside its closing parenthesis when it ends with one. */
function withNote(text: string, note: string): string {
  return text.endsWith(')') ? `${text.slice(0, -1)}; ${note})` : `${text} (${note})`;
}

/** The template's comment for `spec`: its help, the commands that default otherwise, or "example". */
function templateComment(spec: SmcpConfigKey): string {
  let comment = spec.help;
  for (const [command, override] of Object.entries(spec.perCommand ?? {})) {
    if (override?.default !== undefined) {
      comment = withNote(comment, `smcp ${command} defaults to ${tomlValue(override.default)}`);
    }
  }
  if (spec.default !== undefined) return comment;
  return withNote(comment, spec.defaultText ? `example; default ${spec.defaultText}` : 'example, no default');
}

/** The commented template `smcp config init` writes: every key commented out with its default. */
export function smcpConfigTemplate(): string {
  const lines = [TEMPLATE_HEAD];
  let group = '';
  for (const spec of SMCP_CONFIG_KEYS) {
    if (spec.group !== group) {
      group = spec.group;
      lines.push(`\n# --- ${group} ---`);
    }
    const sample = spec.default !== undefined ? tomlValue(spec.default) : spec.config.example;
    if (sample === undefined) throw new Error(`config key ${spec.key} has neither a default nor an example`);
    lines.push(`# ${templateComment(spec)}`, `# ${configKeyName(spec.key)} = ${sample}`);
  }
  return `${lines.join('\n')}\n`;
}

/** What config.toml says. */
export interface SmcpConfig {
  /** Absolute path of the file. */
  readonly file: string;
  /** False when there is no such file (then `values` is empty). */
  readonly exists: boolean;
  /** Validated values by kebab-case option name (`max-rows`), as yargs knows the options. */
  readonly values: Readonly<Record<string, unknown>>;
  /** How each key was spelled in the file (`max_rows`), for messages and provenance. */
  readonly spelled: Readonly<Record<string, string>>;
  /** The `[sql_tools.<name>]` sections: curated tools (see sql-tools.ts); none when absent. */
  readonly sqlTools: readonly SqlToolDefinition[];
  /** The `[connection_options.<name>]` sections (see connection-options.ts); none when absent. */
  readonly connectionOptions: Readonly<Record<string, ConnectionOverrides>>;
}

/** Keys that would hold secrets, with where the secret belongs instead. */
const SECRET_KEYS: Readonly<Record<string, string>> = {
  password: 'put Snowflake credentials in ~/.snowflake/connections.toml (mode 0600) or SNOWFLAKE_PASSWORD',
  private_key_passphrase: 'use PRIVATE_KEY_PASSPHRASE or ~/.snowflake/connections.toml',
  passphrase: 'use PRIVATE_KEY_PASSPHRASE or ~/.snowflake/connections.toml',
  token: 'point auth_token_file at a 0600 file holding it, or set SMCP_TOKEN',
  auth_token: 'point auth_token_file at a 0600 file holding it, or set SMCP_TOKEN',
  secret: 'keep secrets in files referenced by path or in the environment',
};

function canonical(name: string): string {
  return name.replace(/_/g, '-');
}

function fail(file: string, message: string, field?: string): SmcpError {
  return new SmcpError('CONFIG_INVALID', `${displayPath(file)}${message}`, {
    file,
    ...(field ? { field } : {}),
  });
}

function parseToml(file: string, text: string): Record<string, unknown> {
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document:\s*/, '') ?? 'invalid TOML';
      throw fail(file, `: invalid TOML at line ${err.line}, column ${err.column}: ${reason}`);
    }
    throw err;
  }
}

/** `~/x` → `<home>/x` for path-valued keys. */
function expandHome(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/^~(?=$|\/)/, homedir()) : value;
}

/** Validates one key's value; failures name the file, the key as spelled and the expected type. */
function validateValue(file: string, spelledKey: string, config: OptionConfigKey, raw: unknown): unknown {
  const result = config.schema.safeParse(raw);
  if (result.success) return config.path ? expandHome(result.data) : result.data;
  // `expected` says it all (type and range); zod's wording would only repeat it less clearly.
  const got = raw instanceof Date ? 'a date' : JSON.stringify(raw);
  throw fail(file, ` ${spelledKey}: expected ${config.expected}, got ${got}`, spelledKey);
}

/**
 * Reads and validates config.toml at `file`. A missing file gives `exists: false` and no values.
 * Throws SmcpError CONFIG_INVALID naming the file and — for an unknown key, a secret, a key given
 * twice or a wrong type — the key and what was expected; TOML syntax errors name line and column.
 * A file writable by group or others is refused: it could switch writes on.
 */
export function readSmcpConfig(file: string): SmcpConfig {
  if (!existsSync(file))
    return Object.freeze({
      file,
      exists: false,
      values: {},
      spelled: {},
      sqlTools: [],
      connectionOptions: {},
    });
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o022) !== 0) {
      throw fail(
        file,
        ` is writable by group or others (mode ${(statSync(file).mode & 0o777).toString(8)}); run chmod 600 on it`,
      );
    }
    text = readBoundedFile(file);
  } catch (err) {
    if (err instanceof SmcpError) throw err;
    throw fail(file, ` ${err instanceof BoundedFileError ? err.reason : `cannot be read (${String(err)})`}`);
  }
  const table = parseToml(file, text);
  const values: Record<string, unknown> = {};
  const spelled: Record<string, string> = {};
  let sqlTools: SqlToolDefinition[] = [];
  let sqlToolsKey: string | undefined;
  let connectionOptions: Readonly<Record<string, ConnectionOverrides>> = {};
  for (const [key, raw] of Object.entries(table)) {
    if (key === 'connection_options' || key === 'connection-options') {
      connectionOptions = parseConnectionOptions(file, key, raw);
      continue;
    }
    if (key === 'sql_tools' || key === 'sql-tools') {
      if (sqlToolsKey !== undefined) {
        throw fail(file, `: "${key}" and "${sqlToolsKey}" both declare SQL tools; keep one`, key);
      }
      sqlTools = parseSqlTools(file, key, raw);
      sqlToolsKey = key;
      continue;
    }
    const secretHint = SECRET_KEYS[key.replace(/-/g, '_').toLowerCase()];
    if (secretHint !== undefined) {
      throw fail(file, ` ${key}: secrets do not belong in this file; ${secretHint}`, key);
    }
    const name = canonical(key);
    const spec = findOption(name);
    if (!spec?.config) {
      const known = [...configKeyNames(), 'sql_tools', 'connection_options'].join(', ');
      throw fail(file, `: unknown key "${key}" (known keys: ${known})`, key);
    }
    if (spelled[name] !== undefined) {
      throw fail(file, `: "${key}" and "${spelled[name]}" set the same option; keep one`, key);
    }
    values[name] = validateValue(file, key, spec.config, raw);
    spelled[name] = key;
  }
  return Object.freeze({
    file,
    exists: true,
    values: Object.freeze(values),
    spelled: Object.freeze(spelled),
    sqlTools: Object.freeze(sqlTools),
    connectionOptions,
  });
}
