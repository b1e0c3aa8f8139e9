/**
 * `smcp logs [-f] [-n N] [--json] [--level L] [--file]`: the daemon's JSON-line log, readable by
 * default. The last lines are read backwards in chunks (a 10 MB log costs a few reads), across
 * rotated files when the current one holds too few; `-f` polls for new lines and follows the file
 * across rotation (renamed away → finish the old file, then read the new one from its start) and
 * truncation (copy-truncate → read again from the start).
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { SmcpError } from '../../errors.js';
import { daemonFiles, resolvePaths } from '../../config/paths.js';
import { LOG_LEVELS } from '../../daemon/json-logger.js';
import { rotatedLogFiles } from '../../daemon/log-file.js';
import { atOrAbove, formatLogLine, parseLogLine, toLogLevel, wantsColor } from '../log-format.js';
import { say, warn } from '../output.js';

interface LogsArgs {
  follow: boolean;
  lines: number;
  json: boolean;
  level?: string;
  file: boolean;
}

/** How often `-f` looks for new lines, truncation and rotation. */
const POLL_MS = 200;
/** Bytes read per step, backwards for the last lines and forwards when following. */
const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
/** Leading bytes compared to notice a log rewritten in place (the first record's timestamp differs). */
const HEAD_BYTES = 128;

function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** Reads up to `buffer.length` bytes at `position`; returns how many were read. */
function readAt(fd: number, buffer: Buffer, position: number): number {
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** The non-empty lines of the first `end` bytes of `fd`, last line first. */
function* linesBackwards(fd: number, end: number): Generator<string> {
  let position = end;
  // Bytes of the line that continues into what was already read.
  let rest = Buffer.alloc(0);
  while (position > 0) {
    const length = Math.min(CHUNK_BYTES, position);
    position -= length;
    const chunk = Buffer.allocUnsafe(length);
    const got = readAt(fd, chunk, position);
    const buffer = Buffer.concat([chunk.subarray(0, got), rest]);
    let stop = buffer.length;
    let newline = stop > 0 ? buffer.lastIndexOf(NEWLINE, stop - 1) : -1;
    while (newline >= 0) {
      if (stop > newline + 1) yield decode(buffer.subarray(newline + 1, stop));
      stop = newline;
      newline = stop > 0 ? buffer.lastIndexOf(NEWLINE, stop - 1) : -1;
    }
    rest = buffer.subarray(0, stop);
  }
  if (rest.length > 0) yield decode(rest);
}

/** An open log file being read. */
interface OpenLog {
  fd: number;
  ino: number;
  dev: number;
  /** Byte offset up to which the file has been shown. */
  position: number;
}

function openLog(file: string): OpenLog | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  const stat = fstatSync(fd);
  return { fd, ino: stat.ino, dev: stat.dev, position: stat.size };
}

/** The last `count` lines that pass `keep`, oldest first, from `current` and then older rotated files. */
function lastLines(
  current: OpenLog | undefined,
  rotated: string[],
  count: number,
  keep: (line: string) => boolean,
): string[] {
  const found: string[] = [];
  const take = (fd: number, end: number): boolean => {
    for (const line of linesBackwards(fd, end)) {
      if (!keep(line)) continue;
      found.push(line);
      if (found.length >= count) return true;
    }
    return false;
  };
  if (count <= 0) return found;
  if (current && take(current.fd, current.position)) return found.reverse();
  for (const file of rotated) {
    const log = openLog(file);
    if (!log) continue;
    try {
      if (take(log.fd, log.position)) break;
    } finally {
      closeSync(log.fd);
    }
  }
  return found.reverse();
}

/**
 * Follows `file` from `start` (or waits for it to appear) until `stop` resolves, handing each
 * batch of complete new lines to `emit`.
 */
function follow(
  file: string,
  start: OpenLog | undefined,
  emit: (lines: string[]) => void,
  stop: Promise<void>,
): Promise<void> {
  let log = start;
  let partial: Buffer = Buffer.alloc(0);
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  // The file's first bytes as last read, and its size and mtime then: a copy-truncate followed by
  // as many new bytes as we had read leaves the size unchanged, but not the first line.
  let head: Buffer = Buffer.alloc(0);
  let seen = { size: -1, mtimeMs: -1 };

  const readHead = (fd: number, upTo: number): Buffer => {
    const bytes = Buffer.alloc(Math.min(HEAD_BYTES, upTo));
    return bytes.subarray(0, readAt(fd, bytes, 0));
  };

  const rewritten = (current: OpenLog): boolean => {
    const stat = fstatSync(current.fd);
    if (stat.size < current.position) return true;
    if (stat.size === seen.size && stat.mtimeMs === seen.mtimeMs) return false;
    seen = { size: stat.size, mtimeMs: stat.mtimeMs };
    return head.length > 0 && !readHead(current.fd, head.length).equals(head);
  };

  if (log) head = readHead(log.fd, log.position);

  const restart = (): void => {
    partial = Buffer.alloc(0);
    head = Buffer.alloc(0);
    seen = { size: -1, mtimeMs: -1 };
  };

  const drain = (out: string[]): void => {
    if (!log) return;
    for (;;) {
      const at = log.position;
      const got = readAt(log.fd, chunk, at);
      if (got === 0) return;
      log.position += got;
      // Remember the head from the very bytes shown, so a rewrite right after cannot slip in.
      if (at < HEAD_BYTES && head.length === at)
        head = Buffer.concat([head, chunk.subarray(0, Math.min(got, HEAD_BYTES - at))]);
      let bytes = Buffer.concat([partial, chunk.subarray(0, got)]);
      let newline = bytes.indexOf(NEWLINE);
      while (newline >= 0) {
        if (newline > 0) out.push(decode(bytes.subarray(0, newline)));
        bytes = bytes.subarray(newline + 1);
        newline = bytes.indexOf(NEWLINE);
      }
      partial = Buffer.from(bytes);
    }
  };

  const finish = (out: string[]): void => {
    if (!log) return;
    drain(out);
    if (partial.length > 0) out.push(decode(partial));
    restart();
    closeSync(log.fd);
    log = undefined;
  };

  const tick = (): void => {
    const out: string[] = [];
    try {
      if (log && rewritten(log)) {
        // Truncated in place (copy-truncate): what is there now is new.
        log.position = 0;
        restart();
      }
      drain(out);
      let onDisk;
      try {
        onDisk = statSync(file);
      } catch {
        onDisk = undefined; // renamed away, the new file not there yet: keep reading the old one
      }
      if (onDisk && (!log || onDisk.ino !== log.ino || onDisk.dev !== log.dev)) {
        finish(out);
        log = openLog(file);
        if (log) {
          log.position = 0;
          drain(out);
        }
      }
    } catch {
      // A file that vanished or became unreadable mid-read: try again on the next tick.
    }
    if (out.length > 0) emit(out);
  };

  return new Promise((resolve) => {
    const timer = setInterval(tick, POLL_MS);
    void stop.then(() => {
      clearInterval(timer);
      tick();
      if (log) closeSync(log.fd);
      resolve();
    });
  });
}

