/**
 * Bounded soak (issue 5, Reliability): the real daemon (`smcp start --port 0`, isolated HOME) under
 * N clients mixing transports — Streamable HTTP sessions, stateless 2026-07-28 requests, WebSocket,
 * legacy SSE and a few `smcp stdio` clients — each looping over a realistic tool mix with think
 * times and periodic reconnects. Every second it reads the daemon's VmRSS (/proc); every ~5 s it
 * records RSS/RssAnon, open descriptors, sessions, calls, errors and p50/p99. Passes with zero
 * errors, no session left open after the clients close, and flat memory (see SLOPE_LIMIT). Writes
 * bench/results/soak.json and bench/charts/soak-rss.svg. SIGINT ends it early, cleanly.
 *
 *   npm run soak -- [--minutes 10] [--clients 200] [--quick]   (--quick = 1 minute, 50 clients)
 *   npm run soak -- --render    (redraw the chart from bench/results/soak.json)
 */
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { round } from './measure.js';
import { CALL_TIMEOUT_MS, TRANSPORTS } from './soak-clients.js';
import type { TransportKind } from './soak-clients.js';
import { ensureFileLimit } from './file-limit.js';
import { openFds, pidAlive, procMemory, startSoakDaemon } from './soak-daemon.js';
import { renderFromResults, writeSoakOutput } from './soak-output.js';
import { blockTrend, SoakRecorder } from './soak-stats.js';
import { runClient, sleep } from './soak-workload.js';

/**
 * Memory is flat when the daemon's RSS trend after warm-up stays under SLOPE_LIMIT MiB/min — 1 MiB/min
 * would be 1.4 GiB a day. Warm-up is the first WARM_UP_SHARE of the load, at least
 * MIN_WARM_UP_MINUTES (pools, held results, history rings and V8's heap fill up there). The trend
 * is the least-squares slope of 30 s block means of 1 s RSS readings over the rest; GC and the
 * shared machine's load swings move RSS by tens of MiB, in swings minutes long, so the run fails
 * only when growth above the limit is clear of that noise: when slope − 2·SE (the lower end of its
 * ~95% interval) is above the limit. Slope and SE are reported.
 */
const SLOPE_LIMIT = 1;
/** The judged part must span at least this many minutes for the slope to mean anything. */
const MIN_JUDGED_MINUTES = 2;
const WARM_UP_SHARE = 0.2;
const MIN_WARM_UP_MINUTES = 2;
const BLOCK_MINUTES = 0.5;
const SAMPLE_MS = 5000;
const ROW_CAP = 200;
const THINK_MS: [number, number] = [100, 700];
const MIB = 1024 * 1024;

function option(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = Number(process.argv[i + 1]);
  if (!(value > 0)) {
    console.error(`${name} needs a positive number`);
    process.exit(2);
  }
  return value;
}

