/**
 * The synchronous part of @duckdb/node-api's async calls (a prepared statement's `stream()` and the
 * result's `fetchChunk()`) on the main thread, and why it grows with the JavaScript work done
 * between calls.
 *
 *   node --import tsx bench/duck-call-sync.ts [--work-us 0,50,100,300] [--count 3000] [--threads N]
 *
 * Each of those calls queues one task on libuv's thread pool (napi_queue_async_work): the main
 * thread signals a sleeping pool thread, and DuckDB then wakes its own threads. On a small machine
 * the kernel often runs the woken thread on the main thread's CPU right away and the main thread
 * waits, runnable, inside the call: the call's wall time is mostly time off the CPU, and the
 * longer the main thread ran before the call, the more often that happens. This loop runs one
 * prepared `SELECT 1` (stream, then fetchChunk until the end) with `--work-us` of busy JavaScript
 * before each call and reports, per call: wall µs of the synchronous part, the µs the main thread
 * spent in it runnable but waiting for a CPU and how often it was switched out there (from
 * /proc schedstat, read outside the timed part), and what process.threadCpuUsage() charges to it.
 * (The /proc reads are themselves a few µs of work before each call: `--work-us 0` is not none.)
 *
 * That last figure is not the call's own CPU: on Linux a running thread's CPU time is brought up
 * to date only at a tick or a context switch, so a call that gets switched out is charged with the
 * CPU the thread spent since its last switch. `sleep20Us` (a 20 µs Atomics.wait after the same
 * work) shows it: threadCpuUsage charges about the work done before, not the 20 µs asleep. Prints
 * one JSON line per work amount.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { round } from './measure.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const workAmounts = arg('work-us', '0,50,100,300')
  .split(',')
  .map((s) => Number(s));
const count = Number(arg('count', '3000'));
const threads = arg('threads', '');
const WARMUP = 300;

/**
 * This thread's time spent runnable but waiting for a CPU (ns) and the times it was put on a CPU,
 * from /proc/thread-self/schedstat (zeros where it is missing). Both are brought up to date when
 * the thread is switched back in, so they are exact across a call the thread was switched out of.
 */
function schedstat(): { waitNs: number; switchIns: number } {
  try {
    const [, wait, slices] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(' ');
    return { waitNs: Number(wait), switchIns: Number(slices) };
  } catch {
    return { waitNs: 0, switchIns: 0 };
  }
}

/** CPU µs process.threadCpuUsage() reports for this thread (0 before Node 23.9). */
function threadCpu(): number {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
  return usage ? usage.user + usage.system : 0;
}

function spin(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
}

/** Totals for one kind of call. */
class CallStats {
  n = 0;
  wallMs = 0;
  switchIns = 0;
  waitNs = 0;
  chargedUs = 0;

  /** Runs `call`, timing only its synchronous part, and returns what it returned. */
  time<T>(call: () => T, counted: boolean): T {
    const s0 = schedstat();
    const c0 = threadCpu();
    const t0 = performance.now();
    const out = call();
    const t1 = performance.now();
    const c1 = threadCpu();
    const s1 = schedstat();
    if (counted) {
      this.n++;
      this.wallMs += t1 - t0;
      this.chargedUs += c1 - c0;
      this.switchIns += s1.switchIns - s0.switchIns;
      this.waitNs += s1.waitNs - s0.waitNs;
    }
    return out;
  }

  summary(): { syncUs: number; waitingUs: number; switchedOutPerCall: number; threadCpuUs: number } {
    const n = Math.max(1, this.n);
    return {
      syncUs: round((this.wallMs * 1000) / n, 1),
      waitingUs: round(this.waitNs / 1000 / n, 1),
      switchedOutPerCall: round(this.switchIns / n, 2),
      threadCpuUs: round(this.chargedUs / n, 1),
    };
  }
}

const instance = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  ...(threads ? { threads } : {}),
});
const conn = await instance.connect();
const prepared = await conn.prepare('SELECT 1 AS "1"');
const flag = new Int32Array(new SharedArrayBuffer(4));

for (const workUs of workAmounts) {
  const stream = new CallStats();
  const fetch = new CallStats();
  const sleep = new CallStats();
  for (let i = 0; i < count + WARMUP; i++) {
    const counted = i >= WARMUP;
    spin(workUs);
    const result = await stream.time(() => prepared.stream(), counted);
    for (;;) {
      spin(workUs);
      const chunk = await fetch.time(() => result.fetchChunk(), counted);
      if (!chunk || chunk.rowCount === 0) break;
    }
    spin(workUs);
    sleep.time(() => Atomics.wait(flag, 0, 0, 0.02), counted);
  }
  console.log(
    JSON.stringify({
      workUs,
      count,
      threads: threads || 'default',
      stream: stream.summary(),
      fetchChunk: fetch.summary(),
      sleep20Us: sleep.summary(),
    }),
  );
}
conn.closeSync();
instance.closeSync();
