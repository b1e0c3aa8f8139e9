/** A throwaway HOME (XDG dirs inside, no SNOWFLAKE_* inherited) for smcp processes the bench starts. */
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
