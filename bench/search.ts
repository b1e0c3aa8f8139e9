/**
 * Discovery at scale: the real smcp runtime (its own process, embedded emulator with a generated
 * catalog of 50,000 tables, SMCP_EMULATOR_CATALOG_SIZE) over Streamable HTTP.
 *  (a) the cold fill: the first search_objects over every kind loads databases, schemas, tables,
 *      views and every schema's columns into the metadata cache; its wall time is reported;
 *  (b) warm search_objects latency (one client, sequential, stateless 2026-07-28): p50 ≤ 20 ms;
 *  (c) server CPU per list_tables / describe_table call answered from the cache, 16 clients,
 *      against the minimal SDK v2 server's constant tool measured in the same run: ≤ baseline.
 * Writes bench/results/search.json and the "search" section of bench/REPORT.md.
 *
 *   node --import tsx bench/search.ts [--quick] [--tables 50000]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runLoad } from './load-gen.js';
import { median, percentile, round } from './measure.js';
import type { ToolUnderTest } from './mcp-plans.js';
import { CONSTANT_TOOL, endSession, sessionPlan, statelessPlan } from './mcp-plans.js';
import type { ServerProc } from './server-proc.js';
import { startServerProc } from './server-proc.js';
import { withSection, writeFormatted } from './report.js';

const quick = process.argv.includes('--quick');
const tablesArg = process.argv.indexOf('--tables');
const tables = tablesArg > 0 ? Number(process.argv[tablesArg + 1]) : 50_000;
const rounds = quick ? 1 : 3;
const seconds = quick ? 3 : 6;
const clients = 16;
const searches = quick ? 100 : 300;

const ok = (result: unknown): boolean => (result as { isError?: boolean }).isError !== true;
const tool = (name: string, args: Record<string, unknown>): ToolUnderTest => ({ name, args, check: ok });

/** Warm searches: names, comments, columns, regexes, at every detail level. */
const SEARCHES: Record<string, unknown>[] = [
  { pattern: 'TICKETS_STAGE_000109' },
  { pattern: 'churn forecast', kinds: ['table'], detail: 'summary' },
  { pattern: 'LIFETIME_VALUE', kinds: ['column'] },
  { pattern: '/^CUSTOMERS_(RAW|CLEAN)_0001\\d\\d$/', kinds: ['table'], detail: 'full' },
  { pattern: 'ORDERS_DAILY%', kinds: ['table'], database: 'GEN_DB_02', detail: 'summary' },
  { pattern: 'nothing-is-called-this' },
];

/** One JSON-RPC tools/call over stateless HTTP; resolves with its wall time in ms. */
async function callOnce(url: string, t: ToolUnderTest, id: number): Promise<{ ms: number; result: unknown }> {
  const plan = statelessPlan(t);
  const started = performance.now();
  const res = await fetch(`${url}/mcp`, { method: 'POST', headers: plan.headers, body: plan.body(id) });
  const text = await res.text();
  const ms = performance.now() - started;
  const data = text.split('\n').find((l) => l.startsWith('data: '));
  const message = JSON.parse(data ? data.slice(6) : text) as { result?: unknown; error?: unknown };
  if (!message.result || !ok(message.result)) throw new Error(`${t.name} failed: ${text.slice(0, 300)}`);
  return { ms, result: message.result };
}

async function cpuPerCall(
  server: ServerProc,
  t: ToolUnderTest,
  session: boolean,
): Promise<{ cpuUs: number; rps: number; errors: number }> {
  const cpu0 = server.cpuSeconds();
  const load = await runLoad({
    url: `${server.url}/mcp`,
    connections: clients,
    durationMs: seconds * 1000,
    plan: (_i, post) => (session ? sessionPlan(t, post) : Promise.resolve(statelessPlan(t))),
    check: t.check,
    ...(session ? { teardown: endSession } : {}),
  });
  const cpu = server.cpuSeconds() - cpu0;
  return { cpuUs: (cpu * 1e6) / Math.max(1, load.requests), rps: load.rps, errors: load.errors };
}

