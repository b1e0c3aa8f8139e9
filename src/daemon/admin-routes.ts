/**
 * The admin API's routes in the daemon: status, metrics, sessions, in-flight requests, drain, shutdown,
 * reload, and tool calls for `smcp call` (same registry, guard, limits and tracking as MCP calls).
 */
import type {
  CacheRefreshAnswer,
  DaemonStatus,
  DrainOutcome,
  MetricsAnswer,
  ReloadAnswer,
  ShutdownAnswer,
  ShutdownRequest,
} from '../admin/protocol.js';
import type { AdminRoutes } from '../admin/server.js';
import type { DaemonFiles } from '../config/paths.js';
import { SmcpError } from '../errors.js';
import { refreshMetadata } from '../mcp/metadata-loader.js';
import type { DrainController } from './drain.js';
import { processMemory } from './process-memory.js';
import type { Runtime } from './runtime.js';

/** What the routes work on. */
export interface AdminRouteDeps {
  readonly runtime: Runtime;
  readonly drain: DrainController;
  readonly files: DaemonFiles;
  readonly version: string;
  readonly args: readonly string[];
  readonly drainTimeoutSeconds: number;
  stop(request: ShutdownRequest, reason: string): Promise<number>;
  reload(): Promise<ReloadAnswer>;
  /** The daemon's run history from the state file, newest first. */
  history(): readonly unknown[];
}

/** Largest drain or stop deadline accepted, in seconds (one hour). */
const MAX_TIMEOUT_SECONDS = 3600;

function timeoutFrom(body: Record<string, unknown>, fallback: number): number {
  const value = body.timeoutSeconds;
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMEOUT_SECONDS) {
    throw new SmcpError('USAGE', `timeoutSeconds must be a number from 0 to ${MAX_TIMEOUT_SECONDS}`, {
      field: 'timeoutSeconds',
    });
  }
  return value;
}

/** Builds the status the CLI prints. */
export function daemonStatus(deps: AdminRouteDeps, stopping: boolean): DaemonStatus {
  const { runtime, drain, files } = deps;
  const base = runtime.http.url;
  const ws = `ws${base.slice(4)}/mcp`;
  const http = runtime.http.stats();
  const { dataPath } = runtime;
  return {
    running: true,
    pid: process.pid,
    version: deps.version,
    startedAt: new Date(runtime.startedAt).toISOString(),
    uptimeSeconds: Math.round((Date.now() - runtime.startedAt) / 1000),
    state: stopping ? 'stopping' : drain.finished ? 'drained' : drain.started ? 'draining' : 'serving',
    endpoints: {
      mcp: `${base}/mcp`,
      websocket: ws,
      sse: http.sseSessions >= 0 ? `${base}/sse` : null,
      toolApi: `${base}/mcp/tools`,
    },
    backend: dataPath.backend,
    connection: dataPath.connection.connectionName.value,
    account: String(dataPath.connection.settings.account.value),
    sampleData: dataPath.sampleData,
    emulatorReason: dataPath.emulatorReason ?? null,
    warnings: dataPath.warnings,
    pool: { ...runtime.poolStats() },
    database: { ...runtime.health.snapshot() },
    sessions: { ...runtime.tracker.sessionCounts() },
    inFlight: runtime.tracker.list(),
    requestsCompleted: runtime.tracker.completedCount,
    memory: { ...processMemory() },
    emulator: dataPath.emulator ? { ...dataPath.emulator.stats() } : null,
    costGuard: runtime.costGuard.status(),
    ...(runtime.connections() ? { connections: runtime.connections() } : {}),
    metadataCache: runtime.metadata.status(),
    drainTimeoutSeconds: deps.drainTimeoutSeconds,
    drain: drain.last,
    files: { socket: files.socket, pidfile: files.pidfile, logFile: files.logFile },
    args: deps.args,
    supervised: typeof process.send === 'function',
  };
}

/** The admin routes over `deps`. */
export function adminRoutes(deps: AdminRouteDeps): AdminRoutes {
  const { runtime, drain } = deps;
  let stopping = false;
  return {
    'GET /status': () => Promise.resolve(daemonStatus(deps, stopping)),
    'GET /sessions': () => Promise.resolve({ sessions: runtime.tracker.sessionCounts() }),
    'GET /requests': () => Promise.resolve({ inFlight: runtime.tracker.list() }),
    'GET /history': () => Promise.resolve({ runs: deps.history() }),
    'GET /metrics': async (): Promise<MetricsAnswer> => ({
      text: await runtime.metrics.text(),
      metrics: await runtime.metrics.json(),
    }),
    'POST /drain': async (body): Promise<DrainOutcome> =>
      drain.drain(timeoutFrom(body, deps.drainTimeoutSeconds)),
    'POST /shutdown': (body): Promise<ShutdownAnswer> => {
      const force = body.force === true;
      const timeoutSeconds = timeoutFrom(body, deps.drainTimeoutSeconds);
      stopping = true;
      // Answer first: the stop closes this very server.
      setImmediate(() => void deps.stop({ timeoutSeconds, force }, force ? 'stop --force' : 'stop'));
      return Promise.resolve({ pid: process.pid, stopping: true });
    },
    'POST /reload': () => deps.reload(),
    'POST /cache/refresh': async (_body, context): Promise<CacheRefreshAnswer> => {
      if (drain.started || stopping) {
        throw new SmcpError('DRAINING', 'the daemon is draining and takes no new calls');
      }
      return runtime.registry.runInContext(
        'cache/refresh',
        { transport: 'admin', clientId: 'admin', owner: 'local' },
        // A cold account can take minutes to list: up to the server's statement ceiling.
        { signal: context.signal, timeoutSeconds: MAX_TIMEOUT_SECONDS },
        async (call) => ({
          ...(await refreshMetadata(call, runtime.metadata)),
          cache: runtime.metadata.status(),
        }),
      );
    },
    'GET /tools': () => Promise.resolve({ tools: runtime.registry.listTools() }),
    'POST /tools/call': async (body, context) => {
      if (drain.started || stopping) {
        throw new SmcpError('DRAINING', 'the daemon is draining and takes no new calls');
      }
      const name = body.name;
      if (typeof name !== 'string' || name === '') {
        throw new SmcpError('USAGE', 'name must be the tool name', { field: 'name' });
      }
      const args = body.arguments ?? {};
      if (typeof args !== 'object' || args === null || Array.isArray(args)) {
        throw new SmcpError('USAGE', 'arguments must be a JSON object', { field: 'arguments' });
      }
      const clientId = typeof body.clientId === 'string' ? body.clientId.slice(0, 100) : 'admin';
      return runtime.registry.callTool(
        name,
        args,
        { transport: 'admin', clientId, owner: 'local' },
        { signal: context.signal },
      );
    },
  };
}
