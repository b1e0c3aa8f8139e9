/**
 * `smcp start`: starts the daemon in the background and returns once it answers on its admin
 * socket, printing where it listens and what data it serves. `--foreground` runs the daemon
 * attached (for pm2 and systemd): JSON log lines to stderr and the log file, `process.send('ready')`
 * once listening, SIGTERM/SIGINT drain and exit 0, a second signal forces, SIGHUP reloads.
 */
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import type { DaemonFiles } from '../../config/paths.js';
import { SmcpError } from '../../errors.js';
import { afterCommand, cliArgv } from '../argv.js';
import { numberDefault, stringDefault } from '../../config/options/table.js';
import { withTableOptions } from '../option-flags.js';
import type { OptionArgs } from '../option-flags.js';
import { say } from '../output.js';
import { daemonArgs, reportStarted, startInBackground } from '../background-start.js';

/** Arguments of `smcp start`: every option the option table gives it. */
export type StartArgs = OptionArgs<'start'>;

async function runForeground(args: ArgumentsCamelCase<StartArgs>, files: DaemonFiles): Promise<void> {
  const { prepareServing, describeBackend } = await import('../serving.js');
  const { foregroundLogger } = await import('../daemon-logger.js');
  const { readVersion } = await import('../version.js');
  const serving = prepareServing(args, { withHttp: true });
  const log = foregroundLogger(files.logFile, args.logLevel, !args.daemonized, args.logSplit);
  const { startDaemon } = await import('../../daemon/daemon.js');
  const daemon = await startDaemon({
    ...serving,
    http: serving.http!,
    logger: log.logger,
    files,
    version: readVersion(),
    args: daemonArgs(afterCommand(cliArgv(), 'start')),
    drainTimeoutSeconds: args.drainTimeout,
    resolveAgain: () => serving.reread(),
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
  // Bad flags and settings are found by the daemon itself: its one-line error becomes this
  // command's error (same message and exit code), and the launcher stays light.
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
  describe: `Start the daemon in the background (MCP on http://${stringDefault('host')}:${numberDefault('port')}/mcp)`,
  builder: (yargs) => withTableOptions(yargs, 'start'),
  handler,
};
