/**
 * The quick way through for `smcp stdio` while a daemon runs: the command line is read with
 * node:util, the daemon found through its endpoint file (pid checked), and the client relayed to
 * it (src/bridge/) without loading yargs, zod, the MCP server, snowflake-sdk or DuckDB. Anything
 * else — `--no-daemon`, flags that choose what to serve, `--help`, no daemon — resolves undefined,
 * and the full CLI serves in-process as before.
 */
import { parseArgs } from 'node:util';
import { daemonFiles, resolvePaths } from '../config/paths.js';
import { readEndpointFile } from '../daemon/endpoint-file.js';
import type { DaemonEndpoint } from '../daemon/endpoint-file.js';
import { createJsonLogger, LOG_LEVELS } from '../daemon/json-logger.js';
import type { LogLevel } from '../daemon/json-logger.js';

/** The flags that leave what is served to the daemon. */
const FLAGS = {
  'log-level': { type: 'string' },
  daemon: { type: 'boolean' },
  'no-daemon': { type: 'boolean' },
  connection: { type: 'string' },
} as const;

interface BridgeArgs {
  readonly logLevel: LogLevel;
  readonly connection: string | undefined;
}

function parse(argv: readonly string[]): BridgeArgs | undefined {
  let values: { 'log-level'?: string; daemon?: boolean; 'no-daemon'?: boolean; connection?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch {
    return undefined; // Anything unusual: the full CLI explains it or serves in-process.
  }
  if (values['no-daemon'] || values.daemon === false) return undefined;
  const level = values['log-level'] ?? 'warn';
  if (!LOG_LEVELS.includes(level as LogLevel)) return undefined;
  return { logLevel: level as LogLevel, connection: values.connection };
}

/**
 * The running daemon's endpoint when `smcp stdio <argv>` should relay to it: a daemon runs for
 * these files, and the connection asked for (flag, else SNOWFLAKE_DEFAULT_CONNECTION_NAME) is none
 * or the daemon's own.
 */
export function bridgeTarget(
  argv: readonly string[],
): { endpoint: DaemonEndpoint; args: BridgeArgs } | undefined {
  const args = parse(argv);
  if (!args) return undefined;
  const endpoint = readEndpointFile(daemonFiles(resolvePaths()).endpoint);
  if (!endpoint) return undefined;
  const asked = args.connection ?? process.env.SNOWFLAKE_DEFAULT_CONNECTION_NAME;
  if (asked !== undefined && asked !== endpoint.connection) return undefined;
  return { endpoint, args };
}

/** Runs `smcp stdio` as a bridge when it should; resolves its exit code, or undefined to serve in-process. */
export async function tryStdioBridge(argv: readonly string[]): Promise<number | undefined> {
  const target = bridgeTarget(argv);
  if (!target) return undefined;
  const { runStdioBridge } = await import('../bridge/stdio-bridge.js');
  const logger = createJsonLogger((line) => process.stderr.write(line), target.args.logLevel);
  const file = daemonFiles(resolvePaths()).endpoint;
  logger.info('relaying to the smcp daemon', { pid: target.endpoint.pid, url: target.endpoint.mcp });
  const bridge = runStdioBridge(target.endpoint, { findEndpoint: () => readEndpointFile(file), logger });
  const stop = (): void => void bridge.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await bridge.closed;
  return 0;
}
