/** Small measuring helpers shared by the benchmarks: percentiles, timers and child runs. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The p-th percentile (0–100) of `values`, by nearest rank; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Milliseconds since `start` (a process.hrtime.bigint() reading), as a float. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Rounds to `digits` decimals for reports. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Runs a bench script in a fresh Node process (through tsx) and parses the JSON it prints on its
 * last stdout line. Fresh processes keep memory and start-up figures honest.
 */
export async function runChild<T>(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<T> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 120_000,
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}
