/**
 * A `POST /mcp` whose JSON body the edge has already read, served by the SDK's web-standard MCP
 * handler (`createMcpHandler`'s `fetch`). This is what the SDK's `toNodeHandler` does with a parsed
 * body, less what it costs per request for nothing here: it serializes the parsed body again into
 * a body stream the handler never reads (the handler takes `parsedBody` and reads no body when it
 * has one, in both eras), and builds an AbortController per request where most exchanges never
 * read the Request's signal; here the Request is built only as far as the handler reads it, its
 * signal included (lazy-web-request.ts). The answer is written the same
 * way: the handler's status and headers, then its body with write backpressure, stopping when the
 * client goes away; a conversion failure is the same 500 JSON-RPC internal error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo, McpHttpHandler } from '@modelcontextprotocol/server';
import { headerValue, isRecord } from './http-io.js';
import { lazyWebRequest } from './lazy-web-request.js';

/** Request headers a body-less web Request must not claim (the body travels parsed). */
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
  return lazyWebRequest({ url, method: 'POST', headers, signal: () => closedEarly(res) });
}

/** The 500 toNodeHandler answers when the request cannot be converted or the handler throws. */
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
 * Serves `req` (its body already parsed as `parsedBody`) through `handler` and writes the answer
 * to `res`, stopping when the client goes away; the exchange in the SDK is cancelled then if it
 * follows its Request's signal. Never rejects for client input.
 */
export async function serveParsedPost(
  handler: McpHttpHandler,
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody: unknown,
  authInfo: AuthInfo,
): Promise<void> {
  let response: Response;
  try {
    response = await handler.fetch(webRequest(req, res), { authInfo, parsedBody });
  } catch {
    response = internalError(parsedBody);
  }
  if (gone(res)) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || gone(res)) break;
      if (!res.write(value)) await drained(res);
    }
  } catch {
    // The stream failed or was cancelled: end what was sent.
  }
  if (gone(res)) await reader.cancel().catch(() => {});
  res.end();
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
