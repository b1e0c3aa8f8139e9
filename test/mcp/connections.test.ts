/**
 * Several named connections in one tool host (two embedded emulators, each its own database),
 * served to a real MCP SDK client: tools listed once with a `connection` argument, list_connections,
 * calls routed by name, per-connection write switches and limits, results found again by query id.
 */
import { expect } from 'chai';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { openToolHost } from '../../src/daemon/tool-host.js';
import type { ToolHost } from '../../src/daemon/tool-host.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';

const HOME = '/nonexistent-home-for-mcp-tests';

interface Tabular {
  rows: unknown[][];
  truncated: boolean;
  queryId: string;
}

describe('several connections through an MCP client', function () {
  this.timeout(60_000);
  let host: ToolHost;
  let client: Client;

  before(async () => {
    host = await openToolHost({
      resolved: resolveConnectionSettings({ env: {}, home: HOME }),
      mcp: defineMcpSettings({
        sqlTools: [
          {
            name: 'dev_scratch_ids',
            description: 'IDs in the dev scratch table',
            sql: 'SELECT COUNT(*) AS N FROM SAMPLE_DB.PUBLIC.SCRATCH',
            connection: 'dev',
            parameters: [],
          },
        ],
      }),
      name: 'prod',
      more: [
        {
          name: 'dev',
          resolved: resolveConnectionSettings({ env: {}, home: HOME, flags: { connection: 'emulator' } }),
          mcp: defineMcpSettings({ allowWrite: true, allowDdl: true, maxRows: 5 }),
        },
      ],
    });
    const server = host.factory({ transport: 'stdio', clientId: 'connections-test' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'connections-test', version: '1.0.0' });
    await server.connect(serverSide);
    await client.connect(clientSide);
  });
  after(async () => {
    await client?.close();
    await host?.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    return { isError: result.isError === true, text, structured: result.structuredContent };
  };

  it('lists every tool once, each taking a connection, and list_connections', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names).to.include('list_connections');
    for (const tool of tools.filter((t) => t.name !== 'list_connections')) {
      const properties = (tool.inputSchema as { properties: Record<string, { enum?: string[] }> }).properties;
      expect(properties.connection?.enum, tool.name).to.deep.equal(['prod', 'dev']);
    }
    // One connection allows writes, so execute_query is not announced as read-only.
    expect(tools.find((t) => t.name === 'execute_query')?.annotations?.readOnlyHint).to.equal(false);
  });

  it('lists the connections with their backend, health and write switch', async () => {
    const { structured } = await call('list_connections', {});
    const connections = (structured as { connections: Record<string, unknown>[] }).connections;
    expect(connections.map((c) => [c.name, c.backend, c.allowWrite, c.default, c.healthy])).to.deep.equal([
      ['prod', 'emulator', false, true, true],
      ['dev', 'emulator', true, false, true],
    ]);
  });

  it('runs each call on the connection it names, under that connection’s settings', async () => {
    const create = 'CREATE TABLE SAMPLE_DB.PUBLIC.SCRATCH (ID INT)';
    const refused = await call('execute_query', { sql: create });
    expect(refused.isError).to.equal(true);
    expect(refused.text).to.match(/^STATEMENT_REFUSED: /);
    const created = await call('execute_query', { sql: create, connection: 'dev' });
    expect(created.isError, created.text).to.equal(false);
    const onDev = await call('describe_table', {
      database: 'SAMPLE_DB',
      schema: 'PUBLIC',
      table: 'SCRATCH',
      connection: 'dev',
    });
    expect(onDev.isError, onDev.text).to.equal(false);
    // The other connection is another account: the table is not there.
    const onProd = await call('describe_table', {
      database: 'SAMPLE_DB',
      schema: 'PUBLIC',
      table: 'SCRATCH',
    });
    expect(onProd.text).to.match(/^NOT_FOUND: /);

    const sql = 'SELECT * FROM SAMPLE_DB.SALES.ORDERS ORDER BY 1';
    const prod = (await call('execute_query', { sql, max_rows: 10 })).structured as Tabular;
    expect(prod.rows).to.have.length(10);
    const dev = (await call('execute_query', { sql, max_rows: 10, connection: 'dev' })).structured as Tabular;
    expect(dev.rows).to.have.length(5);
    expect(dev.truncated).to.equal(true);
  });

  it('runs a SQL tool on its own connection unless the call names another', async () => {
    const onDev = await call('dev_scratch_ids', {});
    expect(onDev.isError, onDev.text).to.equal(false);
    const onProd = await call('dev_scratch_ids', { connection: 'prod' });
    expect(onProd.isError).to.equal(true);
    expect(onProd.text).to.match(/SCRATCH/);
  });

  it('finds a result again by its query id on the connection that ran it', async () => {
    const sql =
      'SELECT ID FROM SAMPLE_DB.PUBLIC.SCRATCH UNION ALL SELECT SEQ4() FROM TABLE(GENERATOR(ROWCOUNT => 12))';
    const first = (await call('execute_query', { sql, connection: 'dev' })).structured as Tabular;
    const more = await call('fetch_results', { query_id: first.queryId, offset: 5 });
    expect(more.isError, more.text).to.equal(false);
    expect((more.structured as Tabular).rows).to.have.length(5);
    const status = await call('query_status', { query_id: first.queryId });
    expect(status.isError, status.text).to.equal(false);
  });

  it('refuses a connection it does not serve as an unknown connection, naming it and the choices', async () => {
    const { isError, text } = await call('list_databases', { connection: 'staging' });
    expect(isError).to.equal(true);
    expect(text).to.match(
      /^CONNECTION_UNKNOWN: connection: no connection "staging" is served; connections: prod, dev/,
    );
  });
});
