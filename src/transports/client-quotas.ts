/**
 * What one client may hold at once, so that no client can starve the others: requests in flight
 * per session or connection, sessionless requests in flight per owner (a token identity, a local
 * user or an address, each possibly many agents), and open sessions per owner, under the server's
 * total session cap. One instance per HTTP server, shared by every transport.
 */
import { ClientLimiter, RETRY_AFTER_SECONDS } from './client-limiter.js';

/** The limits, all positive integers. */
export interface QuotaLimits {
  /** Requests in flight per session or connection. */
  readonly requestsPerSession: number;
  /** Sessionless requests (stateless MCP, the tool API) in flight per owner. */
  readonly requestsPerOwner: number;
  /** Open sessions and connections per owner. */
  readonly sessionsPerOwner: number;
  /** Open sessions and connections over all owners. */
  readonly sessionsTotal: number;
}

/** Why a session or request was not admitted, ready for the HTTP answer or the WebSocket refusal. */
export interface QuotaRefusal {
  readonly code: 'RATE_LIMITED' | 'OVERLOADED';
  readonly message: string;
  readonly retryAfterSeconds: number;
}

/** The outcome of asking for a slot: its release function, or why not. */
export type Admission = { readonly ok: true; release: () => void } | ({ readonly ok: false } & QuotaRefusal);

/** Counts and limits per client. */
export class ClientQuotas {
  /** In flight per session key (what TrackedTransport and the session POSTs consult). */
  readonly perSession: ClientLimiter;
  private readonly perOwner: ClientLimiter;
  private readonly sessions: ClientLimiter;
  private open = 0;

  constructor(readonly limits: QuotaLimits) {
    this.perSession = new ClientLimiter(limits.requestsPerSession);
    this.perOwner = new ClientLimiter(limits.requestsPerOwner);
    this.sessions = new ClientLimiter(limits.sessionsPerOwner);
  }

  /** Open sessions over all owners. */
  get openSessions(): number {
    return this.open;
  }

  /** A slot for one new session of `owner`; release it when the session closes. */
  openSession(owner: string): Admission {
    if (this.open >= this.limits.sessionsTotal) {
      return {
        ok: false,
        code: 'OVERLOADED',
        message: `Service Unavailable: too many open sessions (${this.limits.sessionsTotal}, the server's limit)`,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      };
    }
    const release = this.sessions.acquire(owner);
    if (!release) {
      return {
        ok: false,
        code: 'RATE_LIMITED',
        message:
          `Too Many Requests: this client already has ${this.limits.sessionsPerOwner} sessions open ` +
          '(max_sessions_per_client); close some or reuse one',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      };
    }
    this.open++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.open--;
        release();
      },
    };
  }

  /** A slot for one sessionless request of `owner`; release it when the request ends. */
  startSessionless(owner: string): Admission {
    const release = this.perOwner.acquire(owner);
    if (release) return { ok: true, release };
    return {
      ok: false,
      code: 'RATE_LIMITED',
      message:
        `Too Many Requests: ${this.limits.requestsPerOwner} sessionless requests from this client are in flight ` +
        '(max_requests_per_address); retry after the Retry-After delay',
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    };
  }
}
