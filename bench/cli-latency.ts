/**
 * Issue 4's targets, measured on the real CLI in an isolated home:
 * - with the daemon running, `smcp status` and `smcp call list_databases` each take ≤ 2× the wall
 *   time of `node -e 0` (runs interleaved, medians compared, so machine noise hits all alike);
 * - `smcp start` (background) until it returns ready ≤ 1.5 s on the embedded emulator.
 * Writes bench/results/cli.json.
 *
 *   node --import tsx bench/cli-latency.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchHome } from './bench-home.js';
import { median, percentile, round } from './measure.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 15 : 40;
const STARTS = quick ? 3 : 7;
const SMCP = fileURLToPath(new URL('../bin/smcp', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/cli.json', import.meta.url));

const home = benchHome('smcp-bench-cli-');
const { env } = home;

/** Runs a command to completion and returns its wall time in ms; throws when it fails. */
function timed(args: string[], okCodes = [0]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60_000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okCodes.includes(run.status ?? -1)) {
    throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  }
  return ms;
}

function summary(values: number[]): { p50: number; p90: number; min: number } {
  return { p50: round(median(values)), p90: round(percentile(values, 90)), min: round(Math.min(...values)) };
}

const smcp = (...args: string[]): string[] => [SMCP, ...args];

try {
  // Start to ready, then stop, several times; the last start stays up for the call figures.
  const starts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    starts.push(timed(smcp('start', '--port', '0')));
    if (i < STARTS - 1) timed(smcp('stop'));
  }
  // Warm the file cache and the daemon's pool before measuring.
  for (let i = 0; i < 3; i++) {
    timed(['-e', '0']);
    timed(smcp('status'));
    timed(smcp('call', 'list_databases'));
  }
  const node: number[] = [];
  const status: number[] = [];
  const call: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    node.push(timed(['-e', '0']));
    status.push(timed(smcp('status')));
    call.push(timed(smcp('call', 'list_databases')));
  }
  timed(smcp('stop'));

  const nodeP50 = median(node);
  const results = {
    measuredAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    rounds: ROUNDS,
    nodeE0Ms: summary(node),
    statusMs: summary(status),
    callListDatabasesMs: summary(call),
    statusRatio: round(median(status) / nodeP50),
    callRatio: round(median(call) / nodeP50),
    startToReadyMs: summary(starts),
    targets: { statusRatio: 2, callRatio: 2, startToReadyMs: 1500 },
  };
  results.targets = { ...results.targets };
  const met = {
    status: results.statusRatio <= 2,
    call: results.callRatio <= 2,
    startToReady: results.startToReadyMs.p50 <= 1500,
  };
  writeFileSync(RESULTS, `${JSON.stringify({ ...results, met }, null, 2)}\n`);
  console.log(
    `node -e 0 p50 ${results.nodeE0Ms.p50} ms | smcp status p50 ${results.statusMs.p50} ms (${results.statusRatio}x, target <= 2x)` +
      ` | smcp call list_databases p50 ${results.callListDatabasesMs.p50} ms (${results.callRatio}x, target <= 2x)` +
      ` | smcp start to ready p50 ${results.startToReadyMs.p50} ms (target <= 1500)`,
  );
} finally {
  spawnSync(process.execPath, smcp('stop', '--force', '--timeout', '0'), { env, timeout: 30_000 });
  home.remove();
}