/** Resolves on the first SIGINT or SIGTERM, or when stdout is gone; then removes its listeners. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      process.stdout.off('error', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    process.stdout.on('error', done);
  });
}

function validate(args: LogsArgs): { threshold?: (typeof LOG_LEVELS)[number]; count: number } {
  let threshold;
  if (args.level !== undefined) {
    threshold = toLogLevel(String(args.level));
    if (!threshold)
      throw new SmcpError(
        'USAGE',
        `--level must be one of ${LOG_LEVELS.join(', ')}, not "${String(args.level)}"`,
      );
  }
  const count = Number(args.lines);
  if (!Number.isInteger(count) || count < 0)
    throw new SmcpError('USAGE', `--lines (-n) must be a whole number of lines, not "${String(args.lines)}"`);
  return { threshold, count };
}

async function logsHandler(args: ArgumentsCamelCase<LogsArgs>): Promise<void> {
  const files = daemonFiles(resolvePaths());
  if (args.file) {
    say(files.logFile);
    return;
  }
  const { threshold, count } = validate(args);
  const byLevel = threshold ? atOrAbove(threshold) : () => true;
  // --json promises JSON on every line: crash output that is not a record is left out.
  const keep = args.json ? (line: string) => parseLogLine(line) !== undefined && byLevel(line) : byLevel;
  const color = !args.json && wantsColor(process.stdout);
  const render = (line: string): string => (args.json ? line : formatLogLine(line, { color }));
  const emit = (lines: string[]): void => {
    const shown = lines.filter(keep);
    if (shown.length > 0) say(shown.map(render).join('\n'));
  };
  // Output piped into `head` closes early: stop quietly instead of dying on EPIPE.
  process.stdout.on('error', () => undefined);

  const current = openLog(files.logFile);
  const rotated = rotatedLogFiles(files.logFile)
    .filter((file) => file !== files.logFile)
    .reverse();
  if (!current && rotated.length === 0) {
    const out = existsSync(files.outFile) && statSync(files.outFile).size > 0;
    const hint = out ? ` (its raw output is in ${files.outFile})` : '';
    warn(
      `smcp: no log yet at ${files.logFile}: the daemon has not run${hint}${args.follow ? '; waiting' : ''}`,
    );
    if (!args.follow) return;
  }
  try {
    const lines = lastLines(current, rotated, count, keep);
    if (lines.length > 0) say(lines.map(render).join('\n'));
  } catch (err) {
    if (current) closeSync(current.fd);
    throw err;
  }
  if (!args.follow) {
    if (current) closeSync(current.fd);
    return;
  }
  await follow(files.logFile, current, emit, untilStopped());
}

function builder(yargs: Argv): Argv<LogsArgs> {
  const files = daemonFiles(resolvePaths());
  return yargs
    .option('follow', {
      alias: 'f',
      type: 'boolean',
      default: false,
      describe: 'keep printing new lines, across rotation, until Ctrl-C',
    })
    .option('lines', {
      alias: 'n',
      type: 'number',
      default: 50,
      describe: 'how many of the last lines to show (after --level), spanning rotated files',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the raw JSON lines (lines that are not JSON are left out)',
    })
    .option('level', {
      type: 'string',
      describe: `show only records at or above this level: ${LOG_LEVELS.join(', ')}`,
    })
    .option('file', { type: 'boolean', default: false, describe: "print the log file's path and exit" })
    .epilog(
      `The log is ${files.logFile}, rotated by size to .1 (newest) … .5; times are UTC.\n` +
        `Output the detached daemon could not log (e.g. a crash before its logger started) is in ${files.outFile}.`,
    );
}

/** The `logs` command module (`smcp logs [-f] [-n N] [--json] [--level L] [--file]`). */
export const logsCommand: CommandModule<object, LogsArgs> = {
  command: 'logs',
  describe: "Show the daemon's log (readable; --json for raw lines)",
  builder,
  handler: logsHandler,
};
