/**
 * `smcp stdio`: serves MCP on stdin/stdout for desktop clients. stdout carries nothing but protocol
 * messages; logs go to stderr (warnings and errors only unless --log-level says otherwise). While a
 * daemon runs, main.ts relays the client to it (cli/stdio-bridge.ts) before this module loads; what
 * reaches this handler is served in-process: no daemon, `--no-daemon`, or flags that choose what to
 * serve.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withTableOptions } from '../option-flags.js';
import type { OptionArgs } from '../option-flags.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { prepareServing } from '../serving.js';

type StdioArgs = OptionArgs<'stdio'>;

function builder(yargs: Argv): Argv<StdioArgs> {
  return withTableOptions(yargs, 'stdio');
}

async function handler(args: ArgumentsCamelCase<StdioArgs>): Promise<void> {
  const serving = prepareServing(args, { withHttp: false });
  // A running daemon was passed over (--no-daemon, or flags that choose what to serve): say so.
  const { readEndpointFile } = await import('../../daemon/endpoint-file.js');
  const daemon = readEndpointFile(daemonFiles(resolvePaths()).endpoint);
  if (daemon) {
    serving.logger.info('serving in-process beside the running daemon', {
      pid: daemon.pid,
      reason: args.daemon ? 'the flags given choose what to serve' : '--no-daemon',
    });
  }
  const { openToolHost } = await import('../../daemon/tool-host.js');
  const { runStdio } = await import('../../transports/stdio.js');
  const host = await openToolHost(serving);
  const stdio = runStdio(host.factory, { tracker: host.tracker, logger: serving.logger });
  const stop = (): void => void stdio.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await stdio.closed;
  await host.close();
}

/** The `stdio` command module. */
export const stdioCommand: CommandModule<object, StdioArgs> = {
  command: 'stdio',
  describe: 'Serve MCP on stdin/stdout (for desktop MCP clients)',
  builder,
  handler,
};
