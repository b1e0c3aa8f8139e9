/**
 * The admin API client the CLI uses: one request per connection (`agent: false`), JSON in and
 * out. Loads nothing but node:http, so `smcp status` and `smcp call` stay quick when a daemon runs.
 */
import { request } from 'node:http';
import { dirname } from 'node:path';
import { checkPrivateDir } from '../config/private-dir.js';
import { ERROR_CATALOGUE, SmcpError } from '../errors.js';
import { ADMIN_PREFIX } from './protocol.js';
import type { AdminErrorBody } from './protocol.js';

/** Options of one admin request. */
export interface AdminRequestOptions {
  readonly body?: unknown;
  /** Give up (DAEMON_UNRESPONSIVE) when no answer arrives in time; default 10 s, 0 = never. */
  readonly timeoutMs?: number;
  /** Aborting closes the connection, which cancels the daemon-side work. */
  readonly signal?: AbortSignal;
}

/**
 * Sends `method path` (below /v1) to the daemon on `socketPath` and resolves with the JSON answer.
 * Throws SmcpError: DAEMON_NOT_RUNNING when nothing listens, DAEMON_UNRESPONSIVE on timeout, and
 * the daemon's own error code and message when it answers with an error.
 */
export function adminRequest<T>(
  socketPath: string,
  method: 'GET' | 'POST',
  path: string,
  options: AdminRequestOptions = {},
): Promise<T> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  try {
    // A socket in a directory someone else controls may be theirs: never talk to it.
    checkPrivateDir(dirname(socketPath));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return Promise.reject(
        new SmcpError('DAEMON_NOT_RUNNING', 'no smcp daemon is running', { file: socketPath }),
      );
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  return new Promise<T>((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path: `${ADMIN_PREFIX}${path}`,
        agent: false,
        headers: {
          Connection: 'close',
          ...(payload !== undefined
            ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
            : {}),
        },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return reject(new SmcpError('INTERNAL', `the daemon answered ${path} with non-JSON text`));
          }
          if ((res.statusCode ?? 500) >= 400) return reject(toError(parsed, res.statusCode ?? 500));
          resolve(parsed as T);
        });
      },
    );
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (timeoutMs > 0) {
      req.setTimeout(timeoutMs, () => {
        req.destroy(
          new SmcpError(
            'DAEMON_UNRESPONSIVE',
            `the daemon did not answer ${path} within ${timeoutMs / 1000} s (admin socket ${socketPath})`,
          ),
        );
      });
    }
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof SmcpError) return reject(err);
      if (err.name === 'AbortError') return reject(new SmcpError('QUERY_CANCELLED', 'cancelled'));
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
        return reject(new SmcpError('DAEMON_NOT_RUNNING', 'no smcp daemon is running', { file: socketPath }));
      }
      reject(new SmcpError('DAEMON_UNRESPONSIVE', `admin socket ${socketPath}: ${err.message}`));
    });
    req.end(payload);
  });
}

function toError(parsed: unknown, status: number): SmcpError {
  const error = (parsed as Partial<AdminErrorBody>).error;
  if (error && typeof error.message === 'string' && Object.hasOwn(ERROR_CATALOGUE, error.code)) {
    return new SmcpError(error.code, error.message, error.field ? { field: error.field } : {});
  }
  return new SmcpError('INTERNAL', `the daemon answered with HTTP ${status}`);
}
