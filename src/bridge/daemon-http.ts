/**
 * The `smcp stdio` bridge's side of the daemon's Streamable HTTP endpoint: one POST per client
 * message and the 2025-era GET stream, over a kept-alive loopback connection (node:http only).
 * Answers come back as JSON or as an SSE stream; every JSON-RPC message in them is handed on as it
 * arrives, so progress notifications reach the client while the call runs.
 */
import { Agent, request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { JsonRpcMessage } from './stdin-messages.js';
import { isJsonRpcMessage } from './stdin-messages.js';

/** A message of the daemon's: as on stdin, and an error whose id is null (a refusal at the edge). */
function isDaemonMessage(value: unknown): value is JsonRpcMessage {
  if (isJsonRpcMessage(value)) return true;
  if (typeof value !== 'object' || value === null || (value as { id?: unknown }).id !== null) return false;
  const { id: _id, ...rest } = value as Record<string, unknown>;
  return 'error' in rest && isJsonRpcMessage(rest);
}

/** How one exchange with the daemon ended. */
export type ExchangeOutcome =
  /** The daemon answered and its answer ended normally. */
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly sessionId: string | undefined;
      /** A refusal's body when it was not a JSON-RPC message (plain HTTP error). */
      readonly refusal?: string;
    }
  /** Nothing reached the daemon: nothing listens there (any more). Safe to send again. */
  | { readonly kind: 'unreachable'; readonly reason: string }
  /** The connection broke after the request went out: the daemon went away mid-call. */
  | { readonly kind: 'broken'; readonly reason: string }
  /** `signal` aborted it (the client cancelled). */
  | { readonly kind: 'aborted' };

/** One request to the daemon. */
export interface Exchange {
  readonly url: URL;
  readonly method: 'POST' | 'GET' | 'DELETE';
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** Gets each JSON-RPC message of the answer, in order, with the answer's HTTP status. */
  readonly onMessage: (message: JsonRpcMessage, status: number) => void;
}

/** One kept-alive connection or a few: a client rarely has more than a handful of calls at once. */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Error codes that mean the request never reached a listener. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EADDRNOTAVAIL', 'EHOSTUNREACH']);

/** Sends one request and streams the answer's messages; never rejects. */
export function exchange(ex: Exchange): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const settle = (outcome: ExchangeOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = request(ex.url, {
      method: ex.method,
      agent,
      headers: {
        Accept: 'application/json, text/event-stream',
        ...(ex.body !== undefined
          ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(ex.body)) }
          : {}),
        ...ex.headers,
      },
    });
    const onAbort = (): void => {
      settle({ kind: 'aborted' });
      req.destroy();
    };
    if (ex.signal?.aborted) return onAbort();
    ex.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      readAnswer(res, (message) => ex.onMessage(message, status)).then(
        (refusal) =>
          settle({
            kind: 'answered',
            status,
            sessionId: headerOf(res, 'mcp-session-id'),
            ...(refusal !== undefined ? { refusal } : {}),
          }),
        (err: unknown) => settle({ kind: 'broken', reason: reasonOf(err) }),
      );
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A reset is never retried, even on a reused kept-alive socket: the call may have started
      // (sending it twice could run a write twice); the client hears that the daemon went away.
      const neverSent = !answered && UNREACHABLE.has(err.code ?? '');
      settle(
        neverSent
          ? { kind: 'unreachable', reason: reasonOf(err) }
          : { kind: 'broken', reason: reasonOf(err) },
      );
    });
    req.on('close', () => ex.signal?.removeEventListener('abort', onAbort));
    req.end(ex.body);
  });
}

/** Closes the kept-alive connections, so a bridge whose client left can exit. */
export function closeConnections(): void {
  agent.destroy();
}

function headerOf(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * Reads an answer: SSE events or a JSON body go to `onMessage`; resolves when it ends normally
 * (with the body text when an error answer held no JSON-RPC message), rejects when it breaks.
 */
function readAnswer(
  res: IncomingMessage,
  onMessage: (message: JsonRpcMessage) => void,
): Promise<string | undefined> {
  const type = (headerOf(res, 'content-type') ?? '').toLowerCase();
  const sse = type.startsWith('text/event-stream');
  const events = sse ? new SseParser(onMessage) : undefined;
  let text = '';
  return new Promise((resolve, reject) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (events) events.push(chunk);
      else if (text.length < 1_000_000) text += chunk;
    });
    res.on('aborted', () => reject(new Error('the daemon closed the connection mid-answer')));
    res.on('error', reject);
    res.on('end', () => {
      if (events || text.trim() === '') return resolve(undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return resolve(text.slice(0, 500));
      }
      if (isDaemonMessage(parsed)) {
        onMessage(parsed);
        return resolve(undefined);
      }
      resolve(text.slice(0, 500));
    });
  });
}

/** Server-sent events: `data:` lines joined per event, dispatched at the blank line. */
class SseParser {
  private pending = '';
  private data: string[] = [];

  constructor(private readonly onMessage: (message: JsonRpcMessage) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    let index: number;
    while ((index = this.pending.indexOf('\n')) !== -1) {
      const line = this.pending.slice(0, index).replace(/\r$/, '');
      this.pending = this.pending.slice(index + 1);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      const data = this.data.join('\n');
      this.data = [];
      // Priming events (an id, empty data) carry no message.
      if (data.trim() === '') return;
      try {
        const parsed: unknown = JSON.parse(data);
        if (isDaemonMessage(parsed)) this.onMessage(parsed);
      } catch {
        // Not a message: nothing to relay.
      }
      return;
    }
    if (line.startsWith('data:')) this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
}
