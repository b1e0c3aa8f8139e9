import type { IncomingMessage } from 'node:http';
import { expect } from 'chai';
import {
  CsrfTokens,
  isSameOrigin,
  isStatusPagePath,
  loginCookie,
  statusPageToken,
} from '../../src/transports/status-page-session.js';

/** A request as the helpers read it: method, target and headers. */
function req(url: string, headers: Record<string, string> = {}, method = 'GET'): IncomingMessage {
  return { url, method, headers } as unknown as IncomingMessage;
}

describe('status page session', () => {
  it('takes the token from the cookie or login link on the page paths only', () => {
    const cookie = { cookie: 'other=1; smcp_ui=abc%3Bdef; x=y' };
    expect(statusPageToken(req('/ui', cookie))).to.equal('abc;def');
    expect(statusPageToken(req('/', cookie))).to.equal('abc;def');
    expect(statusPageToken(req('/ui/state', cookie))).to.equal('abc;def');
    expect(statusPageToken(req('/ui?token=t0k', cookie))).to.equal('t0k');
    for (const path of ['/mcp', '/status', '/metrics', '/uix', '/mcp/tools/call']) {
      expect(statusPageToken(req(path, cookie)), path).to.equal(undefined);
    }
    // The login link works on GET /ui only; a broken cookie value is no token.
    expect(statusPageToken(req('/ui/state?token=t0k'))).to.equal(undefined);
    expect(statusPageToken(req('/ui?token=t0k', {}, 'POST'))).to.equal(undefined);
    expect(statusPageToken(req('/ui', { cookie: 'smcp_ui=%E0%A4%A' }))).to.equal(undefined);
    expect(isStatusPagePath('/ui/')).to.equal(true);
    expect(loginCookie('a b')).to.equal('smcp_ui=a%20b; Path=/; HttpOnly; SameSite=Strict');
  });

  it('accepts a CSRF token only for the owner it was issued to, within its lifetime', () => {
    const tokens = new CsrfTokens();
    const now = 1_800_000_000_000;
    const token = tokens.issue('uid:1000', now);
    expect(tokens.verify(token, 'uid:1000', now + 60_000)).to.equal(true);
    expect(tokens.verify(token, 'uid:1001', now)).to.equal(false);
    expect(tokens.verify(token, 'uid:1000', now + 25 * 3600_000)).to.equal(false);
    expect(tokens.verify(new CsrfTokens().issue('uid:1000', now), 'uid:1000', now)).to.equal(false);
    for (const bad of [undefined, '', '.', 'x.y', `${now}.`, `${token}.extra`, token.slice(0, -1)]) {
      expect(tokens.verify(bad, 'uid:1000', now), String(bad)).to.equal(false);
    }
  });

  it('calls a POST same-origin only when its Origin names the Host it was sent to', () => {
    expect(
      isSameOrigin(req('/ui/cancel', { origin: 'http://127.0.0.1:8000', host: '127.0.0.1:8000' })),
    ).to.equal(true);
    expect(
      isSameOrigin(req('/ui/cancel', { origin: 'http://localhost:8000', host: '127.0.0.1:8000' })),
    ).to.equal(false);
    expect(isSameOrigin(req('/ui/cancel', { host: '127.0.0.1:8000' }))).to.equal(false);
  });
});
