/**
 * Runs bench/mcp-server-child.ts in a forked process and reads its cost from the kernel:
 * CPU time (utime + stime from /proc/<pid>/stat) and VmRSS (/proc/<pid>/status).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuSecondsOf, rssBytesOf } from './proc-stats.js';

const CHILD = fileURLToPath(new URL('./mcp-server-child.ts', import.meta.url));

/** A server under test in its own process. */
export interface ServerProc {
  readonly mode: string;
  readonly url: string;
  readonly pid: number;
  /** Sends an IPC request and resolves with the child's next message. */
  ask<T>(message: object): Promise<T>;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  /** Resident set size in bytes, from /proc. */
  rssBytes(): number;
  /** Asks the child to close and waits until it has exited (killed after 10 s). */
  stop(): Promise<void>;
}

/** Starts the child in `mode` (see mcp-server-child.ts) and resolves once it listens. */
export async function startServerProc(
  mode: string,
  args: string[] = [],
  execArgv: string[] = [],
): Promise<ServerProc> {
  const child: ChildProcess = fork(CHILD, [mode, ...args], {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`${mode} server exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as T);
      });
    });
  const hello = await next<{ url: string; pid: number }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    mode,
    url: hello.url,
    pid: hello.pid,
    ask<T>(message: object): Promise<T> {
      const reply = next<T>();
      child.send(message);
      return reply;
    },
    cpuSeconds: () => cpuSecondsOf(hello.pid),
    rssBytes: () => rssBytesOf(hello.pid),
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      child.send({ op: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
