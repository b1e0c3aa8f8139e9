/**
 * HTTP security policy for every route and the WebSocket upgrade: Host and Origin allow-lists
 * (DNS rebinding), bearer token check in constant time, CORS for configured origins only, and the
 * rule that a non-loopback bind needs a token. Decisions are pure functions of the request headers
 * so the HTTP routes and the upgrade handler share them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SmcpError } from '../errors.js';
import { headerValue } from './http-io.js';
import { statusPageToken } from './status-page-session.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True when `host` is a loopback bind address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Refuses a non-loopback bind without a bearer token: CONFIG_INVALID naming the `token` option.
 */
export function assertBindAllowed(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && !token) {
    throw new SmcpError(
      'CONFIG_INVALID',
      `refusing to listen on ${host} without a bearer token: set the token option (or bind 127.0.0.1)`,
      { field: 'token' },
    );
  }
}

/** The decision for one request. */
export type GuardVerdict =
  | { ok: true }
  | { ok: false; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string; headers?: Record<string, string> };

/** Settings the guard is built from (after listen, so the real port is known). */
export interface GuardSettings {
  host: string;
  port: number;
  token?: string;
  allowedHosts?: readonly string[];
  allowedOrigins?: readonly string[];
  corsOrigins?: readonly string[];
}

/** Request headers a configured CORS origin may send. */
export const CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'Authorization',
  'Accept',
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
];
/** Response headers a configured CORS origin may read. */
export const CORS_EXPOSED_HEADERS = [
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'WWW-Authenticate',
  'Retry-After',
];

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Host/Origin/token/CORS policy for one listening server. */
export class HttpGuard {
  private readonly hosts: Set<string> | undefined;
  private readonly origins: Set<string>;
  private readonly cors: Set<string>;
  private readonly tokenHash: Buffer | undefined;
  /** A short fingerprint of the token: names its holders as one identity without revealing it. */
  readonly tokenId: string | undefined;

  constructor(settings: GuardSettings) {
    for (const origin of settings.corsOrigins ?? []) {
      if (origin === '*' || origin.includes('*')) {
        throw new SmcpError('CONFIG_INVALID', 'corsOrigins must list exact origins, never *', {
          field: 'corsOrigins',
        });
      }
    }
    const port = settings.port;
    const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];
    const bind = bracketed(settings.host);
    const defaultHosts = loopbackNames.map((name) => `${name}:${port}`);
    if (!isLoopbackHost(settings.host) && settings.host !== '0.0.0.0' && settings.host !== '::') {
      defaultHosts.push(`${bind}:${port}`);
    }
    const hosts = settings.allowedHosts ?? defaultHosts;
    this.hosts = hosts.includes('*') ? undefined : new Set(hosts.map((h) => h.toLowerCase()));
    const defaultOrigins = loopbackNames.map((name) => `http://${name}:${port}`);
    this.cors = new Set((settings.corsOrigins ?? []).map((o) => o.toLowerCase()));
    this.origins = new Set(
      [...(settings.allowedOrigins ?? defaultOrigins), ...this.cors].map((o) => o.toLowerCase()),
    );
    this.tokenHash = settings.token ? sha256(settings.token) : undefined;
    this.tokenId = this.tokenHash
      ? createHash('sha256').update(this.tokenHash).digest('hex').slice(0, 12)
      : undefined;
  }

  /** True when a token is configured. */
  get requiresToken(): boolean {
    return this.tokenHash !== undefined;
  }

  /** Host and Origin checks (403); applies to every route, /healthz included. */
  checkHostAndOrigin(req: IncomingMessage): GuardVerdict {
    if (this.hosts) {
      const host = headerValue(req, 'host')?.toLowerCase();
      if (!host || !(this.hosts.has(host) || this.hosts.has(host.replace(/:\d+$/, '')))) {
        return {
          ok: false,
          code: 'FORBIDDEN',
          message: `Forbidden: Host header ${host ?? '(missing)'} is not allowed`,
        };
      }
    }
    const origin = headerValue(req, 'origin');
    if (origin !== undefined && !this.origins.has(origin.toLowerCase())) {
      return { ok: false, code: 'FORBIDDEN', message: `Forbidden: Origin ${origin} is not allowed` };
    }
    return { ok: true };
  }

  /**
   * Bearer token check (401 with `WWW-Authenticate: Bearer`); passes when no token is configured.
   * The token comes from the Authorization header, or on the status page's paths only from its
   * cookie or login link (status-page-session.ts).
   */
  checkToken(req: IncomingMessage): GuardVerdict {
    if (!this.tokenHash) return { ok: true };
    const auth = headerValue(req, 'authorization');
    // Without the header, a browser on the status page's own paths may carry it in a cookie.
    const presented = auth === undefined ? statusPageToken(req) : /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1];
    const challenge = { 'WWW-Authenticate': 'Bearer realm="smcp"' };
    if (presented === undefined) {
      return {
        ok: false,
        code: 'UNAUTHORIZED',
        message: 'Unauthorized: a bearer token is required',
        headers: challenge,
      };
    }
    // Compare fixed-length digests so neither length nor content leaks through timing.
    if (!timingSafeEqual(sha256(presented), this.tokenHash)) {
      return {
        ok: false,
        code: 'UNAUTHORIZED',
        message: 'Unauthorized: the bearer token is wrong',
        headers: { 'WWW-Authenticate': 'Bearer realm="smcp", error="invalid_token"' },
      };
    }
    return { ok: true };
  }

  /** True when `origin` is a configured CORS origin (exact match, case-insensitive). */
  isCorsOrigin(origin: string): boolean {
    return this.cors.has(origin.toLowerCase());
  }
}
