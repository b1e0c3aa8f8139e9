/**
 * The admin API server: HTTP over a Unix socket in the daemon's private runtime dir, socket mode
 * 0600, routes under `/v1`. Every answer carries `Connection: close` so a CLI request never holds
 * the server open past a shutdown. A socket left by a crashed daemon is detected and replaced;
 * one a live daemon answers on makes startup fail with DAEMON_RUNNING.
 */
import { createConnection } from 'node:net';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { chmodSync, rmSync } from 'node:fs';
import { MAX_SOCKET_PATH_BYTES } from '../config/paths.js';
import { SmcpError, toSmcpError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { ADMIN_PREFIX } from './protocol.js';
import type { AdminErrorBody } from './protocol.js';

/** Largest admin request body (tool arguments included). */
const MAX_BODY_BYTES = 1024 * 1024;

/** What a route handler gets besides the parsed JSON body. */
export interface AdminRequestContext {
  /** Aborted when the caller goes away before the answer (e.g. Ctrl-C on `smcp call`). */
  readonly signal: AbortSignal;
}

/** A route: parsed JSON body in (an empty object for GET), a JSON-serializable value out. */
export type AdminRoute = (body: Record<string, unknown>, context: AdminRequestContext) => Promise<unknown>;

/** Routes by `"<METHOD> <path below /v1>"`, e.g. `"GET /status"`. */
export type AdminRoutes = Readonly<Record<string, AdminRoute>>;

/** A listening admin server. */
export interface AdminServer {
  readonly socketPath: string;
  /** Stops listening, closes open connections and removes the socket file. Idempotent. */
  close(): Promise<void>;
}

/** Throws CONFIG_INVALID when `socketPath` is too long for a Unix socket on this system. */
export function checkSocketPath(socketPath: string): void {
  const bytes = Buffer.byteLength(socketPath);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new SmcpError(
      'CONFIG_INVALID',
      `admin socket path is ${bytes} bytes, longer than the ${MAX_SOCKET_PATH_BYTES} a Unix socket allows: ` +
        'set XDG_RUNTIME_DIR to a shorter directory',
      { file: socketPath, field: 'XDG_RUNTIME_DIR' },
    );
  }
}

/** True when something accepts connections on `socketPath`. */
export function socketAnswers(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts the admin server on `socketPath` (in a 0700 dir the caller made). Throws SmcpError. */
export async function startAdminServer(options: {
  socketPath: string;
  routes: AdminRoutes;
  logger?: Logger;
}): Promise<AdminServer> {
  const { socketPath, routes } = options;
  const logger = options.logger ?? silentLogger;
  checkSocketPath(socketPath);
  const server = createServer({ keepAlive: false }, (req, res) => {
    handle(req, res, routes).catch((err: unknown) => {
      logger.error('admin request failed', { path: req.url, error: String(err) });
      if (!res.headersSent) sendError(res, toSmcpError(err));
      else res.destroy();
    });
  });
  await listenExclusively(server, socketPath);
  let closing: Promise<void> | undefined;
  return {
    socketPath,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).finally(() => rmSync(socketPath, { force: true }))),
  };
}

async function listenExclusively(server: Server, socketPath: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await listenPrivately(server, socketPath);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 0) {
        if (err instanceof SmcpError) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        throw new SmcpError('CONFIG_INVALID', `cannot listen on admin socket ${socketPath}: ${reason}`, {
          file: socketPath,
        });
      }
      if (await socketAnswers(socketPath)) {
        throw new SmcpError('DAEMON_RUNNING', `another smcp daemon answers on ${socketPath}`, {
          file: socketPath,
        });
      }
      // Left behind by a daemon that died without cleaning up.
      rmSync(socketPath, { force: true });
    }
  }
}

function listenPrivately(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Node creates the socket with the umask's mode: make it 0600 from the first moment.
    const previous = process.umask(0o177);
    const onError = (err: Error): void => {
      process.umask(previous);
      reject(err);
    };
    server.once('error', onError);
    server.listen(socketPath, () => {
      process.umask(previous);
      server.off('error', onError);
      chmodSync(socketPath, 0o600);
      resolve();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: AdminRoutes): Promise<void> {
  // The request target as sent, without `new URL` (which throws on targets like `//[`).
  const pathname = (req.url ?? '/').split('?', 1)[0];
  if (!pathname.startsWith(`${ADMIN_PREFIX}/`)) {
    return sendError(
      res,
      new SmcpError('NOT_FOUND', `no admin route ${pathname.slice(0, 200)}; routes live under /v1`),
    );
  }
  const key = `${req.method ?? 'GET'} ${pathname.slice(ADMIN_PREFIX.length)}`;
  const route = routes[key];
  if (!route) return sendError(res, new SmcpError('NOT_FOUND', `no admin route ${key}`));
  const body = await readBody(req);
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the admin client went away'));
  });
  try {
    const value = await route(body, { signal: controller.signal });
    send(res, 200, value ?? {});
  } catch (err) {
    sendError(res, toSmcpError(err));
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SmcpError('USAGE', 'admin request body is larger than 1 MiB');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new SmcpError('USAGE', 'admin request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SmcpError('USAGE', 'admin request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    Connection: 'close',
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: SmcpError): void {
  const body: AdminErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details.field ? { field: error.details.field } : {}),
    },
  };
  send(res, error.httpStatus, body);
}
