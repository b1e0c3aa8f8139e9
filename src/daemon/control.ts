/**
 * Finding and stopping the daemon from another process (the CLI). Light on imports — node:http,
 * node:fs and the pidfile helpers — so `smcp status` and `smcp call` start fast.
 */
import { rmSync } from 'node:fs';
import { adminRequest } from '../admin/client.js';
import type { DaemonStatus, ShutdownAnswer } from '../admin/protocol.js';
import type { DaemonFiles } from '../config/paths.js';
import { SmcpError, isSmcpError } from '../errors.js';
import { inspectPidfile, looksLikeSmcp, processExists } from './pidfile.js';

/** What is known about the daemon. */
export type DaemonLookup =
  | { readonly kind: 'running'; readonly status: DaemonStatus }
  /** Its process lives but the admin socket does not answer (starting, hung, or socket removed). */
  | { readonly kind: 'unresponsive'; readonly pid: number; readonly reason: string }
  /** A pidfile names a process that is gone: the daemon died without cleaning up. */
  | { readonly kind: 'dead'; readonly pid: number | undefined }
  | { readonly kind: 'stopped' };

/** Asks the daemon for its status; never starts anything. */
export async function findDaemon(files: DaemonFiles, timeoutMs = 3000): Promise<DaemonLookup> {
  try {
    const status = await adminRequest<DaemonStatus>(files.socket, 'GET', '/status', { timeoutMs });
    return { kind: 'running', status };
  } catch (err) {
    if (!isSmcpError(err, 'DAEMON_NOT_RUNNING', 'DAEMON_UNRESPONSIVE')) throw err;
    const pidfile = inspectPidfile(files.pidfile);
    if (pidfile.kind === 'alive') return { kind: 'unresponsive', pid: pidfile.pid, reason: err.message };
    if (pidfile.kind === 'stale') return { kind: 'dead', pid: pidfile.pid };
    return { kind: 'stopped' };
  }
}

/** Removes the pidfile, socket and endpoint file a dead daemon left behind. */
export function cleanStaleFiles(files: DaemonFiles): void {
  rmSync(files.pidfile, { force: true });
  rmSync(files.socket, { force: true });
  rmSync(files.endpoint, { force: true });
}

/** How a stop went. */
export interface StopOutcome {
  readonly pid: number;
  /** True when the process had to be killed (SIGKILL). */
  readonly killed: boolean;
}

/** True once `pid` is gone (or no longer an smcp process). */
function gone(pid: number): boolean {
  return !processExists(pid) || !looksLikeSmcp(pid);
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return gone(pid);
}

/**
 * Stops the daemon `lookup` found: through the admin API when it answers (drain up to
 * `timeoutSeconds`, or at once with `force`), with SIGTERM when it does not; with `force`, SIGKILL
 * when it has not exited in time. Throws DAEMON_UNRESPONSIVE when it outlives the wait without
 * `force`, DAEMON_NOT_RUNNING when there is nothing to stop.
 */
export async function stopDaemon(
  files: DaemonFiles,
  lookup: DaemonLookup,
  options: { timeoutSeconds: number; force: boolean },
): Promise<StopOutcome> {
  let pid: number;
  if (lookup.kind === 'running') {
    const answer = await adminRequest<ShutdownAnswer>(files.socket, 'POST', '/shutdown', {
      body: { timeoutSeconds: options.timeoutSeconds, force: options.force },
      timeoutMs: 5000,
    });
    pid = answer.pid;
  } else if (lookup.kind === 'unresponsive') {
    pid = lookup.pid;
    process.kill(pid, 'SIGTERM');
  } else {
    throw new SmcpError('DAEMON_NOT_RUNNING', 'no smcp daemon is running');
  }
  // The drain deadline, plus time for cancelled statements and closing the pool.
  const waitMs = (options.force ? 0 : options.timeoutSeconds) * 1000 + 10_000;
  if (await waitGone(pid, waitMs)) return { pid, killed: false };
  if (!options.force) {
    throw new SmcpError(
      'DAEMON_UNRESPONSIVE',
      `smcp (pid ${pid}) did not exit within ${Math.round(waitMs / 1000)} s; use smcp stop --force`,
    );
  }
  process.kill(pid, 'SIGKILL');
  await waitGone(pid, 5000);
  cleanStaleFiles(files);
  return { pid, killed: true };
}
