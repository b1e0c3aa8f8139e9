/**
 * One tool pipeline: MCP tools/list (over Streamable HTTP and WebSocket), GET /mcp/tools, the admin
 * socket (`smcp tools --json` through the daemon) and an in-process `smcp tools --json` all list the
 * same tools with the same schemas and annotations.
 */
import { expect } from 'chai';
import { runSmcp } from '../helpers/cli.js';
import type { E2eServer } from './helpers.js';
import { connectHttp, connectWebSocket, installWebSocketGlobal, startE2eServer } from './helpers.js';

/** A listing with keys in one order, so deep equality compares content only. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

describe('e2e: every path lists the same tools', function () {
  this.timeout(60_000);
  let server: E2eServer;

  before(async () => {
    installWebSocketGlobal();
    server = await startE2eServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('shows identical listings over MCP, WebSocket, the tool API, the admin socket and in-process', async () => {
    const { client } = await connectHttp(server.base, 'listing');
    const overHttp = (await client.listTools()).tools;
    await client.close();
    const ws = await connectWebSocket(server.base, 'listing-ws');
    const overWs = (await ws.listTools()).tools;
    await ws.close();
    const api = ((await (await fetch(`${server.base}/mcp/tools`)).json()) as { tools: unknown[] }).tools;
    const viaDaemon = await runSmcp(['tools', '--json', '--verbose'], server.home.env);
    expect(viaDaemon.stderr).to.match(/daemon/i);
    const admin = JSON.parse(viaDaemon.stdout) as unknown[];
    const inProcess = JSON.parse(
      (await runSmcp(['tools', '--json', '--no-daemon'], server.home.env)).stdout,
    ) as unknown[];

    const reference = canonical(overHttp);
    expect(overHttp.map((t) => t.name)).to.have.length(11);
    for (const [path, listing] of Object.entries({ overWs, api, admin, inProcess })) {
      expect(canonical(listing), path).to.deep.equal(reference);
    }
    for (const tool of overHttp) {
      expect(tool.inputSchema, tool.name).to.include({ type: 'object', additionalProperties: false });
      expect(tool.outputSchema, tool.name).to.be.an('object');
    }
  });

  it('serves only the tools the tools setting names, and refuses an unknown name', async () => {
    const some = await runSmcp(
      ['tools', '--json', '--no-daemon', '--tools', 'list_databases,execute_query'],
      server.home.env,
    );
    expect(some.code, some.stderr).to.equal(0);
    expect((JSON.parse(some.stdout) as { name: string }[]).map((t) => t.name)).to.deep.equal([
      'list_databases',
      'execute_query',
    ]);
    const bad = await runSmcp(['tools', '--no-daemon', '--tools', 'list_database'], server.home.env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr)
      .to.include('unknown tool "list_database"')
      .and.include('did you mean "list_databases"');
  });

  it('keeps the whole default listing within 8 KB', async () => {
    const { client } = await connectHttp(server.base, 'size');
    const { tools } = await client.listTools();
    await client.close();
    expect(JSON.stringify({ tools }).length).to.be.at.most(8 * 1024);
  });
});
