/** What the serving commands share: settings from flags and environment, and the logger to stderr. */
import { createJsonLogger, LOG_LEVELS } from '../daemon/json-logger.js';
import type { LogLevel } from '../daemon/json-logger.js';
import type { DataPath } from '../daemon/data-path.js';
import type { RuntimeHttpOptions } from '../daemon/runtime.js';
import { SmcpError } from '../errors.js';
import type { McpSettings } from '../mcp/settings.js';
import type { ClientOptions } from '../snowflake/client.js';
import type { Logger } from '../logger.js';
import { resolveConnectionSettings } from '../snowflake/settings.js';
import { connectionFlagOrigins, toConnectionFlags } from './connection-flags.js';
import { warn } from './output.js';
import { describeEmulator } from './status-view.js';
import type { ConnectionFlagArgs } from './connection-flags.js';
import { givenOptionNames } from './argv.js';
import { appliedSmcpConfig, loadSmcpConfig, smcpConfigFile } from './config-defaults.js';
import { defineMcpSettings } from '../mcp/settings.js';
import type { ConnectionsWanted } from '../daemon/tool-host.js';
import type { ReloadRequest } from '../daemon/reload-request.js';
import type { ConnectionFlags } from '../snowflake/settings.js';
import { readSmcpConfig } from '../config/smcp-config.js';
import type { SmcpConfig } from '../config/smcp-config.js';
import { displayPath } from '../config/settings-source.js';
import { argsWithConfig, settingChanges } from './reload-settings.js';
import { httpOptionsFrom, mcpSettingsFrom, poolOptionsFrom } from './serve-options.js';
import type { HttpFlagArgs, McpFlagArgs } from './serve-options.js';

/** Everything a serving command needs before it opens anything. */
export interface Serving extends ConnectionsWanted {
  readonly http?: RuntimeHttpOptions;
  readonly pool: ClientOptions;
  readonly logger: Logger;
  /**
   * Reads the settings again for a reload: config.toml afresh (its settings, `connections`,
   * `connection`, `[connection_options.<name>]` and `[sql_tools.<name>]`, validated as at start;
   * what the command line gave stays), connections.toml and the environment. Throws SmcpError
   * naming the file, field or connection when they cannot be served.
   */
  reread(): ReloadRequest;
}

type ServingArgs = ConnectionFlagArgs &
  McpFlagArgs &
  Partial<HttpFlagArgs> & { logLevel?: string; connections?: string[] };

/** Validates flags and settings (throwing SmcpError naming the bad one) before anything starts. */
export function prepareServing(
  args: ServingArgs,
  options: { withHttp: boolean; defaultLogLevel?: LogLevel },
): Serving {
  const level = (args.logLevel ?? options.defaultLogLevel ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new SmcpError(
      'USAGE',
      `--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${String(args.logLevel)}`,
      {
        field: '--log-level',
      },
    );
  }
  const base = mcpSettingsFrom(args);
  const pool = poolOptionsFrom(args, { singleClient: !options.withHttp });
  const http = options.withHttp ? httpOptionsFrom(args as HttpFlagArgs) : undefined;
  const config = loadSmcpConfig();
  const wanted = connectionsWanted(
    base,
    connectionNames(args.connections, '--connections', args),
    toConnectionFlags(args),
    connectionFlagOrigins(args),
    config,
    !givenOptionNames().has('connections') && appliedSmcpConfig().has('connections')
      ? listOrigin(config)
      : undefined,
  );
  for (const line of [wanted.resolved, ...(wanted.more ?? []).map((m) => m.resolved)].flatMap(
    (r) => r.warnings ?? [],
  )) {
    warn(`smcp: warning: ${line}`);
  }
  const logger = createJsonLogger((line) => process.stderr.write(line), level);
  // The arguments the last successful reload applied (at first: those the daemon started with).
  let applied: ServingArgs = args;
  return {
    ...wanted,
    pool,
    ...(http ? { http } : {}),
    logger,
    reread: () => {
      const { next, request } = rereadServing(args, applied);
      return { ...request, applied: () => void (applied = next) };
    },
  };
}

