/**
 * The deprecated HTTP+SSE transport (protocol 2024-11-05) for older clients: `GET /sse` opens an
 * event stream whose first event names the POST endpoint, `POST /messages?sessionId=` carries
 * client messages. One SDK SSEServerTransport and one McpServer per stream. The caller has already
 * checked Host, Origin, token and draining.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { parseJSONRPCMessage } from '@modelcontextprotocol/server';
import { SSEServerTransport } from '@modelcontextprotocol/server-legacy/sse';
import type { RequestTracker } from '../mcp/request-tracker.js';
import { ownerOf } from './client-identification.js';
import type { ClientQuotas } from './client-quotas.js';
import { sendRpcRefusal } from './http-io.js';
import { TrackedTransport } from './tracked-transport.js';
import type { ServerFactory } from './contracts.js';
import type { Logger } from '../logger.js';

/** What the SSE endpoint needs from the server around it. */
export interface LegacySseDeps {
  factory: ServerFactory;
  tracker: RequestTracker;
  quotas: ClientQuotas;
  logger: Logger;
  isDraining: () => boolean;
}

interface SseSession {
  readonly transport: SSEServerTransport;
  readonly handle: StdioServerHandle;
  /** Who opened the stream: nobody else may post into it. */
  readonly owner: string;
}

/** True for one JSON-RPC 2.0 message (this transport takes no batches). */
function isJsonRpcMessage(value: unknown): boolean {
  try {
    parseJSONRPCMessage(value);
    return true;
  } catch {
    return false;
  }
}

/** Serves `GET /sse` and `POST /messages`. */
export class LegacySseEndpoint {
  private readonly sessions = new Map<string, SseSession>();

  constructor(private readonly deps: LegacySseDeps) {}

  /** Open SSE streams. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** `GET /sse`: opens a stream and pins one server to it until the client goes away. */
  async openStream(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const owner = ownerOf(req);
    const admission = this.deps.quotas.openSession(owner);
    if (!admission.ok) {
      sendRpcRefusal(res, admission.code, admission.message, {
        'Retry-After': String(admission.retryAfterSeconds),
      });
      return;
    }
    const sse = new SSEServerTransport('/messages', res);
    const id = sse.sessionId;
    const closeTracking = this.deps.tracker.openSession('sse');
    const tracked = new TrackedTransport(
      sse,
      { transport: 'sse', clientId: id, sessionId: id, owner },
      {
        tracker: this.deps.tracker,
        limiter: this.deps.quotas.perSession,
        isDraining: this.deps.isDraining,
        onClosed: () => {
          this.sessions.delete(id);
          closeTracking();
          admission.release();
        },
      },
    );
    const handle = serveStdio(() => this.deps.factory(tracked.identity), {
      transport: tracked,
      onerror: (error) =>
        this.deps.logger.debug('sse session error', { sessionId: id, error: error.message }),
    });
    this.sessions.set(id, { transport: sse, handle, owner });
    // serveStdio starts the transport asynchronously; the endpoint event is written by start().
    await Promise.resolve();
  }

  /**
   * `POST /messages?sessionId=…`: hands one client message to its stream's transport. The caller
   * has read the JSON body (see json-body.ts).
   */
  async postMessage(
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
    body: unknown,
  ): Promise<void> {
    const id = query.get('sessionId');
    if (!id) {
      sendRpcRefusal(res, 'INVALID_REQUEST', 'Bad Request: the sessionId query parameter is required');
      return;
    }
    const session = this.sessions.get(id);
    // Another client's stream answers like an unknown one: its id is no key to it.
    if (!session || session.owner !== ownerOf(req)) {
      sendRpcRefusal(res, 'SESSION_NOT_FOUND', 'Session not found');
      return;
    }
    // Refused here rather than by the SDK transport, which answers such bodies with plain text.
    if (!isJsonRpcMessage(body)) {
      sendRpcRefusal(res, 'INVALID_REQUEST', 'Invalid Request: not a JSON-RPC 2.0 message');
      return;
    }
    await session.transport.handlePostMessage(req, res, body).catch((error: unknown) => {
      this.deps.logger.debug('sse post refused', { sessionId: id, error: String(error) });
    });
  }

  /** Ends every stream. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.handle.close()));
    this.sessions.clear();
  }
}
