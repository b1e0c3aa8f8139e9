/**
 * The admin API's shapes, shared by the daemon (server) and the CLI (client). HTTP over the
 * daemon's Unix socket, versioned under `/v1`; JSON in and out; errors as `{ error: { code,
 * message, … } }` with the catalogue's HTTP status. Never served on the TCP port.
 */
import type { ConnectionFacts } from '../mcp/connection-directory.js';
import type { ErrorCode } from '../errors.js';
import type { CostGuardStatus } from '../mcp/cost-guard.js';
import type { MetadataCacheStatus } from '../mcp/metadata-cache.js';
import type { InFlightRequest } from '../mcp/request-tracker.js';

/** Prefix of every admin route. */
export const ADMIN_PREFIX = '/v1';

/** Where the daemon is in its life. */
export type DaemonState = 'serving' | 'draining' | 'drained' | 'stopping';

/**
 * Why the embedded emulator serves: asked for (`origin` says how: `--emulator`, or where the
 * connection name `emulator` came from), or standing in because no Snowflake settings exist.
 */
export interface EmulatorReason {
  readonly requested: boolean;
  readonly origin: string;
}

/** What `GET /v1/status` answers (and `smcp status --json` prints). */
export interface DaemonStatus {
  readonly running: true;
  readonly pid: number;
  readonly version: string;
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  readonly state: DaemonState;
  /** Where clients connect. */
  readonly endpoints: {
    readonly mcp: string;
    readonly websocket: string;
    readonly sse: string | null;
    readonly toolApi: string;
  };
  readonly backend: 'snowflake' | 'emulator';
  /** Connection name, or the emulator's when the embedded default serves. */
  readonly connection: string;
  /** Snowflake account (for the emulator: its local account name). */
  readonly account: string;
  /** True when the data is the embedded emulator's generated sample data, not a Snowflake account. */
  readonly sampleData: boolean;
  /** Why the embedded emulator serves; null on Snowflake. */
  readonly emulatorReason: EmulatorReason | null;
  /** Warnings about the settings the daemon read (a settings file holding a secret others may read). */
  readonly warnings: readonly string[];
  readonly pool: Record<string, unknown>;
  readonly database: Record<string, unknown>;
  readonly sessions: Record<string, number>;
  readonly inFlight: readonly InFlightRequest[];
  readonly requestsCompleted: number;
  /** The daemon's memory in bytes (rss, V8 heap, external, native remainder). */
  readonly memory: Record<string, number>;
  /** The embedded emulator's counters (sessions, kept results, their bytes in memory and on disk); null on Snowflake. */
  readonly emulator: Record<string, number> | null;
  /**
   * The cost guard: its mode and budgets now, and per client (labelled by kind and an id prefix)
   * the bytes admitted by Snowflake's estimates (all time and within the rolling window) and refusals.
   */
  readonly costGuard?: CostGuardStatus;
  /** With several connections: each one's name, backend, account, health and write switch. */
  readonly connections?: readonly ConnectionFacts[];
  /** The metadata cache: objects held against its limit, entries, hits, misses, the oldest entry's age. */
  readonly metadataCache?: MetadataCacheStatus;
  /** Seconds calls in flight may finish when the daemon drains or stops (its --drain-timeout). */
  readonly drainTimeoutSeconds: number;
  /** The last drain, if one ran. */
  readonly drain: DrainOutcome | null;
  readonly files: { readonly socket: string; readonly pidfile: string; readonly logFile: string };
  /** The `smcp start` arguments the daemon was started with (no secrets: smcp takes none as flags). */
  readonly args: readonly string[];
  /** Supervised by pm2 (or another parent holding an IPC channel). */
  readonly supervised: boolean;
}

/** What a drain did. */
export interface DrainOutcome {
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly timeoutSeconds: number;
  /** Requests that were in flight when the drain began. */
  readonly inFlightAtStart: number;
  /** Requests still running at the deadline, cancelled in Snowflake. */
  readonly cancelled: number;
}

/** Body of `POST /v1/drain`. */
export interface DrainRequest {
  readonly timeoutSeconds?: number;
}

/** Answer of `GET /v1/metrics`: what `GET /metrics` serves over TCP, as text and as JSON. */
export interface MetricsAnswer {
  /** Prometheus' text exposition format. */
  readonly text: string;
  /** The same metrics as prom-client's JSON (name, help, type, values with labels). */
  readonly metrics: readonly unknown[];
}

/** Body of `POST /v1/shutdown`. */
export interface ShutdownRequest {
  readonly timeoutSeconds?: number;
  /** Cancel in-flight calls at once instead of letting them finish. */
  readonly force?: boolean;
}

/** Answer of `POST /v1/shutdown`: the daemon exits after sending it. */
export interface ShutdownAnswer {
  readonly pid: number;
  readonly stopping: true;
}

/** Answer of `POST /v1/reload`. */
export interface ReloadAnswer {
  /** False when every connection was left as it was. */
  readonly changed: boolean;
  /** The default connection's backend and name after the reload. */
  readonly backend: 'snowflake' | 'emulator';
  readonly connection: string;
  /** Each connection's change (served ones in order, default first, then removed ones). */
  readonly connections: readonly {
    readonly name: string;
    readonly change: 'added' | 'removed' | 'changed' | 'unchanged';
    /** Health after the reload (absent for a removed one). */
    readonly healthy?: boolean;
    readonly default: boolean;
  }[];
  /** The SQL tools of config.toml (`[sql_tools.<name>]`) added, removed and changed, by name. */
  readonly sqlTools: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly string[];
  };
  /** config.toml keys whose new values this reload applied to new calls (`max_rows`). */
  readonly settings: readonly string[];
  /** config.toml keys whose new values wait for `smcp restart` (`port`): still served as before. */
  readonly needsRestart: readonly string[];
  /** True when the tool listing changed and open sessions were told (tools/list_changed). */
  readonly toolsChanged: boolean;
}

/** Body of `POST /v1/tools/call`. */
export interface ToolCallRequest {
  readonly name: string;
  readonly arguments?: Record<string, unknown>;
  /** Who is calling, for status and QUERY_TAG (e.g. `cli-<pid>`). */
  readonly clientId?: string;
}

/** Error body of every failed admin request. */
export interface AdminErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly field?: string };
}

/** What `POST /cache/refresh` (`smcp cache refresh`) answers. */
export interface CacheRefreshAnswer {
  readonly databases: number;
  readonly schemas: number;
  readonly objects: number;
  readonly durationMs: number;
  readonly cache: MetadataCacheStatus;
}
