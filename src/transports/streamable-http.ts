/**
 * The `/mcp` endpoint for HTTP: 2025-era traffic (initialize, Mcp-Session-Id, GET stream, DELETE,
 * resumable SSE) is served by one WebStandardStreamableHTTPServerTransport + McpServer per session
 * (straight from Node's request and response, see web-exchange.ts), and
 * 2026-07-28 stateless requests by the SDK's `createMcpHandler`. With `stateless` there are no
 * sessions: everything goes through `createMcpHandler` (2025-era requests statelessly too).
 * The caller has already checked Host, Origin, token and draining.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo, McpHttpHandler, McpServer } from '@modelcontextprotocol/server';
import {
  classifyInboundRequest,
  createMcpHandler,
  isInitializeRequest,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { ClientIdentity, RequestContext } from '../mcp/request-context.js';
import { contextAuthInfo, contextOfAuthInfo, newRequestContext } from '../mcp/request-context.js';
import type { RequestTracker } from '../mcp/request-tracker.js';
import { ownerOf } from './client-identification.js';
import { RETRY_AFTER_SECONDS } from './client-limiter.js';
import type { ClientQuotas } from './client-quotas.js';
import { BoundedEventStore } from './event-store.js';
import { headerValue, isRecord, sendRpcRefusal } from './http-io.js';
import { serveParsedPost } from './parsed-post.js';
import { TrackedTransport } from './tracked-transport.js';
import { serveWebExchange } from './web-exchange.js';
import type { ServerFactory } from './contracts.js';
import type { Logger } from '../logger.js';

/** What the endpoint needs from the server around it. */
export interface StreamableHttpDeps {
  factory: ServerFactory;
  tracker: RequestTracker;
  quotas: ClientQuotas;
  logger: Logger;
  stateless: boolean;
  maxBodyBytes: number;
  eventStoreMaxEvents: number;
}

interface Session {
  readonly identity: ClientIdentity;
  /** Who opened it (see client-identification.ts): nobody else may use, watch or end it. */
  readonly owner: string;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  /** What the server is connected to: counts requests and sets their context per message. */
  readonly tracked: TrackedTransport;
  readonly server: McpServer;
  lastActivity: number;
  /** HTTP requests of this session still open (POST responses and GET streams). */
  active: number;
}

/** Facts about a POSTed JSON-RPC body the edge needs (request id, tool name, client name). */
interface BodyFacts {
  readonly isRequest: boolean;
  readonly id?: string | number;
  readonly tool?: string;
  readonly clientName?: string;
}

function describeBody(body: unknown): BodyFacts {
  if (!isRecord(body) || typeof body.method !== 'string') return { isRequest: false };
  const id = typeof body.id === 'string' || typeof body.id === 'number' ? body.id : undefined;
  const isRequest = id !== undefined;
  const params = isRecord(body.params) ? body.params : undefined;
  const tool = body.method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
  const info = body.method === 'initialize' && isRecord(params?.clientInfo) ? params.clientInfo : undefined;
  const clientName = typeof info?.name === 'string' ? info.name.slice(0, 200) : undefined;
  return {
    isRequest,
    ...(id !== undefined ? { id } : {}),
    ...(tool ? { tool } : {}),
    ...(clientName ? { clientName } : {}),
  };
}

/**
 * Header `smcp stdio` sets when it relays a desktop client to the daemon: the client's sessions
 * and calls are labelled `stdio-bridge` in status and metrics. It names, it does not authorize:
 * the request passes the same token and local-user checks as any other.
 */
export const BRIDGE_HEADER = 'smcp-bridge';

/** True when `req` comes from an `smcp stdio` bridge. */
function fromBridge(req: IncomingMessage): boolean {
  return headerValue(req, BRIDGE_HEADER) === 'stdio';
}

/** `params._meta` key that marks a 2026-07-28 request carrying its protocol version in band. */
const IN_BAND_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';

/**
 * True for a POST of an open 2025-era session that carries no 2026-era signal: no 2026 version
 * header, no Mcp-Method header, no in-band version. Such a request is legacy for certain, and telling so here spares
 * the SDK's classifier (several schema parses of the whole message) on every call of a session.
 */
