import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/client';
import type { E2eServer } from './helpers.js';
import {
  connectHttp,
  eventually,
  HISTORY_SQL,
  JSON_HEADERS,
  modernRequest,
  MODERN_META,
  readRpc,
  tabular,
  textOf,
  answer,
  startE2eServer,
} from './helpers.js';
import { EXPECTED_TOOL_NAMES } from '../helpers/tool-names.js';
import { initializeBody } from '../helpers/mcp-messages.js';

const TOOLS = [...EXPECTED_TOOL_NAMES];

describe('e2e: smcp start over Streamable HTTP', function () {
  let server: E2eServer;
  const clients: Client[] = [];

  before(async () => {
    server = await startE2eServer();
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    expect(await server.stop()).to.equal(0);
  });

  async function connect(name?: string): ReturnType<typeof connectHttp> {
    const connected = await connectHttp(server.base, name);
    clients.push(connected.client);
    return connected;
  }

  /** A tools/call of execute_query with `args`, posted in `transport`'s session outside the SDK client. */
  function rawQueryInSession(
    transport: Awaited<ReturnType<typeof connectHttp>>['transport'],
    id: number,
    args: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Response> {
    return fetch(`${server.base}/mcp`, {
      method: 'POST',
      ...(signal ? { signal } : {}),
      headers: {
        ...JSON_HEADERS,
        'mcp-session-id': transport.sessionId!,
        'mcp-protocol-version': transport.protocolVersion ?? '2025-11-25',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'execute_query', arguments: args },
      }),
    });
  }

  it('lists the ten tools and lists databases in a 2025-era session', async () => {
    const { client, transport } = await connect();
    expect(transport.sessionId).to.be.a('string');
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).to.have.members(TOOLS);
    for (const tool of tools.tools) expect(tool.description, tool.name).to.be.a('string').and.not.empty;
    const result = await client.callTool({ name: 'list_databases', arguments: {} });
    expect(answer(result).isError).to.not.equal(true);
    const names = (answer(result).structuredContent as { databases: { name: string }[] }).databases.map(
      (d) => d.name,
    );
    expect(names).to.include.members(['SAMPLE_DB', 'ANALYTICS']);
    expect(textOf(result)).to.contain('SAMPLE_DB');
  });

  it('caps execute_query at max_rows and continues the result with fetch_results', async () => {
    const { client } = await connect();
    const first = tabular(
      await client.callTool({
        name: 'execute_query',
        arguments: {
          sql: 'SELECT ID FROM SAMPLE_DB.SALES.EVENTS WHERE ID <= 25 ORDER BY ID',
          max_rows: 10,
        },
      }),
    );
    expect(first.rowCount).to.equal(10);
    expect(first.truncated).to.equal(true);
    expect(first.truncatedBy).to.equal('rows');
    expect(first.nextOffset).to.equal(10);
    expect(first.queryId).to.be.a('string').and.not.empty;
    const seen = first.rows.map((r) => Number(r[0]));
    let offset = first.nextOffset!;
    for (let page = 0; page < 5 && offset !== undefined; page++) {
      const next = tabular(
        await client.callTool({
          name: 'fetch_results',
          arguments: { query_id: first.queryId, offset, limit: 10 },
        }),
      );
      expect(next.offset).to.equal(offset);
      seen.push(...next.rows.map((r) => Number(r[0])));
      if (!next.truncated) break;
      offset = next.nextOffset!;
    }
    expect(seen).to.deep.equal(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('opens a GET event stream on a session and ends the session on DELETE', async () => {
    const init = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: initializeBody('raw'),
    });
    expect(init.status).to.equal(200);
    const sessionId = init.headers.get('mcp-session-id')!;
    expect(sessionId).to.be.a('string');
    await init.text();
    const headers = {
      accept: 'text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    };
    const ac = new AbortController();
    try {
      const stream = await fetch(`${server.base}/mcp`, { headers, signal: ac.signal });
      expect(stream.status).to.equal(200);
      expect(stream.headers.get('content-type')).to.match(/text\/event-stream/);
    } finally {
      ac.abort();
    }
    const end = await fetch(`${server.base}/mcp`, { method: 'DELETE', headers });
    expect(end.status).to.equal(200);
  });

  it('cancels the statement when a session client drops its call after the priming event, and the session serves on', async function () {
    // The wait runs 48 s when nothing cancels it: 20 s tells a cancel from none on a busy machine.
    this.timeout(60_000);
    const { client, transport } = await connect('e2e-drop-primed');
    const sql = 'SELECT SYSTEM$WAIT(48) AS SESSION_DROP';
    const ac = new AbortController();
    const res = await rawQueryInSession(transport, 12, { sql }, ac.signal);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
    const reader: ReadableStreamDefaultReader<Uint8Array> = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    // The priming event: an id for resuming, no message.
    expect(first).to.match(/^id: \S+\ndata: \n\n/);
    await eventually(async () => {
      const status = (await (await fetch(`${server.base}/status`)).json()) as {
        inFlight: { tool?: string }[];
      };
      return status.inFlight.some((r) => r.tool === 'execute_query') ? true : undefined;
    });
    ac.abort();
    await reader.cancel().catch(() => {});
    const history = await eventually(async () => {
      const rows = tabular(
        await client.callTool({ name: 'execute_query', arguments: { sql: HISTORY_SQL } }),
      ).rows;
      const row = rows.find((r) => r[0] === sql);
      return row && row[1] !== 'RUNNING' ? { status: String(row[1]), errorCode: row[2] } : undefined;
    }, 20_000);
    expect(history).to.deep.equal({ status: 'FAILED_WITH_ERROR', errorCode: '000604' });
  });

  it('ends a v2 client session on DELETE (then 404) and the client re-initializes', async () => {
    const { client, transport } = await connect();
    const sessionId = transport.sessionId!;
    const version = transport.protocolVersion ?? '2025-11-25';
    await transport.terminateSession();
    const after = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': version },
      body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }),
    });
    expect(after.status).to.equal(404);
    expect((await readRpc(after)).error?.code).to.equal(-32001);
    await client.close();

    const again = await connect('e2e-again');
    expect(again.transport.sessionId).to.be.a('string').and.not.equal(sessionId);
    const dbs = await again.client.callTool({ name: 'list_databases', arguments: {} });
    expect(textOf(dbs)).to.contain('SAMPLE_DB');
  });

  it('serves stateless 2026-07-28 requests: server/discover, tools/list and tools/call without a session', async () => {
    const discover = await modernRequest(server.base, 'server/discover');
    expect(discover.status).to.equal(200);
    expect(discover.body.result?.supportedVersions).to.include('2026-07-28');
    expect(discover.body.result?.capabilities).to.have.property('tools');

    const list = await modernRequest(server.base, 'tools/list', {}, 2);
    expect(list.status).to.equal(200);
    const tools = (list.body.result?.tools ?? []) as { name: string }[];
    expect(tools.map((t) => t.name)).to.have.members(TOOLS);

    const call = await modernRequest(
      server.base,
      'tools/call',
      { name: 'execute_query', arguments: { sql: 'SELECT 41 + 1 AS ANSWER' } },
      3,
    );
    expect(call.status).to.equal(200);
    const structured = call.body.result?.structuredContent as { rows: unknown[][] };
    expect(structured.rows).to.deep.equal([[42]]);
  });

  it('refuses a 2026-07-28 request whose Mcp-Name disagrees with the body with 400 / -32020', async () => {
    const res = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: {
        ...JSON_HEADERS,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'list_schemas',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list_databases', arguments: {}, _meta: MODERN_META },
      }),
    });
    expect(res.status).to.equal(400);
    expect((await readRpc(res)).error?.code).to.equal(-32020);
  });

  it('answers malformed JSON with -32700 and keeps serving', async () => {
    const res = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"jsonrpc": "2.0", "id": 1, "method": ',
    });
    expect(res.status).to.equal(400);
    expect((await readRpc(res)).error?.code).to.equal(-32700);
    const { client } = await connect();
    expect(textOf(await client.callTool({ name: 'list_databases', arguments: {} }))).to.contain('SAMPLE_DB');
  });

  it('answers a request that is not JSON-RPC with an invalid-request error and keeps serving', async () => {
    const res = await fetch(`${server.base}/mcp`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(res.status).to.be.within(400, 499);
    const body = await readRpc(res);
    expect(body.error?.code).to.be.oneOf([-32600, -32700]);
    const { client } = await connect();
    expect(textOf(await client.callTool({ name: 'list_databases', arguments: {} }))).to.contain('SAMPLE_DB');
  });

  it('reports wrong argument types as an error naming the argument, then answers the next call', async () => {
    const { client, transport } = await connect();
    const wrong = await rawQueryInSession(transport, 11, { sql: 42, max_rows: 'many' });
    expect(wrong.status).to.equal(200);
    const body = await readRpc(wrong);
    // Either a JSON-RPC invalid-params error or a tool error result; both must name the argument.
    const message = body.error
      ? body.error.message
      : ((body.result?.content ?? []) as { text: string }[]).map((c) => c.text).join('\n');
    if (body.error) expect(body.error.code).to.equal(-32602);
    else expect(body.result?.isError).to.equal(true);
    expect(message)
      .to.match(/sql/)
      .and.match(/max_rows/);
    expect(message).to.not.match(/\n\s+at /);

    const unknownTool = await client.callTool({ name: 'no_such_tool', arguments: {} }).then(
      (r) => textOf(r),
      (err: unknown) => String(err),
    );
    expect(unknownTool).to.contain('no_such_tool');

    const next = tabular(
      await client.callTool({ name: 'execute_query', arguments: { sql: 'SELECT 7 AS X' } }),
    );
    expect(next.rows).to.deep.equal([[7]]);
  });
});

describe('e2e: smcp start --stateless', function () {
  let server: E2eServer;

  before(async () => {
    server = await startE2eServer(['--stateless']);
  });
  after(async () => {
    expect(await server.stop()).to.equal(0);
  });

  it('serves the v2 client without a session and answers GET with 405', async () => {
    const { client, transport } = await connectHttp(server.base, 'e2e-lb');
    try {
      expect(transport.sessionId).to.equal(undefined);
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).to.include('execute_query');
      const result = tabular(
        await client.callTool({ name: 'execute_query', arguments: { sql: "SELECT 'lb' AS WHO" } }),
      );
      expect(result.rows).to.deep.equal([['lb']]);
    } finally {
      await client.close();
    }
    const get = await fetch(`${server.base}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(get.status).to.equal(405);
    const discover = await modernRequest(server.base, 'server/discover');
    expect(discover.body.result?.supportedVersions).to.include('2026-07-28');
  });
});