/** Where config.toml's `connections` list is, for messages about a name it holds. */
function listOrigin(config: SmcpConfig): string {
  return `${displayPath(config.file)} ${config.spelled.connections ?? 'connections'}`;
}

/**
 * The connections to serve from the names (undefined: one), flags and config.toml; `namedIn` is
 * where the names came from when a settings file holds them.
 */
function connectionsWanted(
  base: McpSettings,
  names: string[] | undefined,
  flags: ConnectionFlags,
  flagOrigins: Partial<Record<keyof ConnectionFlags, string>>,
  config: SmcpConfig,
  namedIn?: string,
): ConnectionsWanted {
  const named = namedIn ? { connection: namedIn } : {};
  const resolved = resolveConnectionSettings({
    env: process.env,
    flags: names ? { ...flags, connection: names[0] } : flags,
    flagOrigins: names ? { ...flagOrigins, ...named } : flagOrigins,
  });
  if (!names) return { resolved, mcp: base };
  return {
    resolved,
    mcp: settingsFor(base, names[0], config),
    name: names[0],
    more: names.slice(1).map((name) => ({
      name,
      resolved: resolveConnectionSettings({
        env: process.env,
        flags: { connection: name },
        flagOrigins: named,
      }),
      mcp: settingsFor(base, name, config),
    })),
  };
}

/**
 * What a reload serves: the command line as the daemon started (`started`), config.toml read again
 * for every setting the command line did not give (its limits, SQL tools, `connections` list and
 * `connection`; SNOWFLAKE_DEFAULT_CONNECTION_NAME still outranks its `connection`), connections.toml
 * read again; with the settings that changed since the last reload (`applied`) and those that wait
 * for a restart. Returns the arguments it read, for the next reload to compare with.
 */
function rereadServing(
  started: ServingArgs,
  applied: ServingArgs,
): { next: ServingArgs; request: ReloadRequest } {
  const config = readSmcpConfig(smcpConfigFile());
  const { args: next, fromFile } = argsWithConfig(started, config);
  // Validated as at start: the same messages naming the file, the tool and the field.
  const base = mcpSettingsFrom(next, config);
  const listedInFile = !givenOptionNames().has('connections');
  const names = connectionNames(next.connections, listedInFile ? listOrigin(config) : '--connections', next);
  const wanted = connectionsWanted(
    base,
    names,
    toConnectionFlags(next),
    connectionFlagOrigins(next, { config, applied: fromFile }),
    config,
    listedInFile ? listOrigin(config) : undefined,
  );
  return { next, request: { ...wanted, ...settingChanges(started, applied, next) } };
}

/**
 * The names of a connection list (comma- or space-separated), or undefined for one connection.
 * Throws USAGE naming `field` for a name given twice, or beside --connection / --emulator.
 */
function connectionNames(
  list: readonly string[] | undefined,
  field: string,
  args: ConnectionFlagArgs,
): string[] | undefined {
  const names = (list ?? [])
    .flatMap((n) => n.split(','))
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0) return undefined;
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new SmcpError('USAGE', `${field} names "${twice}" twice`, { field });
  if (args.emulator === true || (givenOptionNames().has('connection') && args.connection !== names[0])) {
    throw new SmcpError(
      'USAGE',
      `${field} chooses the connections (the first is the default): leave out --connection and --emulator`,
      { field },
    );
  }
  return names;
}

/** `base` with config.toml's [connection_options.<name>] applied, for calls on connection `name`. */
function settingsFor(base: McpSettings, name: string, config: SmcpConfig): McpSettings {
  const overrides = config.connectionOptions[name];
  return overrides ? defineMcpSettings({ ...base, ...overrides }) : base;
}

/** One line saying what serves the data. */
export function describeBackend(dataPath: DataPath): string {
  if (dataPath.backend === 'emulator') {
    return describeEmulator(dataPath.sampleData, dataPath.emulatorReason, dataPath.emulator?.url ?? '?');
  }
  const { connectionName, settings } = dataPath.connection;
  return `Snowflake connection "${connectionName.value}" (account ${settings.account.value})`;
}
