/**
 * The MCP server factory: one McpServer (SDK v2) per transport connection, session or stateless
 * request, all sharing one Snowflake client (and pool), one tool registry and one listing cache.
 * Servers are cheap to build: tool definitions and JSON schemas are made once per factory.
 *
 * Each tools/call runs through the registry (request context, tracking, limits, guard, error
 * results), with the handler context's AbortSignal (notifications/cancelled, closed stream,
 * dropped client) cancelling the statement in Snowflake, and progress notifications sent every
 * progressIntervalMs while it runs when the request carried a progress token.
 */
import { McpServer } from '@modelcontextprotocol/server';
import type { ServerContext, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { readFileSync } from 'node:fs';
import type { McpDeps } from './mcp-deps.js';
import type { ClientIdentity } from './request-context.js';
import { ListingCache, registerSchemaResources } from './resources.js';
import type { ProgressSink } from './tool-runtime.js';
import { createToolRegistry } from './tool-registry.js';
import type { ToolRegistry } from './tool-registry.js';
import type { Tool } from './tool-types.js';

export type { McpDeps, McpLogger } from './mcp-deps.js';
export { createToolRegistry } from './tool-registry.js';
export type { ToolListing, ToolRegistry } from './tool-registry.js';
export type { ToolResult } from './tool-result.js';

const INSTRUCTIONS =
  'Snowflake through MCP. Explore with list_databases → list_schemas → list_tables / list_views → ' +
  'describe_table / describe_view (also readable as resources snowflake://<db>/<schema>/<object>), then read ' +
  'with query_view or execute_query (one statement; read-only unless the server allows writes). Results are ' +
  'capped; a truncated result gives a query id and offset for fetch_results. Unquoted names resolve upper-case.';

/** smcp's version from package.json (two levels up from src/mcp/ and dist/mcp/). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const VERSION = packageVersion();

/** Progress notifications for the request behind `ctx`, when it asked for them (progress token). */
function progressSink(ctx: ServerContext): ProgressSink | undefined {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return undefined;
  return ({ progress, message }) =>
    ctx.mcpReq.notify({
      method: 'notifications/progress',
      params: { progressToken: token, progress, message },
    });
}

type JsonSchemaOptions = Parameters<StandardSchemaWithJSON['~standard']['jsonSchema']['input']>[0];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * `schema` with its JSON Schema conversion memoised. The SDK converts a tool's schemas per server
 * instance (tools/list, the tools/call header check, the result projection), and a stateless
 * request builds a new server: converting zod to JSON Schema on every request was most of smcp's
 * per-call CPU. The cached documents are frozen, so a caller that tried to change one would fail
 * loudly instead of corrupting every later server's copy. Validation is zod's own.
 */
function withCachedJsonSchema(schema: StandardSchemaWithJSON): StandardSchemaWithJSON {
  const std = schema['~standard'];
  const cache = new Map<string, Record<string, unknown>>();
  const convert =
    (io: 'input' | 'output') =>
    (options: JsonSchemaOptions): Record<string, unknown> => {
      if (options.libraryOptions !== undefined) return std.jsonSchema[io](options);
      const key = `${io}:${options.target}`;
      let json = cache.get(key);
      if (!json) {
        json = deepFreeze(std.jsonSchema[io](options));
        cache.set(key, json);
      }
      return json;
    };
  return { '~standard': { ...std, jsonSchema: { input: convert('input'), output: convert('output') } } };
}

/** A tool's registration, built once per factory and shared by all its servers. */
interface Registration {
  readonly name: string;
  readonly tool: Tool;
  readonly config: {
    title: string;
    description: string;
    inputSchema: StandardSchemaWithJSON;
    outputSchema: StandardSchemaWithJSON;
    annotations: Record<string, unknown>;
  };
}

function registrations(registry: ToolRegistry): Registration[] {
  return registry.listTools().flatMap((listing) => {
    const tool = registry.find(listing.name);
    if (!tool) return [];
    return [
      {
        name: listing.name,
        tool,
        config: {
          title: tool.title,
          description: tool.description,
          inputSchema: withCachedJsonSchema(tool.inputSchema),
          outputSchema: withCachedJsonSchema(tool.outputSchema),
          annotations: { title: tool.title, ...registry.hints(tool) },
        },
      },
    ];
  });
}

/** `identity` completed with the client's name from initialize, once the server knows it. */
function withClientName(server: McpServer, identity: ClientIdentity): ClientIdentity {
  if (identity.clientName) return identity;
  const name = server.server.getClientVersion()?.name;
  return name ? { ...identity, clientName: name } : identity;
}

/** Builds one McpServer for `identity` on a shared registry and cache. */
function buildServer(
  deps: McpDeps,
  registry: ToolRegistry,
  tools: readonly Registration[],
  cache: ListingCache,
  identity: ClientIdentity,
): McpServer {
  const server = new McpServer(
    { name: 'smcp', title: 'Snowflake MCP', version: VERSION },
    // logging: logging/setLevel is part of every 2025-era revision (the conformance suite requires
    // it); the SDK answers it and filters any notifications/message by the level the client chose.
    { instructions: INSTRUCTIONS, capabilities: { logging: {} } },
  );
  for (const { name, tool, config } of tools) {
    server.registerTool(
      name,
      // A copy: the SDK keeps (and may update) the config it is handed; the schemas are shared.
      { ...config, annotations: { ...config.annotations } },
      (args: unknown, ctx: ServerContext) => {
        const onProgress = progressSink(ctx);
        return registry.invoke(tool, args, withClientName(server, identity), {
          signal: ctx.mcpReq.signal,
          ...(onProgress ? { onProgress } : {}),
        });
      },
    );
  }
  registerSchemaResources(server, registry, identity, cache, deps.settings.resourcePageSize);
  return server;
}

/**
 * Returns a function that builds one McpServer (SDK v2) per transport connection, session or
 * request; all share one client and pool. The identity names the transport and client for
 * request context, /status and QUERY_TAG.
 */
export function createMcpServerFactory(deps: McpDeps): (identity: ClientIdentity) => McpServer {
  const registry = createToolRegistry(deps);
  const tools = registrations(registry);
  const cache = new ListingCache(deps.settings.resultCacheTtlSeconds * 1000);
  return (identity) => buildServer(deps, registry, tools, cache, identity);
}
