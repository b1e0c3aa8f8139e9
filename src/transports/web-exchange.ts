/**
 * One HTTP exchange served by a web-standard handler (the SDK's `createMcpHandler` fetch, or a
 * session's `WebStandardStreamableHTTPServerTransport`) straight from Node's request and response.
 *
 * Why not the SDK's node adapters: `toNodeHandler` serializes an already parsed body again into a
 * stream the handler never reads, and `NodeStreamableHTTPServerTransport` goes through
 * @hono/node-server, which copies the whole request (headers, body stream, signal) and, when the
 * answer has one chunk ready and not the next (a session's SSE priming event before its answer),
 * waits a timer of ≥ 1 ms before writing anything. Here the web Request is built only as far as
 * the handler reads it (lazy-web-request.ts, no body: the body travels parsed), and the answer is
 * written without a timer: status and headers with what the body has ready within one turn of the
 * event loop (alone when nothing is, so a client waiting on an event stream knows it is open),
 * then the rest with backpressure, stopping when the client goes away (see writeWebResponse).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue, isRecord } from './http-io.js';
import { lazyWebRequest } from './lazy-web-request.js';

/** Request headers a body-less web Request must not claim (the body travels parsed, or is none). */
const BODY_HEADERS: ReadonlySet<string> = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
]);

/**
 * The web Request for `req` (lazy-web-request.ts): its method, URL and headers, no body, and a
 * signal that aborts when `res` closes before its answer is complete, made only if it is read.
 */
function webRequest(req: IncomingMessage, res: ServerResponse): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':') || BODY_HEADERS.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const url = `http://${headerValue(req, 'host') ?? 'localhost'}${req.url ?? '/'}`;
  const method = (req.method ?? 'GET').toUpperCase();
  return lazyWebRequest({ url, method, headers, signal: () => closedEarly(res) });
}

/** The 500 the SDK's node adapter answers when the handler throws. */
function internalError(body: unknown): Response {
  const id =
    isRecord(body) &&
    typeof body.method === 'string' &&
    (typeof body.id === 'string' || typeof body.id === 'number')
      ? body.id
      : null;
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id },
    { status: 500 },
  );
}

/** A signal that aborts when `res` closes before its answer is complete (at once if it has). */
function closedEarly(res: ServerResponse): AbortSignal {
  const closed = new AbortController();
  const abort = (): void => closed.abort(new Error('the HTTP connection closed'));
  if (res.destroyed && !res.writableFinished) abort();
  else
    res.once('close', () => {
      if (!res.writableFinished) abort();
    });
  return closed.signal;
}

/** True once `res` can take nothing more: the client went away (or the answer was ended). */
function gone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded;
}

/**
 * Serves `req` through `handle` (given the web Request) and writes its answer to `res`. `body` is
 * the request's parsed body, if any; it only names the request id in the 500 answered when
 * `handle` throws. Never rejects.
 */
export async function serveWebExchange(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (request: Request) => Promise<Response>,
  body?: unknown,
): Promise<void> {
  let response: Response;
  try {
    response = await handle(webRequest(req, res));
  } catch {
    response = internalError(body);
  }
  await writeWebResponse(res, response);
}

/** A read that has already settled (a chunk was queued), else undefined; never waits for one. */
function settledRead<T>(read: Promise<T>): Promise<T | undefined> {
  // Two turns of the microtask queue: a read of a queued chunk settles within them.
  return Promise.race([read, Promise.resolve().then(() => Promise.resolve(undefined))]);
}

/** Resolves after the current turn of the event loop (no timer: it waits for no clock). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Sends what `res` holds corked. */
function uncork(res: ServerResponse): void {
  while (res.writableCorked > 0) res.uncork();
}

/**
 * Writes `response` to `res`: its status and headers, then its body with write backpressure.
 *
 * What the body has ready within one turn of the event loop goes out with the headers in one
 * write: a session's priming event with a quick answer (and its end, then with a Content-Length),
 * or the priming event alone when the answer takes longer; headers alone when nothing is ready (an
 * event stream waiting for its first event), so the client knows the stream is open. Later chunks
 * are written as they come, those ready together in one write. When the client goes away the body
 * is cancelled at once (an SSE stream then leaves the SDK's stream map, so the client can resume
 * or reopen it), not at the stream's next event. Never rejects.
 */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  if (gone(res)) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  if (response.body === null) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const cancel = (): void => {
    if (!res.writableFinished) reader.cancel().catch(() => {});
  };
  res.once('close', cancel);
  try {
    const first = await readyChunks(reader);
    if (first.done && !gone(res)) {
      writeWhole(res, response.status, headers, first.chunks);
      return;
    }
    if (gone(res)) throw new Error('the client went away');
    res.writeHead(response.status, headers);
    if (first.chunks.length === 0) res.flushHeaders();
    else {
      res.cork();
      for (const chunk of first.chunks) res.write(chunk);
    }
    let next = first.next;
    for (;;) {
      let result = await settledRead(next);
      if (result === undefined) {
        uncork(res);
        result = await next;
      }
      if (result.done || gone(res)) break;
      if (res.writableCorked === 0) res.cork();
      if (!res.write(result.value)) {
        uncork(res);
        await drained(res);
      }
      next = reader.read();
    }
  } catch {
    // The stream failed or was cancelled: end what was sent.
  } finally {
    res.off('close', cancel);
  }
  if (gone(res)) await reader.cancel().catch(() => {});
  // A body that failed before anything was written still gets its status and headers.
  else if (!res.headersSent) res.writeHead(response.status, headers);
  res.end();
}

/** How much of a body is gathered to go out with its headers. */
const MAX_GATHERED_BYTES = 64 * 1024;

/** One read of an answer's body. */
type ChunkRead = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/** The chunks the body has ready within one turn of the event loop, and the read pending after. */
async function readyChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<{ chunks: Uint8Array[]; done: boolean; next: Promise<ChunkRead> }> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let waited = false;
  let next = reader.read();
  // Bounded: a body that keeps chunks coming is written as it comes, not gathered whole.
  while (bytes < MAX_GATHERED_BYTES) {
    const result = await settledRead(next);
    if (result === undefined) {
      if (waited) return { chunks, done: false, next };
      await nextTurn();
      waited = true;
      continue;
    }
    if (result.done) return { chunks, done: true, next };
    chunks.push(result.value);
    bytes += result.value.byteLength;
    next = reader.read();
  }
  return { chunks, done: false, next };
}

/** Writes a complete answer in one write, with its length unless the handler gave one. */
function writeWhole(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  chunks: Uint8Array[],
): void {
  const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const framed = 'content-length' in headers || 'transfer-encoding' in headers;
  res.writeHead(status, framed ? headers : { ...headers, 'content-length': String(body.byteLength) });
  res.end(body);
}

/** Resolves once `res` can take more, or it closes. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
