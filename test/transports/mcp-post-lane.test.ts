import { expect } from 'chai';
import { request } from 'node:http';
import type { TestServer } from './helpers.js';
import { JSON_HEADERS, modernEchoBody, startTestServer } from './helpers.js';
import { readResponse } from '../helpers/read-response.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs `body` to `url` with exactly `headers` (node:http, so Host and lengths can be anything). */
function post(url: string, headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers });
    req.on('response', (res) => {
      readResponse(res).then(
        ({ status, headers: h, text }) => resolve({ status, headers: h, body: text }),
        reject,
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The headers of an answer that do not vary between two answers to the same request. */
function stableHeaders(answer: Answer): Record<string, unknown> {
  const { date: _date, ...rest } = answer.headers;
  return rest;
}

const MODERN = {
  ...JSON_HEADERS,
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': 'echo',
};
const AUTH = { authorization: 'Bearer s3cret' };

/**
 * A plain `POST /mcp` is served without the express router; the same request with a query string
 * takes the express chain. Both must answer alike, refusals word for word.
 */
async function bothWays(srv: TestServer, headers: Record<string, string>, body: string | Buffer) {
  const withLength = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  const lane = await post(`${srv.handle.url}/mcp`, withLength, body);
  const chain = await post(`${srv.handle.url}/mcp?via=chain`, withLength, body);
  return { lane, chain };
}

describe('POST /mcp without the express router', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ token: 's3cret', maxBodyBytes: 4096 });
  });
  after(async () => {
    await srv.handle.close();
  });

  it('answers a stateless call as the express chain does, security headers included', async () => {
    const { lane, chain } = await bothWays(srv, { ...MODERN, ...AUTH }, modernEchoBody('lane'));
    expect(lane.status, lane.body).to.equal(200);
    expect(lane.body).to.include('lane');
    expect(lane.headers['content-security-policy']).to.equal(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
    expect(lane.headers['x-frame-options']).to.equal('DENY');
    expect(stableHeaders(lane)).to.deep.equal(stableHeaders(chain));
  });

  it('refuses a foreign Host, a missing or wrong token, bad JSON and deep nesting word for word', async () => {
    const deep = `${'['.repeat(1001)}${']'.repeat(1001)}`;
    const cases: [string, Record<string, string>, string, number][] = [
      ['foreign Host', { ...MODERN, ...AUTH, host: 'evil.example:80' }, modernEchoBody('x'), 403],
      ['no token', MODERN, modernEchoBody('x'), 401],
      ['wrong token', { ...MODERN, authorization: 'Bearer nope' }, modernEchoBody('x'), 401],
      ['not JSON', { ...MODERN, ...AUTH }, '{"jsonrpc":', 400],
      ['nested too deep', { ...MODERN, ...AUTH }, deep, 400],
    ];
    for (const [what, headers, body, status] of cases) {
      const { lane, chain } = await bothWays(srv, headers, body);
      expect(lane.status, what).to.equal(status);
      expect(lane.body, what).to.equal(chain.body);
      expect(stableHeaders(lane), what).to.deep.equal(stableHeaders(chain));
    }
  });

  it('reads a UTF-8 body with a byte order mark as body-parser does', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(modernEchoBody('bom'))]);
    const { lane, chain } = await bothWays(srv, { ...MODERN, ...AUTH }, body);
    expect(lane.status).to.equal(chain.status);
    expect(lane.body).to.include('bom');
  });

  it('refuses new calls while draining as the express chain does', async () => {
    const draining = await startTestServer({});
    try {
      draining.handle.drain();
      const { lane, chain } = await bothWays(draining, MODERN, modernEchoBody('x'));
      expect(lane.status).to.equal(503);
      expect(lane.headers.connection).to.equal('close');
      expect(lane.body).to.equal(chain.body);
      expect(stableHeaders(lane)).to.deep.equal(stableHeaders(chain));
    } finally {
      await draining.handle.close();
    }
  });
});
