/**
 * The quick way through for the commands scripts run most while a daemon serves: `smcp status
 * [--json]`, `smcp tools [--json]` and `smcp call <tool> [key=value …] [--args JSON] [--json]
 * [--verbose]`, and the launcher half of `smcp start`. Parsed with node:util and answered over the admin socket, without loading yargs,
 * zod, snowflake-sdk or DuckDB. Anything else — other flags, --help, no daemon for call/tools —
 * returns undefined and the full CLI handles it, with the same output and exit codes.
 */
import { parseArgs } from 'node:util';
import { adminRequest } from '../admin/client.js';
import type { DaemonStatus } from '../admin/protocol.js';
import { daemonFiles, resolvePaths } from '../config/paths.js';
import { findDaemon } from '../daemon/control.js';
import { isSmcpError } from '../errors.js';
import type { ToolListing } from '../mcp/tool-registry.js';
import type { ToolResult } from '../mcp/tool-result.js';
import { daemonArgs, reportStarted, startInBackground } from './background-start.js';
import { reportError, warn } from './output.js';
import { printStatus } from './status-view.js';
import { buildToolArgs } from './tool-args.js';
import { findTool, printToolResult, printTools } from './tool-output.js';

const FLAGS = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  args: { type: 'string' },
} as const;

type Parsed = { values: { json?: boolean; verbose?: boolean; args?: string }; positionals: string[] };

function parse(argv: readonly string[]): Parsed | undefined {
  try {
    const parsed: Parsed = parseArgs({
      args: [...argv],
      options: FLAGS,
      strict: true,
      allowPositionals: true,
    });
    return parsed;
  } catch {
    return undefined; // Anything unusual: the full CLI explains it.
  }
}

/** Options of `smcp start` the fast path leaves to the full CLI. */
const FULL_START = /^(--foreground|--daemonized|--wait-timeout|--help|-h|--version)(=|$)/;

/**
 * `smcp start` without --foreground: the daemon checks its own options (its one-line error becomes
 * this command's), so the launcher only spawns and waits.
 */
async function fastStart(argv: readonly string[]): Promise<number | undefined> {
  if (argv.some((token) => FULL_START.test(token))) return undefined;
  const files = daemonFiles(resolvePaths());
  try {
    reportStarted(await startInBackground(files, daemonArgs(argv), 30), files);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

/** Runs the command if the fast path can; resolves to its exit code, or undefined to fall back. */
export async function tryFastPath(argv: readonly string[]): Promise<number | undefined> {
  const command = argv[0];
  if (command === 'start') return fastStart(argv.slice(1));
  if (command !== 'status' && command !== 'call' && command !== 'tools') return undefined;
  const parsed = parse(argv.slice(1));
  if (!parsed) return undefined;
  const { values, positionals } = parsed;
  const files = daemonFiles(resolvePaths());
  try {
    if (command === 'status') {
      if (positionals.length > 0 || values.args !== undefined || values.verbose) return undefined;
      return printStatus(await findDaemon(files), files, values.json ?? false);
    }
    if (command === 'tools' && (positionals.length > 0 || values.args !== undefined || values.verbose)) {
      return undefined;
    }
    const tools = await daemonTools(files.socket);
    if (!tools) return undefined;
    if (command === 'tools') {
      printTools(tools, values.json);
      return 0;
    }
    const [name, ...pairs] = positionals;
    if (name === undefined) return undefined;
    if (values.verbose) {
      const status = await adminRequest<DaemonStatus>(files.socket, 'GET', '/status', { timeoutMs: 5000 });
      warn(`smcp: calling through the daemon (pid ${status.pid}, admin socket ${files.socket})`);
    }
    const listing = findTool(tools, name);
    const toolArgs = buildToolArgs(pairs, values.args, listing.inputSchema);
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    const result = await adminRequest<ToolResult>(files.socket, 'POST', '/tools/call', {
      body: { name, arguments: toolArgs, clientId: `cli-${process.pid}` },
      timeoutMs: 0,
      signal: controller.signal,
    });
    return printToolResult(result, values.json);
  } catch (err) {
    return reportError(err);
  }
}

async function daemonTools(socket: string): Promise<ToolListing[] | undefined> {
  try {
    return (await adminRequest<{ tools: ToolListing[] }>(socket, 'GET', '/tools', { timeoutMs: 5000 })).tools;
  } catch (err) {
    if (isSmcpError(err, 'DAEMON_NOT_RUNNING')) return undefined;
    throw err;
  }
}
