/**
 * Counts what smcp is doing right now: requests in flight (tool, client, transport, duration) and
 * open sessions per transport. Transports and tools report into it; /status, the admin API and the
 * drain logic read it. Cheap on the hot path: one Map insert and delete per request.
 */
import type { Deadline } from '../snowflake/deadline.js';
import type { RequestContext, TransportKind } from './request-context.js';

/** A call's signal linked to the cancel-everything switch (see RequestTracker.linkSignal). */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Detaches the call from its sources; the signal stays as it is. */
  unlink(): void;
}

/** A request in flight as /status shows it. */
export interface InFlightRequest {
  readonly requestId: string;
  readonly transport: TransportKind;
  readonly clientId: string;
  readonly sessionId?: string;
  readonly tool?: string;
  readonly startedAt: string;
  readonly durationMs: number;
}

/** The key of request `rpcId` of connection `clientId` (ids 1 and "1" are different requests). */
function connectionKey(clientId: string, rpcId: string | number): string {
  return JSON.stringify([clientId, rpcId]);
}

/** Tracks in-flight requests and open sessions. */
export class RequestTracker {
  private readonly inFlight = new Map<string, RequestContext>();
  /** The same contexts by connection and JSON-RPC id (those that have one). */
  private readonly byConnection = new Map<string, RequestContext>();
  private readonly sessions = new Map<TransportKind, number>();
  private completed = 0;
  private idleWaiters: (() => void)[] = [];
  /**
   * The linked signals' controllers of the calls in flight, which {@link cancelAll} aborts. A set
   * rather than listeners on one shared signal: Node's EventTarget walks its listener list on every
   * add and remove, so with many calls in flight each call would pay for all the others.
   */
  private readonly linked = new Set<AbortController>();
  /** The linked signal's controller of each call in flight that named its request id. */
  private readonly cancellers = new Map<string, AbortController>();
  /** Why a request in flight was abandoned by its transport before its call linked a signal. */
  private readonly abandoned = new Map<string, unknown>();
  private drainDeadlineValue: Deadline | undefined;

  /** The drain's deadline once a drain has begun: no call started after it may outlive it. */
  get drainDeadline(): Deadline | undefined {
    return this.drainDeadlineValue;
  }

  /** Sets the drain's deadline (a shorter one replaces a longer one). */
  setDrainDeadline(deadline: Deadline): void {
    this.drainDeadlineValue = deadline.min(this.drainDeadlineValue);
  }

  /**
   * `signal` (and `other`) joined with the tracker's cancel-everything switch: the signal a tool
   * call must pass down to Snowflake so {@link cancelAll} reaches it, and with `requestId` named,
   * {@link cancel} too. Call `unlink` exactly once when the call ends, so the tracker holds only
   * calls in flight and the sources keep no listener of it.
   */
  linkSignal(signal?: AbortSignal, other?: AbortSignal, requestId?: string): LinkedSignal {
    // One controller and one listener per source instead of AbortSignal.any, whose weak
    // references cost far more per call on Node 20.
    const own = new AbortController();
    const sources = [signal, other].filter((s): s is AbortSignal => s !== undefined);
    const aborted = sources.find((s) => s.aborted);
    if (aborted || (requestId !== undefined && this.abandoned.has(requestId))) {
      own.abort(aborted ? aborted.reason : this.abandoned.get(requestId!));
      return { signal: own.signal, unlink: () => {} };
    }
    const listeners = sources.map((source) => {
      const onAbort = (): void => own.abort(source.reason);
      source.addEventListener('abort', onAbort, { once: true });
      return () => source.removeEventListener('abort', onAbort);
    });
    this.linked.add(own);
    if (requestId !== undefined) this.cancellers.set(requestId, own);
    return {
      signal: own.signal,
      unlink: () => {
        listeners.forEach((remove) => remove());
        this.linked.delete(own);
        if (requestId !== undefined && this.cancellers.get(requestId) === own)
          this.cancellers.delete(requestId);
      },
    };
  }

  /**
   * Cancels one call in flight the way its client's own cancel does: its linked signal aborts, so
   * the statement is cancelled in Snowflake and the client gets QUERY_CANCELLED. `allowed` sees
   * the call's context first (who may cancel whose calls). `not-cancellable` is a request in flight
   * that runs no tool call (or has not linked its signal yet).
   */
  cancel(
    requestId: string,
    reason: string,
    allowed: (context: RequestContext) => boolean = () => true,
  ): 'cancelled' | 'not-found' | 'forbidden' | 'not-cancellable' {
    const context = this.inFlight.get(requestId);
    if (!context) return 'not-found';
    if (!allowed(context)) return 'forbidden';
    const controller = this.cancellers.get(requestId);
    if (!controller) return 'not-cancellable';
    controller.abort(new Error(reason));
    return 'cancelled';
  }