process.env.SMCP_EMULATOR_CATALOG_SIZE = String(tables);
const servers: ServerProc[] = [];
try {
  const baseline = await startServerProc('baseline');
  servers.push(baseline);
  const startedAt = performance.now();
  const smcp = await startServerProc('smcp');
  servers.push(smcp);
  const startMs = performance.now() - startedAt;

  // (a) cold fill: every kind, so every schema's columns load too.
  const cold = await callOnce(smcp.url, tool('search_objects', { pattern: 'TICKETS_STAGE_000109' }), 1);
  const coldCpu = smcp.cpuSeconds();
  console.error(`cold search_objects over ${tables} tables: ${round(cold.ms, 0)} ms`);

  // (b) warm searches, sequential.
  const latencies: number[] = [];
  const perPattern = new Map<string, number[]>();
  for (let i = 0; i < searches; i++) {
    const args = SEARCHES[i % SEARCHES.length] ?? {};
    const { ms } = await callOnce(smcp.url, tool('search_objects', args), 100 + i);
    latencies.push(ms);
    const key = JSON.stringify(args);
    perPattern.set(key, [...(perPattern.get(key) ?? []), ms]);
  }
  const warm = {
    calls: latencies.length,
    p50Ms: round(percentile(latencies, 50), 2),
    p90Ms: round(percentile(latencies, 90), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    perPattern: [...perPattern].map(([args, ms]) => ({
      args: JSON.parse(args) as unknown,
      p50Ms: round(median(ms), 2),
    })),
  };
  console.error(`warm search_objects p50 ${warm.p50Ms} ms, p99 ${warm.p99Ms} ms`);

  // (c) CPU per call from the cache against the SDK baseline.
  const listSmall = tool('list_tables', { database: 'SAMPLE_DB', schema: 'SALES' });
  const listGen = tool('list_tables', { database: 'GEN_DB_01', schema: 'SALES' });
  const describe = tool('describe_table', { database: 'SAMPLE_DB', schema: 'SALES', table: 'ORDERS' });
  const variants: [string, ServerProc, ToolUnderTest, boolean][] = [
    ['baseline: SDK v2 minimal, stateless, constant tool', baseline, CONSTANT_TOOL, false],
    ['list_tables SAMPLE_DB.SALES, sessions', smcp, listSmall, true],
    ['list_tables GEN_DB_01.SALES (222 of 12,500 cached; a 222-row answer, diagnostic)', smcp, listGen, true],
    ['describe_table SAMPLE_DB.SALES.ORDERS, sessions', smcp, describe, true],
    ['list_databases, sessions', smcp, tool('list_databases', {}), true],
    ['list_tables SAMPLE_DB.SALES, stateless', smcp, listSmall, false],
    ['describe_table SAMPLE_DB.SALES.ORDERS, stateless', smcp, describe, false],
  ];
  const runs = new Map<string, { cpuUs: number; rps: number; errors: number }[]>();
  for (const [, server, t, session] of variants) await cpuPerCall(server, t, session);
  for (let r = 0; r < rounds; r++) {
    for (const [name, server, t, session] of variants) {
      const figures = await cpuPerCall(server, t, session);
      runs.set(name, [...(runs.get(name) ?? []), figures]);
      console.error(
        `round ${r + 1}/${rounds} ${name}: ${round(figures.cpuUs, 0)} µs CPU/call, ${round(figures.rps, 0)} req/s, ${figures.errors} errors`,
      );
    }
  }
  const cpu = variants.map(([name]) => {
    const list = runs.get(name) ?? [];
    return {
      variant: name,
      serverCpuUsPerCall: round(median(list.map((f) => f.cpuUs)), 0),
      reqPerSec: round(median(list.map((f) => f.rps)), 0),
      errors: list.reduce((n, f) => n + f.errors, 0),
    };
  });
  const baselineCpu = cpu[0]?.serverCpuUsPerCall ?? 0;
  const results = {
    when: new Date().toISOString(),
    node: process.version,
    tables,
    smcpStartMs: round(startMs, 0),
    coldFill: {
      what: 'first search_objects over every kind: SHOW DATABASES, SCHEMAS, TABLES, VIEWS (paged) and SHOW COLUMNS per schema',
      wallMs: round(cold.ms, 0),
      serverCpuSecondsSoFar: round(coldCpu, 2),
    },
    warmSearch: { ...warm, targetP50Ms: 20, met: warm.p50Ms <= 20 },
    cachedCallCpu: {
      clients,
      rounds,
      secondsPerRound: seconds,
      variants: cpu,
      // The target holds for session clients (how smcp's clients connect); stateless is reported too.
      met: cpu
        .filter((v) => v.variant.endsWith('sessions'))
        .every((v) => v.serverCpuUsPerCall <= baselineCpu && v.errors === 0),
    },
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/search.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  const verdict = (met: boolean): string => (met ? '**met**' : '**missed**');
  const lines = [
    '## Discovery at scale: search_objects and the metadata cache',
    '',
    `Run ${results.when}, Node ${results.node}, \`node --import tsx bench/search.ts${quick ? ' --quick' : ''}\`: the real smcp runtime in its own process on the embedded emulator with a generated catalog of ${tables.toLocaleString('en')} tables (plus the sample data), over Streamable HTTP. Raw figures: [results/search.json](results/search.json).`,
    '',
    '| what | target | measured | verdict |',
    '| --- | --- | --- | --- |',
    `| warm \`search_objects\` p50 (one client, sequential, ${warm.calls} calls over ${SEARCHES.length} patterns) | ≤ 20 ms | ${warm.p50Ms} ms (p90 ${warm.p90Ms}, p99 ${warm.p99Ms}) | ${verdict(results.warmSearch.met)} |`,
    `| server CPU per cached \`list_*\` / \`describe_*\` call (sessions) vs the minimal SDK v2 server's constant tool | ≤ ${baselineCpu} µs | ${cpu
      .filter((v) => v.variant.endsWith('sessions'))
      .map((v) => `${v.serverCpuUsPerCall}`)
      .join(' / ')} µs | ${verdict(results.cachedCallCpu.met)} |`,
    `| cold fill: first \`search_objects\` over every kind | report | ${(cold.ms / 1000).toFixed(1)} s | — |`,
    '',
    '| variant | server CPU µs per call | req/s | errors |',
    '| --- | ---: | ---: | ---: |',
    ...cpu.map((v) => `| ${v.variant} | ${v.serverCpuUsPerCall} | ${v.reqPerSec} | ${v.errors} |`),
    '',
    '| pattern | p50 ms |',
    '| --- | ---: |',
    ...warm.perPattern.map((p) => `| \`${JSON.stringify(p.args).replace(/\|/g, '\\|')}\` | ${p.p50Ms} |`),
    '',
    `${clients} clients, ${rounds} round(s) of ${seconds} s per variant, medians. The cold fill lists every database (SHOW … IN DATABASE, then schema by schema with LIMIT 10000 FROM '<last name>' where a page is full) and runs SHOW COLUMNS per schema, reading results of up to 10,000 rows per page; warm searches read only the cache (listings indexed once per schema and table, each distinct column name and comment tested once, a LIKE pattern's literal run checked before the matcher).`,
  ];
  const reportUrl = new URL('./REPORT.md', import.meta.url);
  await writeFormatted(reportUrl, withSection(readFileSync(reportUrl, 'utf8'), 'search', lines.join('\n')));
  console.log(JSON.stringify(results, null, 2));
} finally {
  for (const s of servers) await s.stop();
}
