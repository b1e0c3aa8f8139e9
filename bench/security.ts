/**
 * What smcp's client protections cost, and that their limits do not refuse honest load, measured
 * on the real daemon (`smcp start --foreground --port 0`, isolated home, embedded emulator):
 *
 * 1. the local-user check per new connection: daemon CPU per connection without a token (the
 *    owner is read from /proc/net/tcp{,6}) against the same daemon with a token, with and without
 *    1,000 idle connections held open (bench/security-connections.ts);
 * 2. 64 stateless clients under the default limits are never refused (429/503);
 * 3. a greedy session's burst is held to max_requests_per_session and to the pool share while the
 *    64 clients run, and what it does to their latency (bench/security-load.ts).
 *
 * Writes bench/results/security.json and the section between `<!-- security:start -->` and
 * `<!-- security:end -->` of bench/REPORT.md, with the guard benchmark's headline from
 * bench/results/guard.json when it exists. Every daemon it starts is stopped by PID, on failure,
 * on SIGINT/SIGTERM and at its time limit too. Exits 1 only when it could not measure (a missed
 * verdict is a finding, written to the report). Not part of `npm test`.
 *
 *   npm run bench:security [-- --quick]     (quick < 60 s, full a few minutes)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startE2eServer } from '../test/e2e/helpers.js';
import type { E2eServer } from '../test/e2e/helpers.js';
import { buildIfStale } from './bench-home.js';
import { ensureFileLimit } from './file-limit.js';
import { median, round } from './measure.js';
import { withSection, writeFormatted } from './report.js';
import { runConnectionCost } from './security-connections.js';
import type { ConnectionCostResult } from './security-connections.js';
import { runHonestLoad } from './security-load.js';
import type { BurstFigures, HonestLoadResult, PhaseFigures } from './security-load.js';
import { renderSecuritySection } from './security-report.js';
import type { GuardFigures, PhaseSummary, SecurityResults, Verdict } from './security-report.js';

const quick = process.argv.includes('--quick');
const plan = quick
  ? { connections: 500, rounds: 2, warmup: 100, loadRounds: 1, phaseMs: 4000, warmMs: 1000, waitSeconds: 1 }
  : {
      connections: 3000,
      rounds: 3,
      warmup: 300,
      loadRounds: 3,
      phaseMs: 10_000,
      warmMs: 2000,
      waitSeconds: 2,
    };
const IDLE_SOCKETS = 1000;
const CLIENTS = 64;
const GREEDY_CALLS = 100;
const TIME_LIMIT_MS = quick ? 60_000 : 600_000;
/** The daemon's documented defaults (the run passes no limit options). */
const LIMITS = { requestsPerSession: 16, requestsPerAddress: 256, poolSize: 8, poolShare: 4 };

const RESULTS = new URL('./results/security.json', import.meta.url);
const GUARD = new URL('./results/guard.json', import.meta.url);
const REPORT = new URL('./REPORT.md', import.meta.url);

const t00 = performance.now();
const log = (line: string): void =>
  void process.stderr.write(`[${((performance.now() - t00) / 1000).toFixed(1)} s] ${line}\n`);
const load = (): number[] => loadavg().map((l) => round(l, 2));

