/**
 * WebSocket on `/mcp`: upgrades with subprotocol `mcp` (echoed; an upgrade that does not offer it
 * is refused), one McpServer per connection through the SDK's connection entry (`serveStdio` with
 * our transport, so both protocol eras work), keep-alive with one shared ping timer for all
 * connections, and close codes that say why. Kept lean per connection: no per-connection timers,
 * shared event handlers where ws allows, maps allocated lazily. The caller has already checked
 * Host, Origin, token, draining and the session limit.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { RequestTracker } from '../mcp/request-tracker.js';
import type { ClientLimiter } from './client-limiter.js';
import { TrackedTransport } from './tracked-transport.js';
import type { ServerFactory, TransportLogger, WebSocketOptions } from './types.js';
import { WS_CLOSE, WebSocketServerTransport } from './websocket-transport.js';

/** The subprotocol MCP WebSocket clients offer and the server echoes. */
export const MCP_SUBPROTOCOL = 'mcp';

/** What the WebSocket endpoint needs from the server around it. */
export interface WebSocketDeps {
  factory: ServerFactory;
  tracker: RequestTracker;
  limiter: ClientLimiter;
  logger: TransportLogger;
  options: WebSocketOptions;
  isDraining: () => boolean;
}

interface Connection {
  readonly transport: WebSocketServerTransport;
  readonly tracked: TrackedTransport;
  handle?: StdioServerHandle;
}

/** True when the upgrade request offers the `mcp` subprotocol. */
export function offersMcpSubprotocol(req: IncomingMessage): boolean {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((p) => p.trim() === MCP_SUBPROTOCOL);
}

/** Serves MCP over WebSocket connections. */
export class WebSocketEndpoint {
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<WebSocket, Connection>();
  private readonly pingTimer: NodeJS.Timeout;
  private nextId = 0;
  private readonly limits: { highWaterBytes: number; maxBufferedBytes: number };

  constructor(private readonly deps: WebSocketDeps) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: deps.options.maxPayloadBytes ?? 4 * 1024 * 1024,
      handleProtocols: (protocols) => (protocols.has(MCP_SUBPROTOCOL) ? MCP_SUBPROTOCOL : false),
    });
    this.limits = {
      highWaterBytes: deps.options.highWaterBytes ?? 1024 * 1024,
      maxBufferedBytes: deps.options.maxBufferedBytes ?? 16 * 1024 * 1024,
    };
    this.pingTimer = setInterval(() => this.pingAll(), deps.options.pingIntervalMs ?? 30_000);
    this.pingTimer.unref();
  }

  /** Open WebSocket connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Completes an upgrade the caller has already authorised. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Draining: idle connections close now with 1013, busy ones once their last request is answered. */
  drain(): void {
    for (const [ws, conn] of this.connections) {
      if (conn.tracked.inFlight === 0) ws.close(WS_CLOSE.tryAgainLater, 'server is draining');
    }
  }

  /** Closes every connection with 1001 and stops the keep-alive timer. */
  async close(): Promise<void> {
    clearInterval(this.pingTimer);
    const conns = [...this.connections.values()];
    for (const conn of conns) void conn.transport.close(WS_CLOSE.goingAway, 'server shutting down');
    await Promise.allSettled(conns.flatMap((c) => (c.handle ? [c.handle.close()] : [])));
    this.connections.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    const transport = new WebSocketServerTransport(ws, this.limits);
    const clientId = `ws-${(++this.nextId).toString(36)}`;
    const closeTracking = this.deps.tracker.openSession('websocket');
    const tracked: TrackedTransport = new TrackedTransport(transport, {
      identity: { transport: 'websocket', clientId },
      tracker: this.deps.tracker,
      limiter: this.deps.limiter,
      isDraining: this.deps.isDraining,
      onIdle: () => {
        if (this.deps.isDraining() && tracked.inFlight === 0)
          ws.close(WS_CLOSE.tryAgainLater, 'server is draining');
      },
      onClosed: () => {
        this.connections.delete(ws);
        awaitingPong.delete(ws);
        closeTracking();
      },
    });
    const conn: Connection = { transport, tracked };
    this.connections.set(ws, conn);
    ws.on('pong', onPong);
    conn.handle = serveStdio(() => this.build(tracked, ws), {
      transport: tracked,
      onerror: (error) =>
        this.deps.logger.debug('websocket session error', { clientId, error: error.message }),
    });
  }

  private build(tracked: TrackedTransport, ws: WebSocket): ReturnType<ServerFactory> {
    try {
      return this.deps.factory(tracked.identity);
    } catch (error) {
      this.deps.logger.error('server factory failed for a WebSocket client', { error: String(error) });
      ws.close(WS_CLOSE.internal, 'internal error');
      throw error;
    }
  }

  private pingAll(): void {
    for (const ws of this.connections.keys()) {
      if (awaitingPong.has(ws)) {
        // No pong since the last round: the peer is gone; terminate frees the socket at once.
        ws.terminate();
        continue;
      }
      awaitingPong.add(ws);
      ws.ping();
    }
  }
}

/** Sockets pinged in the last round that have not answered yet (weak: closed sockets drop out). */
const awaitingPong = new WeakSet<WebSocket>();

/** Shared pong handler: ws calls it with `this` bound to the socket, so no closure per connection. */
function onPong(this: WebSocket): void {
  awaitingPong.delete(this);
}
