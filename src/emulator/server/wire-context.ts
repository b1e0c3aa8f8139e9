/**
 * What every route handler of the wire server shares: the stores, the settings and the counters,
 * plus the small helpers for session-token checks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, sendJson } from './http-io.js';
import type { QueryRegistry } from './query-registry.js';
import type { SessionRecord, SessionStore } from './sessions.js';
import type { UserDirectory } from './users.js';
import { failure } from './wire-errors.js';

/** Settings of a wire server, in milliseconds where times. */
export interface WireSettings {
  account: string;
  sessionValidityMs: number;
  masterValidityMs: number;
  queryWaitMs: number;
  /** How long a result is kept after its statement ended. */
  resultLifetimeMs: number;
  maxBodyBytes: number;
}

/** Counters beyond those kept by the stores. */
export interface WireCounters {
  logins: number;
  failedLogins: number;
  chunkDownloads: number;
}

/** Shared state of one wire server. */
export interface WireContext {
  readonly settings: WireSettings;
  readonly users: UserDirectory;
  readonly sessions: SessionStore;
  readonly queries: QueryRegistry;
  readonly counters: WireCounters;
  /** Origin (scheme://host:port) for absolute URLs handed to clients, such as chunk URLs. */
  origin(req: IncomingMessage): string;
}

/** Parsed request line: path and query string. */
export interface RequestTarget {
  path: string;
  query: URLSearchParams;
}

/**
 * The session authorised by the request's session token; otherwise answers as Snowflake does and
 * returns undefined: HTTP 401 with 390104 for a token never issued (the driver's "invalid token"
 * error, the connection stays up) or 390101 without one, 390111 for an ended session (the driver
 * drops the connection) and 390112 for an expired token (the driver renews and retries).
 */
export function requireSession(
  ctx: WireContext,
  req: IncomingMessage,
  res: ServerResponse,
): SessionRecord | undefined {
  const found = ctx.sessions.authorize(bearerToken(req));
  if ('session' in found) return found;
  sendJson(res, found.status, failure(found.code, found.message));
  return undefined;
}

/** The plain success body with no data. */
export const OK_EMPTY = { success: true, code: null, message: null, data: null } as const;
