/**
 * A server under test for the MCP benchmarks, run in its own process (forked with IPC):
 *   baseline      — a minimal SDK v2 server: createMcpHandler + toNodeHandler on node:http,
 *                   stateless, one constant tool (`constant` → text "1"); on the same port, the
 *                   same server over WebSocket (/mcp, baseline-servers.ts's minimal transport).
 *   bare          — no MCP: a node:http and ws JSON responder answering every request with the
 *                   constant result (the transport limit; baseline-servers.ts).
 *   smcp          — the real smcp runtime (startRuntime) on the embedded emulator, or with
 *                   SMCP_BENCH_EXTERNAL_EMULATOR=host:port:password on an emulator running in
 *                   another process (`smcp emulator`), to compare embedded and out-of-process.
 *   smcp-constant — smcp's HTTP server and transports with a one-tool constant factory instead of
 *                   the real tools (isolates transport cost from tool and data-path cost).
 *   smcp-replay   — smcp's HTTP server, server factory, registry and tools (all of the MCP layer)
 *                   over a client that replays a SELECT 1 result recorded from the embedded
 *                   emulator: what smcp costs per call when the database answer costs nothing.
 * It sends `{ url, pid }` once listening, then answers IPC messages:
 *   { op: 'direct', n }  — n sequential client.query('SELECT 1') in this process (smcp only):
 *                          per-call milliseconds, the reference for added latency;
 *   { op: 'ceiling', concurrency, ms } — client.query('SELECT 1') from `concurrency` loops for
 *                          `ms` in this process (smcp only): queries/s and CPU µs per query, the
 *                          most any MCP layer could get out of this data path;
 *   { op: 'snapshot', file } — a heap snapshot after full GCs (for profiling memory);
 *   { op: 'measure' }    — memory after three full GCs (needs --expose-gc), WebSocket count;
 *   { op: 'stop' }       — closes and exits.
 * Bench-only hooks live here, never in src/.
 */
// The driver must not probe cloud metadata endpoints: set before anything imports it.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { writeHeapSnapshot } from 'node:v8';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';
import { attachSdkWebSocket, startBareServer } from './baseline-servers.js';
import { listenOnLoopback } from '../test/helpers/listen.js';

interface Started {
  url: string;
  close(): Promise<void>;
  direct?: (n: number) => Promise<number[]>;
  ceiling?: (
    concurrency: number,
    ms: number,
  ) => Promise<{ qps: number; cpuUsPerQuery: number; queries: number }>;
  webSockets?: () => number;
}

const mode = process.argv[2] ?? 'smcp';
const stateless = process.argv.includes('--stateless');
const gc = (globalThis as { gc?: () => void }).gc;

// Built once per process, as a well-written minimal server would.
const noArgs = z.object({});

function constantServer(): McpServer {
  const server = new McpServer({ name: 'bench-constant', version: '1.0.0' });
  server.registerTool('constant', { description: 'Answers 1', inputSchema: noArgs }, () => ({
    content: [{ type: 'text', text: '1' }],
  }));
  return server;
}

async function startBaseline(): Promise<Started> {
  const handler = createMcpHandler(constantServer, { legacy: 'stateless' });
  const node = toNodeHandler(handler);
  const server: Server = createServer((req, res) => {
    node(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const closeWs = attachSdkWebSocket(server, constantServer);
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      closeWs();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await handler.close();
    },
  };
}

/**
 * Options every smcp variant uses: the bench clients share 127.0.0.1, which is one client key (64
 * callers in flight; 10,000 idle WebSocket sessions in ws-idle.ts).
 */
const httpOptions = {
  host: '127.0.0.1',
  port: 0,
  stateless,
  maxConcurrentPerClient: 256,
  maxSessionsPerClient: 20_000,
};

async function startSmcp(): Promise<Started> {
  const { startRuntime } = await import('../src/daemon/runtime.js');
  const { defineMcpSettings } = await import('../src/mcp/settings.js');
  const { resolveConnectionSettings } = await import('../src/snowflake/settings.js');
  // SMCP_BENCH_EXTERNAL_EMULATOR=host:port:password points smcp at an emulator in another process.
  const external = process.env.SMCP_BENCH_EXTERNAL_EMULATOR?.split(':');
  const env: Record<string, string> = external
    ? {
        SNOWFLAKE_ACCOUNT: 'SMCPLOCAL',
        SNOWFLAKE_USER: 'SMCP',
        SNOWFLAKE_PASSWORD: external[2] ?? '',
        SNOWFLAKE_HOST: external[0] ?? '127.0.0.1',
        SNOWFLAKE_PORT: external[1] ?? '',
        SNOWFLAKE_PROTOCOL: 'http',
        SNOWFLAKE_WAREHOUSE: 'COMPUTE_WH',
      }
    : {};
  const resolved = resolveConnectionSettings({ env, home: '/nonexistent' });
  const runtime = await startRuntime({ resolved, mcp: defineMcpSettings({}), http: httpOptions });
  const client = runtime.dataPath.client;
  const context = { requestId: 'bench', clientId: 'bench', tool: 'bench' };
  const select1 = () =>
    client.query({ sql: 'SELECT 1', maxRows: 1000, maxBytes: 1 << 20, timeoutSeconds: 60, context });
  return {
    url: runtime.http.url,
    ceiling: async (concurrency, ms) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const end = t0 + ms;
      let queries = 0;
      const loop = async (): Promise<void> => {
        while (performance.now() < end) {
          await select1();
          queries++;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, loop));
      const cpu = process.cpuUsage(cpu0);
      const elapsed = performance.now() - t0;
      return { qps: (queries * 1000) / elapsed, cpuUsPerQuery: (cpu.user + cpu.system) / queries, queries };
    },
    close: () => runtime.close(),
    webSockets: () => runtime.http.stats().webSockets,
    direct: async (n) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = process.hrtime.bigint();
        const r = await select1();
        out.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.rows[0]?.[0] !== 1) throw new Error('SELECT 1 returned something else');
      }
      return out;
    },
  };
}

