/**
 * The Snowflake connection flags shared by every command that opens a connection. Secrets
 * (password, passphrase, token) have no flags on purpose: command lines are visible to every user
 * of the machine through `ps`; they come from the environment or the settings files.
 */
import type { Argv } from 'yargs';
import { displayPath } from '../config/settings-source.js';
import type { ConnectionFlags } from '../snowflake/settings.js';
import { appliedSmcpConfig, applySmcpConfig, loadSmcpConfig } from './config-defaults.js';

/** Parsed connection flags as yargs hands them over (camel-cased). */
export interface ConnectionFlagArgs {
  connection?: string;
  emulator?: boolean;
  account?: string;
  user?: string;
  authenticator?: string;
  privateKeyPath?: string;
  tokenFilePath?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  role?: string;
  snowflakeHost?: string;
  snowflakePort?: number;
  snowflakeProtocol?: string;
}

const GROUP = 'Snowflake connection:';

/**
 * The connection options smcp's config.toml may default. The account, user and authentication
 * belong in connections.toml, shared with the other Snowflake tools.
 */
export const CONNECTION_CONFIG_KEYS = ['connection', 'warehouse', 'database', 'schema', 'role'] as const;

/**
 * Adds the connection flags to a command's options; `connection`, `warehouse`, `database`,
 * `schema` and `role` default from config.toml unless a SNOWFLAKE_* variable sets them.
 */
export function withConnectionFlags<T>(yargs: Argv<T>): Argv<T & ConnectionFlagArgs> {
  const withFlags = yargs
    .option('connection', {
      type: 'string',
      group: GROUP,
      describe: 'named connection in connections.toml ("emulator": the embedded emulator)',
    })
    .option('emulator', {
      type: 'boolean',
      group: GROUP,
      describe: "serve the embedded emulator's sample data, whatever Snowflake settings exist",
    })
    .option('account', { type: 'string', group: GROUP, describe: 'account identifier (myorg-myaccount)' })
    .option('user', { type: 'string', group: GROUP, describe: 'login name' })
    .option('authenticator', {
      type: 'string',
      group: GROUP,
      describe: 'SNOWFLAKE, SNOWFLAKE_JWT, OAUTH, PROGRAMMATIC_ACCESS_TOKEN, EXTERNALBROWSER, …',
    })
    .option('private-key-path', {
      type: 'string',
      group: GROUP,
      describe: 'PEM private key for SNOWFLAKE_JWT',
    })
    .option('token-file-path', {
      type: 'string',
      group: GROUP,
      describe: 'file holding an OAuth or access token',
    })
    .option('warehouse', { type: 'string', group: GROUP, describe: 'warehouse' })
    .option('database', { type: 'string', group: GROUP, describe: 'default database' })
    .option('schema', { type: 'string', group: GROUP, describe: 'default schema' })
    .option('role', { type: 'string', group: GROUP, describe: 'role' })
    .option('snowflake-host', {
      type: 'string',
      group: GROUP,
      describe: 'Snowflake host (for private links and the emulator)',
    })
    .option('snowflake-port', { type: 'number', group: GROUP, describe: 'Snowflake port' })
    .option('snowflake-protocol', { type: 'string', group: GROUP, describe: 'http or https' });
  return applySmcpConfig(withFlags, { keys: CONNECTION_CONFIG_KEYS });
}

/** Converts parsed flags into the resolver's input, leaving out flags that were not given. */
export function toConnectionFlags(args: ConnectionFlagArgs): ConnectionFlags {
  const flags: ConnectionFlags = {
    connection: args.connection,
    emulator: args.emulator === true ? true : undefined,
    account: args.account,
    user: args.user,
    authenticator: args.authenticator,
    privateKeyPath: args.privateKeyPath,
    tokenFilePath: args.tokenFilePath,
    warehouse: args.warehouse,
    database: args.database,
    schema: args.schema,
    role: args.role,
    host: args.snowflakeHost,
    port: args.snowflakePort,
    protocol: args.snowflakeProtocol,
  };
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
}

/**
 * Where connection values came from when smcp's config.toml, not the command line, set them
 * (`{ warehouse: '~/.config/smcp/config.toml warehouse' }`), so settings and errors name the file.
 */
export function connectionFlagOrigins(
  args: ConnectionFlagArgs,
): Partial<Record<keyof ConnectionFlags, string>> {
  const applied = appliedSmcpConfig();
  const origins: Partial<Record<keyof ConnectionFlags, string>> = {};
  for (const key of CONNECTION_CONFIG_KEYS) {
    // A flag on the command line replaces the file's value: then the two differ.
    if (!applied.has(key) || args[key] !== applied.get(key)) continue;
    const config = loadSmcpConfig();
    origins[key] = `${displayPath(config.file)} ${config.spelled[key] ?? key}`;
  }
  return origins;
}
