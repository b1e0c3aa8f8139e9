/**
 * Result byte budget benchmark: many clients each holding a big result (1 GB of wide generated
 * rows each in full mode) read a first page, a window deep inside (which makes the emulator produce
 * and keep everything before it) and a look back at the start, all at once, through the client
 * layer (the fetch_results path). The emulator runs in its own process; its RSS is sampled every
 * 50 ms and must stay under the memory budget + 300 MiB, whatever the clients hold. Reports the
 * peak RSS, the bytes kept in memory and on disk, and how reads ended: rows as first produced, or
 * RESULT_EXPIRED with the reason (the byte budgets at work), never anything else.
 *
 *   node --import tsx bench/result-budget.ts [--quick]   → bench/results/result-budget.json
 */
// The driver must not probe cloud metadata endpoints: set before anything imports it.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';

import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SmcpError } from '../src/errors.js';
import { SnowflakeClient } from '../src/snowflake/client.js';
import { BENCH_PASSWORD, benchConnection } from './bench-emulator.js';
import { median, percentile, round } from './measure.js';
import { rssBytesOf } from './proc-stats.js';

const MIB = 2 ** 20;
const quick = process.argv.includes('--quick');
const plan = quick
  ? { clients: 8, rows: 100_000, width: 1000, memoryMiB: 64, diskMiB: 512, deep: 0.5 }
  : { clients: 32, rows: 1_000_000, width: 1000, memoryMiB: 256, diskMiB: 4096, deep: 0.25 };
const HEADROOM_MIB = 300;
const CHILD = fileURLToPath(new URL('./result-budget-child.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

// The emulator runs compiled, as in the daemon: build dist/ when it is older than src/.
const builtAt = existsSync(join(ROOT, 'dist', 'emulator', 'index.js'))
  ? statSync(join(ROOT, 'dist', 'emulator', 'index.js')).mtimeMs
  : 0;
if (builtAt < newest(join(ROOT, 'src'))) {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the build failed');
}

interface Hello {
  url: string;
  pid: number;
  host: string;
  port: number;
  account: string;
}

const child = fork(CHILD, [String(plan.memoryMiB), String(plan.diskMiB)], {
  execArgv: [],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, BENCH_PASSWORD },
});
const next = <T>(): Promise<T> => new Promise((resolve) => child.once('message', (m) => resolve(m as T)));
const hello = await next<Hello>();
const ask = <T>(op: string): Promise<T> => {
  const reply = next<T>();
  child.send({ op });
  return reply;
};

const baselineRss = rssBytesOf(hello.pid);
let peakRss = baselineRss;
let peakMemory = 0;
let peakDisk = 0;
const samples: number[] = [];
const sampler = setInterval(() => {
  const rss = rssBytesOf(hello.pid) || 0;
  samples.push(rss);
  peakRss = Math.max(peakRss, rss);
}, 50);
const statsPoller = setInterval(() => {
  void ask<{ engine: { memoryBytes?: number; diskBytes?: number } }>('stats').then((stats) => {
    peakMemory = Math.max(peakMemory, stats.engine.memoryBytes ?? 0);
    peakDisk = Math.max(peakDisk, stats.engine.diskBytes ?? 0);
  });
}, 500);

const client = await SnowflakeClient.open(benchConnection(hello), { min: 1, max: plan.clients });
const context = { requestId: 'result-budget', clientId: 'bench', tool: 'bench' };
/** Wide generated rows: an id and `width` letters, about `width` bytes a row on the wire. */
const sql = (k: number): string =>
  `SELECT range + ${k} * 0 AS ID, REPEAT(CHR(65 + (range % 26)::INT), ${plan.width}) AS PAD FROM range(${plan.rows})`;

const outcomes = { rowsAsProduced: 0, wrongRows: 0, expired: 0, otherErrors: 0 };
const reasons = new Map<string, number>();
const otherMessages = new Set<string>();

function checkRows(rows: unknown[][], offset: number): void {
  const ok = rows.every(
    (row, i) =>
      String(row[0]) === String(offset + i) &&
      row[1] === String.fromCharCode(65 + ((offset + i) % 26)).repeat(plan.width),
  );
  if (ok) outcomes.rowsAsProduced++;
  else outcomes.wrongRows++;
}

function noteFailure(err: unknown): void {
  if (err instanceof SmcpError && err.code === 'RESULT_EXPIRED') {
    outcomes.expired++;
    const reason = err.message.replace(/^Result for query \S+ has expired: /, '').replace(/\d+/g, 'N');
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  } else {
    outcomes.otherErrors++;
    otherMessages.add(err instanceof Error ? err.message : String(err));
  }
}

async function oneClient(k: number): Promise<void> {
  const first = await client.query({
    sql: sql(k),
    maxRows: 1000,
    maxBytes: 50 * MIB,
    timeoutSeconds: 600,
    context,
  });
  checkRows(first.rows, 0);
  const deep = Math.floor(plan.rows * plan.deep);
  for (const offset of [deep, 1000]) {
    try {
      const window = await client.getResult(first.queryId, offset, 1000, { maxBytes: 50 * MIB });
      checkRows(window.rows, offset);
    } catch (err) {
      noteFailure(err);
    }
  }
}

const t0 = performance.now();
await Promise.all(
  Array.from({ length: plan.clients }, (_x, k) =>
    oneClient(k).catch((err: unknown) => {
      noteFailure(err);
    }),
  ),
);
const wallMs = performance.now() - t0;
clearInterval(sampler);
clearInterval(statsPoller);
const final = await ask<{ emulator: Record<string, number>; engine: Record<string, number> }>('stats');
await client.close();
const childExit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
child.send({ op: 'stop' });
await childExit;

const limitMiB = plan.memoryMiB + HEADROOM_MIB;
const report = {
  when: new Date().toISOString(),
  node: process.version,
  mode: quick ? 'quick' : 'full',
  loadAverage1m: round(loadavg()[0] ?? 0),
  plan: { ...plan, resultMiBEach: round((plan.rows * (plan.width + 20)) / MIB) },
  wallS: round(wallMs / 1000),
  emulatorRss: {
    baselineMiB: round(baselineRss / MIB),
    medianMiB: round(median(samples) / MIB),
    p95MiB: round(percentile(samples, 95) / MIB),
    peakMiB: round(peakRss / MIB),
    limitMiB,
  },
  keptBytes: {
    peakMemoryMiB: round(peakMemory / MIB),
    peakDiskMiB: round(peakDisk / MIB),
    finalMemoryMiB: round((final.engine.memoryBytes ?? 0) / MIB),
    finalDiskMiB: round((final.engine.diskBytes ?? 0) / MIB),
    evictions: final.engine.evictions ?? 0,
  },
  reads: { ...outcomes, expiredReasons: Object.fromEntries(reasons), otherMessages: [...otherMessages] },
  verdicts: {
    rssUnderBudgetPlus300MiB: peakRss / MIB < limitMiB,
    noWrongRows: outcomes.wrongRows === 0,
    noUnexplainedErrors: outcomes.otherErrors === 0,
  },
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const out = new URL('./results/result-budget.json', import.meta.url);
// One file for both sizes: this run replaces the figures of its own mode only.
let both: Record<string, unknown>;
try {
  both = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
} catch {
  both = {};
}
both[report.mode] = report;
writeFileSync(out, `${JSON.stringify(both, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
