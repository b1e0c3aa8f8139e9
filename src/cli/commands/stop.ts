/**
 * `smcp stop [--timeout S] [--force]`: drains the daemon (in-flight calls finish until the deadline,
 * then are cancelled in Snowflake) and waits for it to exit. `--force` cancels at once and kills a
 * daemon that does not exit. Stopping a daemon that does not run is not an error.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import type { DaemonFiles } from '../../config/paths.js';
import { cleanStaleFiles, findDaemon, stopDaemon } from '../../daemon/control.js';
import { SmcpError } from '../../errors.js';
import { say } from '../output.js';

/** Arguments of `smcp stop`. */
export type StopArgs = { timeout?: number; force: boolean };

/** Adds the stop options to `yargs`. */
export function withStopFlags<T>(yargs: Argv<T>): Argv<T & StopArgs> {
  return yargs
    .option('timeout', {
      type: 'number',
      describe: "seconds in-flight calls may finish (default: the daemon's --drain-timeout)",
    })
    .option('force', {
      type: 'boolean',
      default: false,
      describe: 'cancel in-flight calls at once; kill the daemon if it does not exit',
    });
}

/**
 * Stops the daemon if one runs and reports it; resolves to the `smcp start` arguments it ran with
 * (undefined when none ran).
 */
export async function stopIfRunning(
  files: DaemonFiles,
  args: StopArgs,
): Promise<readonly string[] | undefined> {
  if (args.timeout !== undefined && (!Number.isFinite(args.timeout) || args.timeout < 0)) {
    throw new SmcpError('USAGE', '--timeout must be a number of seconds ≥ 0', { field: '--timeout' });
  }
  const lookup = await findDaemon(files);
  if (lookup.kind === 'stopped') {
    say('smcp is not running');
    return undefined;
  }
  if (lookup.kind === 'dead') {
    cleanStaleFiles(files);
    say(`smcp is not running (removed the pidfile of pid ${lookup.pid ?? '?'}, which died)`);
    return undefined;
  }
  const timeoutSeconds = args.timeout ?? (lookup.kind === 'running' ? lookup.status.drainTimeoutSeconds : 30);
  const outcome = await stopDaemon(files, lookup, { timeoutSeconds, force: args.force });
  say(`smcp stopped (pid ${outcome.pid}${outcome.killed ? ', killed' : ''})`);
  return lookup.kind === 'running' ? lookup.status.args : [];
}

/** The `stop` command module. */
export const stopCommand: CommandModule<object, StopArgs> = {
  command: 'stop',
  describe: 'Drain and stop the daemon',
  builder: (yargs) => withStopFlags(yargs),
  handler: async (args: ArgumentsCamelCase<StopArgs>) => {
    await stopIfRunning(daemonFiles(resolvePaths()), args);
  },
};
