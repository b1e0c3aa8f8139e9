import { expect } from 'chai';
import type { TestServer } from './helpers.js';
import { startTestServer } from './helpers.js';

const TOKEN = 'status-page-unit-token-31d9c2';
const AUTH = { authorization: `Bearer ${TOKEN}` };

describe('status page routes', () => {
  let server: TestServer;
  let base: string;

  before(async () => {
    // A trusted proxy on loopback, so a request can claim to come from elsewhere.
    server = await startTestServer({ token: TOKEN, trustedProxies: ['127.0.0.1'] });
    base = server.handle.url;
  });
  after(() => server.handle.close());

  /** The page's HTML and the CSRF token in it. */
  async function pageToken(): Promise<string> {
    const html = await (await fetch(`${base}/ui`, { headers: AUTH })).text();
    const match = /<meta name="smcp-csrf" content="([^"]+)"/.exec(html);
    expect(match, 'CSRF meta tag').to.not.equal(null);
    return match![1];
  }

  it('serves the page and its files from the package under a CSP that allows only them', async () => {
    for (const path of ['/', '/ui']) {
      const res = await fetch(`${base}${path}`, { headers: AUTH });
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).to.include("default-src 'self'").and.include("frame-ancestors 'none'");
      expect(csp).to.include("script-src 'self'").and.not.include('unsafe');
      expect(res.headers.get('x-frame-options')).to.equal('DENY');
      const html = await res.text();
      expect(html).to.include('<script src="/ui/app.js" defer></script>');
      expect(html).not.to.match(/<script>|<script [^>]*>[^<]/);
    }
    const js = await fetch(`${base}/ui/app.js`, { headers: AUTH });
    expect(js.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(await js.text())
      .to.include('textContent')
      .and.not.include('innerHTML');
    const state = (await (await fetch(`${base}/ui/state`, { headers: AUTH })).json()) as Record<
      string,
      unknown
    >;
    expect(state).to.include.keys('status', 'recentCalls', 'outcomes', 'refusals', 'operator');
    expect(state.operator).to.equal(true);
    expect((await fetch(`${base}/ui/nothing`, { headers: AUTH })).status).to.equal(404);
    expect((await fetch(`${base}/ui`, { method: 'POST', headers: AUTH })).status).to.equal(405);
  });

  it('trades a right login link for a cookie and refuses a wrong one', async () => {
    const res = await fetch(`${base}/ui?token=${TOKEN}`, { redirect: 'manual' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/ui');
    expect(res.headers.get('set-cookie')).to.equal(`smcp_ui=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`);
    const wrong = await fetch(`${base}/ui?token=nope`, { redirect: 'manual' });
    expect(wrong.status).to.equal(401);
    expect(wrong.headers.get('set-cookie')).to.equal(null);
  });

  it('serves the page to clients on this machine only, while /status stays as it was', async () => {
    const remote = { ...AUTH, 'x-forwarded-for': '203.0.113.9' };
    for (const path of ['/', '/ui', '/ui/state', '/ui/app.js']) {
      const res = await fetch(`${base}${path}`, { headers: remote });
      expect(res.status, path).to.equal(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).to.include(
        'clients on this machine only',
      );
    }
    expect((await fetch(`${base}/status`, { headers: remote })).status).to.equal(200);
  });

  it('takes a cancel only from the page itself, as JSON naming a call in flight', async () => {
    const token = await pageToken();
    const post = (body: string, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${base}/ui/cancel`, {
        method: 'POST',
        headers: {
          ...AUTH,
          origin: base,
          'x-smcp-csrf': token,
          'content-type': 'application/json',
          ...headers,
        },
        body,
      });
    const codeOf = async (res: Response): Promise<[number, string]> => [
      res.status,
      ((await res.json()) as { error: { code: string } }).error.code,
    ];
    expect(await codeOf(await post('{"requestId":"no-such-call"}'))).to.deep.equal([404, 'NOT_FOUND']);
    expect(await codeOf(await post('{"id":1}'))).to.deep.equal([400, 'USAGE']);
    expect(await codeOf(await post('{', {}))).to.deep.equal([400, 'PARSE_ERROR']);
    expect(await codeOf(await post('{"requestId":"x"}', { 'content-type': 'text/plain' }))).to.deep.equal([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    expect(await codeOf(await post('{"requestId":"x"}', { 'x-smcp-csrf': `${token}0` }))).to.deep.equal([
      403,
      'FORBIDDEN',
    ]);
    // Another allowed origin (localhost vs 127.0.0.1) is still not the page's own.
    const other = base.replace('127.0.0.1', 'localhost');
    expect(await codeOf(await post('{"requestId":"x"}', { origin: other }))).to.deep.equal([
      403,
      'FORBIDDEN',
    ]);
    expect((await fetch(`${base}/ui/cancel`, { headers: AUTH })).status).to.equal(405);
  });
});
