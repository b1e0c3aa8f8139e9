/**
 * The contracts the transports share with the rest of smcp: the per-client server factory, the
 * plain HTTP tool API, the logger, and the options and handle of the HTTP server. Transports know
 * nothing about Snowflake; they only carry MCP messages to servers the factory builds.
 */
import type { CallToolResult, McpServer, Tool } from '@modelcontextprotocol/server';
import type { ClientIdentity, RequestContext } from '../mcp/request-context.js';
import type { Logger } from '../logger.js';
import type { RequestTracker } from '../mcp/request-tracker.js';

/**
 * Builds the McpServer for one serving unit: a connection (stdio, WebSocket, legacy SSE), a
 * Streamable HTTP session, or one stateless request. Called once per unit, never shared.
 */
export type ServerFactory = (identity: ClientIdentity) => McpServer;

/** One tool as `GET /mcp/tools` lists it: the MCP `Tool` shape (name, description, schemas, annotations). */
export type ToolInfo = Tool;

/**
 * The plain HTTP tool API for curl and scripts that do not speak MCP. `callTool` runs the same tool
 * code as an MCP `tools/call`; it resolves with the tool result (errors the tool reports come back
 * as `isError: true`) and rejects with an SmcpError for a request it cannot run (unknown tool: NOT_FOUND,
 * bad arguments: USAGE). `signal` aborts when the HTTP client goes away; `context` is the request
 * context the route opened and tracks, which the call keeps (one request id in /status and logs).
 */
export interface ToolApi {
  listTools(): ToolInfo[];
  callTool(
    name: string,
    args: Record<string, unknown>,
    identity: ClientIdentity,
    signal: AbortSignal,
    context?: RequestContext,
  ): Promise<CallToolResult>;
}

/** The facts `GET /health` reports, from the real database health check and the pool. */
export interface HealthFacts {
  /** The latest database health check passed (a real statement through the pool). */
  readonly databaseHealthy: boolean;
  /** The health monitor's record: last check, latency, failures, last error. */
  readonly database: Readonly<Record<string, unknown>>;
  /** Pool counters: size, available, borrowed, pending (waiting), max. */
  readonly pool: Readonly<Record<string, number>>;
  /** With several connections: each one's health by name (the first is `databaseHealthy`). */
  readonly connections?: Readonly<Record<string, boolean>>;
}

/** What `/readyz` asks: is the pool handing out a working connection right now? */
export type ReadinessCheck = () => Promise<boolean | { ready: boolean; reason?: string }>;

/** WebSocket tuning. */
export interface WebSocketOptions {
  /** Largest inbound frame in bytes; bigger closes the socket with 1009. Default 4 MiB. */
  maxPayloadBytes?: number;
  /** Ping every N ms; a peer that missed the previous pong is terminated. Default 30 000. */
  pingIntervalMs?: number;
  /** Outbound bytes buffered before the socket stops reading from the peer. Default 1 MiB. */
  highWaterBytes?: number;
  /** Outbound bytes buffered before the peer is closed with 1013 as too slow. Default 16 MiB. */
  maxBufferedBytes?: number;
  /**
   * Outbound bytes buffered over all WebSocket connections together; past it the connection
   * holding the most is closed with 1013 as too slow. Default 64 MiB.
   */
  maxBufferedBytesTotal?: number;
}

/** The metrics page: Prometheus' text format and its Content-Type. */
export type MetricsSource = () => Promise<{ readonly contentType: string; readonly text: string }>;

