/**
 * The throughput matrix: tools/call with 1, 16, 64 and 256 concurrent clients over Streamable HTTP,
 * WebSocket and stdio, smcp beside its baselines, all servers up at once and measured in
 * interleaved rounds (round → client count → series) so machine noise hits every series alike.
 * Series: smcp (execute_query SELECT 1 on the embedded emulator), the minimal SDK v2 server with
 * a constant tool (protocol limit), a bare JSON responder (transport limit) and @bytebase/dbhub's
 * execute_sql SELECT 1 in demo mode (peer-servers.ts). Each cell: req/s, p50/p99 (every answer
 * timed and checked), server CPU µs per call from /proc.
 * WebSocket clients each own a socket; stdio is one pipe per server, so "N clients" there means N
 * requests in flight on it.
 */
import type { LoadResult } from './load-gen.js';
import { runLoad } from './load-gen.js';
import type { ClientPlan } from './load-gen.js';
import { median, percentile, round } from './measure.js';
import type { ToolUnderTest } from './mcp-plans.js';
import {
  CONSTANT_TOOL,
  SELECT1_TOOL,
  endSession,
  sessionPlan,
  statelessPlan,
  toolsCallBody,
} from './mcp-plans.js';
import type { PeerServer } from './peer-servers.js';
import { DBHUB_TOOL, spawnStdioServer, startDbhubHttp } from './peer-servers.js';
import { cpuSecondsOf } from './proc-stats.js';
import type { RpcChannel } from './rpc-load.js';
import { initializeChannel, openWsChannel, runRpcLoad } from './rpc-load.js';
import type { ServerProc } from './server-proc.js';
import { startServerProc } from './server-proc.js';
import type { AddedLatency } from './added-latency.js';
import { measureAddedLatency } from './added-latency.js';

/** A transport of the matrix. */
export type BenchTransport = 'http' | 'ws' | 'stdio';
/** What answers: smcp, the protocol limit, the transport limit, or the peer. */
export type ServerKind = 'smcp' | 'sdk' | 'bare' | 'dbhub';

/** One line of the matrix. */
export interface SeriesInfo {
  readonly id: string;
  readonly label: string;
  readonly transport: BenchTransport;
  readonly kind: ServerKind;
}

/** One measured cell (medians over rounds). */
export interface Cell {
  readonly series: string;
  readonly clients: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly serverCpuUsPerCall: number;
  readonly requests: number;
  readonly errors: number;
  readonly errorSamples: string[];
}

/** What the matrix reports. */
export interface ThroughputResult {
  readonly clientCounts: number[];
  readonly rounds: number;
  readonly secondsPerCell: number;
  readonly series: SeriesInfo[];
  readonly cells: Cell[];
  /** Peer servers that could not run, with the reason. */
  readonly leftOut: { series: string; reason: string }[];
  readonly addedLatency: AddedLatency;
}

/** Options of {@link runThroughput}. */
export interface ThroughputOptions {
  readonly clientCounts: number[];
  readonly rounds: number;
  readonly cellMs: number;
  readonly warmMs: number;
  readonly latencyCalls: number;
  readonly log: (line: string) => void;
}

interface Series extends SeriesInfo {
  pid(): number;
  load(clients: number, ms: number): Promise<LoadResult>;
}

/** HTTP plan with no MCP headers beyond the basics: bare responder and dbhub (stateless, 2025-era). */
function plainPlan(tool: ToolUnderTest): ClientPlan {
  return {
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: (id) => toolsCallBody(tool, id),
  };
}

function httpSeries(
  info: SeriesInfo,
  url: string,
  pid: number,
  tool: ToolUnderTest,
  plan: 'session' | 'stateless' | 'plain',
): Series {
  return {
    ...info,
    pid: () => pid,
    load: (clients, ms) =>
      runLoad({
        url: `${url}/mcp`,
        connections: clients,
        durationMs: ms,
        plan: (_i, post) =>
          plan === 'session'
            ? sessionPlan(tool, post)
            : Promise.resolve(plan === 'stateless' ? statelessPlan(tool) : plainPlan(tool)),
        check: tool.check,
        ...(plan === 'session' ? { teardown: endSession } : {}),
      }),
  };
}

