/**
 * `POST /mcp` without the express router: the MCP hot path. Express costs about a third of a
 * stateless call's CPU (its router walking every layer, the request and response prototypes it
 * swaps in, body-parser's stream plumbing), more than the SDK's own per-request server. This lane
 * runs the checks of http-app.ts's chain that apply to `POST /mcp`, in the same order and with the
 * same answers: helmet's security headers (the same middleware instance), Host and Origin, who is
 * asking, the drain switch, then the JSON body (size, parse, nesting) and the endpoint.
 *
 * It takes only plain requests whose every answer the chain would give the same way: exactly
 * `/mcp`, no Origin header (CORS stays the express chain's), a declared length within the limit,
 * `application/json` in UTF-8, no Content-Encoding or Transfer-Encoding. Anything else goes to the
 * express chain, which stays the reference for every route.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { ClientIdentifier } from './client-identification.js';
import type { HttpGuard } from './http-security.js';
import { MAX_JSON_DEPTH, nestsDeeperThan, sendRpcRefusal } from './http-io.js';
import type { StreamableHttpEndpoint } from './streamable-http.js';
import type { Logger } from '../logger.js';
import type { ErrorCode } from '../errors.js';

/** What the lane needs: the chain's own pieces. */
export interface McpPostLaneDeps {
  /** The helmet middleware of the express chain (it only sets headers, synchronously). */
  readonly securityHeaders: RequestHandler;
  readonly guard: HttpGuard;
  readonly identifier: ClientIdentifier;
  readonly streamable: StreamableHttpEndpoint;
  readonly isDraining: () => boolean;
  /** The drain switch's refusal, as the chain answers it. */
  readonly drainRefusal: { code: ErrorCode; message: string; headers: Record<string, string> };
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}

/** Content types the lane reads (lower case, spaces removed); body-parser reads them alike. */
const PLAIN_JSON = new Set(['application/json', 'application/json;charset=utf-8']);

/** The declared body length when the lane may take the request; undefined when it may not. */
function plainLength(req: IncomingMessage, maxBodyBytes: number): number | undefined {
  if (req.method !== 'POST' || req.url !== '/mcp') return undefined;
  const h = req.headers;
  if (h.origin !== undefined || h['content-encoding'] !== undefined || h['transfer-encoding'] !== undefined)
    return undefined;
  const type = h['content-type'];
  if (typeof type !== 'string' || !PLAIN_JSON.has(type.toLowerCase().replace(/\s+/g, ''))) return undefined;
  const declared = h['content-length'];
  if (typeof declared !== 'string' || !/^\d{1,10}$/.test(declared)) return undefined;
  const length = Number(declared);
  return length > 0 && length <= maxBodyBytes ? length : undefined;
}

/**
 * Reads exactly `length` bytes of body; undefined when the client went away or sent another length
 * (body-parser's request.aborted and request.size.invalid: nobody is left to read an answer).
 */
function readBody(req: IncomingMessage, length: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    // Gone while the checks above ran: its events have passed.
    if (req.destroyed || req.readableEnded) return resolve(undefined);
    const chunks: Buffer[] = [];
    let received = 0;
    const done = (body: Buffer | undefined): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onGone);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void =>
      done(received === length ? (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)) : undefined);
    const onGone = (): void => done(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onGone);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

/**
 * The JSON value of `body` as body-parser (json, strict off) gives it: UTF-8 with a leading BOM
 * dropped, an empty text as `{}`; undefined when it is not JSON.
 */
function parseJson(body: Buffer): { value: unknown } | undefined {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * Builds the lane: a function that serves `req` and returns true when it takes the request, or
 * returns false at once (having touched nothing) to leave it to the express chain.
 */
export function mcpPostLane(deps: McpPostLaneDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const serve = async (req: IncomingMessage, res: ServerResponse, length: number): Promise<void> => {
    const host = deps.guard.checkHostAndOrigin(req);
    if (!host.ok) return sendRpcRefusal(res, host.code, host.message, host.headers);
    const who = await deps.identifier.identify(req);
    if (!who.ok) return sendRpcRefusal(res, who.code, who.message, who.headers);
    if (deps.isDraining()) {
      const { code, message, headers } = deps.drainRefusal;
      return sendRpcRefusal(res, code, message, headers);
    }
    const body = await readBody(req, length);
    if (body === undefined) {
      res.destroy();
      return;
    }
    const parsed = parseJson(body);
    if (!parsed) return sendRpcRefusal(res, 'PARSE_ERROR', 'Parse error: the body is not valid JSON');
    // Each level takes at least two characters, so only a long body can be too deep.
    if (length > 2 * MAX_JSON_DEPTH && nestsDeeperThan(parsed.value, MAX_JSON_DEPTH)) {
      return sendRpcRefusal(
        res,
        'INVALID_REQUEST',
        `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    await deps.streamable.handlePost(req, res, parsed.value);
  };
  return (req, res) => {
    const length = plainLength(req, deps.maxBodyBytes);
    if (length === undefined) return false;
    // helmet calls back synchronously; its headers go on every answer, refusals included.
    deps.securityHeaders(
      req as Parameters<RequestHandler>[0],
      res as Parameters<RequestHandler>[1],
      () => {},
    );
    serve(req, res, length).catch((error: unknown) => {
      deps.logger.error('HTTP request failed', { path: '/mcp', error: String(error) });
      if (!res.headersSent) sendRpcRefusal(res, 'INTERNAL', 'an unexpected fault inside smcp');
      else res.destroy();
    });
    return true;
  };
}
