/**
 * The status page on the MCP port: `GET /` and `GET /ui` serve a small HTML page (no build step,
 * no external assets: `static/status-page/` in the package) that polls `GET /ui/state` and can
 * cancel a call in flight with `POST /ui/cancel`. It sits inside the app's one middleware chain,
 * after the Host/Origin, token and local-user checks, so it is refused exactly as `/mcp` is.
 *
 * - Its numbers are the `/status` document itself (health-routes.ts) plus the metrics' recent
 *   calls and counters (StatusPageSource): no bookkeeping of its own.
 * - Its answers carry a CSP that allows only its own files (`default-src 'self'`, no inline script)
 *   and forbids framing; the page's script writes every string with textContent, never as HTML.
 * - A cancel needs the same-origin check, the page's CSRF token in `X-Smcp-Csrf` and a JSON body;
 *   it goes through RequestTracker.cancel, the same abort a client's own cancel makes, so the
 *   statement is cancelled in Snowflake and the client gets QUERY_CANCELLED. Operators (token
 *   holders, the daemon's own user, root) cancel any call; other owners only their own.
 */
import { readFile } from 'node:fs/promises';
import express from 'express';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { ClientIdentifier } from './client-identification.js';
import { addressOf, ownerOf } from './client-identification.js';
import type { StatusPageFacts, StatusPageSource } from './contracts.js';
import { statusDocument } from './health-routes.js';
import type { HealthDeps } from './health-routes.js';
import { headerValue, isRecord, sendJson, sendPlainRefusal } from './http-io.js';
import { isLoopbackHost } from './http-security.js';
import type { HttpGuard } from './http-security.js';
import { jsonBody } from './json-body.js';
import type { Logger } from '../logger.js';
import {
  CSRF_HEADER,
  CsrfTokens,
  isSameOrigin,
  isStatusPagePath,
  loginCookie,
  loginToken,
} from './status-page-session.js';

/** What the page's routes read. */
export interface StatusPageDeps {
  readonly guard: HttpGuard;
  readonly identifier: ClientIdentifier;
  readonly health: HealthDeps;
  readonly facts: StatusPageSource | undefined;
  readonly logger: Logger;
}

/** The page's files, next to dist/ and src/ alike (both sit two levels below the package root). */
const ASSET_DIR = new URL('../../static/status-page/', import.meta.url);

const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** Only the page's own files, no inline script or style, no framing, no forms, no plugins. */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NO_STORE = { 'Cache-Control': 'no-store' };

/** Largest cancel body: `{"requestId":"<uuid>"}` and room to spare. */
const CANCEL_BODY_BYTES = 4096;

const EMPTY_FACTS: StatusPageFacts = { recentCalls: [], refusals: {}, outcomes: {} };

/** The page's files, read once on first use. */
function assetReader(): (name: string) => Promise<Buffer> {
  const cache = new Map<string, Promise<Buffer>>();
  return (name) => {
    let file = cache.get(name);
    if (!file) {
      file = readFile(new URL(name, ASSET_DIR));
      // A failed read is retried on the next request rather than remembered.
      file.catch(() => cache.delete(name));
      cache.set(name, file);
    }
    return file;
  };
}

function methodNotAllowed(path: string, allow: string): RequestHandler {
  return (_req, res) => sendPlainRefusal(res, 'METHOD_NOT_ALLOWED', `use ${allow} ${path}`, { Allow: allow });
}

