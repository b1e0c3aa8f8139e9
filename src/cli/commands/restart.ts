/**
 * `smcp restart [start options] [--force]`: stops the daemon (draining it for its own
 * --drain-timeout, or cancelling at once with --force) and starts it again, with the options given
 * here or, when none are given, the ones it was started with. `--timeout` here is the statement
 * timeout of the new daemon, as for `smcp start`.
 */
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { afterCommand, cliArgv } from '../argv.js';
import { daemonArgs, reportStarted, startInBackground } from '../background-start.js';
import { withTableOptions } from '../option-flags.js';
import type { OptionArgs } from '../option-flags.js';
import { stopIfRunning } from './stop.js';

type RestartArgs = OptionArgs<'restart'> & { force: boolean };

async function handler(args: ArgumentsCamelCase<RestartArgs>): Promise<void> {
  const files = daemonFiles(resolvePaths());
  const given = daemonArgs(afterCommand(cliArgv(), 'restart')).filter(
    (token) => !/^--(no-)?force(=|$)/.test(token),
  );
  const previous = await stopIfRunning(files, { force: args.force });
  const startArgs = given.length > 0 ? given : (previous ?? []);
  const status = await startInBackground(files, startArgs, args.waitTimeout);
  reportStarted(status, files);
}

/** The `restart` command module. */
export const restartCommand: CommandModule<object, RestartArgs> = {
  command: 'restart',
  describe: 'Stop the daemon and start it again (with its previous options unless new ones are given)',
  builder: (yargs) =>
    withTableOptions(yargs, 'restart').option('force', {
      type: 'boolean',
      default: false,
      describe: 'cancel in-flight calls at once instead of draining them',
    }),
  handler,
};
