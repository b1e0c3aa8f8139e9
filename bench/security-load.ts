/**
 * Honest load under the default limits, alone and beside a greedy client, on the real daemon:
 * N stateless 2026-07-28 clients (`execute_query SELECT 1`, closed loop, fixed duration) must never
 * be refused; in the greedy phases one 2025-era session (raw HTTP, Mcp-Session-Id) also sends a
 * burst of slow calls (`SYSTEM$WAIT`) at once, of which only max_requests_per_session may be in
 * flight (the rest refused), and of which only the pool share may hold a Snowflake connection.
 * Phases alternate in rounds so the machine's drift falls on both. `GET /status` is sampled in
 * every phase; the greedy statements are read from the query history after their phase
 * (bench/security-observe.ts).
 */
import { Agent } from 'node:http';
import type { HttpLoadResult, Poster } from './load-gen.js';
import { poster, resultFor, runLoad } from './load-gen.js';
import type { ToolUnderTest } from './mcp-plans.js';
import { endSession, SELECT1_TOOL, sessionPlan, statelessPlan, toolsCallBody } from './mcp-plans.js';
import { median, percentile, round } from './measure.js';
import { cpuSecondsOf } from './proc-stats.js';
import { samplerFigures, startStatusSampler, statementsInHistory } from './security-observe.js';
import type { HistoryFigures, SamplerFigures, StatusSample } from './security-observe.js';

/** How much to run. */
export interface LoadPlan {
  readonly clients: number;
  readonly phaseMs: number;
  readonly rounds: number;
  readonly warmMs: number;
  readonly greedyCalls: number;
  readonly greedyWaitSeconds: number;
  readonly sampleEveryMs: number;
  readonly log: (line: string) => void;
}

/** The stateless clients' figures in one phase. */
export interface PhaseFigures {
  readonly requests: number;
  readonly errors: number;
  readonly errorSamples: string[];
  /** Answers 429 or 503. */
  readonly refusals: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The daemon's CPU over the phase (all its work, the greedy client's and the sampler's too) ÷ stateless calls. */
  readonly daemonCpuUsPerCall: number;
}

/** The greedy session's burst in one phase. */
export interface BurstFigures {
  readonly calls: number;
  readonly completed: number;
  /** Refused before the work started: HTTP 429 with Retry-After. */
  readonly refused429: number;
  /**
   * Refused by the session's transport instead: HTTP 200 carrying a JSON-RPC error (`too many
   * concurrent requests`), when the POST passed the 429 check before earlier calls took their slots.
   */
  readonly refusedRpc: number;
  readonly other: number;
  readonly otherSamples: string[];
  /** Time to the answer of the first and last completed call (waves of the pool share). */
  readonly firstCompletedMs: number;
  readonly lastCompletedMs: number;
  readonly refusedP50Ms: number;
  /** Its statements in the emulator's query history, and the most that ran at once. */
  readonly history: HistoryFigures;
}

/** What runHonestLoad reports. */
export interface HonestLoadResult {
  readonly clients: number;
  readonly secondsPerPhase: number;
  readonly rounds: number;
  readonly alone: PhaseFigures[];
  readonly withGreedy: PhaseFigures[];
  readonly greedy: BurstFigures[];
  readonly samplerAlone: SamplerFigures;
  readonly samplerWithGreedy: SamplerFigures;
}

/** The greedy client's slow statement; `marker` (its column alias) finds it in the history. */
function greedyTool(waitSeconds: number, marker: string): ToolUnderTest {
  return {
    name: 'execute_query',
    args: { sql: `SELECT SYSTEM$WAIT(${waitSeconds}) AS ${marker}` },
    check: (result) => {
      const r = result as { structuredContent?: { rows?: unknown[][] }; isError?: boolean };
      return r.isError !== true && r.structuredContent?.rows?.length === 1;
    },
  };
}

/** `calls` slow calls at once on one session. */
async function burst(
  post: Poster,
  headers: Record<string, string>,
  tool: ToolUnderTest,
  calls: number,
): Promise<Omit<BurstFigures, 'history'>> {
  const completedMs: number[] = [];
  const refusedMs: number[] = [];
  let refusedRpc = 0;
  const otherSamples: string[] = [];
  let other = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      const id = i + 2;
      try {
        const answer = await post('POST', headers, toolsCallBody(tool, id));
        const ms = performance.now() - t0;
        if (answer.status === 429) return void refusedMs.push(ms);
        const verdict = resultFor(answer, id);
        if (typeof verdict !== 'string' && tool.check(verdict.result)) return void completedMs.push(ms);
        if (typeof verdict === 'string' && /too many concurrent requests/i.test(verdict)) {
          refusedRpc++;
          return void refusedMs.push(ms);
        }
        throw new Error(typeof verdict === 'string' ? verdict : 'wrong result');
      } catch (error) {
        other++;
        if (otherSamples.length < 3) otherSamples.push(String(error).slice(0, 200));
      }
    }),
  );
  return {
    calls,
    completed: completedMs.length,
    refused429: refusedMs.length - refusedRpc,
    refusedRpc,
    other,
    otherSamples,
    firstCompletedMs: round(Math.min(...completedMs), 0),
    lastCompletedMs: round(Math.max(...completedMs), 0),
    refusedP50Ms: round(median(refusedMs), 1),
  };
}

