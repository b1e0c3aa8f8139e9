/**
 * `smcp tools` and `smcp call <tool> [key=value …] [--args JSON] [--json]`: the MCP tools for shell
 * scripts. When a daemon runs they go through its admin socket (same guard, same limits, visible in
 * its status); otherwise they run in-process on the configured connection or the embedded emulator.
 * `--verbose` says which on stderr. Output is readable text on a terminal and JSON with --json or
 * when piped. Exit 0 on success, 1 when the tool reports an error (message on stderr), 2 for usage.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { adminRequest } from '../../admin/client.js';
import type { DaemonStatus } from '../../admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { SmcpError, isSmcpError } from '../../errors.js';
import type { ToolListing } from '../../mcp/tool-registry.js';
import type { ToolResult } from '../../mcp/tool-result.js';
import { givenOptionNames } from '../argv.js';
import { withTableOptions } from '../option-flags.js';
import type { OptionArgs } from '../option-flags.js';
import { warn } from '../output.js';
import { findTool, printToolResult, printTools } from '../tool-output.js';
import { buildToolArgs } from '../tool-args.js';

type CommonArgs = OptionArgs<'tools'> & { json?: boolean; daemon: boolean; verbose: boolean };
type CallArgs = CommonArgs & { tool: string; pairs?: string[]; args?: string };

/** Options of these commands that are about output or routing, not about serving. */
const OWN_OPTIONS = new Set(['json', 'daemon', 'verbose', 'args', 'help', 'h']);

/** How the tools are reached this time. */
interface ToolRoute {
  readonly listTools: () => Promise<ToolListing[]>;
  readonly callTool: (
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ) => Promise<ToolResult>;
  readonly close: () => Promise<void>;
}

function viaDaemon(socket: string, tools: ToolListing[]): ToolRoute {
  return {
    listTools: () => Promise.resolve(tools),
    callTool: (name, args, signal) =>
      adminRequest<ToolResult>(socket, 'POST', '/tools/call', {
        body: { name, arguments: args, clientId: `cli-${process.pid}` },
        timeoutMs: 0,
        signal,
      }),
    close: () => Promise.resolve(),
  };
}

async function inProcess(args: CommonArgs): Promise<ToolRoute> {
  const { prepareServing } = await import('../serving.js');
  const serving = prepareServing({ ...args, logLevel: 'error' }, { withHttp: false });
  const { openToolHost } = await import('../../daemon/tool-host.js');
  const host = await openToolHost(serving);
  return {
    listTools: () => Promise.resolve(host.registry.listTools()),
    callTool: async (name, toolArgs, signal) => {
      try {
        return await host.registry.callTool(
          name,
          toolArgs,
          { transport: 'cli', clientId: `cli-${process.pid}`, owner: 'local' },
          { signal },
        );
      } catch (err) {
        // Arguments that do not fit the tool's schema are a usage error of this command.
        if (isSmcpError(err, 'USAGE', 'NOT_FOUND')) throw new SmcpError('USAGE', err.message, err.details);
        throw err;
      }
    },
    close: () => host.close(),
  };
}

/** Picks the daemon when one answers (and --no-daemon was not given), in-process otherwise. */
async function openRoute(args: CommonArgs): Promise<ToolRoute> {
  if (args.daemon) {
    const { socket } = daemonFiles(resolvePaths());
    let tools: ToolListing[] | undefined;
    try {
      tools = (await adminRequest<{ tools: ToolListing[] }>(socket, 'GET', '/tools', { timeoutMs: 5000 }))
        .tools;
    } catch (err) {
      if (!isSmcpError(err, 'DAEMON_NOT_RUNNING')) throw err;
    }
    if (tools) {
      const serving = [...givenOptionNames()].filter((name) => !OWN_OPTIONS.has(name));
      if (serving.length > 0) {
        throw new SmcpError(
          'USAGE',
          `--${serving[0]} does not apply to the running daemon, which serves with its own settings; ` +
            'drop it, or add --no-daemon to run in-process',
          { field: `--${serving[0]}` },
        );
      }
      if (args.verbose) {
        const status = await adminRequest<DaemonStatus>(socket, 'GET', '/status', { timeoutMs: 5000 });
        warn(`smcp: calling through the daemon (pid ${status.pid}, admin socket ${socket})`);
      }
      return viaDaemon(socket, tools);
    }
    if (args.verbose) warn('smcp: no daemon runs; calling in-process');
  } else if (args.verbose) {
    warn('smcp: --no-daemon: calling in-process');
  }
  return inProcess(args);
}

async function withRoute(args: CommonArgs, work: (route: ToolRoute) => Promise<void>): Promise<void> {
  const route = await openRoute(args);
  try {
    await work(route);
  } finally {
    await route.close();
  }
}

async function toolsHandler(args: ArgumentsCamelCase<CommonArgs>): Promise<void> {
  await withRoute(args, async (route) => printTools(await route.listTools(), args.json));
}

async function callHandler(args: ArgumentsCamelCase<CallArgs>): Promise<void> {
  await withRoute(args, async (route) => {
    const listing = findTool(await route.listTools(), args.tool);
    const toolArgs = buildToolArgs(args.pairs ?? [], args.args, listing.inputSchema);
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    process.once('SIGINT', abort);
    try {
      process.exitCode = printToolResult(
        await route.callTool(args.tool, toolArgs, controller.signal),
        args.json,
      );
    } finally {
      process.off('SIGINT', abort);
    }
  });
}

function common<T>(yargs: Argv<T>, command: 'tools' | 'call'): Argv<T & CommonArgs> {
  return withTableOptions(yargs, command)
    .option('json', {
      type: 'boolean',
      describe: 'print JSON (the default when stdout is not a terminal)',
    })
    .option('daemon', {
      type: 'boolean',
      default: true,
      describe: 'go through the running daemon when there is one (--no-daemon: always in-process)',
    })
    .option('verbose', {
      type: 'boolean',
      default: false,
      describe: 'say on stderr whether the daemon or this process runs the call',
    });
}

/** The `tools` command module. */
export const toolsCommand: CommandModule<object, CommonArgs> = {
  command: 'tools',
  describe: 'List the tools MCP clients see',
  builder: (yargs) => common(yargs, 'tools'),
  handler: toolsHandler,
};

/** The `call` command module. */
export const callCommand: CommandModule<object, CallArgs> = {
  command: 'call <tool> [pairs..]',
  describe: 'Call a tool: smcp call execute_query sql="SELECT 1"',
  builder: (yargs) =>
    common(yargs, 'call')
      .positional('tool', { type: 'string', describe: 'tool name (see smcp tools)' })
      .positional('pairs', { type: 'string', array: true, describe: 'arguments as key=value' })
      .option('args', { type: 'string', describe: 'arguments as one JSON object' })
      .example('$0 call list_databases', '')
      .example('$0 call list_tables database=SAMPLE_DB schema=SALES --json', '') as unknown as Argv<CallArgs>,
  handler: callHandler,
};
