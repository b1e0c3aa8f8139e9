/**
 * `smcp start`: starts the daemon in the background and returns once it answers on its admin
 * socket, printing where it listens and what data it serves. `--foreground` runs the daemon
 * attached (for pm2 and systemd): JSON log lines to stderr and the log file, `process.send('ready')`
 * once listening, SIGTERM/SIGINT drain and exit 0, a second signal forces, SIGHUP reloads.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { DaemonStatus } from '../../admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import type { DaemonFiles } from '../../config/paths.js';
import { SmcpError } from '../../errors.js';
import { afterCommand, cliArgv } from '../argv.js';
import { applySmcpConfig } from '../config-defaults.js';
import { withConnectionFlags } from '../connection-flags.js';
import type { ConnectionFlagArgs } from '../connection-flags.js';
import { say } from '../output.js';
import { describeData } from '../status-view.js';
import { withHttpFlags, withMcpFlags } from '../serve-options.js';
import type { HttpFlagArgs, McpFlagArgs } from '../serve-options.js';

/** Arguments of `smcp start` (and `smcp restart`). */
export type StartArgs = ConnectionFlagArgs &
  McpFlagArgs &
  HttpFlagArgs & {
    foreground: boolean;
    daemonized: boolean;
    logLevel: string;
    drainTimeout: number;
    waitTimeout: number;
  };

/** Options only the launcher uses; they are not handed to the daemon. */
const LAUNCHER_ONLY = new Set(['foreground', 'daemonized', 'wait-timeout']);

/** Adds the `start` options to `yargs` (shared with `restart`). */
export function withStartFlags<T>(yargs: Argv<T>): Argv<T & StartArgs> {
  const withFlags = withConnectionFlags(withMcpFlags(withHttpFlags(yargs)))
    .option('foreground', {
      type: 'boolean',
      default: false,
      describe: 'run attached to the terminal (for pm2, systemd)',
    })
    .option('daemonized', { type: 'boolean', default: false, hidden: true })
    .option('log-level', { type: 'string', default: 'info', describe: 'debug, info, warn or error' })
    .option('drain-timeout', {
      type: 'number',
      default: 30,
      describe: 'seconds in-flight calls may finish when the daemon stops',
    })
    .option('wait-timeout', {
      type: 'number',
      default: 30,
      describe: 'seconds to wait for a background daemon to become ready',
    });
  return applySmcpConfig(withFlags, { keys: ['log-level', 'drain-timeout'] }) as unknown as Argv<
    T & StartArgs
  >;
}

/** The `start` arguments worth handing to the daemon: what the user typed, minus launcher options. */
export function daemonArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const name = token.startsWith('--') ? (token.slice(2).split('=')[0] ?? '') : '';
    const bare = name.startsWith('no-') ? name.slice(3) : name;
    if (LAUNCHER_ONLY.has(bare)) {
      // Skip a separate value too (`--wait-timeout 5`), but never a following flag.
      const next = argv[i + 1];
      if (!token.includes('=') && bare === 'wait-timeout' && next !== undefined && !next.startsWith('-')) i++;
      continue;
    }
    out.push(token);
  }
  return out;
}

/** Prints what a daemon that just became ready serves. */
export function reportStarted(status: DaemonStatus, files: DaemonFiles): void {
  const { endpoints } = status;
  say(`smcp started (pid ${status.pid})`);
  say(`  MCP:  ${endpoints.mcp} (Streamable HTTP)  ${endpoints.websocket} (WebSocket)`);
  if (endpoints.sse) say(`       ${endpoints.sse} (legacy SSE)`);
  say(`  data: ${describeData(status)}`);
  say(`  logs: smcp logs (${files.logFile})`);
}

/**
 * Starts a detached daemon with `startArgs` and waits until it is ready. Throws DAEMON_RUNNING when
 * one already answers (or wins a race with this one).
 */
