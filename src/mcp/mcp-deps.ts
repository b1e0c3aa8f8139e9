/** What the MCP layer is built from: one client (and pool) shared by every server it creates. */
import type { SnowflakeClient } from '../snowflake/client.js';
import type { ClientLogger } from '../snowflake/logger.js';
import type { RequestTracker } from './request-tracker.js';
import type { McpSettings } from './settings.js';

/** The MCP layer's logger: the client layer's leveled interface; must not throw. */
export type McpLogger = ClientLogger;

/** Dependencies of the server factory and the tool registry. */
export interface McpDeps {
  readonly client: SnowflakeClient;
  readonly settings: McpSettings;
  readonly tracker: RequestTracker;
  readonly logger?: McpLogger;
}
