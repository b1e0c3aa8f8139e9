/**
 * MCP over Streamable HTTP, issue 3's targets:
 *  (a) tools/call with 64 concurrent clients: smcp's throughput ≥ 70% of a minimal SDK v2 server
 *      answering a constant tool, measured side by side in this run;
 *  (b) added latency per call ≤ 1 ms p50: execute_query SELECT 1 through MCP (one client,
 *      sequential, session-based HTTP) minus client.query SELECT 1 in the server process.
 * Each server runs in its own child process; this process is the load generator. Each variant runs
 * `rounds` × `seconds` after a warm-up, interleaved with the others; medians are reported, with
 * server CPU µs per call (from /proc). Writes the `http` and `latency` sections of
 * bench/results/mcp.json.
 *
 *   node --import tsx bench/mcp-http.ts [--quick] [--clients 64]
 */
import { measureAddedLatency } from './added-latency.js';
import { runLoad } from './load-gen.js';
import { median, percentile, round } from './measure.js';
import { writeSection } from './mcp-results.js';
import type { ToolUnderTest } from './mcp-plans.js';
import { CONSTANT_TOOL, SELECT1_TOOL, endSession, sessionPlan, statelessPlan } from './mcp-plans.js';
import type { ServerProc } from './server-proc.js';
import { startServerProc } from './server-proc.js';

const quick = process.argv.includes('--quick');
const clientsArg = process.argv.indexOf('--clients');
const clients = clientsArg > 0 ? Number(process.argv[clientsArg + 1]) : 64;
const rounds = quick ? 1 : 3;
const seconds = quick ? 3 : 8;
const warmSeconds = quick ? 1 : 2;
const latencyCalls = quick ? 400 : 2000;

interface Variant {
  readonly name: string;
  readonly what: string;
  readonly server: ServerProc;
  readonly tool: ToolUnderTest;
  readonly session: boolean;
}

interface RoundFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerCall: number;
  requests: number;
  errors: number;
  errorSamples: string[];
}

async function measureRound(v: Variant, durationMs: number): Promise<RoundFigures> {
  const cpu0 = v.server.cpuSeconds();
  const result = await runLoad({
    url: `${v.server.url}/mcp`,
    connections: clients,
    durationMs,
    plan: (_i, post) => (v.session ? sessionPlan(v.tool, post) : Promise.resolve(statelessPlan(v.tool))),
    check: v.tool.check,
    ...(v.session ? { teardown: endSession } : {}),
  });
  // Session set-up and tear-down are a handful of requests against thousands of calls.
  const cpu = v.server.cpuSeconds() - cpu0;
  return {
    rps: result.rps,
    p50Ms: percentile(result.latencies, 50),
    p99Ms: percentile(result.latencies, 99),
    cpuUsPerCall: (cpu * 1e6) / Math.max(1, result.requests),
    requests: result.requests,
    errors: result.errors,
    errorSamples: result.errorSamples,
  };
}

