/**
 * A tool host's reload in process (embedded emulators as connections) with a real MCP SDK client
 * on one open session: what an unchanged, changed, added or removed connection keeps (pool,
 * metadata cache), the tool listing announced anew, and a set that cannot be served changing
 * nothing.
 */
import { expect } from 'chai';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { openToolHost } from '../../src/daemon/tool-host.js';
import type { ConnectionsWanted, ToolHost } from '../../src/daemon/tool-host.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import type { McpSettings } from '../../src/mcp/settings.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';
import { waitFor } from '../helpers/cli.js';

const HOME = '/nonexistent-home-for-reload-tests';
const emulator = (): ReturnType<typeof resolveConnectionSettings> =>
  resolveConnectionSettings({ env: {}, home: HOME, flags: { connection: 'emulator' } });

/** prod (default) and dev, both embedded emulators; `dev` under `devSettings`, `extra` beside. */
function wanted(
  devSettings: Partial<McpSettings> = {},
  extra: string[] = [],
  base: Partial<McpSettings> = {},
): ConnectionsWanted {
  return {
    resolved: emulator(),
    mcp: defineMcpSettings(base),
    name: 'prod',
    more: [
      { name: 'dev', resolved: emulator(), mcp: defineMcpSettings({ ...base, ...devSettings }) },
      ...extra.map((name) => ({ name, resolved: emulator(), mcp: defineMcpSettings(base) })),
    ],
  };
}

describe('tool host reload', function () {
  this.timeout(60_000);
  let host: ToolHost;
  let client: Client;
  let listChanged = 0;

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    return { isError: result.isError === true, text, structured: result.structuredContent };
  };
  const cacheOf = (name: string) => host.connections.find((c) => c.name === name)?.metadata;

  before(async () => {
    host = await openToolHost(wanted({ maxRows: 5 }));
    const server = host.factory({ transport: 'stdio', clientId: 'reload-test' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'reload-test', version: '1.0.0' });
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      listChanged++;
    });
    await server.connect(serverSide);
    await client.connect(clientSide);
  });
  after(async () => {
    await client?.close();
    await host?.close();
  });

  it('leaves everything as it is when nothing changed', async () => {
    const searched = await call('search_objects', {
      pattern: 'SAMPLE%',
      kinds: ['database'],
      connection: 'dev',
    });
    expect(searched.isError, searched.text).to.equal(false);
    const devCache = cacheOf('dev');
    const devPath = host.connections[1].client.current;
    expect(devCache?.status().objects).to.be.greaterThan(0);
    const outcome = await host.reload(wanted({ maxRows: 5 }), 1000);
    expect(outcome.changed).to.equal(false);
    expect(outcome.toolsChanged).to.equal(false);
    expect(outcome.connections.map((c) => c.change)).to.deep.equal(['unchanged', 'unchanged']);
    expect(cacheOf('dev')).to.equal(devCache);
    expect(host.connections[1].client.current).to.equal(devPath);
    expect(listChanged).to.equal(0);
  });

  it('gives a connection whose limits changed its new settings on the same pool and catalog, the others untouched', async () => {
    await call('search_objects', { pattern: 'SAMPLE%', kinds: ['database'] });
    const prodCache = cacheOf('prod');
    const devCache = cacheOf('dev');
    const devPath = host.connections[1].client.current;
    const outcome = await host.reload(wanted({ maxRows: 3 }), 1000);
    expect(outcome.connections.map((c) => [c.name, c.change])).to.deep.equal([
      ['prod', 'unchanged'],
      ['dev', 'changed'],
    ]);
    expect(cacheOf('prod')).to.equal(prodCache);
    expect(cacheOf('dev')).to.equal(devCache);
    expect(cacheOf('dev')?.status().objects).to.be.greaterThan(0);
    expect(host.connections[1].client.current).to.equal(devPath);
    const rows = await call('execute_query', {
      sql: 'SELECT * FROM (VALUES (1), (2), (3), (4)) AS t(n)',
      connection: 'dev',
    });
    expect((rows.structured as { rows: unknown[] }).rows).to.have.length(3);
  });

  it('adds a connection, lists it in the connection argument and tells the session', async () => {
    const first = await call('execute_query', {
      sql: 'SELECT * FROM (VALUES (1), (2), (3), (4)) AS t(n)',
      connection: 'dev',
    });
    const queryId = (first.structured as { queryId: string }).queryId;
    const outcome = await host.reload(wanted({ maxRows: 3 }, ['qa']), 1000);
    expect(outcome.toolsChanged).to.equal(true);
    expect(outcome.connections.map((c) => [c.name, c.change, c.healthy])).to.deep.equal([
      ['prod', 'unchanged', true],
      ['dev', 'unchanged', true],
      ['qa', 'added', true],
    ]);
    const { tools } = await client.listTools();
    const schema = tools.find((t) => t.name === 'list_tables')?.inputSchema as unknown as {
      properties: { connection: { enum: string[] } };
    };
    expect(schema.properties.connection.enum).to.deep.equal(['prod', 'dev', 'qa']);
    const listed = await call('list_databases', { connection: 'qa' });
    expect(listed.isError, listed.text).to.equal(false);
    await waitFor(() => listChanged === 1);
    // A result from before the reload is still found on the connection that ran it.
    const rest = await call('fetch_results', { query_id: queryId, offset: 3 });
    expect(rest.isError, rest.text).to.equal(false);
    expect((rest.structured as { rows: unknown[][] }).rows).to.deep.equal([[4]]);
  });

  it('changes nothing when the new set cannot be served', async () => {
    const before = host.connections;
    const tool = {
      name: 'qa_count',
      description: 'count on qa',
      sql: 'SELECT 1 AS N',
      connection: 'qa',
      parameters: [],
    };
    // A SQL tool naming a connection the new set no longer serves.
    const err = await host.reload(wanted({ maxRows: 3 }, [], { sqlTools: [tool] }), 1000).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(err?.code).to.equal('CONFIG_INVALID');
    expect(err?.message).to.include('sql_tools.qa_count.connection');
    expect(host.connections).to.equal(before);
    expect(host.connections.map((c) => c.name)).to.deep.equal(['prod', 'dev', 'qa']);
    const listed = await call('list_databases', { connection: 'qa' });
    expect(listed.isError, listed.text).to.equal(false);
  });

  it('removes a connection: calls naming it get CONNECTION_UNKNOWN', async () => {
    const outcome = await host.reload(wanted({ maxRows: 3 }), 1000);
    expect(outcome.connections.map((c) => [c.name, c.change])).to.deep.equal([
      ['prod', 'unchanged'],
      ['dev', 'unchanged'],
      ['qa', 'removed'],
    ]);
    const refused = await call('list_databases', { connection: 'qa' });
    expect(refused.isError).to.equal(true);
    expect(refused.text).to.match(
      /^CONNECTION_UNKNOWN: connection: no connection "qa" is served; connections: prod, dev/,
    );
  });
});