function isOpenSessionPost(
  req: IncomingMessage,
  body: unknown,
  sessionOpen: (id: string) => boolean,
): boolean {
  const sessionId = headerValue(req, 'mcp-session-id');
  if (sessionId === undefined || !sessionOpen(sessionId)) return false;
  if (headerValue(req, 'mcp-method') !== undefined) return false;
  const version = headerValue(req, 'mcp-protocol-version');
  if (version !== undefined && !version.startsWith('2025-') && !version.startsWith('2024-')) return false;
  if (!isRecord(body) || !isRecord(body.params)) return isRecord(body);
  const meta = body.params._meta;
  return !isRecord(meta) || !(IN_BAND_VERSION_KEY in meta);
}

/** The 2026-07-28 revision's MCP-Protocol-Version header value. */
const MODERN_REVISION = '2026-07-28';

/**
 * True for a POST the SDK's classifier can only route to the 2026-07-28 era (or refuse there): a
 * single JSON-RPC request or notification (not a batch, not a response) under an
 * `MCP-Protocol-Version: 2026-07-28` header. Every stateless call looks so; telling it here spares
 * a classification the SDK's entry repeats anyway. Anything else goes to isLegacyPost.
 */
function isModernPost(req: IncomingMessage, body: unknown): boolean {
  if (headerValue(req, 'mcp-protocol-version') !== MODERN_REVISION) return false;
  return isRecord(body) && typeof body.method === 'string' && !('result' in body) && !('error' in body);
}

/**
 * True when the SDK's entry would serve this POST (body already parsed) as 2025-era traffic: the
 * same classifier `isLegacyRequest` runs, fed the three headers it reads, without building a web
 * Request per POST (that conversion was ~10% of a stateless call's CPU).
 */
function isLegacyPost(req: IncomingMessage, body: unknown): boolean {
  const protocolVersionHeader = headerValue(req, 'mcp-protocol-version');
  const mcpMethodHeader = headerValue(req, 'mcp-method');
  const mcpNameHeader = headerValue(req, 'mcp-name');
  const outcome = classifyInboundRequest({
    httpMethod: 'POST',
    ...(protocolVersionHeader !== undefined ? { protocolVersionHeader } : {}),
    ...(mcpMethodHeader !== undefined ? { mcpMethodHeader } : {}),
    ...(mcpNameHeader !== undefined ? { mcpNameHeader } : {}),
    body,
  });
  return outcome.kind === 'legacy';
}

/** Serves `/mcp` over HTTP for both protocol eras. */
export class StreamableHttpEndpoint {
  private readonly sessions = new Map<string, Session>();
  private readonly modern: McpHttpHandler;
  private readonly modernNode: NodeMcpRequestHandler;
  private readonly sessionClosers = new Map<string, () => void>();

  constructor(private readonly deps: StreamableHttpDeps) {
    // One factory for both legs: the identity comes from the request context the edge opened.
    const statelessFactory = ({ authInfo }: { authInfo?: AuthInfo }): McpServer => {
      const context = contextOfAuthInfo(authInfo);
      return deps.factory(context ?? { transport: 'http-stateless', clientId: 'anonymous' });
    };
    this.modern = createMcpHandler(statelessFactory, {
      legacy: deps.stateless ? 'stateless' : 'reject',
      maxRequestBodySize: deps.maxBodyBytes,
      onerror: (error) => deps.logger.debug('mcp http handler error', { error: error.message }),
    });
    this.modernNode = toNodeHandler(this.modern, { maxRequestBodySize: deps.maxBodyBytes });
  }

