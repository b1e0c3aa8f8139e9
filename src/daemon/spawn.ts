/**
 * Starting the daemon in the background: `smcp start --foreground --daemonized` spawned detached,
 * its raw stdout/stderr appended to the daemon's out file, then polled on its admin socket until it
 * answers. If it exits first, its own one-line error becomes this start's error.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { adminRequest } from '../admin/client.js';
import type { DaemonStatus } from '../admin/protocol.js';
import { ensurePrivateDir } from '../config/paths.js';
import type { DaemonFiles } from '../config/paths.js';
import { ERROR_CATALOGUE, SmcpError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/** The executable the daemon runs as (so its command line names smcp). */
const SMCP_BIN = fileURLToPath(new URL('../../bin/smcp', import.meta.url));

/** How often readiness is polled. */
const POLL_MS = 20;

/** What spawnDaemon needs. */
export interface SpawnOptions {
  readonly files: DaemonFiles;
  /** `smcp start` options for the daemon (without `start`, `--foreground` or `--daemonized`). */
  readonly startArgs: readonly string[];
  /** Give up after this long (the half-started daemon is stopped). */
  readonly readyTimeoutMs: number;
}

/** Spawns the daemon and resolves with its first status once it is ready. Throws SmcpError. */
export async function spawnDaemon(options: SpawnOptions): Promise<DaemonStatus> {
  const { files } = options;
  ensurePrivateDir(dirname(files.outFile));
  let fd: number;
  let offset: number;
  try {
    fd = openSync(files.outFile, 'a', 0o600);
    offset = statSync(files.outFile).size;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new SmcpError('CONFIG_INVALID', `cannot write ${files.outFile}: ${reason}`, {
      file: files.outFile,
    });
  }
  const child = spawn(
    process.execPath,
    [SMCP_BIN, 'start', ...options.startArgs, '--foreground', '--daemonized'],
    { detached: true, stdio: ['ignore', fd, fd], env: process.env },
  );
  closeSync(fd);
  child.unref();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once('exit', (code, signal) => (exit = { code, signal }));
  child.once('error', () => (exit ??= { code: 70, signal: null }));

  const deadline = Date.now() + options.readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exit) throw failureOf(exit, files.outFile, offset);
    const status = await adminRequest<DaemonStatus>(files.socket, 'GET', '/status', {
      timeoutMs: 1000,
    }).catch(() => undefined);
    if (status && status.pid === child.pid) return status;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  child.kill('SIGTERM');
  throw new SmcpError(
    'DAEMON_UNRESPONSIVE',
    `the daemon did not become ready within ${options.readyTimeoutMs / 1000} s; see smcp logs and ${files.outFile}`,
  );
}

/** The daemon's own error line (`smcp: message [CODE]`) from its output, as an SmcpError. */
function failureOf(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  outFile: string,
  offset: number,
): SmcpError {
  let output = '';
  try {
    output = readFileSync(outFile).subarray(offset).toString('utf8');
  } catch {
    // Nothing to quote.
  }
  const lines = output.split('\n').filter((line) => line.startsWith('smcp: '));
  const last = lines.at(-1);
  const match = last ? /^smcp: (.*) \[([A-Z_]+)\]$/.exec(last) : null;
  if (match && Object.hasOwn(ERROR_CATALOGUE, match[2])) {
    return new SmcpError(match[2] as ErrorCode, match[1]);
  }
  // A command line the daemon's parser rejected (`smcp: Unknown argument: x`, exit 2).
  if (last && exit.code === 2)
    return new SmcpError('USAGE', `${last.slice('smcp: '.length)}; see smcp start --help`);
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
  return new SmcpError('INTERNAL', `the daemon ${how} before it was ready; see ${outFile}`);
}
