/**
 * The HTTP server speaking Snowflake's REST protocol as snowflake-sdk uses it. It routes requests,
 * reads bounded bodies, turns every fault into a Snowflake-style JSON error (never a crash) and
 * sweeps results past their lifetime and dead sessions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine-types.js';
import { engineHost } from './engine-host.js';
import { Faults } from './faults.js';
import { BodyError, parseJsonObject, readBody, sendJson } from './http-io.js';
import { QueryRegistry } from './query-registry.js';
import { abortRequest, chunk, queryRequest, queryResult, queryStatus } from './query-routes.js';
import { heartbeat, login, logout, renewToken, telemetry } from './session-routes.js';
import { SessionStore } from './sessions.js';
import type { EmulatorStats } from './types.js';
import type { UserDirectory } from './users.js';
import type { RequestTarget, WireContext, WireCounters, WireSettings } from './wire-context.js';
import { GS, SQL, failure } from './wire-errors.js';

const SWEEP_MS = 30_000;
/**
 * How long close() lets chunk downloads being answered finish (each takes milliseconds). Cutting
 * one off makes the driver retry it against a server that is gone, for minutes.
 */
const CLOSE_GRACE_MS = 2_000;
/** A session whose master token ran out this long ago can never be used again. */
const DEAD_SESSION_GRACE_MS = 60_000;
const HOST_HEADER = /^[A-Za-z0-9.\-[\]:]{1,300}$/;

const QUERY_RESULT = /^\/queries\/([0-9a-fA-F-]{1,64})\/result$/;
const QUERY_ABORT = /^\/queries\/([0-9a-fA-F-]{1,64})\/abort-request$/;
const MONITORING = /^\/monitoring\/queries\/([0-9a-fA-F-]{1,64})$/;
const CHUNK = /^\/chunks\/([A-Za-z0-9_-]{16,64})\/(\d{1,7})$/;

/** A listening wire server. */
export class WireServer {
  readonly #server: Server;
  readonly #ctx: WireContext;
  readonly #sweeper: NodeJS.Timeout;
  #closed: Promise<void> | null = null;
  /** Chunk downloads being answered, so close() can let them finish. */
  readonly #inflight = new Set<Promise<void>>();
  #fallbackOrigin = '';
  /** Injected faults (tests); inactive unless set. */
  readonly faults = new Faults();

