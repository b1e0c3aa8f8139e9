/**
 * Probe and status routes: `/healthz` (liveness: the process answers), `/readyz` (ready only when
 * the pool hands out a working connection and the server is not draining), `/health` (the original
 * API's health document: healthy / degraded / unhealthy from the real database check, pool,
 * WebSocket connections) and `/status` (the original API's server / requests / websockets shape,
 * extended with smcp's sessions per transport, requests in flight, pool and database health).
 * Auth is the caller's business: /healthz is open, the others sit behind the token or user check.
 */
import type { ServerResponse } from 'node:http';
import type { RequestTracker } from '../mcp/request-tracker.js';
import { sendJson } from './http-io.js';
import type { HealthFacts, HttpServerStats, ReadinessCheck } from './contracts.js';

/** What the probe routes read. */
export interface HealthDeps {
  tracker: RequestTracker;
  readiness?: ReadinessCheck;
  extraStatus?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  health?: () => HealthFacts;
  version?: string;
  stats: () => HttpServerStats;
  /** Open WebSocket connections (id, connected_at, message_count), at most `limit`. */
  webSockets: (limit: number) => { id: string; connected_at: string; message_count: number }[];
  startedAt: number;
}

/** Most WebSocket connections `/health` lists one by one (the count is always exact). */
const LISTED_CONNECTIONS = 1000;

const NO_STORE = { 'Cache-Control': 'no-store' };

/** `GET /healthz`: 200 while the process serves HTTP at all. */
export function sendHealth(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' }, NO_STORE);
}

/** `GET /readyz`: 200 `{ready:true}` or 503 `{ready:false, reason}`. */
export async function sendReadiness(res: ServerResponse, deps: HealthDeps): Promise<void> {
  if (deps.stats().draining) {
    sendJson(res, 503, { ready: false, reason: 'draining' }, { ...NO_STORE, 'Retry-After': '5' });
    return;
  }
  let verdict: { ready: boolean; reason?: string } = { ready: true };
  if (deps.readiness) {
    try {
      const answer = await deps.readiness();
      verdict = typeof answer === 'boolean' ? { ready: answer } : answer;
    } catch (error) {
      verdict = { ready: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  const body = verdict.ready
    ? { ready: true }
    : { ready: false, reason: verdict.reason ?? 'database not ready' };
  sendJson(res, verdict.ready ? 200 : 503, body, NO_STORE);
}

/** Healthy, degraded or unhealthy, with the reasons for anything short of healthy. */
function healthVerdict(deps: HealthDeps): {
  status: 'healthy' | 'degraded' | 'unhealthy';
  reasons: string[];
} {
  const facts = deps.health?.();
  const reasons: string[] = [];
  if (!facts) return { status: 'degraded', reasons: ['no database health check runs'] };
  if (!facts.databaseHealthy) return { status: 'unhealthy', reasons: ['the database health check fails'] };
  if (deps.stats().draining) reasons.push('draining: no new work is taken');
  if ((facts.pool.pending ?? 0) > 0)
    reasons.push(`${facts.pool.pending} requests wait for a Snowflake connection`);
  for (const [name, healthy] of Object.entries(facts.connections ?? {})) {
    if (!healthy) reasons.push(`connection ${name} fails its health check`);
  }
  return { status: reasons.length ? 'degraded' : 'healthy', reasons };
}

/**
 * `GET /health`: the original API's health document. 200 while healthy or degraded, 503 when the
 * database health check fails.
 */
export function sendHealthDocument(res: ServerResponse, deps: HealthDeps): void {
  const verdict = healthVerdict(deps);
  const facts = deps.health?.();
  const stats = deps.stats();
  sendJson(
    res,
    verdict.status === 'unhealthy' ? 503 : 200,
    {
      status: verdict.status,
      timestamp: new Date().toISOString(),
      version: deps.version ?? 'unknown',
      connection_pool: facts?.pool ?? null,
      database_health: facts?.database ?? null,
      ...(facts?.connections ? { connections: facts.connections } : {}),
      websocket_connections: {
        count: stats.webSockets,
        connections: deps.webSockets(LISTED_CONNECTIONS),
      },
      reasons: verdict.reasons,
    },
    NO_STORE,
  );
}

/**
 * The `/status` document: what the server is doing right now. The status page shows this same
 * document, so the two can never disagree.
 */
export async function statusDocument(deps: HealthDeps): Promise<Record<string, unknown>> {
  const stats = deps.stats();
  let extra: Record<string, unknown> = {};
  if (deps.extraStatus) {
    try {
      extra = await deps.extraStatus();
    } catch (error) {
      extra = { extraStatusError: error instanceof Error ? error.message : String(error) };
    }
  }
  const uptimeSeconds = Math.round((Date.now() - deps.startedAt) / 1000);
  const inFlight = deps.tracker.list(Date.now(), { shortIds: true });
  return {
    // The original API's shape …
    server: {
      status: stats.draining ? 'draining' : 'running',
      uptime_seconds: uptimeSeconds,
      version: deps.version ?? 'unknown',
    },
    requests: {
      active_count: inFlight.length,
      active: inFlight.map((r) => ({
        id: r.requestId,
        tool: r.tool ?? null,
        client: r.clientId,
        duration_ms: r.durationMs,
      })),
    },
    websockets: { count: stats.webSockets },
    // … and smcp's own fields.
    status: stats.draining ? 'draining' : 'serving',
    uptimeSeconds,
    sessions: deps.tracker.sessionCounts(),
    connections: {
      http: stats.httpSessions,
      sse: stats.sseSessions,
      websocket: stats.webSockets,
    },
    // Anyone who passes the port's checks reads this: no session ids (see RequestTracker.list).
    inFlight,
    completedRequests: deps.tracker.completedCount,
    ...extra,
  };
}

/** `GET /status`: the {@link statusDocument}. */
export async function sendStatus(res: ServerResponse, deps: HealthDeps): Promise<void> {
  sendJson(res, 200, await statusDocument(deps), NO_STORE);
}