function summarise(v: Variant, runs: RoundFigures[]): Record<string, unknown> {
  const med = (key: 'rps' | 'p50Ms' | 'p99Ms' | 'cpuUsPerCall'): number =>
    round(median(runs.map((r) => r[key])), 3);
  return {
    variant: v.name,
    what: v.what,
    reqPerSec: round(med('rps'), 0),
    p50Ms: med('p50Ms'),
    p99Ms: med('p99Ms'),
    serverCpuUsPerCall: round(med('cpuUsPerCall'), 0),
    requests: runs.reduce((s, r) => s + r.requests, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    errorSamples: runs.flatMap((r) => r.errorSamples).slice(0, 5),
    rounds: runs.map((r) => ({
      rps: round(r.rps, 0),
      p50Ms: round(r.p50Ms, 3),
      p99Ms: round(r.p99Ms, 3),
      cpuUs: round(r.cpuUsPerCall, 0),
    })),
  };
}

const servers: ServerProc[] = [];
try {
  const start = async (mode: string): Promise<ServerProc> => {
    const proc = await startServerProc(mode);
    servers.push(proc);
    return proc;
  };
  const baseline = await start('baseline');
  const smcp = await start('smcp');
  const smcpReplay = await start('smcp-replay');
  const smcpConstant = await start('smcp-constant');
  const variants: Variant[] = [
    {
      name: 'baseline',
      what: 'SDK v2 minimal, stateless 2026-07-28, constant tool',
      server: baseline,
      tool: CONSTANT_TOOL,
      session: false,
    },
    {
      name: 'smcp-stateless',
      what: 'smcp, stateless 2026-07-28, execute_query SELECT 1',
      server: smcp,
      tool: SELECT1_TOOL,
      session: false,
    },
    {
      name: 'smcp-session',
      what: 'smcp, 2025-11-25 sessions, execute_query SELECT 1',
      server: smcp,
      tool: SELECT1_TOOL,
      session: true,
    },
    {
      name: 'smcp-mcp-layer-stateless',
      what: 'smcp MCP layer (transports, factory, registry, tools), stateless 2026-07-28, execute_query SELECT 1 answered by a replayed result',
      server: smcpReplay,
      tool: SELECT1_TOOL,
      session: false,
    },
    {
      name: 'smcp-mcp-layer-session',
      what: 'smcp MCP layer, 2025-11-25 sessions, execute_query SELECT 1 answered by a replayed result',
      server: smcpReplay,
      tool: SELECT1_TOOL,
      session: true,
    },
    {
      name: 'smcp-transport-constant',
      what: 'smcp transports, stateless 2026-07-28, constant tool (diagnostic)',
      server: smcpConstant,
      tool: CONSTANT_TOOL,
      session: false,
    },
  ];
  const runs = new Map<string, RoundFigures[]>(variants.map((v) => [v.name, []]));
  for (const v of variants) await measureRound(v, warmSeconds * 1000);
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const figures = await measureRound(v, seconds * 1000);
      runs.get(v.name)!.push(figures);
      console.error(
        `round ${r + 1}/${rounds} ${v.name}: ${round(figures.rps, 0)} req/s, p50 ${round(figures.p50Ms, 2)} ms, ${round(figures.cpuUsPerCall, 0)} µs CPU/call, ${figures.errors} errors`,
      );
    }
  }
  const summaries = variants.map((v) => summarise(v, runs.get(v.name)!));
  const rps = (name: string): number => Number(summaries.find((s) => s.variant === name)?.reqPerSec);
  const ratio = (name: string): number => round(rps(name) / rps('baseline'), 3);
  const ratios = {
    smcpStateless: ratio('smcp-stateless'),
    smcpSession: ratio('smcp-session'),
    mcpLayerStateless: ratio('smcp-mcp-layer-stateless'),
    mcpLayerSession: ratio('smcp-mcp-layer-session'),
    transportConstant: ratio('smcp-transport-constant'),
  };
  // What the data path alone delivers in the smcp process at the same concurrency: no MCP layer
  // can be faster end to end than this.
  const ceiling = await smcp.ask<{ qps: number; cpuUsPerQuery: number; queries: number }>({
    op: 'ceiling',
    concurrency: clients,
    ms: seconds * 1000,
  });
  const latency = await measureAddedLatency(smcp, latencyCalls);
  const errorsOf = (names: string[]): number =>
    summaries.filter((s) => names.includes(String(s.variant))).reduce((n, v) => n + Number(v.errors), 0);
  const endToEnd =
    ratios.smcpStateless >= 0.7 &&
    ratios.smcpSession >= 0.7 &&
    errorsOf(['baseline', 'smcp-stateless', 'smcp-session']) === 0;
  const mcpLayer =
    ratios.mcpLayerStateless >= 0.7 &&
    ratios.mcpLayerSession >= 0.7 &&
    errorsOf(['baseline', 'smcp-mcp-layer-stateless', 'smcp-mcp-layer-session']) === 0;
  const http = {
    when: new Date().toISOString(),
    node: process.version,
    clients,
    rounds,
    secondsPerRound: seconds,
    variants: summaries,
    ratioToBaseline: ratios,
    targetRatio: 0.7,
    dataPathCeiling: {
      what: `client.query SELECT 1 from ${clients} concurrent loops inside the smcp process (embedded emulator)`,
      queriesPerSec: round(ceiling.qps, 0),
      cpuUsPerQuery: round(ceiling.cpuUsPerQuery, 0),
      ratioToBaseline: round(ceiling.qps / rps('baseline'), 3),
    },
    verdicts: { endToEnd, mcpLayer },
  };
  const latencySection = { when: http.when, ...latency, verdict: Number(latency.addedP50Ms) <= 1 };
  writeSection('http', http);
  writeSection('latency', latencySection);
  console.log(JSON.stringify({ http, latency: latencySection }, null, 2));
  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
  console.log(
    `\n(a) throughput vs baseline ${rps('baseline')} req/s (target ≥ 0.7):` +
      `\n    end to end (execute_query SELECT 1 on the embedded emulator): stateless ${ratios.smcpStateless}, session ${ratios.smcpSession}: ${verdict(endToEnd)}` +
      `\n      data path alone in the same process: ${round(ceiling.qps, 0)} q/s = ${http.dataPathCeiling.ratioToBaseline} × baseline` +
      `\n    MCP layer (database answer replayed): stateless ${ratios.mcpLayerStateless}, session ${ratios.mcpLayerSession}: ${verdict(mcpLayer)}` +
      `\n(b) added latency p50: ${String(latency.addedP50Ms)} ms (MCP ${JSON.stringify(latency.viaMcp)} vs client ${JSON.stringify(latency.clientQuery)}; target ≤ 1 ms): ${verdict(latencySection.verdict)}`,
  );
} finally {
  await Promise.allSettled(servers.map((s) => s.stop()));
}
