import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { TestServer } from './helpers.js';
import { JSON_HEADERS, startTestServer, waitFor } from './helpers.js';

describe('legacy HTTP+SSE transport', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await srv.handle.close();
  });

  it('serves the v1 SDK SSEClientTransport: list, call and context', async () => {
    const client = new V1Client({ name: 'sse-v1', version: '1' });
    await client.connect(new SSEClientTransport(new URL(`${srv.handle.url}/sse`)));
    try {
      expect(srv.handle.stats().sseSessions).to.equal(1);
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).to.include('echo');
      const result = await client.callTool({ name: 'echo', arguments: { text: 'legacy' } });
      expect(result.content).to.deep.equal([{ type: 'text', text: 'legacy' }]);
      const ctx = (result.structuredContent as { context: { transport: string } }).context;
      expect(ctx.transport).to.equal('sse');
    } finally {
      await client.close();
    }
    await waitFor(() => srv.handle.stats().sseSessions === 0);
  });

  it('answers 404 for an unknown session and 400 without one', async () => {
    const unknown = await fetch(`${srv.handle.url}/messages?sessionId=nope`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{}',
    });
    expect(unknown.status).to.equal(404);
    const missing = await fetch(`${srv.handle.url}/messages`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{}',
    });
    expect(missing.status).to.equal(400);
  });
});

describe('stdio transport', () => {
  it('serves the v2 SDK StdioClientTransport with nothing but protocol on stdout', async () => {
    const script = fileURLToPath(new URL('./fixtures/stdio-server.ts', import.meta.url));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', script],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '1' });
    await client.connect(transport);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).to.include.members(['echo', 'slow']);
      const result = await client.callTool({ name: 'echo', arguments: { text: 'piped' } });
      expect(result.content).to.deep.equal([{ type: 'text', text: 'piped' }]);
      expect((result.structuredContent as { context: { transport: string } }).context.transport).to.equal(
        'stdio',
      );
      const progress: number[] = [];
      await client.callTool(
        { name: 'slow', arguments: { steps: 2, intervalMs: 5 } },
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(progress[0]).to.equal(1);
      const ac = new AbortController();
      const call = client.callTool(
        { name: 'slow', arguments: { steps: 500, intervalMs: 10 } },
        { signal: ac.signal },
      );
      setTimeout(() => ac.abort(), 50);
      let failed = false;
      await call.catch(() => (failed = true));
      expect(failed).to.equal(true);
      // Still serving after a cancel.
      const again = await client.callTool({ name: 'echo', arguments: { text: 'after' } });
      expect(again.content).to.deep.equal([{ type: 'text', text: 'after' }]);
    } finally {
      await client.close();
    }
  });
});
