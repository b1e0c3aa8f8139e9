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
import type { ResolvedConnection } from '../snowflake/settings.js';
import { connectionFlagOrigins, toConnectionFlags } from './connection-flags.js';
import { warn } from './output.js';
import { describeEmulator } from './status-view.js';
import type { ConnectionFlagArgs } from './connection-flags.js';
import { givenOptionNames } from './argv.js';
import { loadSmcpConfig } from './config-defaults.js';
import { defineMcpSettings } from '../mcp/settings.js';
import type { NamedConnection } from '../daemon/tool-host.js';
import { httpOptionsFrom, mcpSettingsFrom, poolOptionsFrom } from './serve-options.js';
import type { HttpFlagArgs, McpFlagArgs } from './serve-options.js';

/** Everything a serving command needs before it opens anything. */
export interface Serving {
  readonly resolved: ResolvedConnection;
  readonly mcp: McpSettings;
  /** With --connections: the first connection's name and the connections served beside it. */
  readonly name?: string;
  readonly more?: readonly NamedConnection[];
  readonly http?: RuntimeHttpOptions;
  readonly pool: ClientOptions;
  readonly logger: Logger;
}

/** Validates flags and settings (throwing SmcpError naming the bad one) before anything starts. */
export function prepareServing(
  args: ConnectionFlagArgs &
    McpFlagArgs &
    Partial<HttpFlagArgs> & { logLevel?: string; connections?: string[] },
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
  const names = connectionNames(args);
  const flags = toConnectionFlags(args);
  const resolved = resolveConnectionSettings({
    env: process.env,
    flags: names ? { ...flags, connection: names[0] } : flags,
    flagOrigins: connectionFlagOrigins(args),
  });
  const more = (names ?? []).slice(1).map((name) => ({
    name,
    resolved: resolveConnectionSettings({ env: process.env, flags: { connection: name } }),
    mcp: settingsFor(base, name),
  }));
  for (const line of [resolved, ...more.map((m) => m.resolved)].flatMap((r) => r.warnings ?? [])) {
    warn(`smcp: warning: ${line}`);
  }
  const logger = createJsonLogger((line) => process.stderr.write(line), level);
  const mcp = names ? settingsFor(base, names[0]) : base;
  return {
    resolved,
    mcp,
    pool,
    ...(names ? { name: names[0], more } : {}),
    ...(http ? { http } : {}),
    logger,
  };
}

/**
 * The names of --connections (comma- or space-separated), or undefined for one connection.
 * Throws USAGE for a name given twice, or beside --connection / --emulator.
 */
function connectionNames(args: ConnectionFlagArgs & { connections?: string[] }): string[] | undefined {
  const names = (args.connections ?? [])
    .flatMap((n) => n.split(','))
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0) return undefined;
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new SmcpError('USAGE', `--connections names "${twice}" twice`, { field: '--connections' });
  if (args.emulator === true || (givenOptionNames().has('connection') && args.connection !== names[0])) {
    throw new SmcpError(
      'USAGE',
      '--connections chooses the connections (the first is the default): leave out --connection and --emulator',
      { field: '--connections' },
    );
  }
  return names;
}

/** `base` with config.toml's [connection_options.<name>] applied, for calls on connection `name`. */
function settingsFor(base: McpSettings, name: string): McpSettings {
  const overrides = loadSmcpConfig().connectionOptions[name];
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