  constructor(
    private readonly engine: Engine,
    users: UserDirectory,
    settings: WireSettings,
  ) {
    const counters: WireCounters = { logins: 0, failedLogins: 0, chunkDownloads: 0 };
    this.#ctx = {
      settings,
      users,
      sessions: new SessionStore({
        sessionMs: settings.sessionValidityMs,
        masterMs: settings.masterValidityMs,
      }),
      queries: new QueryRegistry(engine, settings.resultLifetimeMs),
      counters,
      origin: (req) => {
        const host = req.headers.host;
        return typeof host === 'string' && HOST_HEADER.test(host) ? `http://${host}` : this.#fallbackOrigin;
      },
    };
    engine.attachHost?.(engineHost(users, this.#ctx.queries));
    this.#server = createServer({ keepAlive: true }, (req, res) => this.#handle(req, res));
    // Longer than the driver's 30 s idle-socket timeout, so the server never closes a socket
    // the client is about to reuse.
    this.#server.keepAliveTimeout = 65_000;
    this.#server.headersTimeout = 66_000;
    this.#server.requestTimeout = 0;
    this.#server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
    this.#sweeper.unref();
  }

  /** Starts listening; resolves with the bound port. Rejects on EADDRINUSE and the like. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        const bound = (this.#server.address() as AddressInfo).port;
        this.#fallbackOrigin = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
        resolve(bound);
      });
    });
  }

  /** Makes session tokens (and with `master`, master tokens) expire now. */
  expireSessions(master: boolean): void {
    this.#ctx.sessions.expireAll(master);
  }

  /** Counters for tests and status. */
  stats(): EmulatorStats {
    const { counters, sessions, queries } = this.#ctx;
    return {
      logins: counters.logins,
      failedLogins: counters.failedLogins,
      renewals: sessions.renewals,
      statements: queries.statements,
      chunkDownloads: counters.chunkDownloads,
      activeSessions: sessions.size,
      heldResults: queries.kept,
      resultMemoryBytes: this.engine.resultBytes?.().memoryBytes ?? 0,
      resultDiskBytes: this.engine.resultBytes?.().diskBytes ?? 0,
    };
  }

  /** Stops listening, drops open connections, ends every session. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#ctx.queries.closeAll();
    for (const record of this.#ctx.sessions.all()) this.#ctx.sessions.delete(record);
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    if (this.#inflight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.#inflight]),
        new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
      ]);
      clearTimeout(timer);
    }
    this.#server.closeAllConnections();
    await closed;
  }

  #sweep(): void {
    const { sessions, queries } = this.#ctx;
    queries.sweep();
    for (const record of sessions.deadBefore(Date.now() - DEAD_SESSION_GRACE_MS)) {
      queries.endSession(record.session.id);
      sessions.delete(record);
    }
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const routed = this.faults.active ? this.#withFaults(req, res) : this.#route(req, res);
    const answered = routed.catch((err: unknown) => {
      // A fault of the emulator itself: answered as a statement-style failure (HTTP 200 so the
      // driver does not retry it seven times), and the server keeps serving.
      const message = err instanceof Error ? err.message : String(err);
      sendJson(res, 200, failure(SQL.INTERNAL, `Internal error in the emulator: ${message}`));
    });
    if (req.url?.startsWith('/chunks/')) {
      this.#inflight.add(answered);
      void answered.finally(() => this.#inflight.delete(answered));
    }
  }

  async #withFaults(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if (await this.faults.apply(q < 0 ? url : url.slice(0, q), req, res)) return;
    await this.#route(req, res);
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx = this.#ctx;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const target: RequestTarget = {
      path: q < 0 ? url : url.slice(0, q),
      query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    };
    const { path } = target;

    if (req.method === 'GET') {
      req.resume();
      let m: RegExpExecArray | null;
      if ((m = CHUNK.exec(path))) return chunk(ctx, res, m[1], Number(m[2]));
      if ((m = QUERY_RESULT.exec(path))) return queryResult(ctx, req, res, m[1]);
      if ((m = MONITORING.exec(path))) return queryStatus(ctx, req, res, m[1]);
      return notFound(req, res, path);
    }
    if (req.method !== 'POST') {
      req.resume();
      return notFound(req, res, path);
    }

    let body: Record<string, unknown> | undefined;
    try {
      body = parseJsonObject(await readBody(req, ctx.settings.maxBodyBytes));
    } catch (err) {
      const status = err instanceof BodyError ? err.status : 400;
      const message = err instanceof Error ? err.message : 'unreadable body';
      sendJson(res, status, failure(GS.BAD_REQUEST, `Bad request: ${message}.`));
      return;
    }
    if (!body) {
      sendJson(res, 400, failure(GS.BAD_REQUEST, 'Bad request: the body is not a JSON object.'));
      return;
    }

    switch (path) {
      case '/queries/v1/query-request':
        return queryRequest(ctx, req, res, target, body);
      case '/session/v1/login-request':
        return login(ctx, target, body, res);
      case '/session/token-request':
        return renewToken(ctx, req, body, res);
      case '/session/heartbeat':
        return heartbeat(ctx, req, res);
      case '/telemetry/send':
        return telemetry(res);
      case '/queries/v1/abort-request':
        return abortRequest(ctx, req, res, body, undefined);
      case '/session':
        if (target.query.get('delete') === 'true') return logout(ctx, req, res);
        break;
    }
    const m = QUERY_ABORT.exec(path);
    if (m) return abortRequest(ctx, req, res, body, m[1]);
    return notFound(req, res, path);
  }
}

function notFound(req: IncomingMessage, res: ServerResponse, path: string): void {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  sendJson(res, 404, failure(GS.BAD_REQUEST, `Unknown endpoint: ${req.method ?? '?'} ${shown}`));
}