/** The routes of the status page, for the app to mount after its identification step. */
export function statusPageRouter(deps: StatusPageDeps): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const csrf = new CsrfTokens();
  const asset = assetReader();

  // An operator's console: even a daemon bound beyond loopback (with a token) serves it only to
  // clients on this machine.
  router.use((req, res, next) => {
    if (!isStatusPagePath(req.path) || isLoopbackAddress(addressOf(req))) return next();
    sendPlainRefusal(
      res,
      'FORBIDDEN',
      'Forbidden: the status page is served to clients on this machine only',
    );
  });

  const send = async (res: Response, name: string, transform?: (text: string) => string): Promise<void> => {
    let body: Buffer;
    try {
      body = await asset(name);
    } catch {
      deps.logger.error('status page file missing', { file: name });
      sendPlainRefusal(res, 'INTERNAL', `the status page's ${name} is missing from this installation`);
      return;
    }
    const text = transform ? Buffer.from(transform(body.toString('utf8')), 'utf8') : body;
    res
      .status(200)
      .set({ ...NO_STORE, 'Content-Type': ASSETS[name], 'Content-Security-Policy': PAGE_CSP })
      .send(text);
  };

  const page = async (req: Request, res: Response): Promise<void> => {
    if (loginToken(req) !== undefined) {
      // The login link's token passed the chain's check only when no header overrode it.
      const fromLink = deps.guard.requiresToken && headerValue(req, 'authorization') === undefined;
      if (fromLink) res.set('Set-Cookie', loginCookie(loginToken(req)!));
      // Off the address bar and out of the history as soon as possible.
      res
        .status(303)
        .set({ ...NO_STORE, Location: '/ui' })
        .end();
      return;
    }
    const token = csrf.issue(ownerOf(req));
    await send(res, 'index.html', (html) => html.replaceAll('{{CSRF_TOKEN}}', token));
  };
  router.get('/', page);
  router.get('/ui', page);
  router.all(['/', '/ui'], methodNotAllowed('/ui', 'GET'));
  router.get('/ui/app.js', (_req, res) => send(res, 'app.js'));
  router.get('/ui/app.css', (_req, res) => send(res, 'app.css'));
  // Browsers ask for an icon on their own; without one they ask /favicon.ico, outside the page.
  router.get('/ui/favicon.svg', (_req, res) => send(res, 'favicon.svg'));

  router.get('/ui/state', async (req, res) => {
    const [status, facts] = await Promise.all([
      statusDocument(deps.health),
      deps.facts ? deps.facts() : Promise.resolve(EMPTY_FACTS),
    ]);
    sendJson(res, 200, { status, ...facts, operator: deps.identifier.isOperator(ownerOf(req)) }, NO_STORE);
  });
  router.all('/ui/state', methodNotAllowed('/ui/state', 'GET'));

  const checkCsrf: RequestHandler = (req, res, next) => {
    if (!isSameOrigin(req)) {
      return sendPlainRefusal(
        res,
        'FORBIDDEN',
        'Forbidden: a status page action must come from the page itself (Origin missing or not this host)',
      );
    }
    if (!csrf.verify(headerValue(req, CSRF_HEADER), ownerOf(req))) {
      return sendPlainRefusal(
        res,
        'FORBIDDEN',
        'Forbidden: the status page token (X-Smcp-Csrf) is missing, expired or not yours: reload the page',
      );
    }
    next();
  };
  router.post(
    '/ui/cancel',
    checkCsrf,
    ...jsonBody(CANCEL_BODY_BYTES, 'plain'),
    (req: Request, res: Response) => cancel(req, res, deps),
  );
  router.all('/ui/cancel', methodNotAllowed('/ui/cancel', 'POST'));
  return router;
}

/** True for 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
function isLoopbackAddress(address: string): boolean {
  const plain = address.toLowerCase().replace(/^::ffff:/, '');
  return plain !== 'localhost' && isLoopbackHost(plain);
}

/** `POST /ui/cancel` with `{requestId}`: cancels that call as its client's own cancel would. */
function cancel(req: Request, res: Response, deps: StatusPageDeps): void {
  const body: unknown = req.body;
  const requestId = isRecord(body) ? body.requestId : undefined;
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > 200) {
    sendPlainRefusal(res, 'USAGE', 'the body must be {"requestId": "<id of a call in flight>"}');
    return;
  }
  const owner = ownerOf(req);
  const operator = deps.identifier.isOperator(owner);
  const outcome = deps.health.tracker.cancel(
    requestId,
    'cancelled by an operator on the status page',
    (call) => operator || call.owner === owner,
  );
  switch (outcome) {
    case 'cancelled':
      deps.logger.info('call cancelled from the status page', { requestId, by: owner });
      sendJson(res, 200, { cancelled: true, requestId }, NO_STORE);
      return;
    case 'forbidden':
      sendPlainRefusal(res, 'FORBIDDEN', 'Forbidden: that call belongs to another client');
      return;
    case 'not-cancellable':
      sendPlainRefusal(res, 'NOT_FOUND', 'that request runs no tool call that can be cancelled');
      return;
    case 'not-found':
      sendPlainRefusal(res, 'NOT_FOUND', 'no call with that id is in flight (it may have just ended)');
  }
}
