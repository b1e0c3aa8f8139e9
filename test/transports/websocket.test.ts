import { expect } from 'chai';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import type { TestServer } from './helpers.js';
import { installWebSocketGlobal, startTestServer, waitFor } from './helpers.js';
import { initializeBody, INITIALIZED_BODY } from '../helpers/mcp-messages.js';

/** Opens a raw ws connection; resolves once open (or rejects with the HTTP status). */
function openRaw(url: string, protocols: string[] = ['mcp']): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends one frame and resolves with the next message. */
function roundTrip(ws: WebSocket, frame: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) =>
      resolve(JSON.parse(data.toString('utf8')) as Record<string, unknown>),
    );
    ws.send(frame);
  });
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('WebSocket transport', () => {
  let srv: TestServer;
  let wsUrl: string;
  const clients: Client[] = [];
  const raws: WebSocket[] = [];

  before(async () => {
    installWebSocketGlobal();
    srv = await startTestServer();
    wsUrl = `${srv.handle.url.replace('http', 'ws')}/mcp`;
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    for (const ws of raws) ws.terminate();
    await srv.handle.close();
  });

  it('serves the v1 SDK WebSocketClientTransport: list, call, progress and context', async () => {
    const client = new Client({ name: 'ws-v1', version: '1' });
    await client.connect(new WebSocketClientTransport(new URL(wsUrl)));
    clients.push(client);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).to.include.members(['echo', 'slow']);
    const result = await client.callTool({ name: 'echo', arguments: { text: 'over ws' } });
    expect(result.content).to.deep.equal([{ type: 'text', text: 'over ws' }]);
    const ctx = (result.structuredContent as { context: { transport: string; tool: string } }).context;
    expect(ctx).to.include({ transport: 'websocket', tool: 'echo' });
    const progress: number[] = [];
    await client.callTool({ name: 'slow', arguments: { steps: 2, intervalMs: 5 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    // The v1 client dispatches notifications a tick late, so the last one may land after the result.
    expect(progress.slice(0, 1)).to.deep.equal([1]);
    expect(srv.tracker.sessionCounts().websocket).to.be.greaterThan(0);
  });

  it('cancels a running tool on notifications/cancelled', async () => {
    const client = new Client({ name: 'ws-cancel', version: '1' });
    await client.connect(new WebSocketClientTransport(new URL(wsUrl)));
    clients.push(client);
    const ac = new AbortController();
    const call = client.callTool(
      { name: 'slow', arguments: { steps: 500, intervalMs: 20, tag: 'ws-cancel' } },
      undefined,
      {
        signal: ac.signal,
      },
    );
    await waitFor(() => srv.tracker.list().some((r) => r.transport === 'websocket' && r.tool === 'slow'));
    ac.abort();
    await call.catch(() => {});
    await waitFor(() => srv.log.cancelled.includes('ws-cancel'));
    await waitFor(() => !srv.tracker.list().some((r) => r.transport === 'websocket'));
  });

  it('echoes subprotocol mcp, accepts an upgrade offering none, and refuses one offering only others', async () => {
    const ws = await openRaw(wsUrl);
    raws.push(ws);
    expect(ws.protocol).to.equal('mcp');
    const bare = await openRaw(wsUrl, []);
    raws.push(bare);
    expect(bare.protocol).to.equal('');
    let error = '';
    await openRaw(wsUrl, ['graphql-ws']).catch((e: Error) => (error = e.message));
    expect(error).to.equal('HTTP 400');
  });

  it('answers a bad frame with -32700 or -32600 and keeps the connection', async () => {
    const ws = await openRaw(wsUrl);
    raws.push(ws);
    const parse = await roundTrip(ws, '{not json');
    expect((parse.error as { code: number }).code).to.equal(-32700);
    const invalid = await roundTrip(ws, JSON.stringify({ hello: 'world' }));
    expect((invalid.error as { code: number }).code).to.equal(-32600);
    const init = await roundTrip(ws, initializeBody('raw'));
    expect(init.result).to.have.property('serverInfo');
    ws.send(INITIALIZED_BODY);
    const unknown = await roundTrip(ws, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'no/such' }));
    expect((unknown.error as { code: number }).code).to.equal(-32601);
  });

  it('closes with 1003 on a binary frame and 1009 on a frame over maxPayload', async () => {
    const small = await startTestServer({ webSocket: { maxPayloadBytes: 1024 } });
    try {
      const url = `${small.handle.url.replace('http', 'ws')}/mcp`;
      const a = await openRaw(url);
      const aClosed = closeCode(a);
      a.send(Buffer.from([1, 2, 3]));
      expect(await aClosed).to.equal(1003);
      const b = await openRaw(url);
      const bClosed = closeCode(b);
      b.send('x'.repeat(4096));
      expect(await bClosed).to.equal(1009);
    } finally {
      await small.handle.close();
    }
  });

  it('terminates a peer that stops answering pings', async () => {
    const fast = await startTestServer({ webSocket: { pingIntervalMs: 50 } });
    try {
      const url = `${fast.handle.url.replace('http', 'ws')}/mcp`;
      const ws = new WebSocket(url, ['mcp'], { autoPong: false });
      await new Promise((r) => ws.once('open', r));
      const code = closeCode(ws);
      expect(await code).to.equal(1006);
      await waitFor(() => fast.handle.stats().webSockets === 0);
    } finally {
      await fast.handle.close();
    }
  });

  it('closes idle connections with 1013 on drain, refuses new upgrades with 503, and 1001 on close', async () => {
    const d = await startTestServer();
    const url = `${d.handle.url.replace('http', 'ws')}/mcp`;
    const idle = await openRaw(url);
    const stays = await openRaw(url);
    void stays;
    const idleClosed = closeCode(idle);
    d.handle.drain();
    expect(await idleClosed).to.equal(1013);
    let error = '';
    await openRaw(url).catch((e: Error) => (error = e.message));
    expect(error).to.equal('HTTP 503');
    const d2 = await startTestServer();
    const url2 = `${d2.handle.url.replace('http', 'ws')}/mcp`;
    const open = await openRaw(url2);
    const shut = closeCode(open);
    await d2.handle.close();
    expect(await shut).to.equal(1001);
    await d.handle.close();
    await d2.handle.close();
  });

  it('gives the session slot back when an upgrade fails and when its connection closes', async () => {
    const s = await startTestServer({ maxSessionsPerClient: 1 });
    try {
      const url = `${s.handle.url.replace('http', 'ws')}/mcp`;
      // Past every check but ws's own: a malformed key is answered 400 and the socket closed.
      const failed = await new Promise<string>((resolve) => {
        const socket = connect(s.handle.port, '127.0.0.1');
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        socket.on('close', () => resolve(answer));
        socket.write(
          `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${s.handle.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-a-key\r\nSec-WebSocket-Protocol: mcp\r\n\r\n',
        );
      });
      expect(failed).to.match(/^HTTP\/1\.1 400/);
      const first = await openRaw(url);
      let error = '';
      await openRaw(url).catch((e: Error) => (error = e.message));
      expect(error).to.equal('HTTP 429');
      const closed = closeCode(first);
      first.close();
      await closed;
      await waitFor(() => s.handle.stats().webSockets === 0);
      const second = await openRaw(url);
      second.terminate();
    } finally {
      await s.handle.close();
    }
  });
});
