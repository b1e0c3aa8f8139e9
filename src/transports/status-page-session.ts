/**
 * How a browser proves itself to the status page. A browser cannot put a bearer token in an
 * `Authorization` header when it navigates, so on the page's own paths (and only there) the token
 * may come from the `smcp_ui` cookie, which `GET /ui?token=…` sets once (HttpOnly, SameSite=Strict)
 * before redirecting to a URL without it. `/mcp` and every other route still take the header only.
 *
 * The page's one state-changing request (cancel) also needs a CSRF token: an HMAC over the
 * requester's owner key and the time it was issued, under a secret that lives as long as the
 * process. It is handed out inside the page and sent back in the `X-Smcp-Csrf` header, which no
 * cross-site form can set and no other origin can send without a CORS preflight smcp refuses.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { headerValue } from './http-io.js';
import { requestTarget } from './request-path.js';

/** The cookie that carries the bearer token on the status page's paths. */
export const STATUS_PAGE_COOKIE = 'smcp_ui';
/** The header the page's POSTs carry their CSRF token in. */
export const CSRF_HEADER = 'x-smcp-csrf';
/** How long a page's CSRF token stays good: a tab left open for a working day. */
const CSRF_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** True for the status page's paths: `/`, `/ui` and everything under `/ui/`. */
export function isStatusPagePath(path: string): boolean {
  return path === '/' || path === '/ui' || path.startsWith('/ui/');
}

/** The value of cookie `name` in the request's Cookie header(s), if present. */
function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (headerValue(req, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The `token` query parameter of `GET /ui?token=…` (the one-time login link), if any. */
export function loginToken(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return undefined;
  const target = requestTarget(req.url);
  if (target.path !== '/ui') return undefined;
  const value = target.query.get('token');
  return value === null || value === '' ? undefined : value;
}

/**
 * A token the browser presents on a status page path without an Authorization header: the login
 * link's query parameter, else the cookie. Undefined on every other path.
 */
export function statusPageToken(req: IncomingMessage): string | undefined {
  if (!isStatusPagePath(requestTarget(req.url).path)) return undefined;
  return loginToken(req) ?? cookieValue(req, STATUS_PAGE_COOKIE);
}

/** The Set-Cookie value that keeps `token` for the page's paths only, never sent cross-site. */
export function loginCookie(token: string): string {
  return `${STATUS_PAGE_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Issues and checks the page's CSRF tokens; one per server, its secret never leaves the process. */
export class CsrfTokens {
  private readonly secret = randomBytes(32);

  /** A token for pages served to `owner` now. */
  issue(owner: string, now = Date.now()): string {
    const issued = String(now);
    return `${issued}.${this.mac(owner, issued)}`;
  }

  /** True when `token` was issued to `owner` by this server within the last day. */
  verify(token: string | undefined, owner: string, now = Date.now()): boolean {
    if (token === undefined) return false;
    const [issued, mac, extra] = token.split('.');
    if (extra !== undefined || !issued || !mac || !/^\d{1,15}$/.test(issued)) return false;
    const age = now - Number(issued);
    if (age < 0 || age > CSRF_LIFETIME_MS) return false;
    const expected = Buffer.from(this.mac(owner, issued), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(owner: string, issued: string): string {
    return createHmac('sha256', this.secret).update(`${owner}\n${issued}`).digest('base64url');
  }
}

/**
 * Same-origin check for the page's POSTs: an Origin header must be present and name exactly the
 * Host the request was sent to (the chain has already refused Origins outside the allow-list; this
 * also refuses configured CORS origins, which may call /mcp but not act on the page).
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = headerValue(req, 'origin');
  const host = headerValue(req, 'host');
  if (!origin || !host) return false;
  return origin.toLowerCase() === `http://${host.toLowerCase()}`;
}
