/**
 * The engine's private spill directory: result rows beyond the memory budget, and DuckDB's own
 * temporary files (big sorts and joins), which would otherwise land in `./.tmp` of whatever
 * directory the process runs in. One per engine, `<parent>/smcp-emulator-<pid>-<random>`, mode 0700,
 * removed when the engine closes; directories left behind by processes that no longer run (a crash,
 * a kill -9) are removed when the next engine starts.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmcpError } from '../../errors.js';

const PREFIX = 'smcp-emulator-';
const NAME = /^smcp-emulator-(\d+)-[A-Za-z0-9]+$/;

/** A created spill directory. */
export interface SpillDir {
  /** The private directory itself. */
  readonly path: string;
  /** Where DuckDB keeps its temporary files (inside `path`). */
  readonly duckdbTemp: string;
  /** Removes the directory and everything in it. Idempotent; never throws. */
  remove(): void;
}

/** True when a process with this pid runs (or exists under another user). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes spill directories in `parent` whose process is gone and that belong to this user. */
function removeStale(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = join(parent, name);
    try {
      const st = statSync(dir);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another engine may be cleaning up the same directory: not ours to worry about.
    }
  }
}

/**
 * Creates the spill directory under `parent` (default the system temp dir; created 0700 when
 * missing) after removing stale ones. Throws SmcpError CONFIG_INVALID when it cannot be made.
 */
export function createSpillDir(parent: string = tmpdir()): SpillDir {
  let path: string;
  try {
    mkdirSync(parent, { recursive: true, mode: 0o700 });
    removeStale(parent);
    // mkdtemp creates the directory with mode 0700.
    path = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
    mkdirSync(join(path, 'duckdb'), { mode: 0o700 });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new SmcpError(
      'CONFIG_INVALID',
      `cannot create the emulator's spill directory in ${parent}: ${reason}`,
      {
        field: 'spillParentDir',
      },
    );
  }
  let removed = false;
  return {
    path,
    duckdbTemp: join(path, 'duckdb'),
    remove() {
      if (removed) return;
      removed = true;
      try {
        rmSync(path, { recursive: true, force: true });
      } catch {
        // Best effort: a later start removes it as stale.
      }
    },
  };
}
