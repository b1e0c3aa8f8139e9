/**
 * The one place that loads snowflake-sdk. The SDK is imported lazily (the CLI stays fast when no
 * connection is needed) and only after the environment switches that keep it local are set: on
 * load it would otherwise probe cloud metadata addresses, and by default it logs to stdout and
 * ./snowflake.log (fatal for MCP over stdio).
 */

import type * as SnowflakeTypes from 'snowflake-sdk';
import type { Logger } from '../logger.js';

/** The snowflake-sdk module API. */
export type SnowflakeSdk = typeof SnowflakeTypes;

let loading: Promise<SnowflakeSdk> | undefined;

/**
 * Imports snowflake-sdk once per process (later calls share the same promise), after setting
 * SNOWFLAKE_DISABLE_PLATFORM_DETECTION and SF_TELEMETRY_DISABLE_CONNECTION_SHAPE, and turns its
 * logger off.
 */
export function loadSnowflakeSdk(): Promise<SnowflakeSdk> {
  loading ??= (async () => {
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
    process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
    const mod = (await import('snowflake-sdk')) as unknown as { default?: SnowflakeSdk } & SnowflakeSdk;
    const sdk = mod.default ?? mod;
    sdk.configure({ logLevel: 'OFF' });
    return sdk;
  })();
  return loading;
}

/**
 * Routes the driver's own log lines (already secret-masked by the driver) into `logger` at
 * `level` and above, or turns them off again with `level: 'OFF'`. Driver logging is
 * process-global.
 */
export async function routeDriverLogs(
  logger: Logger,
  level: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'OFF',
): Promise<void> {
  const sdk = await loadSnowflakeSdk();
  if (level === 'OFF') {
    sdk.configure({ logLevel: 'OFF' });
    return;
  }
  const tag = { component: 'snowflake-sdk' };
  sdk.configure({
    logLevel: level,
    customLogger: {
      error: (m) => logger.error(m, tag),
      warn: (m) => logger.warn(m, tag),
      info: (m) => logger.info(m, tag),
      debug: (m) => logger.debug(m, tag),
      trace: (m) => logger.debug(m, tag),
    },
  });
}