const daemons: E2eServer[] = [];
/** Last resort (signal, time limit): SIGKILL every daemon still running, by PID. */
function killDaemons(): void {
  for (const d of daemons) {
    if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
    d.home.remove();
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the daemons`);
    killDaemons();
    process.exit(1);
  });
}
const watchdog = setTimeout(() => {
  log(`time limit of ${TIME_LIMIT_MS / 1000} s reached: stopping the daemons`);
  killDaemons();
  process.exit(1);
}, TIME_LIMIT_MS);

async function startDaemon(env: NodeJS.ProcessEnv = {}): Promise<E2eServer> {
  const daemon = await startE2eServer([], 30_000, env);
  daemons.push(daemon);
  return daemon;
}

function summarize(phases: PhaseFigures[]): PhaseSummary {
  const sum = (pick: (p: PhaseFigures) => number): number => phases.reduce((a, p) => a + pick(p), 0);
  return {
    requests: sum((p) => p.requests),
    refusals: sum((p) => p.refusals),
    errors: sum((p) => p.errors),
    rps: median(phases.map((p) => p.rps)),
    p50Ms: median(phases.map((p) => p.p50Ms)),
    p99Ms: median(phases.map((p) => p.p99Ms)),
    daemonCpuUsPerCall: median(phases.map((p) => p.daemonCpuUsPerCall)),
  };
}

function guardFigures(): GuardFigures | undefined {
  if (!existsSync(GUARD)) return undefined;
  const g = JSON.parse(readFileSync(GUARD, 'utf8')) as {
    measuredAt: string;
    targetMs: number;
    met: boolean;
    worst: { name: string; medianMs: number };
    machine: { loadAvgBefore: number[] };
  };
  return {
    measuredAt: g.measuredAt,
    worst: g.worst.name,
    worstMedianMs: g.worst.medianMs,
    targetMs: g.targetMs,
    met: g.met,
    loadAvg: g.machine.loadAvgBefore,
  };
}

function verdicts(h: HonestLoadResult, alone: PhaseSummary, beside: PhaseSummary): Verdict[] {
  const refusals = alone.refusals + beside.refusals;
  const excess = GREEDY_CALLS - LIMITS.requestsPerSession;
  const s = h.samplerWithGreedy;
  const held = h.greedy.every(
    (b) =>
      b.refused429 + b.refusedRpc === excess && b.completed === LIMITS.requestsPerSession && b.other === 0,
  );
  const perRound = (pick: (b: BurstFigures) => number): string => h.greedy.map(pick).join(', ');
  return [
    {
      what: `${CLIENTS} stateless clients: 0 refusals`,
      met: refusals === 0,
      measured: `${refusals} refusals (429/503) in ${alone.requests + beside.requests} requests, alone and beside the greedy client (${alone.errors + beside.errors} other errors)`,
    },
    {
      what: `greedy client held to max_requests_per_session (${LIMITS.requestsPerSession})`,
      met: held && s.maxSessionInFlight <= LIMITS.requestsPerSession,
      measured: `round by round: ${perRound((b) => b.completed)} of ${GREEDY_CALLS} calls completed, ${perRound((b) => b.refused429 + b.refusedRpc)} refused, ${perRound((b) => b.other)} other; at most ${s.maxSessionInFlight} in flight (\`GET /status\` every second)`,
    },
    {
      what: `the greedy client's excess refused with HTTP 429`,
      met: h.greedy.every((b) => b.refusedRpc === 0 && b.refused429 === excess),
      measured: `round by round: ${perRound((b) => b.refused429)} with 429, ${perRound((b) => b.refusedRpc)} with HTTP 200 and a JSON-RPC error (too many concurrent requests)`,
    },
    {
      what: `greedy client held to its pool share (${LIMITS.poolShare} of ${LIMITS.poolSize})`,
      met: h.greedy.every(
        (b) => b.history.statements === b.completed && b.history.maxRunningAtOnce <= LIMITS.poolShare,
      ),
      measured: `round by round: at most ${perRound((b) => b.history.maxRunningAtOnce)} of its statements running at once (from the start and end times of its ${perRound((b) => b.history.statements)} statements in the emulator's query history)`,
    },
  ];
}

async function measure(): Promise<
  Omit<SecurityResults, 'durationSeconds' | 'machine'> & { loadMid: number[] }
