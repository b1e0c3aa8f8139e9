/**
 * Wraps a connection-style SDK `Transport` (stdio, WebSocket, legacy SSE) so every inbound request
 * carries a fresh request context, is counted in the RequestTracker until its response leaves,
 * and is held to the per-client concurrency limit and the draining switch. The wrapper is what the
 * SDK sees; the inner transport only moves bytes.
 */
import type {
  JSONRPCMessage,
  MessageExtraInfo,
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/server';
import type { ClientIdentity } from '../mcp/request-context.js';
import { newRequestContext } from '../mcp/request-context.js';
import type { RequestTracker } from '../mcp/request-tracker.js';
import type { ClientLimiter } from './client-limiter.js';
import { edgeCodes } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { isRecord } from './http-io.js';

type RequestId = string | number;

const noop = (): void => {};

/**
 * Policy of tracked connections. One object can serve every connection of an endpoint: the hooks
 * get the connection they are about, so nothing has to be allocated per connection for them.
 */
export interface TrackingPolicy {
  tracker: RequestTracker;
  /** Per-client limit; the key is the identity's clientId. */
  limiter?: ClientLimiter;
  /** When true, new requests are refused with a JSON-RPC error. */
  isDraining?: () => boolean;
  /** Called after each response leaves (the WebSocket server closes drained connections here). */
  onIdle?: (connection: TrackedTransport) => void;
  /** Called once when the connection has closed, after in-flight requests were released. */
  onClosed?: (connection: TrackedTransport) => void;
}

/** Where an inner transport reports what it receives. */
export interface InnerTransportEvents {
  innerMessage(message: JSONRPCMessage, extra?: MessageExtraInfo): void;
  innerError(error: Error): void;
  innerClosed(): void;
}

/**
 * An inner transport that reports to its wrapper through {@link InnerTransportEvents} instead of
 * the `onmessage`/`onerror`/`onclose` properties: three closures fewer per connection, which counts
 * when a process holds ten thousand idle WebSockets.
 */
export interface AttachableTransport extends Transport {
  attach(events: InnerTransportEvents): void;
}

function isAttachable(transport: Transport): transport is AttachableTransport {
  return typeof (transport as Partial<AttachableTransport>).attach === 'function';
}

/** The request id and tool name of an inbound JSON-RPC request, if it is one. */
function requestFacts(message: JSONRPCMessage): { id: RequestId; method: string; tool?: string } | undefined {
  const m = message as Record<string, unknown>;
  if (typeof m.method !== 'string' || (typeof m.id !== 'string' && typeof m.id !== 'number'))
    return undefined;
  const params = m.params;
  const tool =
    m.method === 'tools/call' && isRecord(params) && typeof params.name === 'string'
      ? params.name
      : undefined;
  return { id: m.id, method: m.method, ...(tool ? { tool } : {}) };
}

/** A request of this connection waiting for its response. */
interface PendingRequest {
  /**
   * The request's id in the tracker, which cancels its call (and statement) when the request is
   * abandoned; no AbortController per request (on Node 20 each costs more than a cached call's work).
   */
  readonly requestId: string;
  /** Ends tracking and frees the client's slot. */
  readonly done: () => void;
}

/**
 * A Transport decorator adding request context, tracking and limits. Lean per connection (no
 * closures of its own, a request map only while requests are in flight): WebSocket sessions are many.
 */
export class TrackedTransport<Inner extends Transport = Transport>
  implements Transport, InnerTransportEvents
{
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private pending: Map<RequestId, PendingRequest> | undefined;
  /** Per-client slots taken at the HTTP edge for requests not yet handed to the server. */
  private reserved: Map<RequestId, () => void> | undefined;
  private closed = false;

  /**
   * @param identity the connection's identity; `clientName` is filled in from `initialize`.
   * @param policy may be shared by many connections.
   */
  constructor(
    readonly inner: Inner,
    public identity: ClientIdentity,
    private readonly policy: TrackingPolicy,
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  /** Requests of this connection still waiting for their response. */
  get inFlight(): number {
    return this.pending?.size ?? 0;
  }

  /** True while request `id` of this connection waits for its response. */
  isPending(id: RequestId): boolean {
    return this.pending?.has(id) ?? false;
  }

  /**
   * Takes the per-client slot for request `id` before its message is handed on (the HTTP edge does
   * this so a request over the limit is answered 429 at once; checking and taking in two steps
   * would let a burst through the check). False when the client has no free slot. The slot is
   * used when the message arrives, or given back with {@link unreserve}.
   */
  reserve(id: RequestId): boolean {
    const release = this.policy.limiter?.acquire(this.identity.clientId);
    if (this.policy.limiter && !release) return false;
    this.reserved ??= new Map();
    this.reserved.set(id, release ?? noop);
    return true;
  }

  /** Gives back a slot {@link reserve} took for a message that never arrived. */
  unreserve(id: RequestId): void {
    const release = this.reserved?.get(id);
    if (!release) return;
    this.reserved!.delete(id);
    release();
  }

  /**
   * Cancels request `id` of this connection (its client went away): the call's signal aborts, so
   * its statement is cancelled in Snowflake. Requests of other connections are out of reach.
   */
  abortRequest(id: RequestId, reason: string): void {
    const request = this.pending?.get(id);
    if (request) this.policy.tracker.abandon(request.requestId, new Error(reason));
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.inner.setSupportedProtocolVersions?.(versions);
  }

  async start(): Promise<void> {
    const inner: Transport = this.inner;
    if (isAttachable(inner)) inner.attach(this);
    else {
      inner.onmessage = (message, extra) => this.innerMessage(message, extra);
      inner.onerror = (error) => this.innerError(error);
      inner.onclose = () => this.innerClosed();
    }
    await inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const m = message as Record<string, unknown>;
    if (m.method === undefined && (typeof m.id === 'string' || typeof m.id === 'number')) {
      try {
        await this.inner.send(message, options);
      } finally {
        this.finish(m.id);
      }
      return;
    }
    await this.inner.send(message, options);
  }

  async close(): Promise<void> {
    await this.inner.close();
    this.handleClosed();
  }

  /** The inner transport received `message`: track it and hand it on. */
  innerMessage(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    // After the close nothing would ever finish a request counted now: it would stay in flight.
    if (this.closed) return;
    const facts = requestFacts(message);
    if (!facts) {
      this.onmessage?.(message, extra);
      const m = message as Record<string, unknown>;
      // A cancelled request gets no response: stop counting it once the server has seen the cancel.
      if (m.method === 'notifications/cancelled' && isRecord(m.params)) {
        const id = m.params.requestId;
        if (typeof id === 'string' || typeof id === 'number') this.finish(id);
      }
      return;
    }
    if (facts.method === 'initialize') this.learnClientName(message);
    const refusal = this.refusal(facts.id);
    if (refusal) {
      this.refuse(facts.id, refusal.code, refusal.message);
      return;
    }
    const limiter = this.policy.limiter;
    const reservedSlot = this.reserved?.get(facts.id);
    if (reservedSlot) this.reserved!.delete(facts.id);
    const release = reservedSlot ?? limiter?.acquire(this.identity.clientId);
    if (limiter && !release) {
      this.refuse(
        facts.id,
        'RATE_LIMITED',
        'too many requests of this connection are in flight (max_requests_per_session); retry after 1 s',
      );
      return;
    }
    // Keyed by the JSON-RPC id too: the handler finds it by its connection and id (rpcId).
    const context = { ...newRequestContext(this.identity, undefined, facts.tool), rpcId: facts.id };
    const end = this.policy.tracker.begin(context);
    this.pending ??= new Map();
    this.pending.set(facts.id, {
      requestId: context.requestId,
      done: () => {
        end();
        release?.();
      },
    });
    this.onmessage?.(message, extra);
  }

  /** The inner transport failed. */
  innerError(error: Error): void {
    this.onerror?.(error);
  }

  /** The inner transport closed. */
  innerClosed(): void {
    this.handleClosed();
  }

  private refusal(id: RequestId): { code: ErrorCode; message: string } | undefined {
    if (this.policy.isDraining?.()) {
      return { code: 'DRAINING', message: 'server is draining; reconnect to another instance' };
    }
    if (this.pending?.has(id)) {
      return { code: 'REQUEST_ID_IN_USE', message: `request id ${String(id)} is already in flight` };
    }
    return undefined;
  }

  private refuse(id: RequestId, code: ErrorCode, message: string): void {
    void this.inner
      .send({ jsonrpc: '2.0', id, error: { code: edgeCodes(code).rpc, message, data: { code } } })
      .catch(() => {});
  }

  private learnClientName(message: JSONRPCMessage): void {
    const params = (message as Record<string, unknown>).params;
    const info = isRecord(params) ? params.clientInfo : undefined;
    if (isRecord(info) && typeof info.name === 'string') {
      this.identity = { ...this.identity, clientName: info.name.slice(0, 200) };
    }
  }

  private finish(id: RequestId): void {
    const pending = this.pending;
    const request = pending?.get(id);
    if (!pending || !request) return;
    pending.delete(id);
    // An idle connection keeps no empty map: most WebSocket sessions sit idle most of the time.
    if (pending.size === 0) this.pending = undefined;
    request.done();
    this.policy.onIdle?.(this);
  }

  private handleClosed(): void {
    if (this.closed) return;
    this.closed = true;
    // The connection is gone, so nobody will read these answers: cancel the calls (and their
    // statements) rather than let them run to the end.
    for (const request of this.pending?.values() ?? []) {
      this.policy.tracker.abandon(request.requestId, new Error('the client connection closed'));
      request.done();
    }
    this.pending = undefined;
    this.policy.onClosed?.(this);
    this.onclose?.();
  }
}
