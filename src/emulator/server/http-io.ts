/**
 * Small node:http helpers for the wire server: bounded body reading (the driver may gzip bodies),
 * JSON and text answers, and the `Snowflake Token="…"` header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';

/** Why a request body could not be read. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Reads the whole body, at most `limit` bytes before and after decompression. Rejects with a
 * BodyError (413 too large, 400 undecodable). A body announced as gzip but sent plain is accepted:
 * the driver sets the header from a callback that can race with sending.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyError(413, `request body over ${limit} bytes`));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyError(413, `request body over ${limit} bytes`));
        return;
      }
      parts.push(chunk);
    });
    req.on('error', (err) => {
      if (!failed) reject(new BodyError(400, err.message));
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      const raw = parts.length === 1 ? parts[0] : Buffer.concat(parts);
      if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
        gunzip(raw, { maxOutputLength: limit }, (err, out) => {
          if (err)
            reject(
              new BodyError(
                (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 413 : 400,
                'bad gzip body',
              ),
            );
          else resolve(out);
        });
        return;
      }
      resolve(raw);
    });
  });
}

/** Parses a JSON object body; anything else (garbage, arrays, empty) gives `undefined`. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> | undefined {
  if (raw.length === 0) return {};
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Sends a JSON answer (Snowflake answers everything, errors included, as application/json). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends a non-JSON answer (result chunks must not be labelled JSON or the driver parses them early). */
export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The token of an `Authorization: Snowflake Token="…"` header, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Snowflake Token="([^"]*)"\s*$/i.exec(header);
  return match?.[1] || undefined;
}

/** A string field of a loosely typed object, or undefined. */
export function str(obj: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = obj?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** An object field of a loosely typed object, or undefined. */
export function obj(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
