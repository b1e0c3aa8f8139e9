import { expect } from 'chai';
import type { E2eServer } from './helpers.js';
import { connectSse, connectStdio, connectWebSocket, startE2eServer, tabular, textOf } from './helpers.js';

describe('e2e: smcp start over legacy SSE and WebSocket', function () {
  let server: E2eServer;

  before(async () => {
    server = await startE2eServer();
  });
  after(async () => {
    expect(await server.stop()).to.equal(0);
  });

  it('serves the v1 SSEClientTransport on /sse: list and call', async () => {
    const client = await connectSse(server.base);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).to.include.members(['list_databases', 'execute_query']);
      expect(textOf(await client.callTool({ name: 'list_databases', arguments: {} }))).to.contain(
        'SAMPLE_DB',
      );
      const result = tabular(
        await client.callTool({
          name: 'execute_query',
          arguments: { sql: 'SELECT NAME FROM SAMPLE_DB.HR.DEPARTMENTS WHERE DEPARTMENT_ID = 3' },
        }),
      );
      expect(result.rows).to.deep.equal([['Marketing']]);
    } finally {
      await client.close();
    }
  });

  it('serves the v1 WebSocketClientTransport on ws://…/mcp: list and call', async () => {
    const client = await connectWebSocket(server.base);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).to.include.members(['list_tables', 'execute_query']);
      const tables = await client.callTool({
        name: 'list_tables',
        arguments: { database: 'SAMPLE_DB', schema: 'SALES' },
      });
      expect(textOf(tables)).to.contain('EVENTS');
      const result = tabular(
        await client.callTool({
          name: 'execute_query',
          arguments: { sql: 'SELECT COUNT(*) AS N FROM SAMPLE_DB.SALES.EVENTS' },
        }),
      );
      expect(result.rows).to.deep.equal([[1_000_000]]);
    } finally {
      await client.close();
    }
  });
});

describe('e2e: smcp stdio', function () {
  it('serves the v2 StdioClientTransport with nothing but protocol on stdout', async () => {
    const { client, errors, home } = await connectStdio();
    try {
      const tools = await client.listTools();
      expect(tools.tools).to.have.length(11);
      expect(textOf(await client.callTool({ name: 'list_schemas', arguments: { database: 'SAMPLE_DB' } })))
        .to.contain('SALES')
        .and.contain('HR');
      const result = tabular(
        await client.callTool({ name: 'execute_query', arguments: { sql: "SELECT 'piped' AS HOW" } }),
      );
      expect(result.rows).to.deep.equal([['piped']]);
      // A stray non-protocol line on stdout would have surfaced here as a parse error.
      expect(errors.map(String)).to.deep.equal([]);
    } finally {
      await client.close();
      home.remove();
    }
  });
});
