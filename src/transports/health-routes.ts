/**
 * Probe and status routes: `/healthz` (liveness: the process answers), `/readyz` (ready only when
 * the pool hands out a working connection and the server is not draining) and `/status` (sessions
 * per transport, requests in flight with tool, client and duration, plus pool/db health from the
 * caller). Auth is the caller's business: /healthz is open, the others sit behind the token.
 */
import type { ServerResponse } from 'node:http';
import type { RequestTracker } from '../mcp/request-tracker.js';
import { sendJson } from './http-io.js';
import type { HttpServerStats, ReadinessCheck } from './types.js';

/** What the probe routes read. */
export interface HealthDeps {
  tracker: RequestTracker;
  readiness?: ReadinessCheck;
  extraStatus?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  stats: () => HttpServerStats;
  startedAt: number;
}

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

/** `GET /status`: what the server is doing right now. */
export async function sendStatus(res: ServerResponse, deps: HealthDeps): Promise<void> {
  const stats = deps.stats();
  let extra: Record<string, unknown> = {};
  if (deps.extraStatus) {
    try {
      extra = await deps.extraStatus();
    } catch (error) {
      extra = { extraStatusError: error instanceof Error ? error.message : String(error) };
    }
  }
  sendJson(
    res,
    200,
    {
      status: stats.draining ? 'draining' : 'serving',
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      sessions: deps.tracker.sessionCounts(),
      connections: {
        http: stats.httpSessions,
        sse: stats.sseSessions,
        websocket: stats.webSockets,
      },
      // Anyone who passes the port's checks reads this: no session ids (see RequestTracker.list).
      inFlight: deps.tracker.list(Date.now(), { shortIds: true }),
      completedRequests: deps.tracker.completedCount,
      ...extra,
    },
    NO_STORE,
  );
}