if (process.argv.includes('--render')) {
  renderFromResults();
  console.log('redrew bench/charts/soak-rss.svg from bench/results/soak.json');
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const minutes = option('--minutes') ?? (quick ? 1 : 10);
const clients = Math.round(option('--clients') ?? (quick ? 50 : 200));
const durationMs = minutes * 60_000;
const sessionSeconds: [number, number] = minutes < 3 ? [10, 30] : [20, 60];

// Every client holds one or two sockets in this process and in the daemon: raise the soft limit
// through a shell when it is too low, as far as the hard limit allows.
ensureFileLimit(clients * 3 + 512);

/** How many clients of each transport: mostly sessions, a few stateless and stdio. */
function mix(n: number): Record<TransportKind, number> {
  const stdio = Math.min(4, Math.max(1, Math.round(n * 0.02)));
  // All stateless requests from loopback share one per-address limit of 16 in flight: stay below it.
  const stateless = Math.min(8, Math.max(1, Math.round(n * 0.05)));
  const sse = Math.round(n * 0.15);
  const websocket = Math.round(n * 0.25);
  return { http: Math.max(0, n - stdio - stateless - sse - websocket), stateless, websocket, sse, stdio };
}

interface Sample {
  t: number;
  rssMiB: number;
  rssAnonMiB: number;
  stdioRssMiB: number;
  fds: number;
  calls: number;
  callsPerSecond: number;
  errors: number;
  p50: number;
  p99: number;
  sessions: unknown;
  connections: unknown;
  inFlight: number;
  /** The daemon's own accounting (GET /status): V8 heap, buffers, native remainder, held results. */
  heapUsedMiB: number;
  externalMiB: number;
  nativeMiB: number;
  heldResults: number;
  heldMiB: number;
}

const counts = mix(clients);
const scratch = mkdtempSync(join(tmpdir(), 'smcp-soak-'));
const daemonArgs = ['--max-rows', String(ROW_CAP)];
console.log(`soak: ${minutes} min, ${clients} clients ${JSON.stringify(counts)}, starting the daemon…`);
const daemon = await startSoakDaemon(daemonArgs, scratch).catch((err: unknown) => {
  rmSync(scratch, { recursive: true, force: true });
  throw err;
});
// Whatever ends this process (a bug included), the daemon does not outlive it.
process.on('exit', () => {
  if (pidAlive(daemon.pid)) process.kill(daemon.pid, 'SIGKILL');
});
console.log(`soak: daemon pid ${daemon.pid} at ${daemon.base}`);

const stop = new AbortController();
// Every client's think-time sleep listens on the one stop signal.
setMaxListeners(clients * 2 + 50, stop.signal);
let interrupted = false;
const onSignal = (): void => {
  if (stop.signal.aborted) {
    // A second signal: no more waiting for clients, but never leave the daemon behind.
    if (pidAlive(daemon.pid)) process.kill(daemon.pid, 'SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  }
  interrupted = true;
  console.log('\nsoak: interrupted, stopping the clients and the daemon…');
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const recorder = new SoakRecorder();
const stdioPids = new Set<number>();
const target = { base: daemon.base, scratch, stdioArgs: daemonArgs };
const samples: Sample[] = [];
const started = performance.now();
const elapsedS = (): number => (performance.now() - started) / 1000;

const memoryOf = (status: Record<string, unknown>): Record<string, number | undefined> =>
  (status.memory ?? {}) as Record<string, number | undefined>;
const emulatorOf = (status: Record<string, unknown>): Record<string, number | undefined> =>
  (status.emulator ?? {}) as Record<string, number | undefined>;

async function sample(): Promise<Sample> {
  const mem = procMemory(daemon.pid);
  const status: Record<string, unknown> = await daemon
    .httpStatus()
    .catch((err: unknown) => ({ statusError: String(err) }));
  const stdioRss = [...stdioPids].reduce((sum, pid) => sum + (procMemory(pid)?.rss ?? 0), 0);
  const window = recorder.takeWindow();
  const previous = samples.at(-1)?.t ?? 0;
  const t = elapsedS();
  return {
    t: round(t, 1),
    rssMiB: round((mem?.rss ?? 0) / MIB, 1),
    rssAnonMiB: round((mem?.rssAnon ?? 0) / MIB, 1),
    stdioRssMiB: round(stdioRss / MIB, 1),
    fds: openFds(daemon.pid),
    calls: window.calls,
    callsPerSecond: round(window.calls / Math.max(t - previous, 0.001), 1),
    errors: window.errors,
    p50: window.p50,
    p99: window.p99,
    sessions: status.sessions,
    connections: status.connections,
    inFlight: Array.isArray(status.inFlight) ? status.inFlight.length : -1,
    heapUsedMiB: round((memoryOf(status).heapUsedBytes ?? 0) / MIB, 1),
    externalMiB: round((memoryOf(status).externalBytes ?? 0) / MIB, 1),
    nativeMiB: round((memoryOf(status).nativeBytes ?? 0) / MIB, 1),
    heldResults: emulatorOf(status).heldResults ?? -1,
    heldMiB: Math.round(((emulatorOf(status).resultMemoryBytes ?? 0) / 2 ** 20) * 10) / 10,
  };
}

// Clients start over a ramp so 200 handshakes do not land in the same instant.
const rampMs = Math.min(10_000, durationMs / 6);
const kinds = TRANSPORTS.flatMap((kind) => Array.from({ length: counts[kind] }, () => kind));
const loops = kinds.map(async (kind, i) => {
  await sleep((i / kinds.length) * rampMs, stop.signal);
  if (stop.signal.aborted) return;
  await runClient(kind, {
    target,
    recorder,
    stop: stop.signal,
    thinkMs: THINK_MS,
    // A stdio reconnect starts a new process with its own emulator: those sessions live longer.
    sessionSeconds: kind === 'stdio' ? [sessionSeconds[0] * 4, sessionSeconds[1] * 4] : sessionSeconds,
    rowCap: ROW_CAP,
    onServerPid: (pid, running) => (running ? stdioPids.add(pid) : stdioPids.delete(pid)),
  });
});

let daemonDied = false;
const deadline = started + durationMs;
/** 1 s RSS readings for the trend: [seconds since start, MiB]. */
const rssSeries: [number, number][] = [];
let nextSample = started + SAMPLE_MS;
while (!stop.signal.aborted && performance.now() < deadline) {
  await sleep(Math.min(1000, deadline - performance.now()), stop.signal);
  const mem = procMemory(daemon.pid);
  if (!mem || !pidAlive(daemon.pid)) {
    daemonDied = true;
    console.error('soak: the daemon died');
    break;
  }
  rssSeries.push([round(elapsedS(), 2), round(mem.rss / MIB, 1)]);
  if (performance.now() < nextSample && performance.now() < deadline) continue;
  nextSample += SAMPLE_MS;
  const s = await sample();
  samples.push(s);
  console.log(
    `t=${s.t.toFixed(0)}s rss=${s.rssMiB}MiB anon=${s.rssAnonMiB}MiB fds=${s.fds} calls/s=${s.callsPerSecond} ` +
      `p50=${s.p50}ms p99=${s.p99}ms errors=${s.errors} inFlight=${s.inFlight} heap=${s.heapUsedMiB}MiB ` +
      `ext=${s.externalMiB}MiB native=${s.nativeMiB}MiB held=${s.heldResults}/${s.heldMiB}MiB`,
  );
}
const loadSeconds = elapsedS();
stop.abort();

// Clients finish the call they are in (bounded by their own timeout), then close their sessions.
const settled = await Promise.race([
  Promise.all(loops).then(() => true),
  new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CALL_TIMEOUT_MS + 10_000)),
]);
// Every session must be gone once every client closed: the server must not keep what a client ended.
let after: Record<string, unknown> = {};
const closeDeadline = Date.now() + 15_000;
while (!daemonDied && Date.now() < closeDeadline) {
  after = await daemon.httpStatus().catch((err: unknown) => ({ statusError: String(err) }));
  const c = after.connections as Record<string, number> | undefined;
  if (c && Object.values(c).every((v) => v === 0)) break;
  await new Promise((r) => setTimeout(r, 500));
}
const rssAfterClose = procMemory(daemon.pid);
const stopped = await daemon.stop();
rmSync(scratch, { recursive: true, force: true });

// Memory verdict: the RSS trend after warm-up.
const judgedFrom = Math.max(loadSeconds * WARM_UP_SHARE, MIN_WARM_UP_MINUTES * 60);
const judgedSamples = samples.filter((s) => s.t >= judgedFrom);
const trend = blockTrend(
  rssSeries.filter(([t]) => t >= judgedFrom).map(([t, mib]) => ({ x: t / 60, y: mib })),
  BLOCK_MINUTES,
);
const rssSlope = trend.slope;
const lowerBound = trend.slope - 2 * trend.se;
const judged = (loadSeconds - judgedFrom) / 60 >= MIN_JUDGED_MINUTES && trend.points >= 4;
const flat = !judged || rssSlope < SLOPE_LIMIT || lowerBound < SLOPE_LIMIT;
const leftOpen = after.connections as Record<string, number> | undefined;
const sessionsLeft = leftOpen ? Object.values(leftOpen).reduce((a, b) => a + b, 0) : -1;

const reasons: string[] = [];
if (recorder.totalErrors > 0) reasons.push(`${recorder.totalErrors} errors`);
if (judged && !flat) {
  reasons.push(
    `RSS slope ${rssSlope.toFixed(2)} ± ${(2 * trend.se).toFixed(2)} MiB/min, above ${SLOPE_LIMIT}`,
  );
}
if (daemonDied) reasons.push('the daemon died');
if (!settled) reasons.push('clients did not finish within their timeout after the stop');
if (sessionsLeft !== 0)
  reasons.push(`sessions left open after every client closed: ${JSON.stringify(leftOpen)}`);
if (recorder.totalCalls === 0) reasons.push('no call completed');
if (interrupted) reasons.push('interrupted before the end: nothing proven');

const totals = recorder.totals();
const rssValues = samples.map((s) => s.rssMiB);
const results = {
  generatedAt: new Date().toISOString(),
  interrupted,
  config: {
    minutes,
    clients,
    mix: counts,
    daemonArgs,
    thinkMs: THINK_MS,
    sessionSeconds,
    stdioSessionSeconds: [sessionSeconds[0] * 4, sessionSeconds[1] * 4],
    rowCap: ROW_CAP,
    callTimeoutMs: CALL_TIMEOUT_MS,
    sampleMs: SAMPLE_MS,
    node: process.version,
    cpus: cpus().length,
  },
  totals: {
    loadSeconds: round(loadSeconds, 1),
    calls: recorder.totalCalls,
    callsPerSecond: round(recorder.totalCalls / loadSeconds, 1),
    errors: recorder.totalErrors,
    connects: Object.fromEntries(recorder.connects),
    latencyMs: totals,
  },
  errors: Object.fromEntries(recorder.errors),
  memory: {
    rssStartMiB: rssValues[0] ?? null,
    rssAfterWarmUpMiB: judgedSamples[0]?.rssMiB ?? null,
    rssEndMiB: rssValues.at(-1) ?? null,
    rssPeakMiB: rssValues.length ? Math.max(...rssValues) : null,
    rssAfterCloseMiB: rssAfterClose ? round(rssAfterClose.rss / MIB, 1) : null,
    slopeAfterWarmUpMiBPerMin: Number.isFinite(rssSlope) ? round(rssSlope, 3) : null,
    slopeStdErrMiBPerMin: Number.isFinite(trend.se) ? round(trend.se, 3) : null,
    slopeBlocks: trend.points,
    slopeLimitMiBPerMin: SLOPE_LIMIT,
    rule: `flat unless slope − 2·SE > ${SLOPE_LIMIT} MiB/min (slope of ${BLOCK_MINUTES * 60} s block means of 1 s RSS readings after a warm-up of ${WARM_UP_SHARE * 100} % of the run, at least ${MIN_WARM_UP_MINUTES} min; judged when the rest spans ≥ ${MIN_JUDGED_MINUTES} min)`,
    fit: Number.isFinite(rssSlope)
      ? { fromMinute: judgedFrom / 60, slope: rssSlope, intercept: trend.intercept }
      : null,
    judged,
    flat,
  },
  sessionsAfterClose: after.connections ?? after,
  daemonStop: stopped,
  verdict: { pass: reasons.length === 0, reasons },
  samples,
  rssEverySecond: rssSeries,
};

writeSoakOutput(results);

const o = totals.overall;
console.log(`
soak summary (${round(loadSeconds / 60, 1)} min, ${clients} clients ${JSON.stringify(counts)})
  calls:    ${recorder.totalCalls} (${results.totals.callsPerSecond}/s), p50 ${o.p50} ms, p99 ${o.p99} ms, max ${o.max} ms
  connects: ${JSON.stringify(results.totals.connects)}
  errors:   ${recorder.totalErrors}${recorder.errors.size ? ' ' + JSON.stringify(Object.fromEntries([...recorder.errors].map(([k, v]) => [k, v.count]))) : ''}
  RSS:      start ${results.memory.rssStartMiB} MiB, after warm-up ${results.memory.rssAfterWarmUpMiB} MiB, end ${results.memory.rssEndMiB} MiB, peak ${results.memory.rssPeakMiB} MiB
  slope:    ${Number.isFinite(rssSlope) ? rssSlope.toFixed(2) : 'n/a'} ± ${Number.isFinite(trend.se) ? (2 * trend.se).toFixed(2) : 'n/a'} MiB/min (2·SE) from minute ${round(judgedFrom / 60, 1)}; limit ${SLOPE_LIMIT}: ${judged ? (flat ? 'flat' : 'GROWING') : `not judged, the part after warm-up is under ${MIN_JUDGED_MINUTES} min`}
  sessions after close: ${JSON.stringify(results.sessionsAfterClose)}; daemon stopped by ${stopped.stoppedBy}
  wrote bench/results/soak.json and bench/charts/soak-rss.svg
  verdict:  ${reasons.length === 0 ? 'PASS' : `FAIL (${reasons.join('; ')})`}`);
process.exit(interrupted ? 130 : reasons.length === 0 ? 0 : 1);
