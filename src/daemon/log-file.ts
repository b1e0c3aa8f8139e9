/**
 * The daemon's log file: JSON lines appended synchronously (no line is lost when the process
 * exits), rotated by size to `smcp.log.1` … `smcp.log.<keep>`. It also survives other rotators:
 * truncation in place (pm2-logrotate's copy-truncate) is harmless in append mode, and a file
 * renamed away under us is noticed by comparing inodes and reopened at its path.
 */
import {
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SmcpError } from '../errors.js';
import { ensurePrivateDir } from '../config/paths.js';

/** An open, self-rotating log file. */
export interface RotatingLog {
  /** The log file's path (the current file; rotated ones add `.1`, `.2`, …). */
  readonly path: string;
  /**
   * Appends `line` as given (the caller supplies the trailing newline). Never throws: a failed
   * write is dropped and the file is reopened on a later write.
   */
  write(line: string): void;
  /** Closes the file; later writes are ignored. Idempotent. */
  close(): void;
}

/** Options of {@link openRotatingLog}. */
export interface RotatingLogOptions {
  /** Path of the current log file, e.g. `daemonFiles(paths).logFile`. */
  readonly file: string;
  /** Rotate before a write would take the file past this size (default 10 MiB). */
  readonly maxBytes?: number;
  /** How many rotated files to keep (default 5); the oldest beyond that is dropped. */
  readonly keep?: number;
}

/** Default size at which the log rotates. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** Default number of rotated files kept. */
export const DEFAULT_LOG_KEEP = 5;

/** How often (at most) a write checks whether the path still names our file. */
const IDENTITY_CHECK_MS = 1000;

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errnoOf(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw err;
  }
}

/**
 * Opens (creating, 0600, in a 0700 dir) the log file for appending. Throws CONFIG_INVALID
 * `cannot write log file <path>: <reason>` when the dir or file cannot be created or opened.
 */
export function openRotatingLog(options: RotatingLogOptions): RotatingLog {
  const { file } = options;
  const maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_LOG_MAX_BYTES);
  const keep = Math.max(0, Math.floor(options.keep ?? DEFAULT_LOG_KEEP));

  let fd = -1;
  let ino = 0;
  let dev = 0;
  let size = 0;
  let lastCheck = 0;
  let closed = false;

  const open = (): void => {
    const next = openSync(file, 'a', 0o600);
    try {
      const stat = fstatSync(next);
      ino = stat.ino;
      dev = stat.dev;
      size = stat.size;
    } catch (err) {
      closeSync(next);
      throw err;
    }
    fd = next;
    lastCheck = Date.now();
  };

  const release = (): void => {
    if (fd < 0) return;
    try {
      closeSync(fd);
    } catch {
      // Already gone; nothing to release.
    }
    fd = -1;
  };

  try {
    ensurePrivateDir(dirname(file));
    open();
  } catch (err) {
    const reason = err instanceof SmcpError ? err.message : reasonOf(err);
    throw new SmcpError('CONFIG_INVALID', `cannot write log file ${file}: ${reason}`, { file });
  }

  const rotate = (): void => {
    release();
    try {
      if (keep === 0) {
        unlinkSync(file);
      } else {
        for (let i = keep - 1; i >= 1; i -= 1) renameIfPresent(`${file}.${i}`, `${file}.${i + 1}`);
        renameIfPresent(file, `${file}.1`);
      }
    } finally {
      // Keep logging even when a rename failed: the worst case is an oversized file.
      open();
    }
  };

  // Cheap: one stat of the path at most once a second. Someone else may have renamed our file
  // away (then we reopen the path) or truncated it (then our size count is stale).
  const checkIdentity = (now: number): void => {
    lastCheck = now;
    let current;
    try {
      current = statSync(file);
    } catch {
      current = undefined;
    }
    if (!current || current.ino !== ino || current.dev !== dev) {
      release();
      open();
      return;
    }
    size = fstatSync(fd).size;
  };

  const writeAll = (buffer: Buffer): void => {
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
    size += buffer.length;
  };

  return {
    path: file,
    write(line: string): void {
      if (closed) return;
      try {
        const now = Date.now();
        if (fd < 0) open();
        else if (now - lastCheck >= IDENTITY_CHECK_MS) checkIdentity(now);
        const buffer = Buffer.from(line);
        if (size > 0 && size + buffer.length > maxBytes) {
          // Re-measure first: a copy-truncate since the last check makes the count stale.
          size = fstatSync(fd).size;
          if (size > 0 && size + buffer.length > maxBytes) rotate();
        }
        writeAll(buffer);
      } catch {
        // A logger never takes the daemon down; reopen on the next write.
        release();
      }
    },
    close(): void {
      closed = true;
      release();
    },
  };
}

/**
 * The log files that exist for `file`, oldest first: `file.<n>` … `file.1`, then `file` itself.
 * Rotated files are found by name (any numeric suffix), so a changed `keep` does not hide any.
 */
export function rotatedLogFiles(file: string): string[] {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const rotated = names
    .filter((name) => name.startsWith(prefix) && /^[1-9]\d*$/.test(name.slice(prefix.length)))
    .map((name) => ({ name, n: Number(name.slice(prefix.length)) }))
    .sort((a, b) => b.n - a.n)
    .map(({ name }) => join(dir, name));
  const current = names.includes(basename(file)) ? [file] : [];
  return [...rotated, ...current];
}
