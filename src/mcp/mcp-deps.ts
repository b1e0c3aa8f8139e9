/** What the MCP layer is built from: one client (and pool) shared by every server it creates. */
import type { SnowflakeClient } from '../snowflake/client.js';
import type { Logger } from '../logger.js';
import type { QueryOwnership } from './query-ownership.js';
import type { RequestTracker } from './request-tracker.js';
import type { McpSettings } from './settings.js';

/**
 * What the MCP layer asks of the client layer. A narrow view of SnowflakeClient, so the daemon can
 * put a switchable client behind it (a reload swaps the pool without dropping sessions).
 */
export type QueryClient = Pick<SnowflakeClient, 'query' | 'getResult' | 'queryStatus'>;

/** Dependencies of the server factory and the tool registry. */
export interface McpDeps {
  readonly client: QueryClient;
  readonly settings: McpSettings;
  readonly tracker: RequestTracker;
  readonly logger?: Logger;
  /** Which client each query id belongs to; one per daemon (a registry makes its own if absent). */
  readonly ownership?: QueryOwnership;
}
