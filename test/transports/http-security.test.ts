import { expect } from 'chai';
import { request } from 'node:http';
import { RequestTracker } from '../../src/mcp/request-tracker.js';
import { startHttpServer } from '../../src/transports/http-server.js';
import { createFixtureFactory } from './fixtures/fixture-factory.js';
import { createFixtureToolApi } from './fixtures/fixture-tool-api.js';
import type { TestServer } from './helpers.js';
import { JSON_HEADERS, modernEchoBody, startTestServer, waitFor } from './helpers.js';
import { readResponse } from '../helpers/read-response.js';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import type { ErrorCode } from '../../src/errors.js';

/** The fields these tests read from JSON bodies. */
interface Json {
  error: { code: number | string };
  tools: { name: string }[];
  inFlight: Record<string, unknown>[];
  pool: unknown;
  ready: boolean;
}
function json(body: string): Json {
  return JSON.parse(body) as Json;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (node:http, so Host can be set freely). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): { done: Promise<RawResponse>; abort: () => void } {
  const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} });
  const done = new Promise<RawResponse>((resolve, reject) => {
    req.on('response', (res) => {
      readResponse(res).then(({ status, headers, text }) => resolve({ status, headers, body: text }), reject);
    });
    req.on('error', reject);
  });
  req.end(options.body);
  return { done, abort: () => req.destroy() };
}

