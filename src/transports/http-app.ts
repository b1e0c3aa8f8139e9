/**
 * The express app behind smcp's one HTTP listener. Every route sits behind one ordered middleware
 * chain, so no route can skip a check:
 *
 * 1. security headers on every answer (helmet: nosniff, frame DENY, no-referrer, a strict CSP);
 * 2. `GET /healthz` (liveness: answers before anything else can refuse it);
 * 3. Host and Origin allow-lists (403, DNS rebinding);
 * 4. CORS for configured origins only (the `cors` middleware; preflights end here);
 * 5. who is asking: the bearer token (401) or, without one, the local OS user (403 for others);
 * 6. `/readyz`, `/status`, `/health`, `/metrics`, and the status page (`/`, `/ui`, `/ui/…`:
 *    status-page.ts), all still served while draining;
 * 7. the drain switch (503 + Retry-After + Connection: close);
 * 8. MCP (`/mcp`, `/sse`, `/messages`), the plain tool API (`/mcp/tools`, `/mcp/tools/call`);
 * 9. 404 for anything else, and one error handler that never leaks a stack trace.
 *
 * Refusals on MCP paths are JSON-RPC error bodies (what MCP clients parse); elsewhere they are
 * `{error: {code, message}}` with a catalogue code.
 */
import cors from 'cors';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { ErrorCode } from '../errors.js';
import type { ClientIdentifier } from './client-identification.js';
import type { MetricsSource, StatusPageSource } from './contracts.js';
import { RETRY_AFTER_SECONDS } from './client-limiter.js';
import { sendHealth, sendHealthDocument, sendReadiness, sendStatus } from './health-routes.js';
import type { HealthDeps } from './health-routes.js';
import { sendPlainRefusal, sendRpcRefusal } from './http-io.js';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS } from './http-security.js';
import type { GuardVerdict, HttpGuard } from './http-security.js';
import type { LegacySseEndpoint } from './legacy-sse.js';
import { jsonBody } from './json-body.js';
import { requestTarget } from './request-path.js';
import type { StreamableHttpEndpoint } from './streamable-http.js';
import { statusPageRouter } from './status-page.js';
import { isStatusPagePath } from './status-page-session.js';
import { handleToolCall, sendToolList } from './tool-api-routes.js';
import type { ToolApiDeps } from './tool-api-routes.js';
import type { Logger } from '../logger.js';

/** Paths whose clients speak JSON-RPC: refusals there are JSON-RPC error bodies. */
const MCP_PATHS = new Set(['/mcp', '/sse', '/messages']);

/** What the app routes to. */
export interface HttpAppDeps {
  readonly guard: HttpGuard;
  readonly identifier: ClientIdentifier;
  readonly streamable: StreamableHttpEndpoint;
  readonly sse: LegacySseEndpoint;
  readonly toolApi: ToolApiDeps | undefined;
  readonly health: HealthDeps;
  readonly metrics: MetricsSource | undefined;
  readonly statusPage: StatusPageSource | undefined;
  readonly stateless: boolean;
  readonly maxBodyBytes: number;
  readonly isDraining: () => boolean;
  readonly logger: Logger;
}

/** Answers a refusal with the status of its catalogue code, in the shape the path's clients read. */
export function refuse(
  res: Response,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (MCP_PATHS.has(requestTarget(res.req.url).path)) sendRpcRefusal(res, code, message, headers);
  else sendPlainRefusal(res, code, message, headers);
}

function refuseVerdict(res: Response, verdict: Exclude<GuardVerdict, { ok: true }>): void {
  refuse(res, verdict.code, verdict.message, verdict.headers);
}

/** Security headers for every answer: JSON APIs and any HTML alike get the strict set. */
function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Plain HTTP on loopback: TLS (and so HSTS) is the job of a proxy in front of smcp.
    strictTransportSecurity: false,
  });
}

/** Host and Origin allow-lists. */
function hostAndOrigin(guard: HttpGuard): RequestHandler {
  return (req, res, next) => {
    const verdict = guard.checkHostAndOrigin(req);
    if (!verdict.ok) return refuseVerdict(res, verdict);
    next();
  };
}