> {
  const token = randomBytes(24).toString('base64url');
  log('starting two daemons: one without a token (the local-user check), one with SMCP_TOKEN');
  const check = await startDaemon();
  const tokened = await startDaemon({ SMCP_TOKEN: token });
  const probe = await fetch(`${tokened.base}/mcp/tools`, { signal: AbortSignal.timeout(10_000) });
  if (probe.status !== 401)
    throw new Error(`the SMCP_TOKEN daemon answered ${probe.status} without the token`);
  log(`▶ the local-user check per new connection (${plan.connections} per cell, ${plan.rounds} rounds)`);
  const connectionCost: ConnectionCostResult = await runConnectionCost(
    { name: 'check', pid: check.child.pid!, port: Number(new URL(check.base).port), headers: {} },
    {
      name: 'token',
      pid: tokened.child.pid!,
      port: Number(new URL(tokened.base).port),
      headers: { authorization: `Bearer ${token}` },
    },
    {
      connections: plan.connections,
      rounds: plan.rounds,
      idleSockets: IDLE_SOCKETS,
      warmup: plan.warmup,
      log,
    },
  );
  const loadMid = load();
  await tokened.stop();
  log(`▶ ${CLIENTS} stateless clients, alone and beside a greedy session (${plan.loadRounds} round(s))`);
  const h = await runHonestLoad(check.base, check.child.pid!, {
    clients: CLIENTS,
    phaseMs: plan.phaseMs,
    rounds: plan.loadRounds,
    warmMs: plan.warmMs,
    greedyCalls: GREEDY_CALLS,
    greedyWaitSeconds: plan.waitSeconds,
    sampleEveryMs: 1000,
    log,
  });
  const alone = summarize(h.alone);
  const beside = summarize(h.withGreedy);
  const ratio = (a: number, b: number): number => round(a / b, 2);
  const guard = guardFigures();
  return {
    measuredAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    node: process.version,
    limits: LIMITS,
    verdicts: verdicts(h, alone, beside),
    connectionCost,
    honestLoad: {
      ...h,
      summary: {
        alone,
        withGreedy: beside,
        p50Ratio: ratio(beside.p50Ms, alone.p50Ms),
        p99Ratio: ratio(beside.p99Ms, alone.p99Ms),
        rpsRatio: ratio(beside.rps, alone.rps),
      },
    },
    ...(guard ? { guard } : {}),
    loadMid,
  };
}

async function main(): Promise<void> {
  ensureFileLimit(IDLE_SOCKETS * 2 + 1000);
  buildIfStale(log);
  const loadStart = load();
  const started = performance.now();
  let measured: Awaited<ReturnType<typeof measure>>;
  try {
    measured = await measure();
  } finally {
    await Promise.allSettled(daemons.map((d) => d.stop()));
  }
  const { loadMid, ...rest } = measured;
  const results: SecurityResults = {
    ...rest,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      loadAvg: { start: loadStart, afterConnections: loadMid, end: load() },
    },
    durationSeconds: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(new URL('./', RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  const report = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '# smcp benchmark report\n';
  await writeFormatted(REPORT, withSection(report, 'security', renderSecuritySection(results)));
  const c = results.connectionCost;
  const s = results.honestLoad.summary;
  log(
    `\nlocal-user check: ${c.checkCostUs} µs CPU per new connection (${c.check.cpuUsPerConnection} vs ${c.token.cpuUsPerConnection} with a token); ` +
      `${c.checkCostWithIdleUs} µs with ${IDLE_SOCKETS} idle connections (${c.checkWithIdle.cpuUsPerConnection} vs ${c.tokenWithIdle.cpuUsPerConnection})`,
  );
  log(
    `stateless: ${s.alone.rps} req/s p50 ${s.alone.p50Ms} ms p99 ${s.alone.p99Ms} ms alone; beside the greedy client ` +
      `${s.withGreedy.rps} req/s p50 ${s.withGreedy.p50Ms} ms p99 ${s.withGreedy.p99Ms} ms (p50 ×${s.p50Ratio})`,
  );
  for (const v of results.verdicts) log(`  [${v.met ? ' met ' : 'MISSED'}] ${v.what}: ${v.measured}`);
  log(`done in ${results.durationSeconds} s: ${fileURLToPath(RESULTS)}, bench/REPORT.md (security section)`);
}

try {
  await main();
} catch (error) {
  log(`security bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
}
