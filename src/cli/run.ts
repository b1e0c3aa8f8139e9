/**
 * smcp's command line: an explicit list of command modules (no commandDir), strict parsing, usage
 * errors with a hint and exit code 2, expected errors as one line with the catalogue's exit code.
 */
import yargs from 'yargs';
import { emulatorCommand } from './commands/emulator.js';
import { configCommand } from './commands/config.js';
import { logsCommand } from './commands/logs.js';
import { mcpConfigCommand } from './commands/mcp-config.js';
import { cacheCommand } from './commands/cache.js';
import { drainCommand } from './commands/drain.js';
import { metricsCommand } from './commands/metrics.js';
import { reloadCommand } from './commands/reload.js';
import { restartCommand } from './commands/restart.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { stdioCommand } from './commands/stdio.js';
import { callCommand, toolsCommand } from './commands/tools.js';
import { setCliArgv } from './argv.js';
import { reportError, warn } from './output.js';
import { readVersion } from './version.js';

/** A command line yargs rejected (unknown command or flag, missing argument). */
class CommandLineError extends Error {}

/** Parses `argv` and runs the chosen command; resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  setCliArgv(argv);
  const parser = yargs(argv)
    .scriptName('smcp')
    .usage('$0 <command> [options]\n\nSnowflake behind the Model Context Protocol.')
    .command(startCommand)
    .command(stopCommand)
    .command(restartCommand)
    .command(statusCommand)
    .command(drainCommand)
    .command(metricsCommand)
    .command(reloadCommand)
    .command(cacheCommand)
    .command(stdioCommand)
    .command(toolsCommand)
    .command(callCommand)
    .command(configCommand)
    .command(logsCommand)
    .command(mcpConfigCommand)
    .command(emulatorCommand)
    .completion('completion', 'Print a bash/zsh completion script: smcp completion >> ~/.bashrc')
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    .strict()
    .version(readVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 80))
    .exitProcess(false)
    .fail((message, err) => {
      // Throwing is what stops yargs: with exitProcess(false) it would run the handler anyway.
      throw err ?? new CommandLineError(message);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (!(err instanceof CommandLineError)) return reportError(err);
    warn(`smcp: ${err.message}`);
    warn("Run 'smcp --help' for usage.");
    return 2;
  }
  return process.exitCode === undefined ? 0 : Number(process.exitCode);
}
