/**
 * Reading a JSON request body, for every route that takes one: `Content-Type: application/json`
 * or 415, express's JSON body parser under smcp's size limit (413, with `Connection: close` so
 * the rest of an oversized body is not read), no compressed bodies (415: a small gzip body can
 * inflate to gigabytes), a parse error as 400, and a nesting limit (400) before any validator
 * recurses through the value. Refusals take the shape the route's clients read: JSON-RPC error
 * bodies on MCP routes, `{error: {code, message}}` elsewhere.
 */
import express from 'express';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ErrorCode } from '../errors.js';
import {
  MAX_JSON_DEPTH,
  isJsonContentType,
  nestsDeeperThan,
  sendPlainRefusal,
  sendRpcRefusal,
} from './http-io.js';

/** How a route's refusals look: `rpc` for JSON-RPC clients, `plain` for the tool API. */
export type BodyDialect = 'rpc' | 'plain';

function refuseBody(
  res: Response,
  dialect: BodyDialect,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (dialect === 'rpc') sendRpcRefusal(res, code, message, headers);
  else sendPlainRefusal(res, code, message, headers);
}

/** What body-parser attaches to the errors it raises. */
interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * The middleware chain that leaves the parsed JSON value in `req.body` (any JSON value: callers
 * validate its shape), or answers the refusal and stops.
 */
export function jsonBody(maxBytes: number, dialect: BodyDialect): (RequestHandler | ErrorRequestHandler)[] {
  const parser = express.json({ limit: maxBytes, inflate: false, strict: false, type: () => true });
  const contentType: RequestHandler = (req, res, next) => {
    if (isJsonContentType(req)) return next();
    refuseBody(
      res,
      dialect,
      'UNSUPPORTED_MEDIA_TYPE',
      'Unsupported Media Type: Content-Type must be application/json',
    );
  };
  const parseErrors: ErrorRequestHandler = (error: unknown, _req, res, next): void => {
    const type = (error as BodyParserError | undefined)?.type;
    switch (type) {
      case 'entity.too.large':
        return refuseBody(
          res,
          dialect,
          'PAYLOAD_TOO_LARGE',
          `Payload Too Large: the limit is ${maxBytes} bytes`,
          {
            Connection: 'close',
          },
        );
      case 'entity.parse.failed':
        return refuseBody(res, dialect, 'PARSE_ERROR', 'Parse error: the body is not valid JSON');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return refuseBody(
          res,
          dialect,
          'UNSUPPORTED_MEDIA_TYPE',
          'Unsupported Media Type: send the body as uncompressed UTF-8 JSON',
        );
      case 'request.aborted':
      case 'request.size.invalid':
        // The client went away or lied about the length: nobody is left to read an answer.
        res.destroy();
        return;
      default:
        next(error);
    }
  };
  const depth: RequestHandler = (req, res, next) => {
    const length = Number(req.headers['content-length'] ?? Number.POSITIVE_INFINITY);
    // Each level takes at least two characters, so only a long body can be too deep.
    if (length > 2 * MAX_JSON_DEPTH && nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
      return refuseBody(
        res,
        dialect,
        'INVALID_REQUEST',
        `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    next();
  };
  return [contentType, parser, parseErrors, depth];
}
