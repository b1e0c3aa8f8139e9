/**
 * The context every MCP request carries from its transport down to Snowflake: request id, client,
 * transport, tool, start time and an AbortSignal. Transports open it; tools read it; the client
 * layer turns it into QUERY_TAG; logs and /status show it. From the transport to the tool handler
 * it passes the SDK one of two ways: a connection's request (stdio, WebSocket, SSE, HTTP sessions)
 * is found in the RequestTracker by connection and JSON-RPC id (`rpcId`); a stateless HTTP request
 * rides as the request's AuthInfo (the SDK hands it to the factory as `ctx.authInfo` and to the
 * handler as `ctx.http.authInfo`). From there it travels explicitly. Not in an AsyncLocalStorage:
 * on Node 20 one enables promise hooks for the whole process, about a tenth of the CPU of every
 * statement (driver and emulator promises included).
 */
import { randomUUID } from 'node:crypto';
import type { AuthInfo } from '@modelcontextprotocol/server';
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
  /** The request's JSON-RPC id on its connection, for transports with connections. */
  readonly rpcId?: string | number;
}

/** The AuthInfo member smcp's request context travels in. */
const CONTEXT_KEY = 'smcpRequestContext';

/**
 * `context` as the AuthInfo a transport hands the SDK with a message (MessageExtraInfo.authInfo,
 * or `req.auth` for the SDK's node adapters). Not a token: smcp checks its bearer token at the
 * edge and never passes it on.
 */
export function contextAuthInfo(context: RequestContext): AuthInfo {
  return { token: '', clientId: context.clientId, scopes: [], extra: { [CONTEXT_KEY]: context } };
}

/** The request context a transport put into `authInfo` (contextAuthInfo), if any. */
export function contextOfAuthInfo(authInfo: AuthInfo | undefined): RequestContext | undefined {
  return authInfo?.extra?.[CONTEXT_KEY] as RequestContext | undefined;
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
