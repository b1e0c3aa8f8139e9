/**
 * The serving runtime: one data path (configured Snowflake or the embedded emulator), one pool,
 * one request tracker, one tool registry and server factory, the HTTP server with every network
 * transport, and the database health monitor. `smcp start --foreground` runs it; the daemon wraps it.
 */
import type { HttpServerHandle, HttpServerOptions } from '../transports/contracts.js';
import { startHttpServer } from '../transports/http-server.js';
import type { CostGuard } from '../mcp/cost-guard.js';
import type { MetadataCache } from '../mcp/metadata-cache.js';
import type { ToolRegistry } from '../mcp/server-factory.js';
import type { RequestTracker } from '../mcp/request-tracker.js';
import type { McpSettings } from '../mcp/settings.js';
import type { ClientOptions } from '../snowflake/client.js';
import type { PoolStats } from '../snowflake/pool.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import type { ResolvedConnection } from '../snowflake/settings.js';
import type { DataPath } from './data-path.js';
import type { ConnectionsWanted, ReloadOutcome } from './tool-host.js';
import type { HealthMonitor } from './health-monitor.js';
import type { NamedConnection } from './tool-host.js';
import type { ConnectionFacts } from '../mcp/connection-directory.js';
import { DaemonMetrics } from './metrics.js';
import { toolApiFor } from './tool-api.js';
import { openToolHost } from './tool-host.js';
import { processMemory } from './process-memory.js';

/** HTTP options the runtime passes through (everything but what it builds itself). */
export type RuntimeHttpOptions = Omit<
  HttpServerOptions,
  'factory' | 'tracker' | 'toolApi' | 'readiness' | 'extraStatus' | 'logger' | 'metrics' | 'statusPage'
>;

/** What startRuntime needs. */
export interface RuntimeOptions {
  readonly resolved: ResolvedConnection;
  readonly mcp: McpSettings;
  /** With several connections: the first one's name and the others (see ToolHostOptions). */
  readonly name?: string;
  readonly more?: readonly NamedConnection[];
  readonly http: RuntimeHttpOptions;
  readonly pool?: ClientOptions;
  readonly healthIntervalMs?: number;
  readonly logger?: Logger;
  /** smcp's version, reported by /health and /status. */
  readonly version?: string;
}

/** A running runtime. */
export interface Runtime {
  /** The data path serving calls now (a reload replaces it). */
  readonly dataPath: DataPath;
  readonly tracker: RequestTracker;
  readonly registry: ToolRegistry;
  /** The cost guard (its policy and per-client totals for /status). */
  readonly costGuard: CostGuard;
  /** With several connections: each one's facts (list_connections); undefined with one. */
  connections(): ConnectionFacts[] | undefined;
  /** The metadata cache (its size for /status; `smcp cache refresh`). */
  readonly metadata: MetadataCache;
  readonly http: HttpServerHandle;
  /** The default connection's health monitor (a reload may make another connection the default). */
  readonly health: HealthMonitor;
  /** Prometheus metrics (GET /metrics, the admin API, `smcp metrics`). */
  readonly metrics: DaemonMetrics;
  readonly startedAt: number;
  /** Stops taking new work (the HTTP server answers 503; /readyz not ready). */
  drain(): void;
  /** Figures of the pool serving calls now. */
  poolStats(): PoolStats;
  /** Applies a new set of connections without dropping sessions (see ToolHost.reload). */
  reload(wanted: ConnectionsWanted, graceMs: number): Promise<ReloadOutcome>;
  /** Closes the HTTP server, the health monitor, the pool and the embedded emulator. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the data path, checks the database once, and starts serving. Throws SmcpError (bad
 * settings, refused login, port in use, non-loopback bind without a token); whatever was already
 * started is closed again before it throws.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger ?? silentLogger;
  const metrics = new DaemonMetrics();
  const host = await openToolHost({
    ...options,
    observer: metrics,
    healthIntervalMs: options.healthIntervalMs ?? 15_000,
  });
  const { tracker, registry } = host;
  // Readiness and the top-level database health follow the default connection; each connection
  // has its own monitor for list_connections, /status and /health.
  const healthOf = (): HealthMonitor => host.connections[0].health!;
  const stopHealth = (): void => {
    for (const c of host.connections) c.health?.stop();
  };
  let http: HttpServerHandle | undefined;
  metrics.watch({
    tracker,
    connection: () => host.dataPath.connection.connectionName.value,
    pool: () => host.client.stats(),
    databaseHealthy: () => healthOf().isHealthy(),
    draining: () => http?.stats().draining ?? false,
    costClients: () => host.costGuard.ledger.snapshot(),
  });
  try {
    await host.startHealth();
    http = await startHttpServer({
      ...options.http,
      factory: host.factory,
      tracker,
      toolApi: toolApiFor(registry),
      readiness: () =>
        Promise.resolve(
          healthOf().isHealthy() ? { ready: true } : { ready: false, reason: 'database unhealthy' },
        ),
      extraStatus: () => ({
        backend: host.dataPath.backend,
        connection: host.dataPath.connection.connectionName.value,
        // Said plainly, so no client mistakes the emulator's generated rows for the account's.
        sampleData: host.dataPath.sampleData,
        pool: host.client.stats(),
        database: healthOf().snapshot(),
        memory: processMemory(),
        ...(host.dataPath.emulator ? { emulator: host.dataPath.emulator.stats() } : {}),
        costGuard: host.costGuard.status(),
        ...(host.directory.several ? { connections: host.directory.describe() } : {}),
        metadataCache: host.metadata.status(),
      }),
      health: () => ({
        databaseHealthy: healthOf().isHealthy(),
        ...(host.directory.several
          ? { connections: Object.fromEntries(host.connections.map((c) => [c.name, c.healthy()])) }
          : {}),
        database: { ...healthOf().snapshot() },
        pool: { ...host.client.stats() },
      }),
      metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }),
      statusPage: () => metrics.pageFacts(),
      ...(options.version ? { version: options.version } : {}),
      logger,
    });
  } catch (err) {
    stopHealth();
    await host.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    get dataPath() {
      return host.dataPath;
    },
    tracker,
    registry,
    costGuard: host.costGuard,
    connections: () => (host.directory.several ? host.directory.describe() : undefined),
    metadata: host.metadata,
    http,
    get health() {
      return healthOf();
    },
    metrics,
    startedAt: Date.now(),
    drain: () => http.drain(),
    reload: (wanted, graceMs) => host.reload(wanted, graceMs),
    poolStats: () => host.client.stats(),
    close: () =>
      (closing ??= (async () => {
        await http.close();
        stopHealth();
        await host.close();
      })()),
  };
}
