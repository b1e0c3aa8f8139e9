/**
 * smcp's own settings file, `$XDG_CONFIG_HOME/smcp/config.toml`: defaults for the command-line
 * options (a flag always wins). Keys are the long option names, snake_case or kebab-case
 * (`max_rows` = `max-rows`); every key is validated with zod and anything unknown is refused, so a
 * typo never silently does nothing. Secrets never live here: the bearer token comes from
 * `auth_token_file` or SMCP_TOKEN, Snowflake credentials from ~/.snowflake/connections.toml.
 */
import { existsSync, statSync } from 'node:fs';
import { BoundedFileError, readBoundedFile } from './bounded-file.js';
import { homedir } from 'node:os';
import { parse, TomlError } from 'smol-toml';
import { z } from 'zod';
import { SmcpError } from '../errors.js';
import { displayPath } from './settings-source.js';

/** One key of config.toml. */
export interface SmcpConfigKey {
  /** The command-line option it sets, kebab-case without dashes (`max-rows`). */
  readonly key: string;
  /** Heading it sits under in the template. */
  readonly group: 'Network' | 'Limits and safety' | 'Daemon' | 'Snowflake connection';
  /** What a value must be, for error messages (`an integer from 0 to 65535`). */
  readonly expected: string;
  readonly schema: z.ZodType;
  /** The built-in default as a TOML value, or an example (then `example` is true). */
  readonly sample: string;
  readonly example?: boolean;
  /** One line for the template. */
  readonly describe: string;
  /** A file path: `~/` is expanded. */
  readonly path?: boolean;
}

