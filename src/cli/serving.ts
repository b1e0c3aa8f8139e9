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
import { httpOptionsFrom, mcpSettingsFrom, poolOptionsFrom } from './serve-options.js';
import type { HttpFlagArgs, McpFlagArgs } from './serve-options.js';

/** Everything a serving command needs before it opens anything. */
export interface Serving {
  readonly resolved: ResolvedConnection;
  readonly mcp: McpSettings;
  readonly http?: RuntimeHttpOptions;
  readonly pool: ClientOptions;
  readonly logger: Logger;
}

/** Validates flags and settings (throwing SmcpError naming the bad one) before anything starts. */
export function prepareServing(
  args: ConnectionFlagArgs & McpFlagArgs & Partial<HttpFlagArgs> & { logLevel?: string },
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
  const mcp = mcpSettingsFrom(args);
  const pool = poolOptionsFrom(args, { singleClient: !options.withHttp });
  const http = options.withHttp ? httpOptionsFrom(args as HttpFlagArgs) : undefined;
  const resolved = resolveConnectionSettings({
    env: process.env,
    flags: toConnectionFlags(args),
    flagOrigins: connectionFlagOrigins(args),
  });
  for (const line of resolved.warnings ?? []) warn(`smcp: warning: ${line}`);
  const logger = createJsonLogger((line) => process.stderr.write(line), level);
  return { resolved, mcp, pool, ...(http ? { http } : {}), logger };
}

/** One line saying what serves the data. */
export function describeBackend(dataPath: DataPath): string {
  if (dataPath.backend === 'emulator') {
    return describeEmulator(dataPath.sampleData, dataPath.emulatorReason, dataPath.emulator?.url ?? '?');
  }
  const { connectionName, settings } = dataPath.connection;
  return `Snowflake connection "${connectionName.value}" (account ${settings.account.value})`;
}
