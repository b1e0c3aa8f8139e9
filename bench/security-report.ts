/**
 * The security section of bench/REPORT.md (between `<!-- security:start -->` and
 * `<!-- security:end -->`), rendered from bench/results/security.json by bench/security.ts.
 */
import type { CellSummary, ConnectionCostResult } from './security-connections.js';
import { round } from './measure.js';
import type { HonestLoadResult } from './security-load.js';

/** The medians of one kind of phase. */
export interface PhaseSummary {
  readonly requests: number;
  readonly refusals: number;
  readonly errors: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly daemonCpuUsPerCall: number;
}

/** One verdict line. */
export interface Verdict {
  readonly what: string;
  readonly met: boolean;
  readonly measured: string;
}

/** The guard benchmark's headline figures (bench/results/guard.json), when it has run. */
export interface GuardFigures {
  readonly measuredAt: string;
  readonly worst: string;
  readonly worstMedianMs: number;
  readonly targetMs: number;
  readonly met: boolean;
  readonly loadAvg: number[];
}

/** What bench/security.ts writes to bench/results/security.json. */
export interface SecurityResults {
  readonly measuredAt: string;
  readonly mode: 'quick' | 'full';
  readonly node: string;
  readonly machine: {
    readonly cpus: number;
    readonly model: string;
    readonly loadAvg: Readonly<Record<'start' | 'afterConnections' | 'end', number[]>>;
  };
  readonly durationSeconds: number;
  readonly limits: {
    readonly requestsPerSession: number;
    readonly requestsPerAddress: number;
    readonly poolSize: number;
    readonly poolShare: number;
  };
  readonly verdicts: Verdict[];
  readonly connectionCost: ConnectionCostResult;
  readonly honestLoad: HonestLoadResult & {
    readonly summary: {
      readonly alone: PhaseSummary;
      readonly withGreedy: PhaseSummary;
      readonly p50Ratio: number;
      readonly p99Ratio: number;
      readonly rpsRatio: number;
    };
  };
  readonly guard?: GuardFigures;
}

const mark = (met: boolean): string => (met ? '**met**' : '**MISSED**');

function cellRow(name: string, c: CellSummary): string {
  return `| ${name} | ${c.cpuUsPerConnection} | ${c.systemUsPerConnection} | ${c.wallUsPerConnection} | ${c.tableLines} |`;
}

function connectionPart(c: ConnectionCostResult): string[] {
  return [
    '### The local-user check per new connection',
    '',
    `${c.connectionsPerCell.toLocaleString('en')} connections per cell, one at a time, each \`GET /mcp/tools\` with \`Connection: close\`; ${c.rounds} interleaved rounds, medians. "check": the daemon without a token reads the owner of every new loopback connection from /proc/net/tcp{,6}; "token": the same daemon started with SMCP_TOKEN, the client sending it (the token identifies the client, /proc is not read). "+ idle": ${c.idleSockets.toLocaleString('en')} more TCP connections held open to the daemon during the cell (two table lines each, the client's end and the daemon's)${c.idleDropped > 0 ? `; ${c.idleDropped} of them were dropped by the daemon during the cells` : ''}. CPU is the daemon's (utime + stime from /proc) over the cell; "of which kernel" is its stime, where reading /proc/net/tcp{,6} shows up.`,
    '',
    '| cell | daemon CPU µs per connection | of which kernel | wall µs per connection | /proc/net/tcp{,6} lines |',
    '| --- | ---: | ---: | ---: | ---: |',
    cellRow('check (no token)', c.check),
    cellRow('token', c.token),
    cellRow(`check + ${c.idleSockets} idle`, c.checkWithIdle),
    cellRow(`token + ${c.idleSockets} idle`, c.tokenWithIdle),
    '',
    `The check costs **${c.checkCostUs} µs** of daemon CPU per new connection (${c.check.tableLines} table lines), **${c.checkCostWithIdleUs} µs** with ${c.idleSockets} idle connections open (${c.checkWithIdle.tableLines} lines)${Number.isFinite(c.usPer1000Lines) ? `: about ${c.usPer1000Lines} µs more per 1,000 sockets in the table` : ''}. A keep-alive connection pays it once (the answer is cached per socket); the table counts every socket of this network namespace, other users' included, and a client that churns N connections a second leaves about 60·N TIME_WAIT lines in it (the bench's client resets its sockets, so no TIME_WAIT line inflates these cells).`,
    '',
  ];
}

function phaseRow(name: string, p: PhaseSummary): string {
  return `| ${name} | ${p.requests} | ${p.refusals} | ${p.errors} | ${p.rps} | ${p.p50Ms} | ${p.p99Ms} | ${p.daemonCpuUsPerCall} |`;
}

