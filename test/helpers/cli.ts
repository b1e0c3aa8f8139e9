/**
 * Test helper: runs the real `bin/smcp` (compiled by `npm test` before mocha) in an isolated
 * environment — a temp HOME with its own XDG dirs and SNOWFLAKE_HOME — and collects its output.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the executable under test. */
export const SMCP_BIN = fileURLToPath(new URL('../../bin/smcp', import.meta.url));

/** A throwaway home directory and the environment that points every user dir into it. */
export interface IsolatedHome {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  remove(): void;
}

/** Where isolatedHome puts its directory. */
export interface IsolatedHomeOptions {
  /** Name prefix of the temp dir (default `smcp-test-home-`). */
  readonly prefix?: string;
  /** Parent directory (default: the OS temp dir). */
  readonly parent?: string;
}

/**
 * Creates a temp HOME with XDG dirs inside it; inherited SNOWFLAKE_* variables are dropped. The
 * one place tests and benchmarks isolate smcp's user dirs.
 */
export function isolatedHome(options: IsolatedHomeOptions = {}): IsolatedHome {
  const home = mkdtempSync(join(options.parent ?? tmpdir(), options.prefix ?? 'smcp-test-home-'));
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('SNOWFLAKE_')),
  );
  const env: NodeJS.ProcessEnv = {
    ...base,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_RUNTIME_DIR: join(home, 'run'),
  };
  return { home, env, remove: () => rmSync(home, { recursive: true, force: true }) };
}

/** What a finished CLI run produced. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How runProcess runs a command. */
export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** SIGKILL after this long (the run then ends with code null). Default 20 s. */
  readonly timeoutMs?: number;
}

/** Runs `node script args…` to completion and collects its output. */
export function runProcess(script: string, args: string[], options: RunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: options.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `smcp args…` to completion (killed after `timeoutMs`). */
export function runSmcp(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<CliRun> {
  return runProcess(SMCP_BIN, args, { env, timeoutMs });
}

/** True while `pid` runs; a zombie (exited, not yet reaped by this container's init) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state follows the command name in parentheses, which may itself hold ") ".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Polls `check` every 25 ms until it holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts `smcp args…` in the background; the caller must stop it (by PID) with {@link stopChild}. */
export function startSmcp(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [SMCP_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first stdout text of `child` that parses as a whole JSON value. */
export function readJsonOutput<T>(child: ChildProcess, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`no JSON output within ${timeoutMs} ms: ${buffer}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      try {
        const value = JSON.parse(buffer) as T;
        clearTimeout(timer);
        resolve(value);
      } catch {
        // not complete yet
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing JSON: ${buffer}`));
    });
  });
}

/** Sends `signal` to the child and resolves with its exit code once it has exited. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
