/**
 * smcp's small persistent state on lowdb: the daemon's run history (starts, stops, exit reasons,
 * versions) in `state.json` in the data dir, validated with zod on read, written atomically
 * (lowdb's steno writes a temp file and renames it) with mode 0600 in a 0700 directory.
 *
 * Only the daemon process writes this file: lowdb has no cross-process locking, so the CLI never
 * opens a store for writing; it asks the daemon through the admin API (or reads a snapshot).
 */
import { chmodSync, closeSync, openSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import type { Adapter } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { ensurePrivateDir } from '../config/paths.js';
import { SmcpError } from '../errors.js';
import type { Logger } from '../logger.js';
import { CRASH_REASON, MAX_RUNS, checkState, emptyState } from './state-schema.js';
import type { DaemonRun, StateData } from './state-schema.js';

/** The part of smcp's Logger the store uses: it only warns. */
export type StateLogger = Pick<Logger, 'warn'>;

/** What the daemon records when it starts; `startedAt` defaults to now. */
export type RunStart = Omit<DaemonRun, 'startedAt' | 'stoppedAt' | 'exitReason' | 'exitCode'> & {
  startedAt?: string;
};

/** How a run ended. */
export interface RunStop {
  /** `stop`, `signal:SIGTERM`, `signal:SIGINT`, … (free text). */
  reason: string;
  exitCode?: number;
}

/** The daemon's handle on its state file. Mutations resolve once the file is written. */
export interface StateStore {
  /** Absolute path of the state file. */
  readonly file: string;
  /** Appends a run (dropping the oldest beyond {@link MAX_RUNS}) and writes the file. */
  recordStart(run: RunStart): Promise<void>;
  /**
   * Completes the newest unfinished run of `pid` with stoppedAt = now, the reason and exit code.
   * Resolves false when no such run exists (nothing is written then).
   */
  recordStop(pid: number, stop: RunStop): Promise<boolean>;
  /** Runs, newest first (copies), at most `limit` of them. */
  runs(limit?: number): DaemonRun[];
  /** The newest run, if any (a copy). */
  lastRun(): DaemonRun | undefined;
  /**
   * Marks every run without stoppedAt or exitReason whose pid is not `livePid` (default: this
   * process) as ended by a crash; stoppedAt stays unset because nobody saw it stop. Resolves to the
   * number of runs marked. The daemon calls this once it holds the pidfile, before recordStart.
   */
  markCrashedRuns(livePid?: number): Promise<number>;
}

/** The temp file steno writes before renaming it over `file`. */
function tempFileOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp`);
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * lowdb's JSONFile with private files: steno creates its temp file with the default mode (0644
 * under the usual umask), so the temp file is created 0600 beforehand and writeFile keeps that
 * mode; a chmod afterwards covers a steno that names its temp file differently.
 */
class PrivateJsonFile implements Adapter<StateData> {
  readonly #inner: JSONFile<StateData>;
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
    this.#inner = new JSONFile<StateData>(file);
  }

  read(): Promise<StateData | null> {
    return this.#inner.read();
  }

  async write(data: StateData): Promise<void> {
    closeSync(openSync(tempFileOf(this.#file), 'w', 0o600));
    chmodSync(tempFileOf(this.#file), 0o600);
    await this.#inner.write(data);
    if ((statSync(this.#file).mode & 0o077) !== 0) chmodSync(this.#file, 0o600);
  }
}

function cannotWrite(file: string, err: unknown): SmcpError {
  return new SmcpError('CONFIG_INVALID', `cannot write state file ${file}: ${reasonOf(err)}`, { file });
}

/** Reads the file: valid data, null when absent, or why it is corrupt. */
async function load(
  adapter: PrivateJsonFile,
  file: string,
): Promise<{ data: StateData | null } | { corrupt: string }> {
  let raw: unknown;
  try {
    raw = await adapter.read();
  } catch (err) {
    if (err instanceof SyntaxError) return { corrupt: `invalid JSON: ${err.message}` };
    throw new SmcpError('CONFIG_INVALID', `cannot read state file ${file}: ${reasonOf(err)}`, { file });
  }
  if (raw === null) return { data: null };
  const checked = checkState(raw);
  return checked.ok ? { data: checked.data } : { corrupt: checked.reason };
}

class LowStateStore implements StateStore {
  readonly file: string;
  readonly #db: Low<StateData>;
  #chain: Promise<void> = Promise.resolve();

  constructor(file: string, db: Low<StateData>) {
    this.file = file;
    this.#db = db;
  }

  /** Writes the current data; writes are serialized so the 0600 temp file is never shared. */
  persist(): Promise<void> {
    const step = this.#chain
      .then(() => this.#db.write())
      .catch((err: unknown) => {
        throw cannotWrite(this.file, err);
      });
    this.#chain = step.catch(() => undefined);
    return step;
  }

  async recordStart(run: RunStart): Promise<void> {
    const entry: DaemonRun = { ...run, startedAt: run.startedAt ?? new Date().toISOString() };
    const runs = this.#db.data.runs;
    runs.push(entry);
    if (runs.length > MAX_RUNS) runs.splice(0, runs.length - MAX_RUNS);
    await this.persist();
  }

  async recordStop(pid: number, stop: RunStop): Promise<boolean> {
    const runs = this.#db.data.runs;
    for (let i = runs.length - 1; i >= 0; i--) {
      const run = runs[i];
      if (run.pid !== pid || run.stoppedAt !== undefined) continue;
      run.stoppedAt = new Date().toISOString();
      run.exitReason = stop.reason;
      if (stop.exitCode !== undefined) run.exitCode = stop.exitCode;
      await this.persist();
      return true;
    }
    return false;
  }

  runs(limit = MAX_RUNS): DaemonRun[] {
    const all = this.#db.data.runs;
    const count = Math.max(0, Math.min(Math.floor(limit), all.length));
    return all
      .slice(all.length - count)
      .reverse()
      .map((run) => ({ ...run }));
  }

  lastRun(): DaemonRun | undefined {
    const last = this.#db.data.runs.at(-1);
    return last ? { ...last } : undefined;
  }

  async markCrashedRuns(livePid: number = process.pid): Promise<number> {
    let marked = 0;
    for (const run of this.#db.data.runs) {
      if (run.pid === livePid || run.stoppedAt !== undefined || run.exitReason !== undefined) continue;
      run.exitReason = CRASH_REASON;
      marked++;
    }
    if (marked > 0) await this.persist();
    return marked;
  }
}

/**
 * Opens (creating if needed) the state file `file`: its directory is made private (0700), the
 * file is written 0600. A file that is not valid JSON or fails the schema is renamed to
 * `<file>.corrupt-<timestamp>`, a warning is logged and a fresh state is used, so the daemon still
 * starts. Throws SmcpError CONFIG_INVALID naming the file when it cannot be read or written.
 */
export async function openStateStore(file: string, logger: StateLogger): Promise<StateStore> {
  try {
    ensurePrivateDir(dirname(file));
  } catch (err) {
    throw cannotWrite(file, err);
  }
  const adapter = new PrivateJsonFile(file);
  const loaded = await load(adapter, file);
  let data: StateData;
  if ('corrupt' in loaded) {
    const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/:/g, '-')}`;
    try {
      renameSync(file, movedTo);
    } catch (err) {
      throw cannotWrite(file, err);
    }
    logger.warn('state file was corrupt; moved aside', { file, movedTo, reason: loaded.corrupt });
    data = emptyState();
  } else {
    data = loaded.data ?? emptyState();
  }
  const store = new LowStateStore(file, new Low<StateData>(adapter, data));
  // Writing at once proves the directory is writable now rather than at the first stop.
  await store.persist();
  return store;
}
