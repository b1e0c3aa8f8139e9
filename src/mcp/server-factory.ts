/**
 * The MCP server factory: one McpServer (SDK v2) per transport connection, session or stateless
 * request, all sharing one Snowflake client (and pool), one tool registry and one listing cache.
 * Servers are cheap to build and small to keep (an idle WebSocket session is mostly its socket):
 * tool definitions, JSON schemas and the request handlers for tools and resources are made once
 * per factory; a server holds only the SDK's protocol state and five small handler closures.
 *
 * Each tools/call runs through the registry (request context, tracking, limits, guard, error
 * results), with the handler context's AbortSignal (notifications/cancelled, closed stream,
 * dropped client) cancelling the statement in Snowflake, and progress notifications sent every
 * progressIntervalMs while it runs when the request carried a progress token.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { readFileSync } from 'node:fs';
import type { McpDeps, ToolRegistry } from './tool-registry.js';
import type { ClientIdentity } from './request-context.js';
import { ListingCache, createResourceHandlers } from './resources.js';
import type { ResourceHandlers } from './resources.js';
import { createToolHandlers } from './tool-handlers.js';
import type { ToolHandlers } from './tool-handlers.js';
import { createToolRegistry } from './tool-registry.js';

export { createToolRegistry } from './tool-registry.js';
export type { McpDeps, ToolListing, ToolRegistry } from './tool-registry.js';
export type { ToolResult } from './tool-result.js';

const INSTRUCTIONS =
  'Snowflake through MCP. Explore with list_databases → list_schemas → list_tables / list_views → ' +
  'describe_table / describe_view (also readable as resources snowflake://<db>/<schema>/<object>), then read ' +
  'with query_view or execute_query (one statement; read-only unless the server allows writes). Results are ' +
  'capped; a truncated result gives a query id and offset for fetch_results. Unquoted names resolve upper-case. ' +
  'Tools take only the arguments their schemas name (others are refused). A failed call answers isError with ' +
  '"CODE: message" and a "Hint:" line saying what to do.';

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

/** Builds one McpServer for `identity`: the SDK's protocol core plus the factory's shared handlers. */
function buildServer(
  tools: ToolHandlers,
  resources: ResourceHandlers,
  validator: AjvJsonSchemaValidator,
  identity: ClientIdentity,
): McpServer {
  const server = new McpServer(
    { name: 'smcp', title: 'Snowflake MCP', version: VERSION },
    // logging: logging/setLevel is part of every 2025-era revision (the conformance suite requires
    // it); the SDK answers it and filters any notifications/message by the level the client chose.
    // One JSON Schema validator (elicitation answers) for all servers instead of one per server.
    { instructions: INSTRUCTIONS, capabilities: { logging: {} }, jsonSchemaValidator: validator },
  );
  // No registerTool/registerResource: those build per-server registrations (~20 KiB for our tools).
  // The capabilities are the ones McpServer declares when it installs its own handlers.
  const core = server.server;
  core.registerCapabilities({ tools: { listChanged: true }, resources: { listChanged: true } });
  core.setRequestHandler('tools/list', tools.list);
  core.setRequestHandler('tools/call', (request, ctx) => tools.call(server, identity, request, ctx));
  core.setRequestHandler('resources/templates/list', resources.templates);
  core.setRequestHandler('resources/list', (request, ctx) => resources.list(identity, request, ctx));
  core.setRequestHandler('resources/read', (request, ctx) => resources.read(identity, request, ctx));
  return server;
}

/**
 * Returns a function that builds one McpServer (SDK v2) per transport connection, session or
 * request; all share one client and pool. The identity names the transport and client for
 * request context, /status and QUERY_TAG. `listings` is the resource listing cache (default: a
 * new one), given by a host that must empty it when what it serves changes.
 */
export function createMcpServerFactory(
  deps: McpDeps,
  registry: ToolRegistry = createToolRegistry(deps),
  listings: ListingCache = new ListingCache(deps.settings.resultCacheTtlSeconds * 1000),
): (identity: ClientIdentity) => McpServer {
  const tools = createToolHandlers(registry);
  const resources = createResourceHandlers(registry, listings, deps.settings.resourcePageSize);
  const validator = new AjvJsonSchemaValidator();
  return (identity) => buildServer(tools, resources, validator, identity);
}
