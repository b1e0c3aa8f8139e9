import { expect } from 'chai';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { TestServer } from './helpers.js';
import { JSON_HEADERS, modernEchoBody, startTestServer, waitFor } from './helpers.js';
import { initializeBody } from '../helpers/mcp-messages.js';

describe('Streamable HTTP transport', () => {
  let srv: TestServer;
  const clients: Client[] = [];

  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await srv.handle.close();
  });

  async function connect(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
    const client = new Client({ name: 'http-test', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(`${srv.handle.url}/mcp`));
    await client.connect(transport);
    clients.push(client);
    return { client, transport };
  }

  it('serves a session: list, call, request context and a session id', async () => {
    const { client, transport } = await connect();
    expect(transport.sessionId).to.be.a('string');
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).to.include.members(['echo', 'slow']);
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hello' } });
    expect(result.content).to.deep.equal([{ type: 'text', text: 'hello' }]);
    const structured = result.structuredContent as {
      context: Record<string, unknown>;
      identity: Record<string, unknown>;
    };
    expect(structured.context).to.deep.equal({
      transport: 'http',
      clientId: transport.sessionId,
      tool: 'echo',
    });
    expect(structured.identity).to.include({ sessionId: transport.sessionId, clientName: 'http-test' });
    expect(srv.tracker.sessionCounts().http).to.be.greaterThan(0);
  });

  it('ends a session on DELETE, answers 404 for it after, and the client can re-initialize', async () => {
    const { client, transport } = await connect();
    const sessionId = transport.sessionId!;
    const before = srv.handle.stats().httpSessions;
    await transport.terminateSession();
    expect(srv.handle.stats().httpSessions).to.equal(before - 1);
    const res = await fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { error: { code: number } }).error.code).to.equal(-32001);
    await client.close();
    const again = await connect();
    expect(again.transport.sessionId).to.not.equal(sessionId);
    expect((await again.client.listTools()).tools.length).to.be.greaterThan(0);
  });

  it('opens a GET event stream on a session and answers 400 without a session id', async () => {
    const init = await fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: initializeBody('raw'),
    });
    expect(init.status).to.equal(200);
    const sessionId = init.headers.get('mcp-session-id');
    expect(sessionId).to.be.a('string');
    await init.text();
    const ac = new AbortController();
    const res = await fetch(`${srv.handle.url}/mcp`, {
      headers: {
        accept: 'text/event-stream',
        'mcp-session-id': sessionId!,
        'mcp-protocol-version': '2025-11-25',
      },
      signal: ac.signal,
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/text\/event-stream/);
    ac.abort();
    const noSession = await fetch(`${srv.handle.url}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(noSession.status).to.equal(400);
    const unknown = await fetch(`${srv.handle.url}/mcp`, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': 'nope' },
    });
    expect(unknown.status).to.equal(404);
  });

  it('sends progress and cancels a running tool when the client aborts', async () => {
    const { client } = await connect();
    const progress: number[] = [];
    const done = await client.callTool(
      { name: 'slow', arguments: { steps: 3, intervalMs: 10 } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(done.content).to.deep.equal([{ type: 'text', text: 'done 3' }]);
    expect(progress).to.deep.equal([1, 2, 3]);

    const ac = new AbortController();
    const call = client.callTool(
      { name: 'slow', arguments: { steps: 500, intervalMs: 20, tag: 'http-cancel' } },
      { signal: ac.signal, onprogress: () => {} },
    );
    await waitFor(() => srv.tracker.list().some((r) => r.tool === 'slow'));
    ac.abort();
    let failed = false;
    await call.catch(() => (failed = true));
    expect(failed).to.equal(true);
    await waitFor(() => srv.log.cancelled.includes('http-cancel'));
    await waitFor(() => !srv.tracker.list().some((r) => r.tool === 'slow'));
  });

  it('serves a stateless 2026-07-28 request and refuses a header/body mismatch with 400', async () => {
    const headers = {
      ...JSON_HEADERS,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
    };
    const ok = await fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers,
      body: modernEchoBody('modern'),
    });
    expect(ok.status).to.equal(200);
    const body = (await ok.json()) as {
      result: { content: unknown[]; structuredContent: { context: { transport: string } } };
    };
    expect(body.result.content).to.deep.equal([{ type: 'text', text: 'modern' }]);
    expect(body.result.structuredContent.context.transport).to.equal('http-stateless');
    expect(ok.headers.get('mcp-session-id')).to.equal(null);

    const bad = await fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers: { ...headers, 'mcp-method': 'tools/list' },
      body: modernEchoBody('x'),
    });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: number } }).error.code).to.equal(-32020);
  });

  it('answers malformed JSON with -32700 and an unknown method with -32601, then keeps serving', async () => {
    const { transport } = await connect();
    const parse = await fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"jsonrpc": "2.0", "id": 1, ',
    });
    expect(parse.status).to.equal(400);
    expect(((await parse.json()) as { error: { code: number } }).error.code).to.equal(-32700);
    const unknown = await fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers: {
        ...JSON_HEADERS,
        'mcp-session-id': transport.sessionId!,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'no/such/method' }),
    });
    const text = await unknown.text();
    expect(text).to.contain('-32601');
    const { client } = await connect();
    expect((await client.listTools()).tools.length).to.be.greaterThan(0);
  });

  it('closes sessions idle past the timeout', async () => {
    // Long enough that the handshake's two requests never straddle it on a busy machine.
    const short = await startTestServer({ sessionIdleTimeoutMs: 1000 });
    try {
      const client = new Client({ name: 'idle', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${short.handle.url}/mcp`)));
      expect(short.handle.stats().httpSessions).to.equal(1);
      await waitFor(() => short.handle.stats().httpSessions === 0, 15_000);
      await client.close();
    } finally {
      await short.handle.close();
    }
  });

  it('serves without sessions in stateless mode', async () => {
    const stateless = await startTestServer({ stateless: true });
    try {
      const client = new Client({ name: 'lb', version: '1' });
      const transport = new StreamableHTTPClientTransport(new URL(`${stateless.handle.url}/mcp`));
      await client.connect(transport);
      const result = await client.callTool({ name: 'echo', arguments: { text: 'no session' } });
      expect(result.content).to.deep.equal([{ type: 'text', text: 'no session' }]);
      expect(stateless.handle.stats().httpSessions).to.equal(0);
      await client.close();
      const get = await fetch(`${stateless.handle.url}/mcp`, { headers: { accept: 'text/event-stream' } });
      expect(get.status).to.equal(405);
      const sse = await fetch(`${stateless.handle.url}/sse`);
      expect(sse.status).to.equal(404);
    } finally {
      await stateless.handle.close();
    }
  });
});