/** CORS headers for configured origins only (never `*`); preflights are answered here. */
function corsForConfiguredOrigins(guard: HttpGuard): RequestHandler {
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && guard.isCorsOrigin(origin)),
    methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
}

/** Bearer token or local OS user: who the request belongs to (see client-identification.ts). */
function identification(identifier: ClientIdentifier): RequestHandler {
  return (req, res, next) => {
    identifier
      .identify(req)
      .then((answer) => (answer.ok ? next() : refuseVerdict(res, answer)))
      .catch(next);
  };
}

/** While draining, new work is refused; probes and /status stay above this in the chain. */
function drainSwitch(isDraining: () => boolean): RequestHandler {
  return (_req, res, next) => {
    if (!isDraining()) return next();
    refuse(res, 'DRAINING', 'Service Unavailable: the server is draining', {
      'Retry-After': String(RETRY_AFTER_SECONDS * 5),
      Connection: 'close',
    });
  };
}

/** `405` with the methods a path takes. */
function wrongMethod(path: string, allow: string): RequestHandler {
  return (_req, res) => refuse(res, 'METHOD_NOT_ALLOWED', `use ${allow} ${path}`, { Allow: allow });
}

/** Builds the app. Routes are exact and case-sensitive (`/MCP/` is not `/mcp`). */
export function buildHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.set('query parser', false);

  app.use(securityHeaders());
  app.get('/healthz', (_req, res) => sendHealth(res));
  app.use(hostAndOrigin(deps.guard));
  app.use(corsForConfiguredOrigins(deps.guard));
  app.use(identification(deps.identifier));
  app.get('/readyz', (_req, res) => sendReadiness(res, deps.health));
  app.get('/status', (_req, res) => sendStatus(res, deps.health));
  app.get('/health', (_req, res) => sendHealthDocument(res, deps.health));
  const metrics = deps.metrics;
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      const page = await metrics();
      res.status(200).set({ 'Content-Type': page.contentType, 'Cache-Control': 'no-store' }).send(page.text);
    });
  }
  const statusPage = statusPageRouter({
    guard: deps.guard,
    identifier: deps.identifier,
    health: deps.health,
    facts: deps.statusPage,
    logger: deps.logger,
  });
  // Only the page's own paths enter its router: MCP traffic skips matching its dozen routes.
  app.use((req, res, next) => (isStatusPagePath(req.path) ? statusPage(req, res, next) : next()));
  app.use(drainSwitch(deps.isDraining));

  const rpcBody = jsonBody(deps.maxBodyBytes, 'rpc');
  app.post('/mcp', rpcBody, (req: Request, res: Response) => deps.streamable.handlePost(req, res, req.body));
  app.all('/mcp', (req, res) => deps.streamable.handleOther(req, res));
  const toolApi = deps.toolApi;
  if (toolApi) {
    app.get('/mcp/tools', (_req, res) => sendToolList(res, toolApi));
    app.all('/mcp/tools', wrongMethod('/mcp/tools', 'GET'));
    app.post('/mcp/tools/call', jsonBody(deps.maxBodyBytes, 'plain'), (req: Request, res: Response) =>
      handleToolCall(req, res, toolApi, req.body),
    );
    app.all('/mcp/tools/call', wrongMethod('/mcp/tools/call', 'POST'));
  }
  if (!deps.stateless) {
    app.get('/sse', (req, res) => deps.sse.openStream(req, res));
    app.all('/sse', wrongMethod('/sse', 'GET'));
    app.post('/messages', rpcBody, (req: Request, res: Response) =>
      deps.sse.postMessage(req, res, requestTarget(req.url).query, req.body),
    );
    app.all('/messages', wrongMethod('/messages', 'POST'));
  }

  app.use((req: Request, res: Response) => {
    sendPlainRefusal(
      res,
      'ROUTE_NOT_FOUND',
      `no route for ${req.method} ${requestTarget(req.url).path.slice(0, 200)}`,
    );
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error('HTTP request failed', { path: requestTarget(req.url).path, error: String(error) });
    if (!res.headersSent) refuse(res, 'INTERNAL', 'an unexpected fault inside smcp');
    else res.destroy();
  });
  return app;
}
