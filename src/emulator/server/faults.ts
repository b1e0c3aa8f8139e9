/**
 * Fault injection for reliability tests: slow or failing query and login requests, and dropped
 * connections. Off by default; while off the wire server pays one boolean check per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';

/** Faults to inject; every field is optional and counts are consumed as requests arrive. */
export interface FaultSettings {
  /** Delay every query-request by this many milliseconds before it runs. */
  queryDelayMs?: number;
  /** Answer the next `count` query-requests with HTTP `httpStatus` (5xx/408/429 make the driver retry). */
  failNextQueries?: { count: number; httpStatus: number };
  /** Destroy the socket of the next `count` requests (any endpoint but telemetry) without answering. */
  dropNextConnections?: number;
  /** Answer the next `count` login requests with HTTP 503 (the driver retries logins up to its limit). */
  failLogins?: number;
  /** Delay every login request by this many milliseconds. */
  loginDelayMs?: number;
}

/** The fault switchboard of a running emulator (`emulator.faults`). */
export interface FaultControl {
  /** Merges `settings` into the active faults (a field set to undefined is left as it was). */
  set(settings: FaultSettings): void;
  /** Removes every fault. */
  clear(): void;
  /** The faults still active, with the counts not yet consumed. */
  get(): FaultSettings;
}

const QUERY_PATH = '/queries/v1/query-request';
const LOGIN_PATH = '/session/v1/login-request';

function count(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${field} must be a non-negative integer`);
  return value;
}

/** Fault state plus the code that applies it to a request. */
export class Faults implements FaultControl {
  /** True when any fault is set: the only thing the wire server checks on its hot path. */
  active = false;
  #s: FaultSettings = {};

  set(settings: FaultSettings): void {
    const next: FaultSettings = { ...this.#s };
    if (settings.queryDelayMs !== undefined) next.queryDelayMs = count(settings.queryDelayMs, 'queryDelayMs');
    if (settings.loginDelayMs !== undefined) next.loginDelayMs = count(settings.loginDelayMs, 'loginDelayMs');
    if (settings.dropNextConnections !== undefined)
      next.dropNextConnections = count(settings.dropNextConnections, 'dropNextConnections');
    if (settings.failLogins !== undefined) next.failLogins = count(settings.failLogins, 'failLogins');
    if (settings.failNextQueries !== undefined) {
      const { httpStatus } = settings.failNextQueries;
      if (!Number.isInteger(httpStatus) || httpStatus < 400 || httpStatus > 599)
        throw new RangeError('failNextQueries.httpStatus must be an HTTP error status (400-599)');
      next.failNextQueries = {
        count: count(settings.failNextQueries.count, 'failNextQueries.count') ?? 0,
        httpStatus,
      };
    }
    this.#s = next;
    this.#refresh();
  }

  clear(): void {
    this.#s = {};
    this.active = false;
  }

  get(): FaultSettings {
    const s = this.#s;
    return { ...s, ...(s.failNextQueries ? { failNextQueries: { ...s.failNextQueries } } : {}) };
  }

  #refresh(): void {
    const s = this.#s;
    this.active =
      (s.queryDelayMs ?? 0) > 0 ||
      (s.loginDelayMs ?? 0) > 0 ||
      (s.dropNextConnections ?? 0) > 0 ||
      (s.failLogins ?? 0) > 0 ||
      (s.failNextQueries?.count ?? 0) > 0;
  }

  /**
   * Applies the faults to one request. Resolves true when the fault consumed the request (it was
   * answered or its socket destroyed), false when the request should be served normally.
   */
  async apply(path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const s = this.#s;
    if ((s.dropNextConnections ?? 0) > 0 && path !== '/telemetry/send') {
      s.dropNextConnections = (s.dropNextConnections ?? 1) - 1;
      this.#refresh();
      req.socket.destroy();
      return true;
    }
    if (path === QUERY_PATH) {
      const fail = s.failNextQueries;
      if (fail && fail.count > 0) {
        fail.count--;
        this.#refresh();
        req.resume();
        sendJson(res, fail.httpStatus, {
          success: false,
          code: null,
          message: `Injected fault: HTTP ${fail.httpStatus}`,
          data: null,
        });
        return true;
      }
      if ((s.queryDelayMs ?? 0) > 0) await sleep(s.queryDelayMs ?? 0);
    } else if (path === LOGIN_PATH) {
      if ((s.failLogins ?? 0) > 0) {
        s.failLogins = (s.failLogins ?? 1) - 1;
        this.#refresh();
        req.resume();
        sendJson(res, 503, {
          success: false,
          code: null,
          message: 'Injected fault: login unavailable',
          data: null,
        });
        return true;
      }
      if ((s.loginDelayMs ?? 0) > 0) await sleep(s.loginDelayMs ?? 0);
    }
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
