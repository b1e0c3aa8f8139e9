/** A throwaway HOME (XDG dirs inside, no SNOWFLAKE_* inherited) for smcp processes the bench starts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The smcp executable (needs `npm run build`; run.ts builds when dist/ is stale). */
export const SMCP_BIN = fileURLToPath(new URL('../bin/smcp', import.meta.url));

/** The repository root (child processes run there so `--import tsx` resolves). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** An isolated home: its environment and a remover. */
export interface BenchHome {
  readonly env: NodeJS.ProcessEnv;
  remove(): void;
}

/** Creates an isolated home under the temp dir. */
export function benchHome(prefix = 'smcp-bench-'): BenchHome {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SNOWFLAKE_'))),
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_STATE_HOME: join(home, 'state'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_RUNTIME_DIR: join(home, 'run'),
  };
  return { env, remove: () => rmSync(home, { recursive: true, force: true }) };
}