function loadPart(r: SecurityResults): string[] {
  const h = r.honestLoad;
  const s = h.summary;
  const lim = r.limits;
  const g = h.greedy;
  const sw = h.samplerWithGreedy;
  const range = (pick: (b: (typeof g)[number]) => number): string => {
    const v = g.map(pick);
    return Math.min(...v) === Math.max(...v) ? String(v[0]) : `${Math.min(...v)}–${Math.max(...v)}`;
  };
  return [
    '### Honest load and a greedy client, default limits',
    '',
    `${h.clients} stateless 2026-07-28 clients (\`tools/call execute_query SELECT 1\`, closed loop, keep-alive) for ${h.secondsPerPhase} s per phase, alone and beside a greedy client, ${h.rounds} round(s) alternating; sums of requests, refusals (HTTP 429/503) and errors, medians of req/s, per-response p50/p99 and the daemon's CPU per stateless call (all its CPU in the phase, the greedy client's and the \`GET /status\` sampler's work included, ÷ the stateless calls). The greedy client: one 2025-11-25 session (raw HTTP, Mcp-Session-Id) sending ${g[0]?.calls ?? '?'} \`SELECT SYSTEM$WAIT(…)\` calls at once when the phase starts.`,
    '',
    '| stateless clients | requests | refusals | errors | req/s | p50 ms | p99 ms | daemon CPU µs per call |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    phaseRow('alone', s.alone),
    phaseRow('beside the greedy client', s.withGreedy),
    `| ratio (beside / alone) | | | | ${s.rpsRatio} | ${s.p50Ratio} | ${s.p99Ratio} | |`,
    '',
    `Greedy session, per round: ${range((b) => b.refused429)} of ${g[0]?.calls ?? '?'} calls refused with HTTP 429 and ${range((b) => b.refusedRpc)} with HTTP 200 carrying a JSON-RPC error ("too many concurrent requests from this client", from the session's transport, for POSTs that passed the 429 check before earlier calls had taken their slots) — expected ${(g[0]?.calls ?? 0) - lim.requestsPerSession} refused in all, everything beyond max_requests_per_session = ${lim.requestsPerSession} in flight; the refusals answered in ${range((b) => b.refusedP50Ms)} ms at the median; ${range((b) => b.completed)} completed, ${range((b) => b.other)} other outcomes; its completed calls answered between ${range((b) => b.firstCompletedMs)} and ${range((b) => b.lastCompletedMs)} ms after the burst, in waves of the pool share. \`GET /status\` sampled every second during those phases (${sw.samples} samples): at most **${sw.maxSessionInFlight}** of its requests in flight, pool borrowed at most ${sw.maxPoolBorrowed} in all (at most ${h.samplerAlone.maxPoolBorrowed} without the greedy client). Its statements in the emulator's \`QUERY_HISTORY\`, read after each phase: ${range((b) => b.history.statements)} per round, at most **${range((b) => b.history.maxRunningAtOnce)}** running at once by their start and end times (pool share ${lim.poolShare} of ${lim.poolSize}).`,
    '',
    `The stateless clients all belong to one owner (the local user), so together they hold at most the pool share (${lim.poolShare} connections) and at most max_requests_per_address (${lim.requestsPerAddress}) requests in flight, with or without the greedy client; the greedy session holds the other share. What the greedy client adds for them is its HTTP traffic and statements on the same cores: their p50 beside it was **${s.p50Ratio}×** the p50 alone (p99 ${s.p99Ratio}×, req/s ${s.rpsRatio}×; per round: p50 ${h.withGreedy.map((p, i) => round(p.p50Ms / (h.alone[i]?.p50Ms ?? NaN), 2)).join(', ')}×).`,
    '',
  ];
}

function guardPart(g: GuardFigures | undefined): string[] {
  if (!g)
    return [
      '### The read-only guard',
      '',
      'bench/results/guard.json is missing: run `node --import tsx bench/guard.ts`.',
      '',
    ];
  return [
    '### The read-only guard (bench/guard.ts)',
    '',
    `Measured ${g.measuredAt} (load average ${g.loadAvg.join(' / ')}): the worst of the adversarial ~1 MB shapes, "${g.worst}", took **${g.worstMedianMs} ms** (median) against the ${g.targetMs} ms target: ${mark(g.met)}. Details: [results/guard.json](results/guard.json).`,
    '',
  ];
}

/** The section's Markdown (without its markers). */
export function renderSecuritySection(r: SecurityResults): string {
  const la = r.machine.loadAvg;
  return [
    '## Security protections: cost and limits',
    '',
    `Run ${r.measuredAt} in **${r.mode}** mode (\`npm run bench:security${r.mode === 'quick' ? ' -- --quick' : ''}\`), ${r.durationSeconds} s, Node ${r.node}, ${r.machine.cpus} × ${r.machine.model}; load average ${la.start.join(' / ')} at the start, ${la.end.join(' / ')} at the end (a shared machine: compare the ratios and differences measured in this run). The real daemon, \`smcp start --foreground --port 0\` in an isolated home on the embedded emulator, with its default limits. Raw figures: [results/security.json](results/security.json).`,
    '',
    '| what | measured | verdict |',
    '| --- | --- | --- |',
    ...r.verdicts.map((v) => `| ${v.what} | ${v.measured} | ${mark(v.met)} |`),
    '',
    ...connectionPart(r.connectionCost),
    ...loadPart(r),
    ...guardPart(r.guard),
  ].join('\n');
}
