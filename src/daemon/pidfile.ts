/**
 * The daemon's pidfile: created exclusively (`wx`), so of two daemons starting at the same moment
 * exactly one gets it. A pidfile left by a crash (its process gone, or the pid reused by something
 * that is not smcp) is stale and replaced.
 */
import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { SmcpError } from '../errors.js';

/** What a pidfile says about the daemon it names. */
export type PidfileState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'alive'; readonly pid: number }
  | { readonly kind: 'stale'; readonly pid: number | undefined };

/** True when a process with `pid` exists (it may be ours or not; see {@link looksLikeSmcp}). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * False when the process is certainly not an smcp daemon (Linux: its command line does not mention
 * smcp, or it is a zombie); true when it is or when this cannot be told.
 */
export function looksLikeSmcp(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/.test(stat)) return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('smcp');
  } catch {
    return process.platform !== 'linux';
  }
}

/** Reads the pid in `file`, or undefined when the file is absent or holds no pid. */
export function readPid(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether `file` names a live smcp daemon, a dead one, or nothing. */
export function inspectPidfile(file: string): PidfileState {
  let exists = true;
  try {
    readFileSync(file);
  } catch {
    exists = false;
  }
  if (!exists) return { kind: 'absent' };
  const pid = readPid(file);
  if (pid !== undefined && processExists(pid) && looksLikeSmcp(pid)) return { kind: 'alive', pid };
  return { kind: 'stale', pid };
}

/** A pidfile this process holds. */
export interface HeldPidfile {
  readonly file: string;
  /** Removes the pidfile if it still names this process. Idempotent; never throws. */
  release(): void;
}

/**
 * Creates `file` holding this process's pid, atomically (written aside, then hard-linked into
 * place, so a reader never sees a half-written pidfile). A stale pidfile is replaced; a live one
 * makes it throw DAEMON_RUNNING naming the pid. Other failures throw CONFIG_INVALID naming the file.
 */
export function acquirePidfile(file: string): HeldPidfile {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(aside, file);
        return { file, release: () => releasePidfile(file) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const state = inspectPidfile(file);
      if (state.kind === 'alive' && state.pid !== process.pid) {
        throw new SmcpError('DAEMON_RUNNING', `an smcp daemon is already running (pid ${state.pid})`, {
          file,
        });
      }
      removeStale(file);
    }
    throw new SmcpError('DAEMON_RUNNING', `another smcp daemon is starting (pidfile ${file})`, { file });
  } catch (err) {
    if (err instanceof SmcpError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new SmcpError('CONFIG_INVALID', `cannot create pidfile ${file}: ${reason}`, { file });
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Moves a stale pidfile out of the way. Renaming is atomic, so of two starters cleaning up at once
 * only one takes the file; should it turn out to name a live daemon after all (a racer that
 * re-created it meanwhile), it is put back.
 */
function removeStale(file: string): void {
  const moved = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, moved);
  } catch {
    return; // Someone else moved it first.
  }
  const pid = readPid(moved);
  if (pid !== undefined && pid !== process.pid && processExists(pid) && looksLikeSmcp(pid)) {
    try {
      linkSync(moved, file);
    } catch {
      // A third starter got in between; the next inspection sees it.
    }
  }
  rmSync(moved, { force: true });
}

function releasePidfile(file: string): void {
  try {
    if (readPid(file) === process.pid) unlinkSync(file);
  } catch {
    // Already gone.
  }
}