function wsSeries(info: SeriesInfo, url: string, pid: number, tool: ToolUnderTest): Series {
  return {
    ...info,
    pid: () => pid,
    load: async (clients, ms) => {
      const channels: RpcChannel[] = [];
      try {
        for (let i = 0; i < clients; i += 32) {
          const batch = await Promise.all(
            Array.from({ length: Math.min(32, clients - i) }, async () => {
              const channel = await openWsChannel(`${url.replace(/^http/, 'ws')}/mcp`);
              await initializeChannel(channel);
              return channel;
            }),
          );
          channels.push(...batch);
        }
        return await runRpcLoad({ channels, clients, durationMs: ms, tool, check: tool.check });
      } finally {
        for (const c of channels) c.close();
      }
    },
  };
}

function stdioSeries(info: SeriesInfo, server: PeerServer, tool: ToolUnderTest): Series {
  return {
    ...info,
    pid: () => server.pid,
    load: (clients, ms) =>
      runRpcLoad({ channels: [server.channel!], clients, durationMs: ms, tool, check: tool.check }),
  };
}

async function measureCell(
  s: Series,
  clients: number,
  ms: number,
): Promise<Omit<Cell, 'series' | 'clients'>> {
  const cpu0 = cpuSecondsOf(s.pid());
  const r = await s.load(clients, ms);
  const cpu = cpuSecondsOf(s.pid()) - cpu0;
  return {
    reqPerSec: r.rps,
    p50Ms: percentile(r.latencies, 50),
    p99Ms: percentile(r.latencies, 99),
    serverCpuUsPerCall: (cpu * 1e6) / Math.max(1, r.requests),
    requests: r.requests,
    errors: r.errors,
    errorSamples: r.errorSamples,
  };
}

