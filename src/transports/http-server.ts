/**
 * The one HTTP listener for every network transport: the express app (http-app.ts) serves every
 * HTTP route behind one ordered security chain; WebSocket upgrades on `/mcp` share the listener and
 * pass the same Host, Origin, token and draining checks here. Loopback by default; a non-loopback
 * bind without a token is refused at start.
 */
import { STATUS_CODES, createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { SmcpError } from '../errors.js';
import { ClientIdentifier } from './client-identification.js';
import { ClientQuotas } from './client-quotas.js';
import type { HealthDeps } from './health-routes.js';
import { buildHttpApp } from './http-app.js';
import { expressShapedClasses } from './express-shaped.js';
import { numberDefault } from '../config/options/table.js';
import { edgeCodes } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { HttpGuard, assertBindAllowed } from './http-security.js';
import { LegacySseEndpoint } from './legacy-sse.js';
import { requestTarget } from './request-path.js';
import { StreamableHttpEndpoint } from './streamable-http.js';
import type { ToolApiDeps } from './tool-api-routes.js';
import type { HttpServerHandle, HttpServerOptions, HttpServerStats } from './contracts.js';
import { silentLogger } from '../logger.js';
import { WebSocketEndpoint, acceptsSubprotocol } from './websocket-server.js';

function positiveInt(value: number | undefined, fallback: number, field: string, allowZero = false): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0 || (n === 0 && !allowZero)) {
    throw new SmcpError('CONFIG_INVALID', `${field} must be a positive integer, got ${String(value)}`, {
      field,
    });
  }
  return n;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new SmcpError('CONFIG_INVALID', `cannot listen on ${host}:${port}: ${error.code ?? error.message}`, {
          field: 'port',
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * A socket's error listener: drop it. One function for every upgraded socket, since a closure each
 * would stay for the whole life of every idle WebSocket.
 */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** Writes a refusal with `code`'s status on a socket that asked to upgrade, then drops it. */
function refuseUpgrade(
  socket: Duplex,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  const edge = edgeCodes(code);
  const body = JSON.stringify({
    jsonrpc: '2.0',
    error: { code: edge.rpc, message, data: { code } },
    id: null,
  });
  const head = [
    `HTTP/1.1 ${edge.http} ${STATUS_CODES[edge.http] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  socket.once('finish', () => socket.destroy());
}

/**
 * Starts the HTTP server and resolves once it listens. Rejects with SmcpError CONFIG_INVALID for a
 * non-loopback host without a token, a bad option, or a port that cannot be bound.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const host = options.host ?? '127.0.0.1';
  assertBindAllowed(host, options.token);
  const maxBodyBytes = positiveInt(options.maxBodyBytes, 1024 * 1024, 'maxBodyBytes');
  const idleMs = positiveInt(options.sessionIdleTimeoutMs, 30 * 60_000, 'sessionIdleTimeoutMs', true);
  const quotas = new ClientQuotas({
    requestsPerSession: positiveInt(
      options.maxConcurrentPerClient,
      numberDefault('max-requests-per-session'),
      'maxConcurrentPerClient',
    ),
    requestsPerOwner: positiveInt(
      options.maxConcurrentPerAddress,
      numberDefault('max-requests-per-address'),
      'maxConcurrentPerAddress',
    ),
    sessionsPerOwner: positiveInt(
      options.maxSessionsPerClient,
      numberDefault('max-sessions-per-client'),
      'maxSessionsPerClient',
    ),
    sessionsTotal: positiveInt(options.maxSessions, 20_000, 'maxSessions'),
  });
  const eventStoreMaxEvents = positiveInt(options.eventStoreMaxEvents, 256, 'eventStoreMaxEvents');
  const logger = options.logger ?? silentLogger;
  const tracker = options.tracker;

  const shaped = expressShapedClasses();
  const server = createServer({
    IncomingMessage: shaped.IncomingMessage,
    ServerResponse: shaped.ServerResponse,
  });
  const port = await listen(server, host, options.port ?? numberDefault('port'));
  const guard = new HttpGuard({ ...options, host, port });
  const identifier = new ClientIdentifier(guard, {
    ...(options.allowLocalUsers !== undefined ? { allowLocalUsers: options.allowLocalUsers } : {}),
    ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
  });
  let draining = false;
  const isDraining = (): boolean => draining;

  const streamable = new StreamableHttpEndpoint({
    factory: options.factory,
    tracker,
    quotas,
    logger,
    stateless: options.stateless ?? false,
    maxBodyBytes,
    eventStoreMaxEvents,
  });
  const sse = new LegacySseEndpoint({ factory: options.factory, tracker, quotas, logger, isDraining });
  const ws = new WebSocketEndpoint({
    factory: options.factory,
    tracker,
    quotas,
    logger,
    options: options.webSocket ?? {},
    isDraining,
  });
  const stats = (): HttpServerStats => ({
    draining,
    httpSessions: streamable.sessionCount,
    sseSessions: sse.sessionCount,
    webSockets: ws.connectionCount,
    inFlight: tracker.activeCount,
  });
  const health: HealthDeps = {
    tracker,
    readiness: options.readiness,
    extraStatus: options.extraStatus,
    ...(options.health ? { health: options.health } : {}),
    ...(options.version ? { version: options.version } : {}),
    stats,
    webSockets: (limit) => ws.describeConnections(limit),
    startedAt: Date.now(),
  };
  const toolDeps: ToolApiDeps | undefined = options.toolApi
    ? { api: options.toolApi, tracker, quotas, logger }
    : undefined;

  const app = buildHttpApp({
    guard,
    identifier,
    streamable,
    sse,
    toolApi: toolDeps,
    health,
    metrics: options.metrics,
    statusPage: options.statusPage,
    stateless: options.stateless ?? false,
    maxBodyBytes,
    isDraining,
    logger,
  });
  shaped.adopt(app);
  server.on('request', app);

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const path = requestTarget(req.url).path;
    if (path !== '/mcp')
      return refuseUpgrade(
        socket,
        'ROUTE_NOT_FOUND',
        `no WebSocket endpoint at ${path.slice(0, 200)}; use /mcp`,
      );
    const verdict = guard.checkHostAndOrigin(req);
    if (!verdict.ok) return refuseUpgrade(socket, verdict.code, verdict.message);
    const who = await identifier.identify(req);
    if (!who.ok) return refuseUpgrade(socket, who.code, who.message, who.headers);
    if (draining) return refuseUpgrade(socket, 'DRAINING', 'the server is draining', { 'Retry-After': '5' });
    if (!acceptsSubprotocol(req))
      return refuseUpgrade(socket, 'INVALID_REQUEST', "offer the WebSocket subprotocol 'mcp' (or none)");
    const admission = quotas.openSession(who.owner);
    if (!admission.ok) {
      return refuseUpgrade(socket, admission.code, admission.message, {
        'Retry-After': String(admission.retryAfterSeconds),
      });
    }
    ws.upgrade(req, socket, head, who.owner, admission.release);
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroyOnError);
    // Outside input: whatever goes wrong answers this one request, never the whole daemon.
    upgrade(req, socket, head).catch((error: unknown) => {
      logger.error('WebSocket upgrade failed', { error: String(error) });
      socket.destroy();
    });
  });

  const sweeper =
    idleMs > 0 ? setInterval(() => streamable.sweepIdle(idleMs), Math.min(idleMs / 2, 60_000)) : undefined;
  sweeper?.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      if (sweeper) clearInterval(sweeper);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([ws.close(), sse.close(), streamable.close()]);
      server.closeAllConnections();
      await stopped;
    })();
    return closing;
  };

  const urlHost = host.includes(':') ? `[${host}]` : host;
  logger.info('MCP HTTP server listening', { host, port, stateless: options.stateless ?? false });
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    drain: () => {
      if (draining) return;
      draining = true;
      // Idle keep-alive sockets are left alone (closing them races a client's next request); the
      // next answer on each carries Connection: close.
      ws.drain();
    },
    closeSessions: async () => {
      await Promise.allSettled([ws.close(), sse.close(), streamable.close()]);
    },
    close,
    stats,
  };
}
