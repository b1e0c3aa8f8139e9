/**
 * Who is behind an HTTP request or WebSocket upgrade, decided once per request before any route
 * runs: the owner key that sessions, results and limits belong to.
 *
 * - A bearer token is configured: the token must be presented (401 otherwise); the owner is the
 *   token's identity (`token:<fingerprint>`), whoever connects.
 * - No token: on Linux the local OS user behind a loopback connection is read from the kernel
 *   (peer-uid.ts). Only the daemon's own user and root are served (`uid:<n>`); another user's
 *   connection is refused (403) unless `allowLocalUsers` is set. Where the user cannot be told
 *   (not Linux, not loopback), a token is required (403 saying so) unless `allowLocalUsers` is set,
 *   in which case the owner is the client's address (`addr:<ip>`, the forwarded one only from a
 *   trusted proxy).
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { GuardVerdict, HttpGuard } from './http-security.js';
import { headerValue } from './http-io.js';
import { PeerUidResolver } from './peer-uid.js';

/** The answer for one request: its owner key, or a refusal. */
export type Identification =
  | { readonly ok: true; readonly owner: string; readonly address: string }
  | Exclude<GuardVerdict, { ok: true }>;

/** Settings of {@link ClientIdentifier}. */
export interface IdentificationSettings {
  /** Serve other local OS users (and connections whose user cannot be told) without a token. */
  readonly allowLocalUsers?: boolean;
  /** Proxy addresses whose X-Forwarded-For is believed for a client's address. */
  readonly trustedProxies?: readonly string[];
  /** The uid the daemon runs as (default: this process's). */
  readonly ownUid?: number;
}

const owners = new WeakMap<IncomingMessage, string>();
const addresses = new WeakMap<IncomingMessage, string>();

/** The owner key the identification middleware recorded for `req` (`unknown` if none ran). */
export function ownerOf(req: IncomingMessage): string {
  return owners.get(req) ?? 'unknown';
}

/**
 * The client's address the identification middleware recorded for `req` (the forwarded one only
 * from a trusted proxy); `unknown` if none ran.
 */
export function addressOf(req: IncomingMessage): string {
  return addresses.get(req) ?? 'unknown';
}

/** Decides who is behind each request; one per listening server. */
export class ClientIdentifier {
  private readonly peers = new PeerUidResolver();
  private readonly ownUid: number | undefined;
  private readonly trusted: ReadonlySet<string>;

  constructor(
    private readonly guard: HttpGuard,
    private readonly settings: IdentificationSettings = {},
  ) {
    this.ownUid = settings.ownUid ?? (typeof process.getuid === 'function' ? process.getuid() : undefined);
    this.trusted = new Set(settings.trustedProxies ?? []);
  }

  /** Identifies `req` and records its owner for {@link ownerOf}. Never rejects. */
  async identify(req: IncomingMessage): Promise<Identification> {
    const answer = await this.decide(req).catch((): Identification => ({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Forbidden: the client cannot be identified',
    }));
    if (answer.ok) {
      owners.set(req, answer.owner);
      addresses.set(req, answer.address);
    }
    return answer;
  }

  private async decide(req: IncomingMessage): Promise<Identification> {
    const address = this.clientAddress(req);
    if (this.guard.requiresToken) {
      const verdict = this.guard.checkToken(req);
      if (!verdict.ok) return verdict;
      return { ok: true, owner: `token:${this.guard.tokenId}`, address };
    }
    const uid = await this.peers.uidOf(req.socket);
    if (uid !== undefined && (uid === this.ownUid || uid === 0)) {
      return { ok: true, owner: `uid:${uid}`, address };
    }
    if (this.settings.allowLocalUsers) {
      return { ok: true, owner: uid !== undefined ? `uid:${uid}` : `addr:${address}`, address };
    }
    if (uid !== undefined) {
      return {
        ok: false,
        code: 'FORBIDDEN',
        message:
          `Forbidden: this connection belongs to another local user (uid ${uid}); smcp serves only its own ` +
          'user by default (give that user a bearer token, or start smcp with --allow-local-users)',
      };
    }
    return {
      ok: false,
      code: 'FORBIDDEN',
      message:
        'Forbidden: smcp cannot tell which local user opened this connection (it can on Linux over ' +
        'loopback only), so a bearer token is required: set --auth-token-file or SMCP_TOKEN ' +
        '(or start smcp with --allow-local-users)',
    };
  }

  /**
   * True when `owner` speaks for whoever runs smcp: the bearer token's holders, the daemon's own
   * OS user, or root. Others (another local user or an address, let in by `allowLocalUsers`) act
   * on their own calls only.
   */
  isOperator(owner: string): boolean {
    if (owner.startsWith('token:')) return true;
    return owner === 'uid:0' || (this.ownUid !== undefined && owner === `uid:${this.ownUid}`);
  }

  /** The client's address: the peer, or the first X-Forwarded-For hop when the peer is a trusted proxy. */
  private clientAddress(req: IncomingMessage): string {
    const peer = req.socket.remoteAddress ?? 'unknown';
    if (!this.trusted.has(peer)) return peer;
    const forwarded = headerValue(req, 'x-forwarded-for');
    // The proxy appends the address it saw last: that hop is the one a trusted proxy vouches for.
    const last = forwarded?.split(',').pop()?.trim();
    return last && isIP(last) ? last : peer;
  }
}
