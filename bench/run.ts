/**
 * The benchmark suite (issue 5): every scenario in one run, results in bench/results.json and the
 * report in bench/REPORT.md with charts under bench/charts/ (report.ts).
 *
 *   npm run bench        — full mode (several minutes)
 *   npm run bench:quick  — quick mode (< 60 s): shorter cells, fewer runs, 2,000 idle sessions
 *
 * Scenarios run one after another (never two at once: the machine has 2 cores), each in its own
 * processes; one that fails is recorded with its error and the others still run (exit code 1).
 * Builds dist/ first when it is older than src/ (bin/smcp runs the compiled CLI).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchResults, CliResult, DriverFloorResult, Outcome } from './bench-results.js';
import { targetRows } from './bench-results.js';
import { buildIfStale, REPO_ROOT } from './bench-home.js';
import { measureDataPath } from './data-path.js';
import { runDrain } from './drain.js';
import { round, runChild } from './measure.js';
import { dbhubVersion, ensureDbhub } from './peer-servers.js';
import { renderReport, writeFormatted } from './report.js';
import { runThroughput } from './throughput.js';
import { ensureFileLimit } from './file-limit.js';
import { measureIdleSessions } from './ws-idle.js';

const quick = process.argv.includes('--quick');
const plan = quick
  ? {
      clientCounts: [1, 16, 64, 256],
      rounds: 1,
      cellMs: 200,
      warmMs: 100,
      latencyCalls: 200,
      floor: ['--count', '300', '--rounds', '1'],
      dataRuns: 1,
      select1Calls: 200,
      idle: 1000,
      drainCalls: 16,
      drainWaitMs: 400,
    }
  : {
      clientCounts: [1, 16, 64, 256],
      rounds: 3,
      cellMs: 2000,
      warmMs: 1000,
      latencyCalls: 2000,
      floor: ['--count', '3000', '--rounds', '3'],
      dataRuns: 5,
      select1Calls: 1000,
      idle: 10_000,
      drainCalls: 16,
      drainWaitMs: 2000,
    };
const RESULTS = new URL('./results.json', import.meta.url);
const CLI_RESULTS = fileURLToPath(new URL('./results/cli.json', import.meta.url));

const t00 = performance.now();
const log = (line: string): void =>
  void process.stderr.write(`[${((performance.now() - t00) / 1000).toFixed(1)} s] ${line}\n`);

const seconds: Record<string, number> = {};
async function scenario<T>(name: string, run: () => Promise<T>): Promise<Outcome<T>> {
  log(`▶ ${name}`);
  const t0 = performance.now();
  try {
    return await run();
  } catch (error) {
    log(`✗ ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    seconds[name] = round((performance.now() - t0) / 1000, 1);
    log(`  ${name}: ${seconds[name]} s`);
  }
}

ensureFileLimit(plan.idle + 1500);
const buildStarted = performance.now();
buildIfStale(log);
// dbhub, the peer server, is installed into bench/.peers on the first run (not an smcp dependency).
const dbhubMissing = ensureDbhub();
if (dbhubMissing) log(`  dbhub left out: ${dbhubMissing}`);
// A stale dist/ is built first (npm test and npm run build leave it fresh); not part of the run's time.
const buildSeconds = round((performance.now() - buildStarted) / 1000, 1);
const started = performance.now();
const throughput = await scenario('throughput', () => runThroughput({ ...plan, log }));
const driverFloor = await scenario('driverFloor', () =>
  runChild<DriverFloorResult>(fileURLToPath(new URL('./driver-floor.ts', import.meta.url)), [
    ...plan.floor,
    '--no-save',
  ]),
);
const dataPath = await scenario('dataPath', () => measureDataPath(plan.dataRuns, plan.select1Calls));
const idleSessions = await scenario('idleSessions', () => measureIdleSessions(plan.idle));
const cli = await scenario('cli', () => {
  const script = fileURLToPath(new URL('./cli-latency.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...(quick ? ['--quick'] : [])], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0) throw new Error(`cli-latency.ts exited ${run.status}: ${run.stderr.slice(-400)}`);
  return Promise.resolve(JSON.parse(readFileSync(CLI_RESULTS, 'utf8')) as CliResult);
});
const drain = await scenario('drain', () => runDrain(plan.drainCalls, plan.drainWaitMs));

const version = dbhubVersion();
const partial: Omit<BenchResults, 'targets'> = {
  when: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  node: process.version,
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    loadAvg: loadavg().map((l) => round(l, 2)),
  },
  durationSeconds: round((performance.now() - started) / 1000, 1),
  scenarioSeconds: { ...seconds, ...(buildSeconds >= 0.5 ? { buildBeforeRun: buildSeconds } : {}) },
  throughput,
  driverFloor,
  dataPath,
  idleSessions,
  cli,
  drain,
  dbhub: {
    version,
    note:
      version === undefined
        ? `left out: ${dbhubMissing ?? 'not installed'}`
        : 'demo mode (in-memory SQLite sample data, offline), execute_sql SELECT 1; HTTP with bench/loopback-only.ts preloaded (dbhub binds 0.0.0.0 and has no host flag)',
  },
};
const results: BenchResults = { ...partial, targets: targetRows(partial) };
await writeFormatted(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
await renderReport(results);
const failed = Object.entries({ throughput, driverFloor, dataPath, idleSessions, cli, drain }).filter(
  ([, o]) => 'error' in o,
);
log(`\nbench (${results.mode}) done in ${results.durationSeconds} s: bench/results.json, bench/REPORT.md`);
for (const row of results.targets)
  log(
    `  [${row.met === undefined ? ' -- ' : row.met ? ' ok ' : 'MISS'}] issue ${row.issue}: ${row.what}: ${row.measured} (target ${row.target})`,
  );
if (failed.length > 0) {
  log(`scenarios that failed: ${failed.map(([n]) => n).join(', ')}`);
  process.exitCode = 1;
}
