/**
 * The faults the fuzz run found, each pinned by one direct case against a real
 * `smcp start --foreground`: a frame arriving after the server closed a WebSocket was counted in
 * flight forever (drain then waited its whole deadline); legacy /messages answered bad bodies with
 * plain text; a deeply nested body made the stateless leg answer 500.
 */
import { expect } from 'chai';
import { WebSocket } from 'ws';
import type { E2eServer } from '../e2e/helpers.js';
import { eventually, startE2eServer } from '../e2e/helpers.js';
import { LegacyStream, POST_HEADERS, RawHttp } from './fuzz-clients.js';

describe('fuzz regressions: malformed input the fuzz run found', function () {
  this.timeout(30_000);
  let server: E2eServer;
  let http: RawHttp;

  before(async () => {
    server = await startE2eServer();
    http = new RawHttp(server.base, 2);
  });
  after(async () => {
    http?.close();
    if (server) expect(await server.stop()).to.equal(0);
  });

  async function inFlight(): Promise<unknown[]> {
    const status = await http.send('GET', '/status', {});
    return (JSON.parse(status.body.toString()) as { inFlight: unknown[] }).inFlight;
  }

  it('counts nothing in flight for a request sent right after a binary frame closed the WebSocket', async () => {
    const ws = new WebSocket(`${server.base.replace(/^http/, 'ws')}/mcp`, 'mcp');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    expect(await closed).to.equal(1003);
    await new Promise((r) => setTimeout(r, 300));
    expect(await inFlight()).to.deep.equal([]);
  });

  it('answers legacy /messages bodies that are not JSON-RPC with JSON-RPC errors', async () => {
    const stream = await LegacyStream.open(server.base);
    try {
      const wrongType = await http.send('POST', stream.postPath, { 'content-type': 'text/plain' }, '{}');
      expect(wrongType.status).to.equal(415);
      expect(JSON.parse(wrongType.body.toString())).to.deep.include({ jsonrpc: '2.0', id: null });
      const notRpc = await http.send(
        'POST',
        stream.postPath,
        { ...POST_HEADERS },
        '[{"jsonrpc":"2.0"}, true]',
      );
      expect(notRpc.status).to.equal(400);
      const body = JSON.parse(notRpc.body.toString()) as { error: { code: number; message: string } };
      expect(body.error.code).to.equal(-32600);
      expect(await stream.toolCount(http)).to.equal(11);
    } finally {
      stream.close();
    }
  });

  it('refuses a body nested 5000 levels deep with 400 instead of an internal error', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'deep', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const deep = `${'{"a":'.repeat(5000)}{}${'}'.repeat(5000)}`;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/list',
      params: { _meta: meta, x: 0 },
    });
    const reply = await http.send(
      'POST',
      '/mcp',
      { ...POST_HEADERS, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      body.replace('"x":0', `"x":${deep}`),
    );
    expect(reply.status).to.equal(400);
    expect((JSON.parse(reply.body.toString()) as { error: { code: number } }).error.code).to.equal(-32600);
    await eventually(async () => ((await inFlight()).length === 0 ? true : undefined));
  });
});
