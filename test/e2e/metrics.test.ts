/**
 * Prometheus metrics against the real daemon: `GET /metrics` on the MCP port and `smcp metrics`
 * over the admin socket. Scraped while calls run, the counters only grow; once the calls end they
 * add up to exactly the calls made (by tool, transport and outcome), the rows the clients received,
 * the guard's refusals by kind, and the sessions open. The page carries no SQL, no client names
 * and no query ids, and another local user gets nothing.
 */
import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/client';
import { isolatedHome, runSmcp } from '../helpers/cli.js';
import { canSwitchUser, runAsOtherUser } from '../helpers/other-user.js';
import { has, parseMetrics, total } from '../helpers/prom-text.js';
import type { Sample } from '../helpers/prom-text.js';
import type { E2eServer } from './helpers.js';
import { answer, connectHttp, connectWebSocket, startE2eServer, tabular } from './helpers.js';

/** A literal that must never show up on the metrics page. */
const MARKER = 'metrics_marker_7f3a';
/** Calls each client makes while the page is scraped. */
const CALLS_PER_CLIENT = 12;

async function scrape(base: string): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: parseMetrics(text) };
}

/** The counters that must never go down between two scrapes. */
const COUNTERS = [
  'smcp_calls_total',
  'smcp_rows_returned_total',
  'smcp_answer_chars_total',
  'smcp_guard_refusals_total',
  'smcp_pool_acquires_total',
  'smcp_pool_acquire_seconds_total',
  'smcp_call_duration_seconds_count',
  'smcp_statement_duration_seconds_count',
];

