/**
 * WebSocket on `/mcp`: upgrades with subprotocol `mcp` (echoed) or with none (the original API's
 * clients; an upgrade that offers only other subprotocols is refused), one McpServer per connection through the SDK's connection entry (`serveStdio` with
 * our transport, so both protocol eras work), keep-alive with one shared ping timer for all
 * connections, and close codes that say why. Kept lean per connection (idle sessions are the
 * common case, ten thousand must fit in 200 MiB): no per-connection timers, shared socket
 * listeners and tracking policy, maps allocated lazily. The caller has already checked
 * Host, Origin, token, draining and the session limit.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { RequestTracker } from '../mcp/request-tracker.js';
import { numberDefault } from '../config/options/table.js';
import type { ClientQuotas } from './client-quotas.js';
import { TrackedTransport } from './tracked-transport.js';
import type { TrackingPolicy } from './tracked-transport.js';
import type { ServerFactory, WebSocketOptions } from './contracts.js';
import type { Logger } from '../logger.js';
import { SendBudget, WebSocketServerTransport, closeCodeOf } from './websocket-transport.js';
import type { BackpressureLimits } from './websocket-transport.js';

/** The subprotocol MCP WebSocket clients offer and the server echoes. */
export const MCP_SUBPROTOCOL = 'mcp';

/** What the WebSocket endpoint needs from the server around it. */
export interface WebSocketDeps {
  factory: ServerFactory;
  tracker: RequestTracker;
  quotas: ClientQuotas;
  logger: Logger;
  options: WebSocketOptions;
  isDraining: () => boolean;
}

type Connection = TrackedTransport<WebSocketServerTransport>;

/**
 * The options serveStdio keeps for one connection. serveStdio calls `options.onerror(error)` as a
 * method, so the prototype method serves every connection and knows which one failed.
 */
class SessionOptions {
  constructor(
    readonly transport: Connection,
    private readonly logger: Logger,
  ) {}

  onerror(error: Error): void {
    this.logger.debug('websocket session error', {
      clientId: this.transport.identity.clientId,
      error: error.message,
    });
  }
}

/**
 * True when the upgrade may be served: it offers the `mcp` subprotocol (echoed back), or offers
 * none at all (clients of smcp's original WebSocket API send none; they get the same JSON-RPC, and
 * tools/list and tools/call work without an initialize). Offering only other subprotocols is refused.
 */
export function acceptsSubprotocol(req: IncomingMessage): boolean {
  const header = req.headers['sec-websocket-protocol'];
  if (header === undefined) return true;
  const offered = (Array.isArray(header) ? header.join(',') : header).split(',').map((p) => p.trim());
  return offered.includes(MCP_SUBPROTOCOL);
}

/**
 * Serves MCP over WebSocket connections. Per connection it keeps the ws socket, our transport and
 * its tracking wrapper, the SDK's server and connection entry, one factory closure and one map
 * entry (holding the session's quota slot); the tracking policy and socket listeners are shared.
 */
