/**
 * The original design's plain HTTP and WebSocket API, written from its text rather than from
 * smcp's code, against the real daemon:
 *
 * - `GET /health`: status healthy | degraded | unhealthy from the real database health check,
 *   timestamp, version, connection_pool, database_health, websocket_connections (count and, per
 *   connection, id, connected_at, message_count).
 * - `GET /status`: server (status, uptime_seconds, version), requests (active_count and each active
 *   request's id, tool, client, duration_ms), websockets.
 * - `GET /mcp/tools`; `POST /mcp/tools/call` with `{"jsonrpc":"2.0","id":…,"method":"<tool>","params":{…}}`
 *   answered `{"jsonrpc":"2.0","id":…,"result":[content…]}` or `{…,"error":{code,message,data}}`.
 * - WebSocket at `/mcp` without a subprotocol: tools/list and tools/call `{name, arguments}` work
 *   without an initialize.
 * - Security headers on every answer.
 */
import { expect } from 'chai';
import { WebSocket } from 'ws';
import { HealthMonitor } from '../../src/daemon/health-monitor.js';
import { startEmulator } from '../../src/emulator/index.js';
import { RequestTracker } from '../../src/mcp/request-tracker.js';
import { SnowflakeClient } from '../../src/snowflake/client.js';
import { emulatorConnection } from '../../src/snowflake/settings-view.js';
import { startHttpServer } from '../../src/transports/http-server.js';
import { readVersion } from '../../src/cli/version.js';
import { createFixtureFactory } from '../transports/fixtures/fixture-factory.js';
import type { E2eServer } from './helpers.js';
import { startE2eServer } from './helpers.js';

interface HealthDoc {
  status: string;
  timestamp: string;
  version: string;
  connection_pool: Record<string, number>;
  database_health: Record<string, unknown>;
  websocket_connections: {
    count: number;
    connections: { id: string; connected_at: string; message_count: number }[];
  };
}

interface StatusDoc {
  server: { status: string; uptime_seconds: number; version: string };
  requests: {
    active_count: number;
    active: { id: string; tool: string; client: string; duration_ms: number }[];
  };
  websockets: unknown;
  sessions: unknown;
  pool: unknown;
}

interface RpcAnswer {
  jsonrpc: string;
  id: unknown;
  result?: { type: string; text: string }[];
  error?: { code: number; message: string; data: { code: string } };
}

function expectSecurityHeaders(res: Response, what: string): void {
  expect(res.headers.get('x-content-type-options'), what).to.equal('nosniff');
  expect(res.headers.get('x-frame-options'), what).to.equal('DENY');
  expect(res.headers.get('referrer-policy'), what).to.equal('no-referrer');
  expect(res.headers.get('content-security-policy'), what).to.match(/default-src 'none'/);
}

/** Opens a WebSocket to `url` offering `protocols` (none by default) and reads JSON frames by id. */
async function openSocket(
  url: string,
  protocols: string[] = [],
): Promise<{
  ws: WebSocket;
  ask: (msg: { id: number; method: string; params?: unknown }) => Promise<Record<string, unknown>>;
}> {
  const ws = new WebSocket(url, protocols);
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    waiting.get(message.id as number)?.(message);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    ask: (msg) =>
      new Promise((resolve) => {
        waiting.set(msg.id, resolve);
        ws.send(JSON.stringify({ jsonrpc: '2.0', ...msg }));
      }),
  };
}