async function startSmcpConstant(): Promise<Started> {
  const { startHttpServer } = await import('../src/transports/http-server.js');
  const { RequestTracker } = await import('../src/mcp/request-tracker.js');
  const handle = await startHttpServer({
    ...httpOptions,
    factory: constantServer,
    tracker: new RequestTracker(),
  });
  return { url: handle.url, close: () => handle.close(), webSockets: () => handle.stats().webSockets };
}

async function startSmcpReplay(): Promise<Started> {
  const { openDataPath } = await import('../src/daemon/data-path.js');
  const { createMcpServerFactory } = await import('../src/mcp/server-factory.js');
  const { defineMcpSettings } = await import('../src/mcp/settings.js');
  const { RequestTracker } = await import('../src/mcp/request-tracker.js');
  const { startHttpServer } = await import('../src/transports/http-server.js');
  const { resolveConnectionSettings } = await import('../src/snowflake/settings.js');
  const dataPath = await openDataPath({
    resolved: resolveConnectionSettings({ env: {}, home: '/nonexistent' }),
  });
  const context = { requestId: 'bench', clientId: 'bench', tool: 'bench' };
  const recorded = await dataPath.client.query({
    sql: 'SELECT 1',
    maxRows: 1000,
    maxBytes: 1 << 20,
    timeoutSeconds: 60,
    context,
  });
  await dataPath.close();
  type Client = typeof dataPath.client;
  const replay = {
    query: (request: { sql: string }): Promise<typeof recorded> =>
      request.sql === 'SELECT 1'
        ? Promise.resolve({ ...recorded, rows: recorded.rows.map((r) => [...r]) })
        : Promise.reject(new Error(`the replay client only answers SELECT 1, not ${request.sql}`)),
  } as unknown as Client;
  const tracker = new RequestTracker();
  const factory = createMcpServerFactory({ client: replay, settings: defineMcpSettings({}), tracker });
  const handle = await startHttpServer({ ...httpOptions, factory, tracker });
  return { url: handle.url, close: () => handle.close(), webSockets: () => handle.stats().webSockets };
}

const starters: Record<string, () => Promise<Started>> = {
  baseline: startBaseline,
  bare: startBareServer,
  smcp: startSmcp,
  'smcp-constant': startSmcpConstant,
  'smcp-replay': startSmcpReplay,
};
const starter = starters[mode];
if (!starter) throw new Error(`unknown mode ${mode}`);
const started = await starter();

process.on('message', (raw: unknown) => {
  const msg = raw as { op?: string; n?: number };
  if (msg.op === 'direct') {
    if (!started.direct) return process.send?.({ error: 'no direct path in this mode' });
    started.direct(msg.n ?? 100).then(
      (samples) => process.send?.({ samples }),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
  } else if (msg.op === 'ceiling') {
    const m = raw as { concurrency?: number; ms?: number };
    if (!started.ceiling) return process.send?.({ error: 'no data path in this mode' });
    started.ceiling(m.concurrency ?? 64, m.ms ?? 5000).then(
      (figures) => process.send?.(figures),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
  } else if (msg.op === 'snapshot') {
    for (let i = 0; i < 3; i++) gc?.();
    process.send?.({ file: writeHeapSnapshot((raw as { file?: string }).file) });
  } else if (msg.op === 'measure') {
    for (let i = 0; i < 3; i++) gc?.();
    const m = process.memoryUsage();
    process.send?.({
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      webSockets: started.webSockets?.() ?? 0,
    });
  } else if (msg.op === 'stop') {
    void started.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => void started.close().finally(() => process.exit(0)));
process.send?.({ url: started.url, pid: process.pid });
