/**
 * Emulated Snowflake sessions and their tokens. A session token authorises requests and expires
 * after the session validity; the master token (valid longer) renews it through
 * /session/token-request, as Snowflake's do. Ended sessions are forgotten, but their tokens are
 * remembered for a while (bounded) so that using one answers Snowflake's "session no longer exists"
 * (390111) rather than "invalid token" (HTTP 401, 390104), which is kept for tokens never issued.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorSession } from '../engine-types.js';
import { GS, MESSAGES } from './wire-errors.js';

/** A live session with its tokens. */
export interface SessionRecord {
  readonly session: EmulatorSession;
  /** The numeric id the driver shows as sessionId. */
  readonly numericId: number;
  sessionToken: string;
  masterToken: string;
  sessionExpiresAt: number;
  masterExpiresAt: number;
  /** Request ids whose abort arrived before their statement (cancel racing the query). */
  readonly earlyAborts: Map<string, number>;
  /** The client's CLIENT_APP_ID at login (`JavaScript`, `PythonConnector`, `JDBC`, …), or ''. */
  readonly clientApp: string;
}

/** A token lookup that failed, with the code the driver reacts to and the HTTP status to send. */
export interface TokenFailure {
  code: string;
  message: string;
  status: number;
}

/** Tokens of ended sessions remembered at most (oldest forgotten first). */
const MAX_ENDED_TOKENS = 20_000;

/** Token lifetimes in milliseconds. */
export interface SessionValidity {
  sessionMs: number;
  masterMs: number;
}

function newToken(kind: 'st' | 'mt'): string {
  return `smcp-${kind}-${randomBytes(24).toString('base64url')}`;
}

/** All sessions of one emulator. */
export class SessionStore {
  readonly #bySessionToken = new Map<string, SessionRecord>();
  readonly #byMasterToken = new Map<string, SessionRecord>();
  readonly #byId = new Map<string, SessionRecord>();
  /** Tokens of ended sessions → when they may be forgotten. */
  readonly #ended = new Map<string, number>();
  #nextId = 1_000_001;
  /** Number of successful renewals (tests assert that renewal really happened). */
  renewals = 0;

  constructor(private readonly validity: SessionValidity) {}

  /** Opens a session for `init` (its id is assigned here) of client `clientApp`. */
  create(init: Omit<EmulatorSession, 'id'>, clientApp = ''): SessionRecord {
    const numericId = this.#nextId++;
    const now = Date.now();
    const record: SessionRecord = {
      session: { ...init, id: String(numericId) },
      numericId,
      sessionToken: newToken('st'),
      masterToken: newToken('mt'),
      sessionExpiresAt: now + this.validity.sessionMs,
      masterExpiresAt: now + this.validity.masterMs,
      earlyAborts: new Map(),
      clientApp,
    };
    this.#bySessionToken.set(record.sessionToken, record);
    this.#byMasterToken.set(record.masterToken, record);
    this.#byId.set(record.session.id, record);
    return record;
  }

  /**
   * The session a session token authorises, or why not: no token 401/390101, a token never issued
   * 401/390104, the token of an ended session 390111, an expired one 390112 (renew and retry).
   */
  authorize(token: string | undefined): SessionRecord | TokenFailure {
    if (token === undefined)
      return { code: GS.NO_AUTHORIZATION, message: MESSAGES.noAuthorization, status: 401 };
    const record = this.#bySessionToken.get(token);
    if (!record) {
      if (this.#wasEnded(token)) return { code: GS.GONE_SESSION, message: MESSAGES.goneSession, status: 200 };
      return { code: GS.SESSION_TOKEN_INVALID, message: MESSAGES.sessionInvalid, status: 401 };
    }
    if (Date.now() >= record.sessionExpiresAt) {
      return { code: GS.SESSION_TOKEN_EXPIRED, message: MESSAGES.sessionExpired, status: 200 };
    }
    return record;
  }

  #wasEnded(token: string): boolean {
    const until = this.#ended.get(token);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.#ended.delete(token);
    return false;
  }

  /**
   * Issues a new session token for the session of `masterToken`. The old session token, when
   * given, must be the session's current one (a stale renewal is refused with 390104).
   */
  renew(masterToken: string | undefined, oldSessionToken: string | undefined): SessionRecord | TokenFailure {
    const record = masterToken === undefined ? undefined : this.#byMasterToken.get(masterToken);
    if (!record) {
      if (masterToken !== undefined && this.#wasEnded(masterToken)) {
        return { code: GS.GONE_SESSION, message: MESSAGES.goneSession, status: 200 };
      }
      return { code: GS.SESSION_TOKEN_INVALID, message: MESSAGES.sessionInvalid, status: 200 };
    }
    if (Date.now() >= record.masterExpiresAt) {
      return { code: GS.MASTER_TOKEN_EXPIRED, message: MESSAGES.masterExpired, status: 200 };
    }
    if (oldSessionToken !== undefined && oldSessionToken !== record.sessionToken) {
      return { code: GS.SESSION_TOKEN_INVALID, message: MESSAGES.sessionInvalid, status: 200 };
    }
    this.#bySessionToken.delete(record.sessionToken);
    record.sessionToken = newToken('st');
    record.sessionExpiresAt = Date.now() + this.validity.sessionMs;
    this.#bySessionToken.set(record.sessionToken, record);
    this.renewals++;
    return record;
  }

  /** A heartbeat keeps the session alive: its master token lives another full validity. */
  keepAlive(record: SessionRecord): void {
    record.masterExpiresAt = Math.max(record.masterExpiresAt, Date.now() + this.validity.masterMs);
  }

  /** Makes session tokens (and with `master`, master tokens) of every session expired now. */
  expireAll(master: boolean): void {
    const past = Date.now() - 1;
    for (const record of this.#byId.values()) {
      record.sessionExpiresAt = past;
      if (master) record.masterExpiresAt = past;
    }
  }

  /** The session with this id, if live. */
  get(id: string): SessionRecord | undefined {
    return this.#byId.get(id);
  }

  /**
   * Ends a session; returns false when it was already gone. Its current tokens are remembered
   * until its master token would have expired, so late requests with them answer 390111.
   */
  delete(record: SessionRecord): boolean {
    if (!this.#byId.delete(record.session.id)) return false;
    this.#bySessionToken.delete(record.sessionToken);
    this.#byMasterToken.delete(record.masterToken);
    const until = Math.max(record.masterExpiresAt, Date.now() + this.validity.sessionMs);
    for (const token of [record.sessionToken, record.masterToken]) {
      this.#ended.set(token, until);
      if (this.#ended.size > MAX_ENDED_TOKENS) {
        const oldest = this.#ended.keys().next().value;
        if (oldest !== undefined) this.#ended.delete(oldest);
      }
    }
    return true;
  }

  /** Sessions whose master token ran out before `cutoff` (nobody can use them any more). */
  deadBefore(cutoff: number): SessionRecord[] {
    const dead: SessionRecord[] = [];
    for (const record of this.#byId.values()) if (record.masterExpiresAt < cutoff) dead.push(record);
    return dead;
  }

  /** Every live session. */
  all(): SessionRecord[] {
    return [...this.#byId.values()];
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#byId.size;
  }
}
