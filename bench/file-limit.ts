/**
 * Raising this process's open-file limit for benchmarks that hold thousands of sockets: when the
 * soft limit is too low, the script re-runs itself through `sh -c 'ulimit -n …'` up to the hard limit.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Soft and hard limits on open files of this process. */
function fileLimits(): { soft: number; hard: number } {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line ?? '').split(/\s+/).slice(3, 5);
  const parse = (v: string | undefined): number => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: parse(soft), hard: parse(hard) };
}

/**
 * Makes sure this process may open `needed` files: when the soft limit is lower, re-runs this
 * process under `ulimit -n <hard>` through a shell and exits with its status (never returns then).
 */
export function ensureFileLimit(needed: number): void {
  const limits = fileLimits();
  if (limits.soft >= needed || process.env.SMCP_BENCH_ULIMIT_RAISED) return;
  if (limits.hard < needed) {
    console.error(`open-file limit ${limits.hard} (hard) is below the ${needed} this run needs`);
    process.exit(2);
  }
  const raise = Number.isFinite(limits.hard) ? String(limits.hard) : '65536';
  const run = spawnSync(
    'sh',
    [
      '-c',
      `ulimit -n ${raise} && exec "$0" "$@"`,
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, SMCP_BENCH_ULIMIT_RAISED: '1' } },
  );
  process.exit(run.status ?? 1);
}
