/** What the MCP layer is built from: one client (and pool) shared by every server it creates. */
import type { SnowflakeClient } from '../snowflake/client.js';
import type { ClientLogger } from '../snowflake/logger.js';
import type { QueryOwnership } from './query-ownership.js';
import type { RequestTracker } from './request-tracker.js';
import type { McpSettings } from './settings.js';

/**
 * What the MCP layer asks of the client layer. A narrow view of SnowflakeClient, so the daemon can
 * put a switchable client behind it (a reload swaps the pool without dropping sessions).
 */
export type QueryClient = Pick<SnowflakeClient, 'query' | 'getResult' | 'queryStatus'>;

/** The MCP layer's logger: the client layer's leveled interface; must not throw. */
export type McpLogger = ClientLogger;

/** Dependencies of the server factory and the tool registry. */
export interface McpDeps {
  readonly client: QueryClient;
  readonly settings: McpSettings;
  readonly tracker: RequestTracker;
  readonly logger?: McpLogger;
  /** Which client each query id belongs to; one per daemon (a registry makes its own if absent). */
  readonly ownership?: QueryOwnership;
}