const MODERN = { ...JSON_HEADERS, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' };

function slowBody(steps: number): string {
  return modernEchoBody('x').replace(
    '"name":"echo","arguments":{"text":"x"}',
    `"name":"slow","arguments":{"steps":${steps},"intervalMs":20}`,
  );
}

describe('HTTP security defaults', () => {
  let srv: TestServer;
  let url: string;
  const aborted: string[] = [];
  before(async () => {
    srv = await startTestServer({
      token: 's3cret',
      toolApi: createFixtureToolApi(aborted),
      corsOrigins: ['https://app.example'],
      maxBodyBytes: 2048,
      maxConcurrentPerClient: 1,
      maxConcurrentPerAddress: 1,
      readiness: () => Promise.resolve({ ready: true }),
      extraStatus: () => ({ pool: { size: 4 } }),
    });
    url = srv.handle.url;
  });
  after(async () => {
    await srv.handle.close();
  });
  const auth = { authorization: 'Bearer s3cret' };

  it('refuses a bad Host header with 403 and a JSON-RPC error body (DNS rebinding)', async () => {
    const res = await raw(`${url}/mcp`, {
      method: 'POST',
      headers: { ...MODERN, ...auth, host: 'evil.example:80' },
      body: '{}',
    }).done;
    expect(res.status).to.equal(403);
    expect(json(res.body)).to.have.nested.property('error.code');
  });

  it('refuses a foreign Origin with 403 and accepts no Origin or a configured one', async () => {
    const bad = await raw(`${url}/mcp/tools`, { headers: { ...auth, origin: 'https://evil.example' } }).done;
    expect(bad.status).to.equal(403);
    const none = await raw(`${url}/mcp/tools`, { headers: auth }).done;
    expect(none.status).to.equal(200);
    const cors = await raw(`${url}/mcp/tools`, { headers: { ...auth, origin: 'https://app.example' } }).done;
    expect(cors.status).to.equal(200);
    expect(cors.headers['access-control-allow-origin']).to.equal('https://app.example');
  });

  it('answers a CORS preflight for a configured origin without the token', async () => {
    const res = await raw(`${url}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    }).done;
    expect(res.status).to.equal(204);
    expect(res.headers['access-control-allow-origin']).to.equal('https://app.example');
    expect(String(res.headers['access-control-allow-headers'])).to.contain('Mcp-Session-Id');
  });

  it('wants the bearer token everywhere but /healthz: 401 with WWW-Authenticate, 200 with it', async () => {
    expect((await raw(`${url}/healthz`).done).status).to.equal(200);
    const missing = await raw(`${url}/status`).done;
    expect(missing.status).to.equal(401);
    expect(missing.headers['www-authenticate']).to.match(/^Bearer/);
    const wrong = await raw(`${url}/mcp`, {
      method: 'POST',
      headers: { ...MODERN, authorization: 'Bearer nope' },
      body: '{}',
    }).done;
    expect(wrong.status).to.equal(401);
    const good = await raw(`${url}/mcp`, {
      method: 'POST',
      headers: { ...MODERN, ...auth, 'mcp-name': 'echo' },
      body: modernEchoBody('ok'),
    }).done;
    expect(good.status).to.equal(200);
    expect(good.body).to.contain('"text":"ok"');
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await raw(`${url}/mcp`, {
      method: 'POST',
      headers: { ...MODERN, ...auth },
      body: 'x'.repeat(4096),
    }).done;
    expect(res.status).to.equal(413);
  });

  it('answers malformed JSON with -32700 and keeps serving', async () => {
    const bad = await raw(`${url}/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...auth },
      body: '{"jsonrpc":',
    }).done;
    expect(bad.status).to.equal(400);
    expect(json(bad.body).error.code).to.equal(-32700);
    const ok = await raw(`${url}/healthz`).done;
    expect(ok.status).to.equal(200);
  });

  it('limits requests in flight per client: 429 with Retry-After', async () => {
    const first = raw(`${url}/mcp`, {
      method: 'POST',
      headers: { ...MODERN, ...auth, 'mcp-name': 'slow' },
      body: slowBody(100),
    });
    await waitFor(() => srv.tracker.activeCount === 1);
    const second = await raw(`${url}/mcp`, {
      method: 'POST',
      headers: { ...MODERN, ...auth, 'mcp-name': 'echo' },
      body: modernEchoBody('y'),
    }).done;
    expect(second.status).to.equal(429);
    expect(second.headers['retry-after']).to.equal('1');
    first.abort();
    await first.done.catch(() => {});
    await waitFor(() => srv.tracker.activeCount === 0);
  });

  it('serves the plain HTTP tool API with tracking and SmcpError statuses', async () => {
    const list = await raw(`${url}/mcp/tools`, { headers: auth }).done;
    expect(json(list.body).tools.map((t) => t.name)).to.deep.equal(['echo', 'wait']);
    const call = await raw(`${url}/mcp/tools/call`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'echo', arguments: { text: 'curl' } }),
    }).done;
    expect(call.status).to.equal(200);
    expect(json(call.body)).to.deep.include({
      structuredContent: { transport: 'http-api', tool: 'echo' },
    });
    const unknown = await raw(`${url}/mcp/tools/call`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nope' }),
    }).done;
    expect(unknown.status).to.equal(404);
    expect(json(unknown.body).error.code).to.equal('NOT_FOUND');
    const bad = await raw(`${url}/mcp/tools/call`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'echo', arguments: 'nope' }),
    }).done;
    expect(bad.status).to.equal(400);
    const waiting = raw(`${url}/mcp/tools/call`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'wait' }),
    });
    await waitFor(() => srv.tracker.list().some((r) => r.tool === 'wait' && r.transport === 'http-api'));
    const status = json((await raw(`${url}/status`, { headers: auth }).done).body);
    expect(status.inFlight[0]).to.include({ tool: 'wait', transport: 'http-api' });
    expect(status.pool).to.deep.equal({ size: 4 });
    waiting.abort();
    await waiting.done.catch(() => {});
    await waitFor(() => aborted.includes('wait'));
  });

  it('reports readiness, then drains: 503 with Retry-After and Connection: close, /readyz not ready', async () => {
    const d = await startTestServer({ readiness: () => Promise.resolve(false) });
    try {
      const notReady = await raw(`${d.handle.url}/readyz`).done;
      expect(notReady.status).to.equal(503);
      expect(json(notReady.body).ready).to.equal(false);
      expect((await raw(`${url}/readyz`, { headers: auth }).done).status).to.equal(200);
      d.handle.drain();
      const res = await raw(`${d.handle.url}/mcp`, {
        method: 'POST',
        headers: MODERN,
        body: modernEchoBody('z'),
      }).done;
      expect(res.status).to.equal(503);
      expect(res.headers['retry-after']).to.be.a('string');
      expect(res.headers.connection).to.equal('close');
      expect(json((await raw(`${d.handle.url}/readyz`).done).body)).to.deep.equal({
        ready: false,
        reason: 'draining',
      });
      expect((await raw(`${d.handle.url}/healthz`).done).status).to.equal(200);
    } finally {
      await d.handle.close();
      await d.handle.close();
    }
  });

  it('puts the security headers on every answer: probes, refusals, MCP, the tool API, 404s', async () => {
    const answers = [
      await raw(`${url}/healthz`).done,
      await raw(`${url}/status`).done, // 401: no token
      await raw(`${url}/status`, { headers: auth }).done,
      await raw(`${url}/nowhere`, { headers: auth }).done,
      await raw(`${url}/mcp`, {
        method: 'POST',
        headers: { ...MODERN, ...auth, host: 'evil.example' },
        body: '{}',
      }).done,
      await raw(`${url}/mcp`, {
        method: 'POST',
        headers: { ...MODERN, ...auth, 'mcp-name': 'echo' },
        body: modernEchoBody('h'),
      }).done,
      await raw(`${url}/mcp`, { method: 'POST', headers: { ...MODERN, ...auth }, body: 'x'.repeat(4096) })
        .done,
      await raw(`${url}/mcp/tools`, { headers: auth }).done,
      await raw(`${url}/mcp`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      }).done,
    ];
    expect(answers.map((a) => a.status)).to.deep.equal([200, 401, 200, 404, 403, 200, 413, 200, 204]);
    for (const a of answers) {
      expect(a.headers['x-content-type-options'], `status ${a.status}`).to.equal('nosniff');
      expect(a.headers['x-frame-options'], `status ${a.status}`).to.equal('DENY');
      expect(a.headers['referrer-policy'], `status ${a.status}`).to.equal('no-referrer');
      expect(a.headers['content-security-policy'], `status ${a.status}`).to.match(/default-src 'none'/);
      expect(a.headers['content-security-policy']).to.match(/frame-ancestors 'none'/);
      expect(a.headers['x-powered-by']).to.equal(undefined);
    }
  });

  it('derives every refusal status from the error catalogue and names the code in the body', async () => {
    const answers = [
      await raw(`${url}/status`).done,
      await raw(`${url}/nowhere`, { headers: auth }).done,
      await raw(`${url}/mcp`, {
        method: 'POST',
        headers: { ...MODERN, ...auth, host: 'evil.example' },
        body: '{}',
      }).done,
      await raw(`${url}/mcp`, { method: 'PUT', headers: { ...MODERN, ...auth } }).done,
      await raw(`${url}/mcp`, { method: 'POST', headers: { ...MODERN, ...auth }, body: 'x'.repeat(4096) })
        .done,
      await raw(`${url}/mcp`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain' },
        body: '{}',
      }).done,
      await raw(`${url}/mcp`, { method: 'POST', headers: { ...MODERN, ...auth }, body: '{oops' }).done,
      await raw(`${url}/mcp/tools/call`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/plain' },
        body: '{}',
      }).done,
      await raw(`${url}/mcp`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, ...auth, 'mcp-session-id': 'no-such-session' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      }).done,
    ];
    const seen: string[] = [];
    for (const a of answers) {
      const body = JSON.parse(a.body) as { error: { code: number | string; data?: { code: ErrorCode } } };
      const code = (
        typeof body.error.code === 'string' ? body.error.code : body.error.data?.code
      ) as ErrorCode;
      expect(code, a.body).to.be.a('string');
      expect(a.status, code).to.equal(ERROR_CATALOGUE[code].http);
      seen.push(code);
    }
    expect(seen).to.deep.equal([
      'UNAUTHORIZED',
      'ROUTE_NOT_FOUND',
      'FORBIDDEN',
      'METHOD_NOT_ALLOWED',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'PARSE_ERROR',
      'UNSUPPORTED_MEDIA_TYPE',
      'SESSION_NOT_FOUND',
    ]);
  });

  it('treats paths exactly: no case folding or trailing-slash aliases of /mcp', async () => {
    for (const path of ['/MCP', '/mcp/', '/Mcp/tools', '/mcp/tools/']) {
      const res = await raw(`${url}${path}`, { headers: auth }).done;
      expect(res.status, path).to.equal(404);
    }
  });

  it('refuses to listen on a non-loopback host without a token', async () => {
    let error: unknown;
    await startHttpServer({
      factory: createFixtureFactory(),
      tracker: new RequestTracker(),
      host: '0.0.0.0',
      port: 0,
    }).catch((e: unknown) => (error = e));
    expect(error).to.have.property('code', 'CONFIG_INVALID');
    expect(error).to.have.nested.property('details.field', 'token');
  });
});
