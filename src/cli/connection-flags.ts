/**
 * The Snowflake connection flags (declared in the option table) as the connection resolver takes
 * them. Secrets (password, passphrase, token) have no flags on purpose: command lines are visible
 * to every user of the machine through `ps`; they come from the environment or the settings files.
 */
import { optionsOf } from '../config/options/table.js';
import { displayPath } from '../config/settings-source.js';
import type { ConnectionFlags } from '../snowflake/settings.js';
import { appliedSmcpConfig, loadSmcpConfig } from './config-defaults.js';
import type { SmcpConfig } from '../config/smcp-config.js';
import type { OptionArgs } from './option-flags.js';
import { camelCase } from './option-flags.js';

/** Parsed connection flags as yargs hands them over (camel-cased), typed from the option table. */
export type ConnectionFlagArgs = OptionArgs<'config show', 'Snowflake connection'>;

/**
 * The connection options smcp's config.toml may default (the option table says which: the
 * connection choice and the session context; the account, user and authentication belong in
 * connections.toml, shared with the other Snowflake tools).
 */
const CONNECTION_CONFIG_KEYS = optionsOf('config show')
  .filter((spec) => spec.group === 'Snowflake connection' && spec.config)
  .map((spec) => spec.key);

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
 * `source` is the file and the values taken from it (default: as this command applied them; a
 * reload passes the file it read again).
 */
export function connectionFlagOrigins(
  args: ConnectionFlagArgs,
  source?: { readonly config: SmcpConfig; readonly applied: ReadonlyMap<string, unknown> },
): Partial<Record<keyof ConnectionFlags, string>> {
  const applied = source?.applied ?? appliedSmcpConfig();
  const origins: Partial<Record<keyof ConnectionFlags, string>> = {};
  for (const key of CONNECTION_CONFIG_KEYS) {
    // A flag on the command line replaces the file's value: then the two differ.
    const value: unknown = args[camelCase(key) as keyof ConnectionFlagArgs];
    if (!applied.has(key) || value !== applied.get(key)) continue;
    const config = source?.config ?? loadSmcpConfig();
    origins[camelCase(key) as keyof ConnectionFlags] =
      `${displayPath(config.file)} ${config.spelled[key] ?? key}`;
  }
  return origins;
}
