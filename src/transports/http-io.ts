/**
 * Small HTTP helpers shared by the routes: JSON answers, and refusals that carry a catalogue code
 * (src/errors.ts) from which the HTTP status and JSON-RPC error code follow. Every refusal is one
 * JSON body with a clear message; nothing here throws at the caller for bad client input.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { edgeCodes } from '../errors.js';
import type { ErrorCode } from '../errors.js';

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

/**
 * A refusal for JSON-RPC clients (MCP routes): the status of `code`, and a JSON-RPC error body
 * whose `data.code` is the catalogue code (`id` null unless known).
 */
export function sendRpcRefusal(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): void {
  const edge = edgeCodes(code);
  sendJson(
    res,
    edge.http,
    { jsonrpc: '2.0', error: { code: edge.rpc, message, data: { code } }, id },
    headers,
  );
}

/** A refusal for plain HTTP clients: the status of `code`, body `{ error: { code, message } }`. */
export function sendPlainRefusal(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, edgeCodes(code).http, { error: { code, message } }, headers);
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

/** True when the request declares a JSON body (`application/json`, any parameters). */
export function isJsonContentType(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (typeof type !== 'string') return false;
  return type.split(';', 1)[0].trim().toLowerCase() === 'application/json';
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