export async function startInBackground(
  files: DaemonFiles,
  startArgs: readonly string[],
  waitTimeoutSeconds: number,
): Promise<DaemonStatus> {
  const { findDaemon, cleanStaleFiles } = await import('../../daemon/control.js');
  const lookup = await findDaemon(files);
  if (lookup.kind === 'running') {
    throw new SmcpError(
      'DAEMON_RUNNING',
      `smcp is already running (pid ${lookup.status.pid}) on ${lookup.status.endpoints.mcp}`,
    );
  }
  if (lookup.kind === 'unresponsive') {
    throw new SmcpError(
      'DAEMON_RUNNING',
      `smcp is already running (pid ${lookup.pid}) but its admin socket does not answer; smcp stop --force ends it`,
    );
  }
  if (lookup.kind === 'dead') cleanStaleFiles(files);
  const { spawnDaemon } = await import('../../daemon/spawn.js');
  return spawnDaemon({ files, startArgs, readyTimeoutMs: waitTimeoutSeconds * 1000 });
}

async function runForeground(args: ArgumentsCamelCase<StartArgs>, files: DaemonFiles): Promise<void> {
  const { prepareServing, describeBackend } = await import('../serving.js');
  const { foregroundLogger } = await import('../daemon-logger.js');
  const { readVersion } = await import('../version.js');
  const { resolveConnectionSettings } = await import('../../snowflake/settings.js');
  const { toConnectionFlags } = await import('../connection-flags.js');
  const serving = prepareServing(args, { withHttp: true });
  const log = foregroundLogger(files.logFile, args.logLevel, !args.daemonized);
  const { startDaemon } = await import('../../daemon/daemon.js');
  const daemon = await startDaemon({
    ...serving,
    http: serving.http!,
    logger: log.logger,
    files,
    version: readVersion(),
    args: daemonArgs(afterCommand(cliArgv(), 'start')),
    drainTimeoutSeconds: args.drainTimeout,
    resolveAgain: () => resolveConnectionSettings({ env: process.env, flags: toConnectionFlags(args) }),
  }).catch((err: unknown) => {
    log.close();
    throw err;
  });
  const base = daemon.runtime.http.url;
  say(
    `smcp serving MCP on ${base}/mcp (Streamable HTTP), ws${base.slice(4)}/mcp (WebSocket), ${base}/sse (legacy SSE)`,
  );
  say(`data: ${describeBackend(daemon.runtime.dataPath)}`);
  process.send?.('ready');
  process.exitCode = await daemon.stopped;
  log.close();
  // A supervisor's IPC channel would keep the process alive after the stop.
  if (process.connected) process.disconnect();
}

async function handler(args: ArgumentsCamelCase<StartArgs>): Promise<void> {
  if (!Number.isFinite(args.drainTimeout) || args.drainTimeout < 0) {
    throw new SmcpError('USAGE', '--drain-timeout must be a number of seconds ≥ 0', {
      field: '--drain-timeout',
    });
  }
  if (!Number.isFinite(args.waitTimeout) || args.waitTimeout <= 0) {
    throw new SmcpError('USAGE', '--wait-timeout must be a number of seconds > 0', {
      field: '--wait-timeout',
    });
  }
  const files = daemonFiles(resolvePaths());
  if (args.foreground) return runForeground(args, files);
  // Settle bad flags and settings here, where the user sees the message, before anything detaches.
  const { prepareServing } = await import('../serving.js');
  prepareServing(args, { withHttp: true });
  const status = await startInBackground(
    files,
    daemonArgs(afterCommand(cliArgv(), 'start')),
    args.waitTimeout,
  );
  reportStarted(status, files);
}

/** The `start` command module. */
export const startCommand: CommandModule<object, StartArgs> = {
  command: 'start',
  describe: 'Start the daemon in the background (MCP on http://127.0.0.1:8000/mcp)',
  builder: (yargs) => withStartFlags(yargs),
  handler,
};
