/**
 * `smcp start --foreground`: serves MCP on every network transport (Streamable HTTP in both
 * protocol eras, WebSocket, legacy SSE, the plain HTTP tool API) in the foreground, logging JSON
 * lines to stderr, until SIGINT/SIGTERM; then it drains in-flight calls and exits 0.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { SmcpError } from '../../errors.js';
import { withConnectionFlags } from '../connection-flags.js';
import type { ConnectionFlagArgs } from '../connection-flags.js';
import { waitForStopSignal } from '../options.js';
import { say } from '../output.js';
import { withHttpFlags, withMcpFlags } from '../serve-options.js';
import type { HttpFlagArgs, McpFlagArgs } from '../serve-options.js';
import { prepareServing, describeBackend } from '../serving.js';

type StartArgs = ConnectionFlagArgs &
  McpFlagArgs &
  HttpFlagArgs & { foreground: boolean; logLevel: string; drainTimeout: number };

function builder(yargs: Argv): Argv<StartArgs> {
  return withConnectionFlags(withMcpFlags(withHttpFlags(yargs)))
    .option('foreground', {
      type: 'boolean',
      default: false,
      describe: 'run attached to the terminal (for pm2, systemd)',
    })
    .option('log-level', { type: 'string', default: 'info', describe: 'debug, info, warn or error' })
    .option('drain-timeout', {
      type: 'number',
      default: 30,
      describe: 'seconds in-flight calls may finish after a stop signal',
    }) as unknown as Argv<StartArgs>;
}

async function handler(args: ArgumentsCamelCase<StartArgs>): Promise<void> {
  if (!args.foreground) {
    throw new SmcpError(
      'USAGE',
      'only foreground mode is available in this version: run smcp start --foreground',
      {
        field: '--foreground',
      },
    );
  }
  const { startRuntime } = await import('../../daemon/runtime.js');
  const serving = prepareServing(args, { withHttp: true });
  const runtime = await startRuntime({ ...serving, http: serving.http! });
  const base = runtime.http.url;
  say(
    `smcp serving MCP on ${base}/mcp (Streamable HTTP), ws${base.slice(4)}/mcp (WebSocket), ${base}/sse (legacy SSE)`,
  );
  say(`data: ${describeBackend(runtime.dataPath)}`);
  process.send?.('ready');
  const signal = await waitForStopSignal();
  serving.logger.info('stopping', { signal });
  runtime.drain();
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, args.drainTimeout * 1000).unref());
  await Promise.race([runtime.tracker.whenIdle(), deadline]);
  await runtime.close();
}

/** The `start` command module. */
export const startCommand: CommandModule<object, StartArgs> = {
  command: 'start',
  describe: 'Serve MCP over HTTP, WebSocket and SSE on 127.0.0.1:8000',
  builder,
  handler,
};
