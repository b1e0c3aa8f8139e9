/**
 * The Snowflake client layer: settings resolution with provenance, the pooled client, error
 * mapping and value serialization. The only part of smcp that talks to snowflake-sdk.
 */

export { SnowflakeClient } from './client.js';
export type { ClientOptions, HealthReport, QueryRequest, QueryResult } from './client.js';
export { buildDriverOptions } from './driver-options.js';
export { isSessionGone, mapSnowflakeError } from './error-map.js';
export { silentLogger } from './logger.js';
export type { ClientLogger, LogFields } from './logger.js';
export type { PoolOptions, PoolStats } from './pool.js';
export { buildQueryTag, QUERY_TAG_MAX } from './query-tag.js';
export type { RequestContext } from './query-tag.js';
export { loadSnowflakeSdk, routeDriverLogs } from './sdk.js';
export type { ColumnInfo, JsonValue } from './serialize.js';
export { readTokenFile, resolveConnectionSettings } from './settings.js';
export type {
  ConfiguredConnection,
  ConnectionFlags,
  ResolvedConnection,
  ResolveInputs,
  SourcedSettings,
  UnconfiguredConnection,
} from './settings.js';
export { AUTHENTICATORS } from './settings-keys.js';
export type { Authenticator } from './settings-keys.js';
export { describeConnection, emulatorConnection } from './settings-view.js';
export type { EmulatorEndpoint, SettingRow } from './settings-view.js';
