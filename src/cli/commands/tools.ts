/**
 * `smcp tools` and `smcp call <tool> [key=value …] [--args JSON] [--json]`: the MCP tools for shell
 * scripts. Output is readable text on a terminal and JSON with --json or when piped. Exit 0 on
 * success, 1 when the tool reports an error (message on stderr), 2 for usage errors.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { SmcpError, isSmcpError } from '../../errors.js';
import type { ToolHost } from '../../daemon/tool-host.js';
import { withConnectionFlags } from '../connection-flags.js';
import type { ConnectionFlagArgs } from '../connection-flags.js';
import { say, sayJson, warn } from '../output.js';
import { withMcpFlags } from '../serve-options.js';
import type { McpFlagArgs } from '../serve-options.js';
import { prepareServing } from '../serving.js';
import { buildToolArgs } from '../tool-args.js';

type CommonArgs = ConnectionFlagArgs & McpFlagArgs & { json?: boolean };
type CallArgs = CommonArgs & { tool: string; pairs?: string[]; args?: string };

function wantsJson(args: { json?: boolean }): boolean {
  return args.json ?? !process.stdout.isTTY;
}

async function withHost<T>(args: CommonArgs, work: (host: ToolHost) => Promise<T>): Promise<T> {
  const serving = prepareServing({ ...args, logLevel: 'error' }, { withHttp: false });
  const { openToolHost } = await import('../../daemon/tool-host.js');
  const host = await openToolHost(serving);
  try {
    return await work(host);
  } finally {
    await host.close();
  }
}

async function toolsHandler(args: ArgumentsCamelCase<CommonArgs>): Promise<void> {
  await withHost(args, (host) => {
    const tools = host.registry.listTools();
    if (wantsJson(args)) {
      sayJson(tools);
    } else {
      const width = Math.max(...tools.map((t) => t.name.length));
      for (const tool of tools) say(`${tool.name.padEnd(width)}  ${tool.description.split('\n')[0] ?? ''}`);
    }
    return Promise.resolve();
  });
}

async function callHandler(args: ArgumentsCamelCase<CallArgs>): Promise<void> {
  await withHost(args, async (host) => {
    const listing = host.registry.listTools().find((t) => t.name === args.tool);
    if (!listing) {
      const names = host.registry.listTools().map((t) => t.name);
      throw new SmcpError('USAGE', `unknown tool "${args.tool}"; tools: ${names.join(', ')}`, {
        field: 'tool',
      });
    }
    const toolArgs = buildToolArgs(args.pairs ?? [], args.args, listing.inputSchema);
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    process.once('SIGINT', abort);
    let result;
    try {
      result = await host.registry.callTool(
        args.tool,
        toolArgs,
        { transport: 'cli', clientId: `cli-${process.pid}` },
        {
          signal: controller.signal,
        },
      );
    } catch (err) {
      // Arguments that do not fit the tool's schema are a usage error of this command.
      if (isSmcpError(err, 'USAGE', 'NOT_FOUND')) throw new SmcpError('USAGE', err.message, err.details);
      throw err;
    } finally {
      process.off('SIGINT', abort);
    }
    const text = result.content.map((block) => block.text).join('\n');
    if (result.isError) {
      warn(`smcp: ${text}`);
      process.exitCode = 1;
      if (wantsJson(args)) sayJson(result.structuredContent ?? result);
      return;
    }
    if (wantsJson(args)) sayJson(result.structuredContent ?? result);
    else say(text);
  });
}

function common<T>(yargs: Argv<T>): Argv<T & CommonArgs> {
  return withConnectionFlags(withMcpFlags(yargs)).option('json', {
    type: 'boolean',
    describe: 'print JSON (the default when stdout is not a terminal)',
  });
}

/** The `tools` command module. */
export const toolsCommand: CommandModule<object, CommonArgs> = {
  command: 'tools',
  describe: 'List the tools MCP clients see',
  builder: (yargs) => common(yargs),
  handler: toolsHandler,
};

/** The `call` command module. */
export const callCommand: CommandModule<object, CallArgs> = {
  command: 'call <tool> [pairs..]',
  describe: 'Call a tool: smcp call execute_query sql="SELECT 1"',
  builder: (yargs) =>
    common(yargs)
      .positional('tool', { type: 'string', describe: 'tool name (see smcp tools)' })
      .positional('pairs', { type: 'string', array: true, describe: 'arguments as key=value' })
      .option('args', { type: 'string', describe: 'arguments as one JSON object' })
      .example('$0 call list_databases', '')
      .example('$0 call list_tables database=SAMPLE_DB schema=SALES --json', '') as unknown as Argv<CallArgs>,
  handler: callHandler,
};