describe('e2e: metrics', function () {
  this.timeout(60_000);
  let server: E2eServer;
  let http: Client;

  before(async () => {
    // Room for every call at once (a client may hold half the pool): on a busy machine, calls queued
    // behind a client's share could outwait the pool's acquire timeout, which is not what this counts.
    server = await startE2eServer(['--pool-size', String(2 * CALLS_PER_CLIENT)]);
    http = (await connectHttp(server.base, 'metrics-http')).client;
  });
  after(async () => {
    await http?.close();
    await server?.stop();
  });

  it('counts every call exactly, by tool, transport and outcome, while being scraped', async () => {
    const before = (await scrape(server.base)).samples;
    const ws = await connectWebSocket(server.base, 'metrics-ws');
    try {
      let rows = 0;
      const httpCalls = Array.from({ length: CALLS_PER_CLIENT }, async (_, i) => {
        const result = await http.callTool({
          name: 'execute_query',
          arguments: {
            sql: `SELECT ID, '${MARKER}' AS M FROM SAMPLE_DB.SALES.EVENTS ORDER BY ID`,
            max_rows: i + 1,
          },
        });
        rows += tabular(result).rowCount;
      });
      const wsCalls = Array.from({ length: CALLS_PER_CLIENT }, () =>
        ws.callTool({ name: 'list_databases', arguments: {} }),
      );
      const scrapes: Sample[][] = [];
      let running = true;
      const scraper = (async () => {
        while (running) scrapes.push((await scrape(server.base)).samples);
      })();
      await Promise.all([...httpCalls, ...wsCalls]);
      running = false;
      await scraper;

      const refused = await http.callTool({
        name: 'execute_query',
        arguments: { sql: `DELETE FROM SAMPLE_DB.SALES.EVENTS WHERE ID = '${MARKER}'` },
      });
      expect(answer(refused).isError).to.equal(true);
      const badArgs = await http.callTool({
        name: 'execute_query',
        arguments: { sql: 'SELECT 1', max_rows: -1 },
      });
      expect(answer(badArgs).isError).to.equal(true);

      const after = (await scrape(server.base)).samples;
      scrapes.push(after);
      expect(scrapes.length, 'scrapes taken').to.be.greaterThan(1);
      const gained = (name: string, where: Record<string, string> = {}): number =>
        total(after, name, where) - total(before, name, where);

      expect(
        gained('smcp_calls_total', { tool: 'execute_query', transport: 'http', outcome: 'ok' }),
      ).to.equal(CALLS_PER_CLIENT);
      expect(
        gained('smcp_calls_total', { tool: 'list_databases', transport: 'websocket', outcome: 'ok' }),
      ).to.equal(CALLS_PER_CLIENT);
      expect(gained('smcp_calls_total', { tool: 'execute_query', outcome: 'STATEMENT_REFUSED' })).to.equal(1);
      expect(gained('smcp_calls_total', { tool: 'execute_query', outcome: 'USAGE' })).to.equal(1);
      expect(gained('smcp_calls_total')).to.equal(2 * CALLS_PER_CLIENT + 2);
      expect(gained('smcp_call_duration_seconds_count')).to.equal(2 * CALLS_PER_CLIENT + 2);
      expect(gained('smcp_rows_returned_total', { tool: 'execute_query' })).to.equal(rows);
      expect(gained('smcp_guard_refusals_total', { kind: 'dml' })).to.equal(1);
      expect(gained('smcp_truncations_total', { tool: 'execute_query', by: 'rows' })).to.equal(
        CALLS_PER_CLIENT,
      );
      // Each execute_query ran one statement and borrowed a connection for it.
      expect(gained('smcp_statement_duration_seconds_count')).to.be.at.least(CALLS_PER_CLIENT);
      expect(gained('smcp_pool_acquires_total')).to.be.at.least(CALLS_PER_CLIENT);
      expect(total(after, 'smcp_calls_total', { connection: 'emulator' })).to.equal(
        total(after, 'smcp_calls_total'),
      );

      for (let i = 1; i < scrapes.length; i++) {
        for (const name of COUNTERS) {
          expect(total(scrapes[i], name), `${name} in scrape ${i}`).to.be.at.least(
            total(scrapes[i - 1], name),
          );
        }
      }
      expect(total(after, 'smcp_sessions', { transport: 'http' })).to.equal(1);
      expect(total(after, 'smcp_sessions', { transport: 'websocket' })).to.equal(1);
      expect(total(after, 'smcp_database_healthy')).to.equal(1);
      expect(total(after, 'smcp_draining')).to.equal(0);
      expect(total(after, 'smcp_pool_max')).to.be.greaterThan(0);
      expect(has(after, 'smcp_process_resident_memory_bytes')).to.equal(true);
    } finally {
      await ws.close();
    }
  });

  it('shows no SQL, client names or query ids', async () => {
    const result = await http.callTool({
      name: 'execute_query',
      arguments: { sql: `SELECT '${MARKER}' AS M` },
    });
    const { queryId } = tabular(result);
    const { text } = await scrape(server.base);
    expect(text).not.to.include(MARKER);
    expect(text).not.to.include(queryId);
    expect(text).not.to.include('metrics-http');
    expect(text).not.to.include('metrics-ws');
  });

  it('serves nothing to another local user', async function () {
    if (!canSwitchUser()) this.skip();
    const seen = await runAsOtherUser<{ status: number; body: string }>(
      `const res = await fetch(${JSON.stringify(`${server.base}/metrics`)});
       console.log(JSON.stringify({ status: res.status, body: await res.text() }));`,
    );
    expect(seen.status).to.equal(403);
    expect(seen.body).not.to.include('smcp_calls_total');
  });

  it('prints the same counters with smcp metrics, as text and as JSON', async () => {
    const { samples } = await scrape(server.base);
    const text = await runSmcp(['metrics'], server.home.env);
    expect(text.code, text.stderr).to.equal(0);
    const cli = parseMetrics(text.stdout);
    expect(total(cli, 'smcp_calls_total', { tool: 'execute_query', outcome: 'ok' })).to.equal(
      total(samples, 'smcp_calls_total', { tool: 'execute_query', outcome: 'ok' }),
    );
    const json = await runSmcp(['metrics', '--json'], server.home.env);
    expect(json.code, json.stderr).to.equal(0);
    const metrics = JSON.parse(json.stdout) as { name: string; type: string; values: unknown[] }[];
    const calls = metrics.find((m) => m.name === 'smcp_calls_total');
    expect(calls?.type).to.equal('counter');
    expect(calls?.values.length).to.be.greaterThan(0);
  });

  it('says the daemon is not running when there is none', async () => {
    const home = isolatedHome();
    try {
      const run = await runSmcp(['metrics'], home.env);
      expect(run.code).not.to.equal(0);
      expect(run.stderr).to.match(/^smcp: no smcp daemon is running/m);
      expect(run.stderr).not.to.match(/\n\s+at /);
    } finally {
      home.remove();
    }
  });
});
