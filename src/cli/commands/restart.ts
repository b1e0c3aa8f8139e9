/**
 * `smcp restart [start options]`: stops the daemon (draining it) and starts it again, with the
 * options given here or, when none are given, the ones it was started with.
 */
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { afterCommand, cliArgv } from '../argv.js';
import { daemonArgs, reportStarted, startInBackground } from '../background-start.js';
import { withStartFlags } from './start.js';
import type { StartArgs } from './start.js';
import { stopIfRunning, withStopFlags } from './stop.js';
import type { StopArgs } from './stop.js';

type RestartArgs = StartArgs & StopArgs;

/** Options of stop that are not start options. */
const STOP_ONLY = new Set(['--timeout', '--force', '--no-force']);

async function handler(args: ArgumentsCamelCase<RestartArgs>): Promise<void> {
  const files = daemonFiles(resolvePaths());
  const given = daemonArgs(afterCommand(cliArgv(), 'restart')).filter(
    (token, i, all) =>
      !STOP_ONLY.has(token.split('=')[0]) && !(all[i - 1] === '--timeout' && !token.startsWith('-')),
  );
  const previous = await stopIfRunning(files, args);
  const startArgs = given.length > 0 ? given : (previous ?? []);
  const status = await startInBackground(files, startArgs, args.waitTimeout);
  reportStarted(status, files);
}

/** The `restart` command module. */
export const restartCommand: CommandModule<object, RestartArgs> = {
  command: 'restart',
  describe: 'Stop the daemon and start it again (with its previous options unless new ones are given)',
  builder: (yargs) => withStopFlags(withStartFlags(yargs)),
  handler,
};