describe('tool host reload between one connection and several', function () {
  this.timeout(60_000);

  it('adds the connection argument and list_connections when a second connection comes, and drops them when it goes', async () => {
    const host = await openToolHost({ resolved: emulator(), mcp: defineMcpSettings({}) });
    const server = host.factory({ transport: 'stdio', clientId: 'reload-single' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'reload-single', version: '1.0.0' });
    let listChanged = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      listChanged++;
    });
    const takesConnection = async (): Promise<boolean> => {
      const { tools } = await client.listTools();
      const schema = tools.find((t) => t.name === 'list_databases')?.inputSchema as unknown as {
        properties: Record<string, unknown>;
      };
      return 'connection' in schema.properties && tools.some((t) => t.name === 'list_connections');
    };
    try {
      await server.connect(serverSide);
      await client.connect(clientSide);
      expect(await takesConnection()).to.equal(false);
      const firstPath = host.dataPath;
      const grown = await host.reload(
        {
          resolved: emulator(),
          mcp: defineMcpSettings({}),
          name: 'emulator',
          more: [{ name: 'dev', resolved: emulator(), mcp: defineMcpSettings({}) }],
        },
        1000,
      );
      expect(grown.connections.map((c) => [c.name, c.change])).to.deep.equal([
        ['emulator', 'unchanged'],
        ['dev', 'added'],
      ]);
      expect(host.dataPath).to.equal(firstPath);
      expect(await takesConnection()).to.equal(true);
      await waitFor(() => listChanged === 1);
      const shrunk = await host.reload({ resolved: emulator(), mcp: defineMcpSettings({}) }, 1000);
      expect(shrunk.connections.map((c) => [c.name, c.change])).to.deep.equal([
        ['emulator', 'unchanged'],
        ['dev', 'removed'],
      ]);
      expect(await takesConnection()).to.equal(false);
      await waitFor(() => listChanged === 2);
      const listed = await client.callTool({ name: 'list_databases', arguments: {} });
      expect(listed.isError).to.not.equal(true);
    } finally {
      await client.close();
      await host.close();
    }
  });
});

