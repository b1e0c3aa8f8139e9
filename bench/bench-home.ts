/**
 * A throwaway HOME (XDG dirs inside, no SNOWFLAKE_* inherited) for smcp processes the bench starts,
 * and a fresh dist/ for the bin/smcp they run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedHome } from '../test/helpers/cli.js';
import type { IsolatedHome } from '../test/helpers/cli.js';

/** The smcp executable (needs `npm run build`; run.ts builds when dist/ is stale). */
export const SMCP_BIN = fileURLToPath(new URL('../bin/smcp', import.meta.url));

/** The repository root (child processes run there so `--import tsx` resolves). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** An isolated home: its environment and a remover. */
export type BenchHome = Pick<IsolatedHome, 'env' | 'remove'>;

/** Creates an isolated home under the temp dir (the same layout the tests use). */
export function benchHome(prefix = 'smcp-bench-'): BenchHome {
  return isolatedHome({ prefix });
}

/** Newest modification time of any file under `dir` (ms). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Runs `tsc -p tsconfig.build.json` when dist/cli/main.js is older than src/; throws if it fails. */
export function buildIfStale(log: (line: string) => void): void {
  const main = join(REPO_ROOT, 'dist', 'cli', 'main.js');
  let built: number;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newest(join(REPO_ROOT, 'src'))) return;
  log('dist/ is older than src/: building (tsc -p tsconfig.build.json)');
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error('the build failed');
}