const text = z.string().trim().min(1, { error: 'must not be empty' });
const int = (min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType => z.int().min(min).max(max);
const stringList = z.union([text.transform((v) => [v]), z.array(text)]);

/** Every key config.toml accepts, in template order. */
export const SMCP_CONFIG_KEYS: readonly SmcpConfigKey[] = Object.freeze([
  {
    key: 'port',
    group: 'Network',
    expected: 'an integer from 0 to 65535',
    schema: int(0, 65535),
    sample: '8000',
    describe: 'TCP port for MCP (0 picks a free one)',
  },
  {
    key: 'host',
    group: 'Network',
    expected: 'a non-empty host name or address',
    schema: text,
    sample: '"127.0.0.1"',
    describe: 'bind address; anything but loopback needs a bearer token',
  },
  {
    key: 'stateless',
    group: 'Network',
    expected: 'true or false',
    schema: z.boolean(),
    sample: 'false',
    describe: 'no MCP sessions (for several instances behind a load balancer)',
  },
  {
    key: 'auth-token-file',
    group: 'Network',
    expected: 'a non-empty file path',
    schema: text,
    path: true,
    sample: '"~/.config/smcp/token"',
    example: true,
    describe: 'file holding the bearer token (0600); the token itself never goes in this file',
  },
  {
    key: 'allowed-origin',
    group: 'Network',
    expected: 'a string or a list of non-empty strings',
    schema: stringList,
    sample: '["https://app.example.com"]',
    example: true,
    describe: 'extra allowed Origin headers',
  },
  {
    key: 'allowed-host',
    group: 'Network',
    expected: 'a string or a list of non-empty strings',
    schema: stringList,
    sample: '["mcp.example.com"]',
    example: true,
    describe: 'extra allowed Host headers',
  },
  {
    key: 'cors-origin',
    group: 'Network',
    expected: 'a string or a list of non-empty strings',
    schema: stringList,
    sample: '["https://app.example.com"]',
    example: true,
    describe: 'origins that get CORS headers',
  },
  {
    key: 'allow-local-users',
    group: 'Network',
    expected: 'true or false',
    schema: z.boolean(),
    sample: 'false',
    describe: "serve other local OS users without a token (default: only smcp's own user and root)",
  },
  {
    key: 'trusted-proxy',
    group: 'Network',
    expected: 'a string or a list of non-empty strings',
    schema: stringList,
    sample: '["127.0.0.1"]',
    example: true,
    describe: 'reverse proxy addresses whose X-Forwarded-For names the client',
  },
  {
    key: 'max-rows',
    group: 'Limits and safety',
    expected: 'a positive integer',
    schema: int(1),
    sample: '1000',
    describe: 'rows a call returns at most',
  },
  {
    key: 'max-bytes',
    group: 'Limits and safety',
    expected: 'a positive integer',
    schema: int(1),
    sample: '1048576',
    describe: 'bytes a call returns at most',
  },
  {
    key: 'timeout',
    group: 'Limits and safety',
    expected: 'a positive integer (seconds)',
    schema: int(1),
    sample: '60',
    describe: 'statement timeout in seconds when a call names none',
  },
  {
    key: 'max-sessions-per-client',
    group: 'Limits and safety',
    expected: 'a positive integer',
    schema: int(1),
    sample: '256',
    describe: 'open MCP sessions and WebSocket connections per client (token, local user or address)',
  },
  {
    key: 'max-requests-per-session',
    group: 'Limits and safety',
    expected: 'a positive integer',
    schema: int(1),
    sample: '16',
    describe: 'requests in flight per session or connection',
  },
  {
    key: 'max-requests-per-address',
    group: 'Limits and safety',
    expected: 'a positive integer',
    schema: int(1),
    sample: '256',
    describe: 'sessionless requests (stateless MCP, the tool API) in flight per client',
  },
  {
    key: 'websocket-buffer-mb',
    group: 'Limits and safety',
    expected: 'a positive integer (MiB)',
    schema: int(1),
    sample: '64',
    describe: 'answers waiting to be sent over all WebSockets; past it the slowest reader is closed',
  },
  {
    key: 'tools',
    group: 'Limits and safety',
    expected: 'a string or a list of non-empty strings',
    schema: stringList,
    sample: '["list_databases", "execute_query"]',
    example: true,
    describe: 'serve only these tools (every tools/list costs the model context on each turn)',
  },
  {
    key: 'pool-size',
    group: 'Limits and safety',
    expected: 'a positive integer',
    schema: int(1),
    sample: '8',
    describe: 'Snowflake connections open at most',
  },
  {
    key: 'pool-share',
    group: 'Limits and safety',
    expected: 'a positive integer',
    schema: int(1),
    sample: '4',
    example: true,
    describe: 'Snowflake connections one client may hold at once (default half the pool)',
  },
  {
    key: 'allow-write',
    group: 'Limits and safety',
    expected: 'true or false',
    schema: z.boolean(),
    sample: 'false',
    describe: 'allow DML (INSERT, UPDATE, MERGE, ...)',
  },
  {
    key: 'allow-ddl',
    group: 'Limits and safety',
    expected: 'true or false',
    schema: z.boolean(),
    sample: 'false',
    describe: 'allow DDL too (CREATE, ALTER, DROP); needs allow_write',
  },
  {
    key: 'tool-prefix',
    group: 'Limits and safety',
    expected: 'a string',
    schema: z.string(),
    sample: '""',
    describe: 'prefix for tool names, e.g. "snowflake_"',
  },
  {
    key: 'format',
    group: 'Limits and safety',
    expected: 'one of "markdown", "csv", "json"',
    schema: z.enum(['markdown', 'csv', 'json']),
    sample: '"markdown"',
    describe: 'default result text',
  },
  {
    key: 'log-level',
    group: 'Daemon',
    expected: 'one of "debug", "info", "warn", "error"',
    schema: z.enum(['debug', 'info', 'warn', 'error']),
    sample: '"info"',
    describe: 'log level (smcp stdio defaults to "warn")',
  },
  {
    key: 'drain-timeout',
    group: 'Daemon',
    expected: 'a number of seconds, 0 or more',
    schema: z.number().min(0),
    sample: '30',
    describe: 'seconds in-flight calls may finish on stop',
  },
  {
    key: 'connection',
    group: 'Snowflake connection',
    expected: 'a non-empty connection name',
    schema: text,
    sample: '"default"',
    example: true,
    describe: 'named connection in ~/.snowflake/connections.toml ("emulator": the embedded emulator)',
  },
  {
    key: 'warehouse',
    group: 'Snowflake connection',
    expected: 'a non-empty string',
    schema: text,
    sample: '"COMPUTE_WH"',
    example: true,
    describe: "warehouse, over the connection's own",
  },
  {
    key: 'database',
    group: 'Snowflake connection',
    expected: 'a non-empty string',
    schema: text,
    sample: '"ANALYTICS"',
    example: true,
    describe: 'default database',
  },
  {
    key: 'schema',
    group: 'Snowflake connection',
    expected: 'a non-empty string',
    schema: text,
    sample: '"PUBLIC"',
    example: true,
    describe: 'default schema',
  },
  {
    key: 'role',
    group: 'Snowflake connection',
    expected: 'a non-empty string',
    schema: text,
    sample: '"ANALYST"',
    example: true,
    describe: 'role (a read-only role is the safe choice)',
  },
] satisfies SmcpConfigKey[]);

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

/** The commented template `smcp config init` writes: every key commented out with its default. */
export function smcpConfigTemplate(): string {
  const lines = [TEMPLATE_HEAD];
  let group = '';
  for (const spec of SMCP_CONFIG_KEYS) {
    if (spec.group !== group) {
      group = spec.group;
      lines.push(`\n# --- ${group} ---`);
    }
    const note = spec.example ? ' (example, no default)' : '';
    lines.push(`# ${spec.describe}${note}`, `# ${spec.key.replace(/-/g, '_')} = ${spec.sample}`);
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

const BY_NAME: ReadonlyMap<string, SmcpConfigKey> = new Map(SMCP_CONFIG_KEYS.map((k) => [k.key, k]));

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
function validateValue(file: string, spelledKey: string, spec: SmcpConfigKey, raw: unknown): unknown {
  const result = spec.schema.safeParse(raw);
  if (result.success) return spec.path ? expandHome(result.data) : result.data;
  // `expected` says it all (type and range); zod's wording would only repeat it less clearly.
  const got = raw instanceof Date ? 'a date' : JSON.stringify(raw);
  throw fail(file, ` ${spelledKey}: expected ${spec.expected}, got ${got}`, spelledKey);
}

/**
 * Reads and validates config.toml at `file`. A missing file gives `exists: false` and no values.
 * Throws SmcpError CONFIG_INVALID naming the file and — for an unknown key, a secret, a key given
 * twice or a wrong type — the key and what was expected; TOML syntax errors name line and column.
 * A file writable by group or others is refused: it could switch writes on.
 */
export function readSmcpConfig(file: string): SmcpConfig {
  if (!existsSync(file)) return Object.freeze({ file, exists: false, values: {}, spelled: {} });
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
  for (const [key, raw] of Object.entries(table)) {
    const secretHint = SECRET_KEYS[key.replace(/-/g, '_').toLowerCase()];
    if (secretHint !== undefined) {
      throw fail(file, ` ${key}: secrets do not belong in this file; ${secretHint}`, key);
    }
    const name = canonical(key);
    const spec = BY_NAME.get(name);
    if (!spec) {
      const known = SMCP_CONFIG_KEYS.map((k) => k.key.replace(/-/g, '_')).join(', ');
      throw fail(file, `: unknown key "${key}" (known keys: ${known})`, key);
    }
    if (spelled[name] !== undefined) {
      throw fail(file, `: "${key}" and "${spelled[name]}" set the same option; keep one`, key);
    }
    values[name] = validateValue(file, key, spec, raw);
    spelled[name] = key;
  }
  return Object.freeze({
    file,
    exists: true,
    values: Object.freeze(values),
    spelled: Object.freeze(spelled),
  });
}