describe('tool host reload of settings for calls', function () {
  this.timeout(60_000);

  it('lists resources under the new visibility rules at once, not from the listing of before', async () => {
    const host = await openToolHost({ resolved: emulator(), mcp: defineMcpSettings({}) });
    const server = host.factory({ transport: 'stdio', clientId: 'reload-hide' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'reload-hide', version: '1.0.0' });
    const sales = async (): Promise<number> =>
      (await client.listResources()).resources.filter((r) => r.uri.startsWith('snowflake://SAMPLE_DB/SALES/'))
        .length;
    try {
      await server.connect(serverSide);
      await client.connect(clientSide);
      expect(await sales()).to.be.greaterThan(0);
      await host.reload(
        { resolved: emulator(), mcp: defineMcpSettings({ hideObjects: ['SAMPLE_DB.SALES'] }) },
        1000,
      );
      expect(await sales()).to.equal(0);
    } finally {
      await client.close();
      await host.close();
    }
  });

  it('starts a metadata cache afresh when its own limits change, and keeps it otherwise', async () => {
    const host = await openToolHost({ resolved: emulator(), mcp: defineMcpSettings({}) });
    const server = host.factory({ transport: 'stdio', clientId: 'reload-cache' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'reload-cache', version: '1.0.0' });
    try {
      await server.connect(serverSide);
      await client.connect(clientSide);
      const searched = await client.callTool({
        name: 'search_objects',
        arguments: { pattern: 'SAMPLE%', kinds: ['database'] },
      });
      expect(searched.isError).to.not.equal(true);
      const filled = host.metadata;
      expect(filled.status().objects).to.be.greaterThan(0);
      await host.reload({ resolved: emulator(), mcp: defineMcpSettings({ maxRows: 10 }) }, 1000);
      expect(host.metadata).to.equal(filled);
      await host.reload(
        { resolved: emulator(), mcp: defineMcpSettings({ maxRows: 10, metadataTtlSeconds: 60 }) },
        1000,
      );
      expect(host.metadata).to.not.equal(filled);
      expect(host.metadata.status().objects).to.equal(0);
    } finally {
      await client.close();
      await host.close();
    }
  });

  it("gives new reads the cost guard's new budget, keeping the totals counted so far", async () => {
    const host = await openToolHost({
      resolved: emulator(),
      mcp: defineMcpSettings({ maxScanBytes: 10_000_000 }),
    });
    const server = host.factory({ transport: 'stdio', clientId: 'reload-budget' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'reload-budget', version: '1.0.0' });
    const read = { sql: 'SELECT COUNT(*) AS N FROM SAMPLE_DB.SALES.ORDERS' };
    try {
      await server.connect(serverSide);
      await client.connect(clientSide);
      const admitted = await client.callTool({ name: 'execute_query', arguments: read });
      expect(admitted.isError).to.not.equal(true);
      const counted = host.costGuard.status().clients[0];
      expect(counted?.reads).to.equal(1);
      const outcome = await host.reload(
        { resolved: emulator(), mcp: defineMcpSettings({ maxScanBytes: 1 }) },
        1000,
      );
      expect(outcome.connections.map((c) => c.change)).to.deep.equal(['changed']);
      expect(host.costGuard.status()).to.include({ mode: 'refuse', maxScanBytes: 1 });
      const refused = await client.callTool({ name: 'execute_query', arguments: read });
      expect(refused.isError).to.equal(true);
      expect((refused.content as { text: string }[])[0]?.text).to.match(/^SCAN_BUDGET_EXCEEDED: /);
      expect(host.costGuard.status().clients[0]).to.include({
        estimatedBytes: counted?.estimatedBytes,
        reads: 1,
        refusals: 1,
      });
    } finally {
      await client.close();
      await host.close();
    }
  });
});