  /** Open sessions. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Handles a request to `/mcp` other than POST (GET stream, DELETE, anything else). */
  async handleOther(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.deps.stateless) return this.modernNode(req, res);
    if (req.method === 'GET' || req.method === 'DELETE') return this.handleSessionOp(req, res);
    sendRpcRefusal(res, 'METHOD_NOT_ALLOWED', 'Method not allowed.', { Allow: 'GET, POST, DELETE' });
  }

  /** Closes sessions without traffic for longer than `idleMs`. */
  sweepIdle(idleMs: number, now = Date.now()): void {
    for (const [id, session] of this.sessions) {
      if (session.active === 0 && now - session.lastActivity > idleMs) {
        this.deps.logger.info('closing idle MCP session', { sessionId: id });
        void this.closeSession(id);
      }
    }
  }

  /** Closes every session (ends their SSE streams) and the stateless handler. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions.keys()].map((id) => this.closeSession(id)));
    await this.modern.close().catch(() => {});
  }

  /** Handles `POST /mcp` whose JSON body the caller has already read (see json-body.ts). */
  async handlePost(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const facts = describeBody(body);
    const legacy =
      !this.deps.stateless &&
      (isOpenSessionPost(req, body, (id) => this.sessions.has(id)) ||
        (!isModernPost(req, body) && isLegacyPost(req, body)));
    const owner = ownerOf(req);
    if (!legacy) {
      const identity: ClientIdentity = {
        transport: fromBridge(req) ? 'stdio-bridge' : 'http-stateless',
        clientId: owner,
        owner,
        ...(facts.clientName ? { clientName: facts.clientName } : {}),
      };
      // The context rides as the request's AuthInfo (request-context.ts). Closing the response
      // early cancels the call's work (the tracker abandons the request) and an exchange that
      // follows its Request's signal (a subscriptions/listen stream).
      return this.tracked(res, identity, facts, (context) =>
        serveParsedPost(this.modern, req, res, body, contextAuthInfo(context)),
      );
    }
    const sessionId = headerValue(req, 'mcp-session-id');
    if (sessionId === undefined) {
      if (!isInitializeRequest(body)) {
        sendRpcRefusal(res, 'INVALID_REQUEST', 'Bad Request: Mcp-Session-Id header is required');
        return;
      }
      return this.openSession(req, res, body, facts, owner);
    }
    const session = this.ownSession(sessionId, owner);
    if (!session) return sessionNotFound(res);
    if (facts.id !== undefined) {
      // The SDK routes answers by request id: a second request with an id still in flight would
      // take over the first one's answer, so it is refused here and never reaches the SDK.
      if (session.tracked.isPending(facts.id)) {
        sendRpcRefusal(
          res,
          'REQUEST_ID_IN_USE',
          `Conflict: request id ${JSON.stringify(facts.id)} is already in flight in this session`,
          {},
          facts.id,
        );
        return;
      }
      const id = facts.id;
      // The slot is taken here, not only checked: a burst past the limit gets 429, every time.
      if (!session.tracked.reserve(id)) return this.tooMany(res);
      res.once('close', () => {
        // Unused when the SDK refused the message before handing it on.
        session.tracked.unreserve(id);
        // A dropped POST cancels its call, as closing the response does in the stateless era.
        if (!res.writableFinished) session.tracked.abortRequest(id, 'the HTTP connection closed');
      });
    }
    return this.withActivity(session, res, () => serveSession(session.transport, req, res, body));
  }

  /** The open session `id` when `owner` opened it; otherwise undefined, as for an unknown id. */
  private ownSession(id: string, owner: string): Session | undefined {
    const session = this.sessions.get(id);
    return session && session.owner === owner ? session : undefined;
  }

  private async handleSessionOp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = headerValue(req, 'mcp-session-id');
    if (sessionId === undefined) {
      sendRpcRefusal(res, 'INVALID_REQUEST', 'Bad Request: Mcp-Session-Id header is required');
      return;
    }
    const session = this.ownSession(sessionId, ownerOf(req));
    if (!session) return sessionNotFound(res);
    await this.withActivity(
      session,
      res,
      () => serveSession(session.transport, req, res),
      req.method === 'GET',
    );
  }

  private async openSession(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    facts: BodyFacts,
    owner: string,
  ): Promise<void> {
    const admission = this.deps.quotas.openSession(owner);
    if (!admission.ok) {
      sendRpcRefusal(res, admission.code, admission.message, {
        'Retry-After': String(admission.retryAfterSeconds),
      });
      return;
    }
    const id = randomUUID();
    const kind = fromBridge(req) ? 'stdio-bridge' : 'http';
    const identity: ClientIdentity = {
      transport: kind,
      clientId: id,
      sessionId: id,
      owner,
      ...(facts.clientName ? { clientName: facts.clientName } : {}),
    };
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      eventStore: new BoundedEventStore(this.deps.eventStoreMaxEvents),
    });
    const tracked = new TrackedTransport(transport, identity, {
      tracker: this.deps.tracker,
      limiter: this.deps.quotas.perSession,
      onClosed: () => this.forgetSession(id),
    });
    const server = this.deps.factory(identity);
    const session: Session = {
      identity,
      owner,
      transport,
      tracked,
      server,
      lastActivity: Date.now(),
      active: 0,
    };
    const closeTracking = this.deps.tracker.openSession(kind);
    this.sessions.set(id, session);
    this.sessionClosers.set(id, () => {
      closeTracking();
      admission.release();
    });
    try {
      await server.connect(tracked);
      await this.withActivity(session, res, () => serveSession(transport, req, res, body));
    } finally {
      // An initialize the transport refused never produced a session: drop it at once.
      if (transport.sessionId === undefined) await this.closeSession(id);
    }
  }

  /**
   * Runs a stateless `serve` with a fresh request context, counted and limited when the body is a request.
   * Closing the response before it is complete cancels the call (the 2026-07-28 way to cancel):
   * the tracker abandons the request, which reaches the call's linked signal.
   */
  private async tracked(
    res: ServerResponse,
    identity: ClientIdentity,
    facts: BodyFacts,
    serve: (context: RequestContext) => Promise<void>,
  ): Promise<void> {
    if (!facts.isRequest) return serve(newRequestContext(identity));
    const admission = this.deps.quotas.startSessionless(identity.owner ?? identity.clientId);
    if (!admission.ok) {
      sendRpcRefusal(res, admission.code, admission.message, {
        'Retry-After': String(admission.retryAfterSeconds),
      });
      return;
    }
    const context = newRequestContext(identity, undefined, facts.tool);
    const tracker = this.deps.tracker;
    const end = tracker.begin(context);
    res.once('close', () => {
      if (!res.writableFinished) tracker.abandon(context.requestId, new Error('the HTTP connection closed'));
      end();
      admission.release();
    });
    return serve(context);
  }

  /** 429: the session has its limit of requests in flight (max_requests_per_session). */
  private tooMany(res: ServerResponse): void {
    sendRpcRefusal(
      res,
      'RATE_LIMITED',
      'Too Many Requests: this session has its limit of requests in flight (max_requests_per_session)',
      { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    );
  }

  /**
   * Marks the session busy while a POST or DELETE is open. A GET stream only counts as activity when
   * it opens: a client that holds a stream but sends nothing for the idle timeout loses its session
   * (its next request gets 404 and it re-initializes), which bounds what abandoned sessions cost.
   */
  private async withActivity(
    session: Session,
    res: ServerResponse,
    serve: () => Promise<void>,
    stream = false,
  ): Promise<void> {
    session.lastActivity = Date.now();
    if (!stream) {
      session.active++;
      res.once('close', () => {
        session.active--;
        session.lastActivity = Date.now();
      });
    }
    await serve();
  }

  private async closeSession(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.forgetSession(id);
    await session.transport.close().catch(() => {});
    await session.server.close().catch(() => {});
  }

  private forgetSession(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.sessionClosers.get(id)?.();
    this.sessionClosers.delete(id);
    // The transport closed on its own (DELETE): let the server go too.
    void session.server.close().catch(() => {});
  }
}

/**
 * Serves one request of a session (POST with its parsed body, GET stream, DELETE) through its
 * transport. The SDK checks the session id, protocol version and Accept; the request context of
 * each message comes from the TrackedTransport, so no AuthInfo rides with the request.
 */
function serveSession(
  transport: WebStandardStreamableHTTPServerTransport,
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody?: unknown,
): Promise<void> {
  return serveWebExchange(
    req,
    res,
    (request) => transport.handleRequest(request, parsedBody === undefined ? {} : { parsedBody }),
    parsedBody,
  );
}

/** 404 for a session that does not exist or is not the caller's: the same answer for both. */
function sessionNotFound(res: ServerResponse): void {
  sendRpcRefusal(res, 'SESSION_NOT_FOUND', 'Session not found');
}