describe("e2e: the original design's HTTP and WebSocket API", function () {
  this.timeout(60_000);
  let server: E2eServer;
  let base: string;

  before(async () => {
    server = await startE2eServer();
    base = server.base;
  });
  after(async () => {
    await server?.stop();
  });

  const rpcCall = async (body: object): Promise<{ res: Response; answer: RpcAnswer }> => {
    const res = await fetch(`${base}/mcp/tools/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { res, answer: (await res.json()) as RpcAnswer };
  };

  it('accepts a WebSocket that offers no subprotocol and serves tools/list and tools/call without initialize', async () => {
    const { ws, ask } = await openSocket(`${base.replace('http', 'ws')}/mcp`);
    try {
      expect(ws.protocol).to.equal('');
      const list = (await ask({ id: 1, method: 'tools/list' })) as { result: { tools: { name: string }[] } };
      expect(list.result.tools.map((t) => t.name)).to.include('list_databases');
      const call = (await ask({
        id: 2,
        method: 'tools/call',
        params: { name: 'list_databases', arguments: {} },
      })) as { result: { content: { text: string }[]; isError?: boolean } };
      expect(call.result.isError).to.not.equal(true);
      expect(call.result.content[0].text).to.include('SAMPLE_DB');

      // While it is open, /health lists it with when it connected and the frames it sent.
      const res = await fetch(`${base}/health`);
      expectSecurityHeaders(res, '/health');
      const doc = (await res.json()) as HealthDoc;
      expect(res.status).to.equal(200);
      expect(doc.status).to.equal('healthy');
      expect(Date.parse(doc.timestamp)).to.be.a('number').and.not.NaN;
      expect(doc.version).to.equal(readVersion());
      expect(doc.connection_pool).to.include.keys('size', 'borrowed', 'available', 'max');
      expect(doc.database_health).to.include({ ok: true });
      expect(doc.database_health.lastSuccessAt).to.be.a('string');
      expect(doc.websocket_connections.count).to.equal(1);
      const [conn] = doc.websocket_connections.connections;
      expect(conn.id).to.be.a('string');
      expect(Date.parse(conn.connected_at)).to.not.be.NaN;
      expect(conn.message_count).to.equal(2);
    } finally {
      ws.close();
    }
  });

  it('still speaks full MCP over a WebSocket that offers mcp, and refuses one offering only other subprotocols', async () => {
    const { ws, ask } = await openSocket(`${base.replace('http', 'ws')}/mcp`, ['mcp']);
    try {
      expect(ws.protocol).to.equal('mcp');
      const init = (await ask({
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'design', version: '1' },
        },
      })) as { result: { serverInfo: { name: string } } };
      expect(init.result.serverInfo.name).to.be.a('string');
    } finally {
      ws.close();
    }
    const refused = new WebSocket(`${base.replace('http', 'ws')}/mcp`, ['graphql-ws']);
    const status = await new Promise<number>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.on('error', () => resolve(-1));
    });
    expect(status).to.equal(400);
  });

  it('answers GET /status in the design shape, extended with smcp fields, listing the active request', async () => {
    const slow = rpcCall({
      jsonrpc: '2.0',
      id: 'slow',
      method: 'execute_query',
      params: { sql: 'SELECT SYSTEM$WAIT(3)' },
    });
    let doc: StatusDoc | undefined;
    for (let i = 0; i < 100 && !doc?.requests.active_count; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const res = await fetch(`${base}/status`);
      expectSecurityHeaders(res, '/status');
      doc = (await res.json()) as StatusDoc;
    }
    expect(doc!.server.status).to.equal('running');
    expect(doc!.server.uptime_seconds).to.be.a('number').at.least(0);
    expect(doc!.server.version).to.equal(readVersion());
    expect(doc!.requests.active_count).to.equal(1);
    const [active] = doc!.requests.active;
    expect(active).to.include({ tool: 'execute_query' });
    expect(active.id).to.be.a('string');
    expect(active.client).to.be.a('string');
    expect(active.duration_ms).to.be.a('number');
    expect(doc).to.include.keys('websockets', 'sessions', 'pool');
    const { answer } = await slow;
    expect(answer.result?.[0].text).to.include('waited 3 seconds');
  });

  it('answers POST /mcp/tools/call in JSON-RPC: a result array, or an error with code, message and data', async () => {
    const ok = await rpcCall({ jsonrpc: '2.0', id: 7, method: 'list_databases', params: {} });
    expectSecurityHeaders(ok.res, 'tools/call');
    expect(ok.res.status).to.equal(200);
    expect(ok.answer.jsonrpc).to.equal('2.0');
    expect(ok.answer.id).to.equal(7);
    expect(ok.answer.result).to.be.an('array');
    expect(ok.answer.result![0].type).to.equal('text');
    expect(ok.answer.result![0].text).to.include('SAMPLE_DB');

    const refused = await rpcCall({
      jsonrpc: '2.0',
      id: 8,
      method: 'execute_query',
      params: { sql: 'DELETE FROM SAMPLE_DB.SALES.ORDERS' },
    });
    expect(refused.answer.id).to.equal(8);
    expect(refused.answer.error?.code).to.be.a('number');
    expect(refused.answer.error?.message).to.include('STATEMENT_REFUSED');
    expect(refused.answer.error?.data.code).to.equal('STATEMENT_REFUSED');

    const unknown = await rpcCall({ jsonrpc: '2.0', id: 9, method: 'no_such_tool', params: {} });
    expect(unknown.answer.error?.code).to.equal(-32601);
    expect(unknown.answer.error?.data.code).to.equal('NOT_FOUND');

    const badParams = await rpcCall({
      jsonrpc: '2.0',
      id: 10,
      method: 'list_tables',
      params: { databse: 'X' },
    });
    expect(badParams.answer.error?.code).to.equal(-32602);
    expect(badParams.answer.error?.message).to.include("did you mean 'database'");

    // Today's form still works beside it.
    const plain = await fetch(`${base}/mcp/tools/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'list_databases', arguments: {} }),
    });
    const plainBody = (await plain.json()) as { content: { text: string }[] };
    expect(plainBody.content[0].text).to.include('SAMPLE_DB');

    const tools = await fetch(`${base}/mcp/tools`);
    expectSecurityHeaders(tools, '/mcp/tools');
    expect(((await tools.json()) as { tools: { name: string }[] }).tools.map((t) => t.name)).to.include(
      'execute_query',
    );
  });
});

describe('GET /health follows the real database health check', function () {
  this.timeout(30_000);

  it('says healthy while the database answers, unhealthy (503) once its health check fails', async () => {
    const emulator = await startEmulator({ port: 0, password: 'health', sampleData: false });
    const client = await SnowflakeClient.open(
      emulatorConnection({
        host: emulator.host,
        port: emulator.port,
        account: emulator.account,
        user: 'SMCP',
        password: 'health',
      }),
      { min: 0, max: 2, loginRetries: 0 },
    );
    const monitor = new HealthMonitor(client, { intervalMs: 60_000, timeoutSeconds: 2, failureThreshold: 1 });
    const http = await startHttpServer({
      factory: createFixtureFactory(),
      tracker: new RequestTracker(),
      port: 0,
      version: '9.9.9',
      health: () => ({
        databaseHealthy: monitor.isHealthy(),
        database: { ...monitor.snapshot() },
        pool: { ...client.stats() },
      }),
    });
    try {
      await monitor.start();
      const up = await fetch(`${http.url}/health`);
      expect(up.status).to.equal(200);
      expect(((await up.json()) as HealthDoc).status).to.equal('healthy');
      await emulator.close();
      await monitor.checkNow();
      const down = await fetch(`${http.url}/health`);
      expect(down.status).to.equal(503);
      const doc = (await down.json()) as HealthDoc & { reasons: string[] };
      expect(doc.status).to.equal('unhealthy');
      expect(doc.database_health).to.include({ ok: false });
      expect(doc.version).to.equal('9.9.9');
    } finally {
      monitor.stop();
      await http.close();
      await client.close();
      await emulator.close();
    }
  });
});
