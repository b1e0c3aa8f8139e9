/**
 * The one tool pipeline. The registry owns each tool's listing (public name with the configured
 * prefix, JSON schemas, annotations: built once, the same for tools/list, GET /mcp/tools, the admin
 * socket and `smcp tools`), argument checking against the strict input schema (an argument a tool
 * does not take is refused, never ignored), invocation in a tracked request context (request id,
 * client, transport, tool → logs, /status, QUERY_TAG), and output checking against the output
 * schema. MCP, the plain HTTP tool API, the admin API and `smcp call` are adapters over it; every
 * call ends as a ToolResult, expected failures as error results rather than throws.
 */
import type { Tool as McpTool } from '@modelcontextprotocol/server';
import { SmcpError, isSmcpError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { QueryOwnership } from './query-ownership.js';
import { logRefusal } from './refusal-log.js';
import type { ClientIdentity, RequestContext } from './request-context.js';
import { newRequestContext } from './request-context.js';
import type { RequestTracker } from './request-tracker.js';
import type { McpSettings } from './settings.js';
import { StatementRefusedError } from './sql-policy.js';
import { nearestName, parseToolArguments } from './tool-arguments.js';
import { errorInfoOf, errorResult, successResult } from './tool-result.js';
import type { CallObserver } from './call-observer.js';
import { silentObserver } from './call-observer.js';
import { CostGuard } from './cost-guard.js';
import { metadataCacheFor } from './metadata-cache.js';
import type { ToolResult } from './tool-result.js';
import type { MetadataCache } from './metadata-cache.js';
import type { CallOptions } from './tool-runtime.js';
import { callDeadline, createToolCall } from './tool-runtime.js';
import { outputProblem, toolListing } from './tool-schemas.js';
import type { QueryClient, Tool, ToolCall, ToolHints } from './tool-types.js';
import { TOOLS } from './tools/index.js';
import { listConnectionsTool } from './tools/list-connections.js';
import type { ConnectionDirectory } from './connection-directory.js';
import { z } from 'zod';
import { sqlTool } from './tools/sql-tool.js';

/** Dependencies of the server factory and the tool registry. */
export interface McpDeps {
  readonly client: QueryClient;
  readonly settings: McpSettings;
  readonly tracker: RequestTracker;
  readonly logger?: Logger;
  /** Which client each query id belongs to; one per daemon (a registry makes its own if absent). */
  readonly ownership?: QueryOwnership;
  /** Several named connections (the first is `client`'s); absent: one connection. */
  readonly connections?: ConnectionDirectory;
  /** Who keeps figures about calls (the daemon's metrics); silent by default. */
  readonly observer?: CallObserver;
  /**
   * Holds reads to their scan budgets; one per daemon, so budgets count every path. Default: a
   * guard with the emulator's defaults (off unless the settings set a mode or a budget).
   */
  readonly costGuard?: CostGuard;
  /** The connection's metadata cache; one per daemon. Default: one from the settings' TTL and size. */
  readonly metadata?: MetadataCache;
  /**
   * Each named connection's metadata cache, kept by the caller so it outlives a registry (a reload
   * rebuilds the registry but keeps unchanged connections' caches). Default: made here on first use.
   */
  readonly metadataOf?: (connection: string) => MetadataCache | undefined;
}

/** A tool as every path lists it: the MCP `Tool` shape (tools/list and GET /mcp/tools alike). */
export type ToolListing = McpTool;

/** The tools of one configuration, callable without an MCP transport. */
export interface ToolRegistry {
  /** Every tool's listing, in a stable order (fresh copies: callers may not share our objects). */
  listTools(): ToolListing[];
  /** The tool behind a public name, if any. */
  find(publicName: string): Tool | undefined;
  /** The JSON output schema of the tool behind a public name, as listed. */
  outputSchemaOf(publicName: string): Record<string, unknown> | undefined;
  /** A tool's public name (with prefix) from its canonical name. */
  publicName(canonical: string): string;
  /** A tool's annotations under the current settings. */
  hints(tool: Tool): ToolHints;
  /**
   * Checks `args` and runs the tool named `name` (public name), for callers with their own error
   * shape for bad requests (the plain HTTP tool API, the admin socket, `smcp call`). Throws
   * SmcpError NOT_FOUND (field `name`) for an unknown tool and USAGE (field = first bad argument)
   * for arguments the tool does not take or values that do not fit; every other outcome is a
   * ToolResult (isError for failures).
   */
  callTool(name: string, args: unknown, identity: ClientIdentity, options?: CallOptions): Promise<ToolResult>;
  /**
   * Checks `args` and runs `tool` (MCP path): every outcome is a ToolResult, bad arguments too
   * (isError, USAGE), so the model reads what to correct.
   */
  invoke(tool: Tool, args: unknown, identity: ClientIdentity, options?: CallOptions): Promise<ToolResult>;
  /** The SmcpError NOT_FOUND for a tool name that is not served, naming the nearest and all tools. */
  unknownTool(name: string): SmcpError;
  /**
   * Runs `work` in a tracked request context labelled `label` (e.g. `resources/read`) with a
   * ToolCall: for non-tool requests that query Snowflake. Errors propagate.
   */
  runInContext<T>(
    label: string,
    identity: ClientIdentity,
    options: CallOptions,
    work: (call: ToolCall) => Promise<T>,
  ): Promise<T>;
}

/** One tool with its listing, built once per registry. */
interface Entry {
  readonly tool: Tool;
  readonly listing: ToolListing;
}

/**
 * Checks tool names of the `tools` setting (canonical, without prefix). Throws CONFIG_INVALID
 * naming the first unknown one, the nearest known one and all of them.
 */
export function checkToolNames(names: readonly string[]): void {
  const known = TOOLS.map((t) => t.name);
  for (const name of names) {
    if (known.includes(name)) continue;
    const near = nearestName(name, known);
    throw new SmcpError(
      'CONFIG_INVALID',
      `unknown tool "${name}" in tools${near ? ` (did you mean "${near}"?)` : ''}; tools: ${known.join(', ')}`,
      { field: 'tools' },
    );
  }
}

/**
 * The SQL tools of `settings` (config.toml's `[sql_tools.<name>]`), built and checked. Throws
 * CONFIG_INVALID naming `sql_tools.<name>.<field>` for one that cannot be served, including a name
 * a built-in tool has.
 */
export function buildSqlTools(settings: McpSettings): Tool[] {
  const builtIn = new Set(TOOLS.map((t) => t.name));
  return settings.sqlTools.map((def) => {
    if (builtIn.has(def.name)) {
      throw new SmcpError(
        'CONFIG_INVALID',
        `sql_tools.${def.name}: ${def.name} is a built-in tool; choose another name`,
        {
          field: `sql_tools.${def.name}`,
        },
      );
    }
    return sqlTool(def, settings);
  });
}

/** The built-in tools `settings.tools` names (all when it names none), then the SQL tools. */
function servedTools(settings: McpSettings): readonly Tool[] {
  const builtIn = settings.tools.length === 0 ? TOOLS : TOOLS.filter((t) => settings.tools.includes(t.name));
  if (settings.tools.length > 0) checkToolNames(settings.tools);
  return [...builtIn, ...buildSqlTools(settings)];
}

/**
 * Rows and truncation of a tabular answer (execute_query, query_view, fetch_results), and the
 * size of any answer's text (string lengths, already known: nothing is serialized again to count).
 */
function answerFigures(result: ToolResult): { rows?: number; bytes: number; truncatedBy?: 'rows' | 'bytes' } {
  let bytes = 0;
  for (const part of result.content) if (part.type === 'text') bytes += part.text.length;
  const s = result.structuredContent;
  if (!s || typeof s.rowCount !== 'number') return { bytes };
  const truncatedBy = s.truncatedBy === 'rows' || s.truncatedBy === 'bytes' ? s.truncatedBy : undefined;
  return { rows: s.rowCount, bytes, ...(truncatedBy ? { truncatedBy } : {}) };
}

/** Builds the registry over `deps` (one per configuration; cheap to call concurrently). */
export function createToolRegistry(deps: McpDeps): ToolRegistry {
  const { client, settings, tracker } = deps;
  const ownership = deps.ownership ?? new QueryOwnership();
  const logger = deps.logger ?? silentLogger;
  const observer = deps.observer ?? silentObserver;
  const costGuard = deps.costGuard ?? new CostGuard(settings, () => 'emulator', observer);
  const metadata = deps.metadata ?? metadataCacheFor(settings);
  // Each further connection has its own catalog, so its own cache (made on first use).
  const otherCaches = new Map<string, MetadataCache>();
  const metadataOf = (route: { name: string; settings: McpSettings } | undefined): MetadataCache => {
    if (!route || !deps.connections || route.name === deps.connections.defaultName) return metadata;
    const kept = deps.metadataOf?.(route.name);
    if (kept) return kept;
    let cache = otherCaches.get(route.name);
    if (!cache) otherCaches.set(route.name, (cache = metadataCacheFor(route.settings)));
    return cache;
  };
  const publicName = (canonical: string): string => `${settings.toolPrefix}${canonical}`;
  const directory = deps.connections;
  const several = directory?.several === true;
  // Tools are listed once for every connection: their hints must hold for the most permissive one.
  const listingSettings: McpSettings =
    directory && several
      ? {
          ...settings,
          allowWrite: directory.allSettings().some((s) => s.allowWrite),
          allowDdl: directory.allSettings().some((s) => s.allowDdl),
        }
      : settings;
  const hints = (tool: Tool): ToolHints =>
    typeof tool.annotations === 'function' ? tool.annotations(listingSettings) : tool.annotations;
  const connectionArg = directory
    ? z
        .enum(directory.names as [string, ...string[]])
        .optional()
        .describe(`Connection (default ${directory.defaultName}; see list_connections)`)
    : undefined;
  const builtTools = servedTools(settings);
  for (const tool of builtTools) {
    if (tool.connection !== undefined && !(directory?.names ?? []).includes(tool.connection)) {
      throw new SmcpError(
        'CONFIG_INVALID',
        `sql_tools.${tool.name}.connection: no connection "${tool.connection}" is served` +
          (directory
            ? ` (connections: ${directory.names.join(', ')})`
            : ' (serve several with --connections)'),
        { field: `sql_tools.${tool.name}.connection` },
      );
    }
  }
  const served: Tool[] = [
    ...builtTools.map((tool) =>
      several && connectionArg
        ? { ...tool, inputSchema: tool.inputSchema.extend({ connection: connectionArg }) }
        : tool,
    ),
    ...(several ? [listConnectionsTool] : []),
  ];
  const entries = new Map<string, Entry>(
    served.map((tool) => {
      const name = publicName(tool.name);
      return [name, { tool, listing: toolListing(tool, name, hints(tool)) }];
    }),
  );

  const runInContext = async <T>(
    label: string,
    identity: ClientIdentity,
    options: CallOptions,
    work: (call: ToolCall) => Promise<T>,
  ): Promise<T> => {
    // A transport that carried the request has already opened (and tracks) its context: keep its
    // request id so /status lists the call once and QUERY_TAG matches the transport's logs.
    const outer =
      options.context ??
      (options.rpcId === undefined ? undefined : tracker.connectionRequest(identity.clientId, options.rpcId));
    if (outer && !outer.tool) outer.tool = label;
    // The call ends when its client cancels it, when the transport that carried it goes away
    // (the outer context's signal), or when the drain deadline cancels everything.
    // Named by its request id, so an operator's cancel (RequestTracker.cancel) reaches it too.
    const own = outer ?? newRequestContext(identity, undefined, label);
    const linked = tracker.linkSignal(options.signal, outer?.signal, own.requestId);
    options = { ...options, signal: linked.signal };
    // The call's one deadline, set now: every step below gets only what remains of it.
    const deadline = callDeadline(settings, options.timeoutSeconds, tracker.drainDeadline);
    const context: RequestContext = { ...own, tool: label, signal: linked.signal, deadline };
    const end = outer ? undefined : tracker.begin(context);
    try {
      // The context travels explicitly from here on (nothing below reads the ambient one).
      const route = directory?.route(options.connection);
      return await work(
        createToolCall({
          client: route?.client ?? client,
          settings: route?.settings ?? settings,
          ...(several && directory ? { connections: () => directory.describe() } : {}),
          context,
          options,
          publicName,
          ownership,
          observer,
          costGuard,
          metadata: metadataOf(route),
        }),
      );
    } finally {
      linked.unlink();
      end?.();
    }
  };

  /** Runs `tool` with checked arguments, checks its answer, and reports how the call ended. */
  const run = async (
    tool: Tool,
    args: Record<string, unknown>,
    identity: ClientIdentity,
    options: CallOptions,
  ): Promise<ToolResult> => {
    const started = performance.now();
    const result = await runChecked(tool, args, identity, options);
    observer.callEnded({
      tool: tool.name,
      transport: identity.transport,
      outcome: errorInfoOf(result)?.code ?? 'ok',
      durationSeconds: (performance.now() - started) / 1000,
      ...answerFigures(result),
    });
    return result;
  };

  /** Runs `tool` with checked arguments and checks its answer; failures become error results. */
  const runChecked = async (
    tool: Tool,
    args: Record<string, unknown>,
    identity: ClientIdentity,
    options: CallOptions,
  ): Promise<ToolResult> => {
    let result: ToolResult;
    try {
      const timeoutSeconds = typeof args.timeout_s === 'number' ? args.timeout_s : undefined;
      // The connection named, else the one that ran the query id read, else the default.
      const connection =
        typeof args.connection === 'string'
          ? args.connection
          : typeof args.query_id === 'string'
            ? directory?.connectionOf(args.query_id)
            : tool.connection;
      const output = await runInContext(
        tool.name,
        identity,
        {
          ...options,
          ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          ...(connection !== undefined ? { connection } : {}),
        },
        (call) => tool.run(args, call),
      );
      result = successResult(output);
    } catch (err) {
      if (err instanceof StatementRefusedError) {
        logRefusal(logger, tool.name, identity, args, err);
        observer.statementRefused(err.statement?.kind ?? 'fragment');
      }
      if (!isSmcpError(err)) {
        logger.error('tool failed unexpectedly', {
          tool: tool.name,
          clientId: identity.clientId,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      }
      return errorResult(err, publicName);
    }
    // An answer that breaks the tool's own output schema is a fault of smcp, on every path.
    const problem = await outputProblem(tool, result.structuredContent);
    if (problem === undefined) return result;
    logger.error('tool answer does not match its output schema', { tool: tool.name, problem });
    return errorResult(
      new SmcpError(
        'INTERNAL',
        `${publicName(tool.name)} produced a result that does not match its output schema: ${problem}`,
      ),
      publicName,
    );
  };

  // A name no longer served (a reload removed it) is an unknown connection, not a schema mismatch.
  const refuseUnknownConnection = (args: unknown): void => {
    const name = (args as { connection?: unknown } | null)?.connection;
    if (several && directory && typeof name === 'string' && !directory.names.includes(name)) {
      throw directory.unknown(name);
    }
  };

  const unknownTool = (name: string): SmcpError => {
    const names = [...entries.keys()];
    const near = nearestName(name, names);
    const guess = near ? ` (did you mean "${near}"?)` : '';
    return new SmcpError('NOT_FOUND', `unknown tool "${name}"${guess}; tools: ${names.join(', ')}`, {
      field: 'name',
    });
  };

  return {
    listTools: () => [...entries.values()].map((e) => structuredClone<ToolListing>(e.listing)),
    find: (name) => entries.get(name)?.tool,
    outputSchemaOf: (name) => entries.get(name)?.listing.outputSchema,
    publicName,
    hints,
    async callTool(name, args, identity, options = {}) {
      const tool = entries.get(name)?.tool;
      if (!tool) throw unknownTool(name);
      // An unknown connection is an answer (isError), not a malformed request.
      try {
        refuseUnknownConnection(args);
      } catch (err) {
        return errorResult(err, publicName);
      }
      return run(tool, parseToolArguments(tool, name, args), identity, options);
    },
    async invoke(tool, args, identity, options = {}) {
      let checked: Record<string, unknown>;
      try {
        refuseUnknownConnection(args);
        checked = parseToolArguments(tool, publicName(tool.name), args);
      } catch (err) {
        const refused = errorResult(err, publicName);
        observer.callEnded({
          tool: tool.name,
          transport: identity.transport,
          outcome: errorInfoOf(refused)?.code ?? 'USAGE',
          durationSeconds: 0,
        });
        return refused;
      }
      return run(tool, checked, identity, options);
    },
    unknownTool,
    runInContext,
  };
}