export class WebSocketEndpoint {
  private readonly wss: WebSocketServer;
  /**
   * Open connections and the session quota slot each holds (given back when it closes). The
   * serveStdio handles are not kept: closing a connection's transport closes its server.
   */
  private readonly connections = new Map<Connection, () => void>();
  private readonly pingTimer: NodeJS.Timeout;
  private nextId = 0;
  private readonly limits: BackpressureLimits;
  private readonly policy: TrackingPolicy;

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
      budget: new SendBudget(
        deps.options.maxBufferedBytesTotal ?? numberDefault('websocket-buffer-mb') * 1024 * 1024,
        () => this.evictSlowest(),
      ),
    };
    this.policy = {
      tracker: deps.tracker,
      limiter: deps.quotas.perSession,
      isDraining: deps.isDraining,
      onIdle: (tracked) => {
        if (deps.isDraining() && tracked.inFlight === 0)
          socketOf(tracked).close(closeCodeOf('DRAINING'), 'server is draining');
      },
      onClosed: (tracked) => {
        const release = this.connections.get(tracked as Connection);
        this.connections.delete(tracked as Connection);
        release?.();
        awaitingPong.delete(socketOf(tracked));
        deps.tracker.sessionClosed('websocket');
      },
    };
    this.pingTimer = setInterval(() => this.pingAll(), deps.options.pingIntervalMs ?? 30_000);
    this.pingTimer.unref();
  }

  /** Open WebSocket connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * The open connections as `GET /health` lists them (at most `limit`, oldest first): id, when it
   * connected, frames received.
   */
  describeConnections(limit: number): { id: string; connected_at: string; message_count: number }[] {
    const out: { id: string; connected_at: string; message_count: number }[] = [];
    for (const tracked of this.connections.keys()) {
      if (out.length >= limit) break;
      out.push({
        id: tracked.identity.clientId,
        connected_at: new Date(tracked.inner.connectedAt).toISOString(),
        message_count: tracked.inner.messageCount,
      });
    }
    return out;
  }

  /** Bytes queued for sending over all connections (for status). */
  get bufferedBytes(): number {
    return this.limits.budget.bytes;
  }

  /**
   * Completes an upgrade the caller has already authorised for `owner`, holding one of its session
   * slots (`release` gives it back when the connection closes, or at once if the upgrade fails).
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, owner: string, release: () => void): void {
    // An upgrade that never becomes a connection gives its slot back when its socket closes. Once
    // accepted, the connection owns the slot: the listener goes, so an idle connection does not
    // keep it (with its once-wrapper and closure) for its whole life.
    socket.once('close', release);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', release);
      this.accept(ws, owner, release);
    });
  }

  /** Past the shared send budget: the connection holding the most unsent bytes goes (1013). */
  private evictSlowest(): void {
    let slowest: Connection | undefined;
    for (const tracked of this.connections.keys()) {
      if (!slowest || tracked.inner.socket.bufferedAmount > slowest.inner.socket.bufferedAmount)
        slowest = tracked;
    }
    if (slowest) {
      this.deps.logger.warn('closing the slowest WebSocket client: the shared send budget is used up', {
        clientId: slowest.identity.clientId,
        bufferedBytes: slowest.inner.socket.bufferedAmount,
      });
      void slowest.inner.close(closeCodeOf('RATE_LIMITED'), 'client reads too slowly');
    }
  }

  /** Draining: idle connections close now with 1013, busy ones once their last request is answered. */
  drain(): void {
    for (const tracked of this.connections.keys()) {
      if (tracked.inFlight === 0) tracked.inner.socket.close(closeCodeOf('DRAINING'), 'server is draining');
    }
  }

  /** Closes every connection with 1001 and stops the keep-alive timer. */
  async close(): Promise<void> {
    clearInterval(this.pingTimer);
    // A transport reports its close at once, which closes its server (serveStdio's onclose) and
    // removes the connection from the map.
    const closing = [...this.connections.keys()].map((tracked) =>
      tracked.inner.close(closeCodeOf('SHUTTING_DOWN'), 'server shutting down'),
    );
    await Promise.allSettled(closing);
    this.connections.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket, owner: string, release: () => void): void {
    const transport = new WebSocketServerTransport(ws, this.limits);
    const clientId = `ws-${(++this.nextId).toString(36)}`;
    this.deps.tracker.sessionOpened('websocket');
    const tracked: Connection = new TrackedTransport(
      transport,
      { transport: 'websocket', clientId, owner },
      this.policy,
    );
    ws.on('pong', onPong);
    // The map entry must exist before serveStdio starts the transport: a socket that is already
    // closed reports it at once, and onClosed removes the entry.
    this.connections.set(tracked, release);
    serveStdio(() => this.build(tracked), new SessionOptions(tracked, this.deps.logger));
  }

  private build(tracked: Connection): ReturnType<ServerFactory> {
    try {
      return this.deps.factory(tracked.identity);
    } catch (error) {
      this.deps.logger.error('server factory failed for a WebSocket client', { error: String(error) });
      tracked.inner.socket.close(closeCodeOf('INTERNAL'), 'internal error');
      throw error;
    }
  }

  private pingAll(): void {
    for (const tracked of this.connections.keys()) {
      const ws = tracked.inner.socket;
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

/** The socket under a tracked WebSocket connection. */
function socketOf(tracked: TrackedTransport): WebSocket {
  return (tracked.inner as WebSocketServerTransport).socket;
}

/** Sockets pinged in the last round that have not answered yet (weak: closed sockets drop out). */
const awaitingPong = new WeakSet<WebSocket>();

/** Shared pong handler: ws calls it with `this` bound to the socket, so no closure per connection. */
function onPong(this: WebSocket): void {
  awaitingPong.delete(this);
}
