/**
 * `smcp status [--json]`: whether the daemon runs, and what it is doing. Never starts anything.
 * LSB exit codes: 0 running, 1 dead but the pidfile remains, 3 not running, 4 unknown (the process
 * lives but its admin socket does not answer).
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { findDaemon } from '../../daemon/control.js';
import { printStatus } from '../status-view.js';

type StatusArgs = { json: boolean };

/** The `status` command module. */
export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Show whether the daemon runs and what it is doing (exit 0 running, 3 not running)',
  builder: (yargs: Argv) =>
    yargs.option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the status as JSON',
    }),
  handler: async (args: ArgumentsCamelCase<StatusArgs>) => {
    const files = daemonFiles(resolvePaths());
    process.exitCode = printStatus(await findDaemon(files), files, args.json);
  },
};