/** Options of {@link startHttpServer}. Everything but `factory` and `tracker` has a safe default. */
export interface HttpServerOptions {
  /** Builds one McpServer per session, connection or stateless request. */
  factory: ServerFactory;
  /** Where requests and sessions are counted (/status, drain). */
  tracker: RequestTracker;
  /** Backs `GET /mcp/tools` and `POST /mcp/tools/call`; without it those routes answer 404. */
  toolApi?: ToolApi;
  /** Bind address. Default `127.0.0.1`. A non-loopback address requires `token`. */
  host?: string;
  /** Port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Bearer token required on every route but /healthz. */
  token?: string;
  /**
   * Allowed `Host` header values (`name` or `name:port`). Default: localhost, 127.0.0.1 and [::1]
   * with the bound port, plus the bind address when it is a specific one. `*` disables the check.
   */
  allowedHosts?: readonly string[];
  /** Allowed `Origin` values (`scheme://host[:port]`). Default: http://localhost|127.0.0.1|[::1] with the port. */
  allowedOrigins?: readonly string[];
  /** Origins that get CORS headers (and are allowed as Origin). Default none. `*` is refused. */
  corsOrigins?: readonly string[];
  /** No sessions at all: every request is served by a fresh server (for load balancers). */
  stateless?: boolean;
  /** Largest POST body in bytes (413 above). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Requests in flight per session or connection (429 or a JSON-RPC error above). Default 16. */
  maxConcurrentPerClient?: number;
  /**
   * Sessionless requests (stateless MCP, the tool API) in flight per owner: a token identity, a
   * local user or an address, each of which may stand for many agents. Default 256.
   */
  maxConcurrentPerAddress?: number;
  /** Open sessions and connections (HTTP, SSE, WebSocket) per owner (429 above). Default 256. */
  maxSessionsPerClient?: number;
  /** Open sessions and connections over all transports (503 above). Default 20 000. */
  maxSessions?: number;
  /**
   * Serve MCP to other local OS users (and to connections whose user cannot be told) without a
   * token. Default false: only the daemon's own user and root, or bearers of the token.
   */
  allowLocalUsers?: boolean;
  /** Addresses of reverse proxies whose X-Forwarded-For names the client. Default none. */
  trustedProxies?: readonly string[];
  /** Close sessions without traffic for this long. Default 30 minutes; 0 disables. */
  sessionIdleTimeoutMs?: number;
  /** Events kept per Streamable HTTP session for resumption. Default 256. */
  eventStoreMaxEvents?: number;
  /** WebSocket tuning. */
  webSocket?: WebSocketOptions;
  /** Readiness probe behind `/readyz`; absent means ready unless draining. */
  readiness?: ReadinessCheck;
  /** Extra facts for `/status` (pool and database health). */
  extraStatus?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Database and pool facts for `GET /health`; without it the database counts as unknown (degraded). */
  health?: () => HealthFacts;
  /** Prometheus text behind `GET /metrics`; without it that route answers 404. */
  metrics?: MetricsSource;
  /** Recent calls and refusals for the status page (`GET /`, `/ui`); without it they show empty. */
  statusPage?: StatusPageSource;
  /** smcp's version, for `/health` and `/status`. */
  version?: string;
  /** Where the server logs; silent by default. */
  logger?: Logger;
}

/** Counters `stats()` reports. */
export interface HttpServerStats {
  readonly draining: boolean;
  readonly httpSessions: number;
  readonly sseSessions: number;
  readonly webSockets: number;
  readonly inFlight: number;
}

/** The running HTTP server. */
export interface HttpServerHandle {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops taking new sessions and requests (503 + Retry-After, /readyz not ready); in-flight work finishes. */
  drain(): void;
  /**
   * Ends every session (WebSockets with 1001, SSE streams, Streamable HTTP sessions) but keeps
   * listening, so a drained server still answers /healthz, /status and 503s. For the end of a drain.
   */
  closeSessions(): Promise<void>;
  /** Closes everything: WebSockets (1001), SSE streams, sessions, the listener. Idempotent. */
  close(): Promise<void>;
  /** Sessions and requests right now. */
  stats(): HttpServerStats;
}

/** One finished tool call as the status page lists it (bounded values only, like the metrics). */
export interface RecentCall {
  readonly tool: string;
  readonly transport: string;
  /** `ok`, or the catalogue code of the failure. */
  readonly outcome: string;
  readonly durationMs: number;
  readonly rows?: number;
  readonly endedAt: string;
}

/** What the status page shows beyond `/status`, read from the daemon's metrics. */
export interface StatusPageFacts {
  /** The latest finished calls, newest first. */
  readonly recentCalls: readonly RecentCall[];
  /** Statements the SQL guard refused since start, by kind (`smcp_guard_refusals_total`). */
  readonly refusals: Readonly<Record<string, number>>;
  /** Calls ended since start, by outcome (`smcp_calls_total`). */
  readonly outcomes: Readonly<Record<string, number>>;
}

/** Reads the {@link StatusPageFacts} at each refresh of the page. */
export type StatusPageSource = () => Promise<StatusPageFacts>;
