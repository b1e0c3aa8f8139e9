/**
 * `smcp stdio`: serves MCP on stdin/stdout for desktop clients. stdout carries nothing but protocol
 * messages; logs go to stderr (warnings and errors only unless --log-level says otherwise).
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withConnectionFlags } from '../connection-flags.js';
import type { ConnectionFlagArgs } from '../connection-flags.js';
import { withMcpFlags } from '../serve-options.js';
import type { McpFlagArgs } from '../serve-options.js';
import { applySmcpConfig } from '../config-defaults.js';
import { prepareServing } from '../serving.js';

type StdioArgs = ConnectionFlagArgs & McpFlagArgs & { logLevel: string };

function builder(yargs: Argv): Argv<StdioArgs> {
  const withLevel = withConnectionFlags(withMcpFlags(yargs)).option('log-level', {
    type: 'string',
    default: 'warn',
    describe: 'stderr log level: debug, info, warn or error',
  });
  return applySmcpConfig(withLevel, { keys: ['log-level'] }) as unknown as Argv<StdioArgs>;
}

async function handler(args: ArgumentsCamelCase<StdioArgs>): Promise<void> {
  const serving = prepareServing(args, { withHttp: false });
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