  /**
   * The transport that carried request `requestId` went away (a stateless HTTP response closed
   * before its answer): its call is cancelled with `reason`, now or, if it has not linked its
   * signal yet, when it does. A transport that reports this way needs no AbortController of its
   * own per request (on Node 20 making an AbortSignal costs more than the rest of a cached call).
   */
  abandon(requestId: string, reason: unknown): void {
    if (!this.inFlight.has(requestId)) return;
    const controller = this.cancellers.get(requestId);
    if (controller) controller.abort(reason);
    else this.abandoned.set(requestId, reason);
  }

  /**
   * Cancels every call in flight that linked its signal (the end of a drain deadline); returns how
   * many requests were in flight. Later calls get a fresh, unaborted switch.
   */
  cancelAll(reason = 'the server is shutting down'): number {
    const count = this.inFlight.size;
    const error = new Error(reason);
    const calls = [...this.linked];
    this.linked.clear();
    for (const controller of calls) controller.abort(error);
    return count;
  }

  /** Marks `context` as in flight; call the returned function exactly once when it ends. */
  begin(context: RequestContext): () => void {
    this.inFlight.set(context.requestId, context);
    const key = context.rpcId === undefined ? undefined : connectionKey(context.clientId, context.rpcId);
    if (key !== undefined) this.byConnection.set(key, context);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight.delete(context.requestId);
      this.abandoned.delete(context.requestId);
      if (key !== undefined && this.byConnection.get(key) === context) this.byConnection.delete(key);
      this.completed++;
      if (this.inFlight.size === 0) this.releaseIdleWaiters();
    };
  }

  /**
   * The context in flight of request `rpcId` (its JSON-RPC id) of the connection `clientId`, when
   * its transport began one with that id: how a tool handler finds what its transport opened.
   */
  connectionRequest(clientId: string, rpcId: string | number): RequestContext | undefined {
    return this.byConnection.get(connectionKey(clientId, rpcId));
  }

  /** Counts a session opened on `transport`; call the returned function once when it closes. */
  openSession(transport: TransportKind): () => void {
    this.sessionOpened(transport);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.sessionClosed(transport);
    };
  }

  /**
   * Counts a session opened on `transport` without a closer: for transports that hold many
   * sessions and already know when each closes (one call to {@link sessionClosed} per session).
   */
  sessionOpened(transport: TransportKind): void {
    this.sessions.set(transport, (this.sessions.get(transport) ?? 0) + 1);
  }

  /** Counts a session on `transport` closed; the caller calls it once per {@link sessionOpened}. */
  sessionClosed(transport: TransportKind): void {
    this.sessions.set(transport, Math.max(0, (this.sessions.get(transport) ?? 1) - 1));
  }

  /**
   * Requests in flight, oldest first. With `shortIds` (what anyone on the TCP port may see), client
   * ids are cut to a prefix that tells them apart but cannot be used as a session id, and session
   * ids are left out; the admin socket gets them whole.
   */
  list(now = Date.now(), options: { shortIds?: boolean } = {}): InFlightRequest[] {
    const short = options.shortIds === true;
    return [...this.inFlight.values()]
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((c) => ({
        requestId: c.requestId,
        transport: c.transport,
        clientId: short ? shortId(c.clientId) : c.clientId,
        ...(c.sessionId && !short ? { sessionId: c.sessionId } : {}),
        ...(c.tool ? { tool: c.tool } : {}),
        startedAt: new Date(c.startedAt).toISOString(),
        durationMs: now - c.startedAt,
      }));
  }

  /** Open sessions per transport (transports with none are left out). */
  sessionCounts(): Partial<Record<TransportKind, number>> {
    return Object.fromEntries([...this.sessions].filter(([, n]) => n > 0));
  }

  /** Number of requests in flight. */
  get activeCount(): number {
    return this.inFlight.size;
  }

  /** Number of requests finished since start. */
  get completedCount(): number {
    return this.completed;
  }

  /** Resolves once no request is in flight (at once if none is). */
  whenIdle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private releaseIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A prefix of an id, enough to tell ids apart on a status page, useless as a session key. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