/** Starts every server, runs the matrix and the added-latency check, stops every server. */
export async function runThroughput(opts: ThroughputOptions): Promise<ThroughputResult> {
  const procs: ServerProc[] = [];
  const peers: PeerServer[] = [];
  const leftOut: { series: string; reason: string }[] = [];
  try {
    const [smcp, sdk, bare] = await Promise.all(
      ['smcp', 'baseline', 'bare'].map(async (mode) => {
        const p = await startServerProc(mode);
        procs.push(p);
        return p;
      }),
    );
    const stdio = async (id: string, start: () => Promise<PeerServer>): Promise<PeerServer | undefined> => {
      try {
        const peer = await start();
        peers.push(peer);
        return peer;
      } catch (error) {
        leftOut.push({ series: id, reason: error instanceof Error ? error.message : String(error) });
        return undefined;
      }
    };
    const [smcpStdio, sdkStdio, bareStdio, dbhubStdio, dbhubHttp] = await Promise.all([
      stdio('smcp-stdio', () => spawnStdioServer('smcp')),
      stdio('sdk-stdio', () => spawnStdioServer('sdk')),
      stdio('bare-stdio', () => spawnStdioServer('bare')),
      stdio('dbhub-stdio', () => spawnStdioServer('dbhub')),
      stdio('dbhub-http', () => startDbhubHttp()),
    ]);
    const series: Series[] = [
      httpSeries(
        { id: 'smcp-http', label: 'smcp (sessions)', transport: 'http', kind: 'smcp' },
        smcp.url,
        smcp.pid,
        SELECT1_TOOL,
        'session',
      ),
      httpSeries(
        { id: 'smcp-http-stateless', label: 'smcp (stateless 2026-07-28)', transport: 'http', kind: 'smcp' },
        smcp.url,
        smcp.pid,
        SELECT1_TOOL,
        'stateless',
      ),
      httpSeries(
        { id: 'sdk-http', label: 'minimal SDK v2 server', transport: 'http', kind: 'sdk' },
        sdk.url,
        sdk.pid,
        CONSTANT_TOOL,
        'stateless',
      ),
      httpSeries(
        { id: 'bare-http', label: 'bare node:http', transport: 'http', kind: 'bare' },
        bare.url,
        bare.pid,
        CONSTANT_TOOL,
        'plain',
      ),
      ...(dbhubHttp
        ? [
            httpSeries(
              { id: 'dbhub-http', label: 'dbhub --demo', transport: 'http', kind: 'dbhub' },
              dbhubHttp.url!,
              dbhubHttp.pid,
              DBHUB_TOOL,
              'plain',
            ),
          ]
        : []),
      wsSeries(
        { id: 'smcp-ws', label: 'smcp', transport: 'ws', kind: 'smcp' },
        smcp.url,
        smcp.pid,
        SELECT1_TOOL,
      ),
      wsSeries(
        { id: 'sdk-ws', label: 'minimal SDK v2 server', transport: 'ws', kind: 'sdk' },
        sdk.url,
        sdk.pid,
        CONSTANT_TOOL,
      ),
      wsSeries(
        { id: 'bare-ws', label: 'bare ws', transport: 'ws', kind: 'bare' },
        bare.url,
        bare.pid,
        CONSTANT_TOOL,
      ),
      ...(smcpStdio
        ? [
            stdioSeries(
              { id: 'smcp-stdio', label: 'smcp stdio', transport: 'stdio', kind: 'smcp' },
              smcpStdio,
              SELECT1_TOOL,
            ),
          ]
        : []),
      ...(sdkStdio
        ? [
            stdioSeries(
              { id: 'sdk-stdio', label: 'minimal SDK v2 server', transport: 'stdio', kind: 'sdk' },
              sdkStdio,
              CONSTANT_TOOL,
            ),
          ]
        : []),
      ...(bareStdio
        ? [
            stdioSeries(
              { id: 'bare-stdio', label: 'bare stdio', transport: 'stdio', kind: 'bare' },
              bareStdio,
              CONSTANT_TOOL,
            ),
          ]
        : []),
      ...(dbhubStdio
        ? [
            stdioSeries(
              { id: 'dbhub-stdio', label: 'dbhub --demo', transport: 'stdio', kind: 'dbhub' },
              dbhubStdio,
              DBHUB_TOOL,
            ),
          ]
        : []),
    ];
    opts.log(`  ${series.length} series up`);
    for (const s of series) await s.load(16, opts.warmMs);
    opts.log('  warmed up');
    const runs = new Map<string, Omit<Cell, 'series' | 'clients'>[]>();
    for (let r = 0; r < opts.rounds; r++) {
      for (const clients of opts.clientCounts) {
        for (const s of series) {
          const key = `${s.id}@${clients}`;
          const m = await measureCell(s, clients, opts.cellMs);
          runs.set(key, [...(runs.get(key) ?? []), m]);
          opts.log(
            `  round ${r + 1} ${s.id} ×${clients}: ${round(m.reqPerSec, 0)} req/s, p50 ${round(m.p50Ms, 2)} ms, p99 ${round(m.p99Ms, 2)} ms, ${round(m.serverCpuUsPerCall, 0)} µs CPU/call, ${m.errors} errors`,
          );
        }
      }
    }
    const cells: Cell[] = [];
    for (const clients of opts.clientCounts) {
      for (const s of series) {
        const ms = runs.get(`${s.id}@${clients}`) ?? [];
        const med = (k: 'reqPerSec' | 'p50Ms' | 'p99Ms' | 'serverCpuUsPerCall'): number =>
          round(median(ms.map((m) => m[k])), 3);
        cells.push({
          series: s.id,
          clients,
          reqPerSec: round(med('reqPerSec'), 0),
          p50Ms: med('p50Ms'),
          p99Ms: med('p99Ms'),
          serverCpuUsPerCall: round(med('serverCpuUsPerCall'), 0),
          requests: ms.reduce((n, m) => n + m.requests, 0),
          errors: ms.reduce((n, m) => n + m.errors, 0),
          errorSamples: ms.flatMap((m) => m.errorSamples).slice(0, 3),
        });
      }
    }
    const addedLatency = await measureAddedLatency(smcp, opts.latencyCalls);
    return {
      clientCounts: opts.clientCounts,
      rounds: opts.rounds,
      secondsPerCell: opts.cellMs / 1000,
      series: series.map(({ id, label, transport, kind }) => ({ id, label, transport, kind })),
      cells,
      leftOut,
      addedLatency,
    };
  } finally {
    await Promise.allSettled([...procs.map((p) => p.stop()), ...peers.map((p) => p.stop())]);
  }
}
