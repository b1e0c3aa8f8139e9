/**
 * A `POST /mcp` whose JSON body the edge has already read, served by the SDK's web-standard MCP
 * handler (`createMcpHandler`'s `fetch`). This is what the SDK's `toNodeHandler` does with a parsed
 * body, less what it costs per request for nothing here: it serializes the parsed body again into
 * a body stream the handler never reads (the handler takes `parsedBody` and reads no body when it
 * has one, in both eras), and builds an AbortController of its own where the caller's request
 * already has a signal that aborts when the response closes early; and the Request it hands over
 * is built only as far as the handler reads it (lazy-web-request.ts). The answer is written the same
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

/** The web Request for `req` (lazy-web-request.ts): its method, URL and headers, no body, and `signal`. */
function webRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':') || BODY_HEADERS.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const url = `http://${headerValue(req, 'host') ?? 'localhost'}${req.url ?? '/'}`;
  return lazyWebRequest({ url, method: 'POST', headers, signal });
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

/**
 * Serves `req` (its body already parsed as `parsedBody`) through `handler` and writes the answer
 * to `res`. `closed` must abort when `res` closes before the answer is complete: it stops the
 * writing here and cancels the exchange in the SDK (its Request's signal). Never rejects for client
 * input.
 */
export async function serveParsedPost(
  handler: McpHttpHandler,
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody: unknown,
  authInfo: AuthInfo,
  closed: AbortSignal,
): Promise<void> {
  // Closed before this ran: the exchange starts cancelled, as the SDK's adapter starts it.
  const live = res.destroyed ? AbortSignal.abort() : closed;
  let response: Response;
  try {
    const request = webRequest(req, live);
    response = await handler.fetch(request, { authInfo, parsedBody });
  } catch {
    response = internalError(parsedBody);
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
      if (done || live.aborted) break;
      if (!res.write(value)) await drained(res, live);
    }
  } catch {
    // The stream failed or was cancelled: end what was sent.
  }
  res.end();
}

/** Resolves once `res` can take more, or `signal` aborts. */
function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
