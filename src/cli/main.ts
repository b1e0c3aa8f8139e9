/** Entry point of `bin/smcp`: runs the CLI on the process arguments and sets the exit code. */
import { hideBin } from 'yargs/helpers';
import { runCli } from './run.js';

process.exitCode = await runCli(hideBin(process.argv));
