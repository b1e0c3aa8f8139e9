/**
 * CPU per statement on the embedded data path: the emulator and a SnowflakeClient in one process
 * (as the daemon runs them), N concurrent loops of `client.query('SELECT 1')`, reporting
 * statements per second and process CPU (user + system) per statement.
 *
 *   node --import tsx bench/statement-cpu.ts [--count 2000] [--loops 1,8,64] [--rounds 3] [--sql 'SELECT 1']
 *     [--pool 8] [--sample-data]   (the sample databases, for --sql over SAMPLE_DB tables)
 *
 * Each loop count is measured `rounds` times, interleaved (a busy machine skews one round, not one
 * loop count); the summary reports the median round. Prints one JSON line per round, then a summary.
 */
// The driver must not probe cloud metadata endpoints: set before anything imports it.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';

import { readdirSync, readFileSync } from 'node:fs';
import { BENCH_PASSWORD, benchConnection } from './bench-emulator.js';
import { round } from './measure.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const count = Number(arg('count', '2000'));
const loopCounts = arg('loops', '1,8,64')
  .split(',')
  .map((s) => Number(s));
const sql = arg('sql', 'SELECT 1');
const poolMax = Number(arg('pool', '8'));
const rounds = Number(arg('rounds', '3'));
const sampleData = process.argv.includes('--sample-data');

/** CPU ticks (1/100 s) per thread name on Linux (main thread, libuv pool, DuckDB workers); empty elsewhere. */
function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = tid === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return out;
}

const { startEmulator } = await import('../src/emulator/index.js');
const { SnowflakeClient } = await import('../src/snowflake/client.js');

const emulator = await startEmulator({ port: 0, password: BENCH_PASSWORD, sampleData });
const settings = benchConnection(emulator);
const client = await SnowflakeClient.open(settings, { min: 0, max: poolMax });

let seq = 0;
function one(): Promise<unknown> {
  return client.query({
    sql,
    maxRows: 10,
    maxBytes: 1e6,
    timeoutSeconds: 30,
    context: { requestId: `r${++seq}`, clientId: 'bench', tool: 'run_query' },
  });
}

async function run(
  loops: number,
  total: number,
): Promise<{ qps: number; cpuUs: number; threadsUs: Record<string, number> }> {
  let left = total;
  const ticks0 = threadTicks();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (left > 0) {
        left--;
        await one();
      }
    }),
  );
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const threadsUs: Record<string, number> = {};
  for (const [name, t] of threadTicks()) {
    const us = ((t - (ticks0.get(name) ?? 0)) * 10_000) / total;
    if (us >= 1) threadsUs[name] = round(us, 0);
  }
  return { qps: total / wallS, cpuUs: (cpu.user + cpu.system) / total, threadsUs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const measured = new Map<number, { qps: number[]; cpuUs: number[] }>();
// Warm up every pooled connection and the JIT.
await run(Math.max(...loopCounts), Math.min(3000, count));
for (let r = 0; r < rounds; r++) {
  for (const loops of loopCounts) {
    const m = await run(loops, count);
    const entry = measured.get(loops) ?? { qps: [], cpuUs: [] };
    entry.qps.push(m.qps);
    entry.cpuUs.push(m.cpuUs);
    measured.set(loops, entry);
    const line = {
      round: r + 1,
      loops,
      count,
      qps: round(m.qps, 0),
      cpuUs: round(m.cpuUs, 0),
      threadsUs: m.threadsUs,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
const summary: Record<string, { qps: number; cpuUsPerStatement: number }> = {};
for (const [loops, m] of measured) {
  summary[`loops${loops}`] = { qps: round(median(m.qps), 0), cpuUsPerStatement: round(median(m.cpuUs), 0) };
}
await client.close();
await emulator.close();
process.stdout.write(`${JSON.stringify({ sql, poolMax, rounds, ...summary })}\n`);
