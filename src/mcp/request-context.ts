/**
 * The context every MCP request carries from its transport down to Snowflake: request id, client,
 * transport, tool, start time and an AbortSignal. Transports open it; tools read it; the client
 * layer turns it into QUERY_TAG; logs and /status show it. Carried by AsyncLocalStorage so no
 * function signature has to thread it through.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Deadline } from '../snowflake/deadline.js';

/** How a client reached smcp. */
export type TransportKind =
  | 'stdio'
  /** `smcp stdio` relaying a desktop client to the daemon over loopback HTTP. */
  | 'stdio-bridge'
  | 'http'
  | 'http-stateless'
  | 'sse'
  | 'websocket'
  | 'http-api'
  | 'admin'
  | 'cli';

/** Who is asking: set by the transport when a client connects or a request arrives. */
export interface ClientIdentity {
  readonly transport: TransportKind;
  /** Stable for a connection or session: e.g. session id, WebSocket connection id, `stdio`. */
  readonly clientId: string;
  /** The MCP session id, when the transport has sessions. */
  readonly sessionId?: string;
  /** `clientInfo.name` from initialize, when known. */
  readonly clientName?: string;
  /**
   * Who stands behind the connection, as the edge established it: `token:<fingerprint>` (a bearer
   * token's holders), `uid:<n>` (a local OS user), `addr:<ip>`, or `local` (stdio, the admin socket,
   * the CLI: the daemon's own user). Sessions and results belong to it.
   */
  readonly owner?: string;
}

/** Transports without sessions: their calls belong to the owner, not to a connection. */
const SESSIONLESS: ReadonlySet<TransportKind> = new Set(['http-stateless', 'http-api', 'admin', 'cli']);

/**
 * The key that query ids and other per-client state of a call belong to: the session (or
 * connection) for transports that have one, else the owner (a token identity, a local user, an
 * address, or `local` for the admin socket and the CLI).
 */
export function principalOf(identity: ClientIdentity): string {
  if (SESSIONLESS.has(identity.transport))
    return identity.owner ?? `${identity.transport}:${identity.clientId}`;
  return `${identity.transport}:${identity.sessionId ?? identity.clientId}`;
}

/** One request in flight. */
export interface RequestContext extends ClientIdentity {
  readonly requestId: string;
  /** The tool being called, once known. */
  tool?: string;
  readonly startedAt: number;
  readonly signal?: AbortSignal;
  /**
   * The call's one time budget, set when the call starts (its timeout argument under the server's
   * ceiling, and any drain deadline): every step of the call gets only what remains of it.
   */
  readonly deadline?: Deadline;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current request context. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request context, if any. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Builds a fresh context for `identity` with a new request id. */
export function newRequestContext(
  identity: ClientIdentity,
  signal?: AbortSignal,
  tool?: string,
): RequestContext {
  return {
    ...identity,
    requestId: randomUUID(),
    startedAt: Date.now(),
    ...(signal ? { signal } : {}),
    ...(tool ? { tool } : {}),
  };
}