function phaseFigures(load: HttpLoadResult, cpuSeconds: number): PhaseFigures {
  return {
    requests: load.requests,
    errors: load.errors,
    errorSamples: load.errorSamples,
    refusals: (load.statuses['429'] ?? 0) + (load.statuses['503'] ?? 0),
    statuses: load.statuses,
    rps: round(load.rps, 0),
    p50Ms: round(percentile(load.latencies, 50), 2),
    p99Ms: round(percentile(load.latencies, 99), 2),
    daemonCpuUsPerCall: round((cpuSeconds * 1e6) / Math.max(1, load.requests), 0),
  };
}

function statelessLoad(base: string, clients: number, durationMs: number): Promise<HttpLoadResult> {
  return runLoad({
    url: `${base}/mcp`,
    connections: clients,
    durationMs,
    plan: () => Promise.resolve(statelessPlan(SELECT1_TOOL)),
    check: SELECT1_TOOL.check,
  });
}

/** One phase: the stateless load, the sampler, and (with `greedy`) the burst, all at once. */
async function phase(base: string, pid: number, plan: LoadPlan, greedy: boolean, marker: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.greedyCalls + 1 });
  const post = poster(`${base}/mcp`, agent);
  try {
    const tool = greedyTool(plan.greedyWaitSeconds, marker);
    const session = greedy ? await sessionPlan(tool, post) : undefined;
    const sampler = startStatusSampler(base, plan.sampleEveryMs);
    const cpu0 = cpuSecondsOf(pid);
    const [load, figures] = await Promise.all([
      statelessLoad(base, plan.clients, plan.phaseMs),
      session ? burst(post, session.headers, tool, plan.greedyCalls) : undefined,
    ]);
    const cpu = cpuSecondsOf(pid) - cpu0;
    const samples = await sampler.stop();
    if (session) await endSession(session, post);
    const history = figures ? await statementsInHistory(base, marker) : undefined;
    return {
      load: phaseFigures(load, cpu),
      burst: figures && history ? { ...figures, history } : undefined,
      samples,
    };
  } finally {
    agent.destroy();
  }
}

/** Runs the warm-up and the alternating phases against the daemon at `base` (process `pid`). */
export async function runHonestLoad(base: string, pid: number, plan: LoadPlan): Promise<HonestLoadResult> {
  await statelessLoad(base, plan.clients, plan.warmMs);
  const alone: PhaseFigures[] = [];
  const withGreedy: PhaseFigures[] = [];
  const greedy: BurstFigures[] = [];
  const samples = { alone: [] as StatusSample[], greedy: [] as StatusSample[] };
  for (let r = 0; r < plan.rounds; r++) {
    for (const withIt of r % 2 === 0 ? [false, true] : [true, false]) {
      const p = await phase(base, pid, plan, withIt, `GREEDY_${r + 1}_X`);
      (withIt ? withGreedy : alone).push(p.load);
      samples[withIt ? 'greedy' : 'alone'].push(...p.samples);
      if (p.burst) greedy.push(p.burst);
      const b = p.burst;
      plan.log(
        `  round ${r + 1}/${plan.rounds} ${withIt ? 'with greedy' : 'alone      '}: ${p.load.rps} req/s, ` +
          `p50 ${p.load.p50Ms} ms, p99 ${p.load.p99Ms} ms, ${p.load.daemonCpuUsPerCall} µs CPU/call, refusals ${p.load.refusals}, errors ${p.load.errors}` +
          (b
            ? `; greedy ${b.completed} completed, ${b.refused429} refused with 429, ` +
              `${b.refusedRpc} with a JSON-RPC error, ${b.other} other; at most ${b.history.maxRunningAtOnce} running at once`
            : ''),
      );
    }
  }
  return {
    clients: plan.clients,
    secondsPerPhase: plan.phaseMs / 1000,
    rounds: plan.rounds,
    alone,
    withGreedy,
    greedy,
    samplerAlone: samplerFigures(samples.alone),
    samplerWithGreedy: samplerFigures(samples.greedy),
  };
}
