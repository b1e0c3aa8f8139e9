/**
 * The tools without a network: one data path, one request tracker, one tool registry and the MCP
 * server factory over them. The runtime adds the HTTP server on top; `smcp stdio` and in-process
 * `smcp call` use it as it is.
 */
import { createMcpServerFactory, createToolRegistry } from '../mcp/server-factory.js';
import type { ToolRegistry } from '../mcp/server-factory.js';
import type { ClientIdentity } from '../mcp/request-context.js';
import { RequestTracker } from '../mcp/request-tracker.js';
import type { McpSettings } from '../mcp/settings.js';
import type { McpServer } from '@modelcontextprotocol/server';
import type { ClientOptions } from '../snowflake/client.js';
import { silentLogger } from '../snowflake/logger.js';
import type { ClientLogger } from '../snowflake/logger.js';
import type { ResolvedConnection } from '../snowflake/settings.js';
import { openDataPath } from './data-path.js';
import type { DataPath } from './data-path.js';

/** What openToolHost needs. */
export interface ToolHostOptions {
  readonly resolved: ResolvedConnection;
  readonly mcp: McpSettings;
  readonly pool?: ClientOptions;
  readonly logger?: ClientLogger;
}

/** Tools over one data path. */
export interface ToolHost {
  readonly dataPath: DataPath;
  readonly tracker: RequestTracker;
  readonly registry: ToolRegistry;
  /** Builds one McpServer per connection, session or stateless request. */
  readonly factory: (identity: ClientIdentity) => McpServer;
  /** Closes the data path (pool and embedded emulator). Idempotent. */
  close(): Promise<void>;
}

/** Opens the data path and builds the registry and factory over it. Throws SmcpError. */
export async function openToolHost(options: ToolHostOptions): Promise<ToolHost> {
  const logger = options.logger ?? silentLogger;
  const dataPath = await openDataPath({ resolved: options.resolved, client: options.pool, logger });
  const tracker = new RequestTracker();
  const deps = { client: dataPath.client, settings: options.mcp, tracker, logger };
  return {
    dataPath,
    tracker,
    registry: createToolRegistry(deps),
    factory: createMcpServerFactory(deps),
    close: () => dataPath.close(),
  };
}
