/**
 * The cost guard's totals on the running server: an SDK client over Streamable HTTP reads under and
 * over budget, and `GET /status` shows its totals under a short label (never its session id), while
 * `GET /metrics` counts the estimated bytes and the refusal with bounded labels only.
 */
import { expect } from 'chai';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startRuntime } from '../../src/daemon/runtime.js';
import type { Runtime } from '../../src/daemon/runtime.js';
import { defineMcpSettings } from '../../src/mcp/settings.js';
import { resolveConnectionSettings } from '../../src/snowflake/settings.js';
import { parseMetrics, total } from '../helpers/prom-text.js';

/** The emulator's storage size of SAMPLE_DB.SALES.ORDERS (rows × columns × 8). */
const ORDERS_BYTES = 100_000 * 8 * 8;

describe('cost guard totals on the running server', function () {
  this.timeout(120_000);
  let runtime: Runtime | undefined;
  let client: Client | undefined;
  let transport: StreamableHTTPClientTransport | undefined;

  before(async () => {
    runtime = await startRuntime({
      resolved: resolveConnectionSettings({ env: {}, home: '/nonexistent-home-for-cost-tests' }),
      mcp: defineMcpSettings({ maxScanBytes: 10_000_000 }),
      http: { host: '127.0.0.1', port: 0 },
      healthIntervalMs: 3_600_000,
    });
    client = new Client({ name: 'cost-status', version: '1' });
    transport = new StreamableHTTPClientTransport(new URL(`${runtime.http.url}/mcp`));
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    await runtime?.close();
  });

  it('shows per-client totals in /status and counts bytes and refusals in /metrics', async () => {
    const mcp = client!;
    const base = runtime!.http.url;
    const ok = await mcp.callTool({
      name: 'execute_query',
      arguments: { sql: 'SELECT COUNT(*) FROM SAMPLE_DB.SALES.ORDERS' },
    });
    expect(ok.isError, JSON.stringify(ok.content)).to.not.equal(true);
    const refused = await mcp.callTool({
      name: 'execute_query',
      arguments: { sql: 'SELECT * FROM SAMPLE_DB.SALES.EVENTS' },
    });
    expect(refused.isError).to.equal(true);

    const statusText = await (await fetch(`${base}/status`)).text();
    const status = JSON.parse(statusText) as {
      costGuard: { mode: string; maxScanBytes: number; clients: Record<string, unknown>[] };
    };
    expect(status.costGuard).to.include({ mode: 'refuse', maxScanBytes: 10_000_000 });
    expect(status.costGuard.clients).to.have.length(1);
    expect(status.costGuard.clients[0]).to.include({
      estimatedBytes: ORDERS_BYTES,
      windowBytes: ORDERS_BYTES,
      reads: 1,
      refusals: 1,
    });
    const sessionId = transport!.sessionId;
    expect(sessionId).to.be.a('string');
    expect(status.costGuard.clients[0]?.client).to.match(/^http:/);
    expect(statusText).not.to.include(sessionId!);

    const metricsText = await (await fetch(`${base}/metrics`)).text();
    const samples = parseMetrics(metricsText);
    expect(total(samples, 'smcp_scan_estimated_bytes_total', { transport: 'http' })).to.equal(ORDERS_BYTES);
    expect(total(samples, 'smcp_scan_refusals_total', { budget: 'call', transport: 'http' })).to.equal(1);
    expect(total(samples, 'smcp_scan_clients')).to.equal(1);
    expect(total(samples, 'smcp_scan_client_window_bytes_max')).to.equal(ORDERS_BYTES);
    expect(metricsText).not.to.include(sessionId!);
  });
});
