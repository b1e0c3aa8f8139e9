/**
 * Small HTTP helpers shared by the routes: JSON and JSON-RPC error answers, and a bounded body
 * reader. Every refusal is one JSON body with a clear message; nothing here throws at the caller
 * for bad client input.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** JSON-RPC error codes the HTTP edge uses before a message reaches an MCP server. */
export const RPC_PARSE_ERROR = -32700;
export const RPC_INVALID_REQUEST = -32600;
/** Server-defined: the request was refused by transport policy (auth, limits, draining). */
export const RPC_SERVER_REFUSED = -32000;
/** Server-defined: the session id is not (or no longer) known. */
export const RPC_SESSION_NOT_FOUND = -32001;

/** Writes `body` as JSON with `status` and extra headers, unless the response already started. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Answers with a JSON-RPC error body (`id` null unless known): what MCP clients parse best. */
export function sendRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id }, headers);
}

/** Answers with a plain `{ error: { code, message } }` body (non-MCP routes). */
export function sendPlainError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

/** The outcome of reading a request body under a size limit. */
export type BodyResult = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads the whole body as UTF-8, refusing it once it passes `limit` bytes (checks Content-Length
 * first so an honest oversized request is refused without reading it).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.resume();
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}

/**
 * Reads a JSON-RPC POST body: answers 413 (with `tooLargeHeaders`) past `limit` bytes and 400
 * with a parse error for invalid JSON, resolving to undefined after either (or when the client
 * went away); otherwise resolves to the parsed value.
 */
export async function readJsonRpcBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  tooLargeHeaders: Record<string, string> = {},
): Promise<{ value: unknown } | undefined> {
  const read = await readBody(req, limit);
  if (!read.ok) {
    if (read.reason === 'too-large') {
      sendRpcError(
        res,
        413,
        RPC_INVALID_REQUEST,
        `Payload Too Large: the limit is ${limit} bytes`,
        tooLargeHeaders,
      );
    }
    return undefined;
  }
  const parsed = parseJson(read.text);
  if (!parsed.ok) {
    sendRpcError(res, 400, RPC_PARSE_ERROR, 'Parse error: the body is not valid JSON');
    return undefined;
  }
  // Each level takes at least two characters, so only a long body can be too deep.
  if (read.text.length > 2 * MAX_JSON_DEPTH && nestsDeeperThan(parsed.value, MAX_JSON_DEPTH)) {
    sendRpcError(
      res,
      400,
      RPC_INVALID_REQUEST,
      `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
    return undefined;
  }
  return { value: parsed.value };
}

/**
 * How deeply a JSON-RPC body may nest. Real MCP messages stay under a few dozen levels; thousands
 * overflow the stack of the SDK's recursive validators, which then answer 500 for client input.
 */
export const MAX_JSON_DEPTH = 1000;

/** True when `value` nests arrays/objects deeper than `limit` (iterative: no stack to overflow). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Parses JSON text, returning `undefined`-tagged failure instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** True when the request declares a JSON body (`application/json`, any parameters). */
export function isJsonContentType(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (typeof type !== 'string') return false;
  return type.split(';', 1)[0].trim().toLowerCase() === 'application/json';
}

/**
 * Answers 415 with a JSON-RPC error unless the request says `Content-Type: application/json`;
 * true when it did (the caller stops there).
 */
export function refuseNonJson(req: IncomingMessage, res: ServerResponse): boolean {
  if (isJsonContentType(req)) return false;
  sendRpcError(
    res,
    415,
    RPC_INVALID_REQUEST,
    'Unsupported Media Type: Content-Type must be application/json',
  );
  return true;
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first value of a header that may repeat. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
