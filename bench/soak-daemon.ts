/**
 * The soak's daemon: the real `smcp start --port 0` (background) in a throwaway HOME with its own
 * XDG dirs, its status over the CLI and the HTTP `/status` route, its memory from /proc, and a stop
 * that falls back to SIGKILL by PID so no daemon outlives the soak.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isolatedHome, pidAlive, runSmcp, SMCP_BIN } from '../test/helpers/cli.js';
import type { CliRun, IsolatedHome } from '../test/helpers/cli.js';

export { pidAlive, SMCP_BIN };

/** A temp HOME under `parent` (or the OS temp dir) with XDG dirs inside it. */
export function soakHome(parent?: string): IsolatedHome {
  return isolatedHome({ prefix: 'smcp-soak-home-', ...(parent ? { parent } : {}) });
}

/** Memory of a process from /proc/<pid>/status, in bytes (undefined once it is gone). */
export interface ProcMemory {
  readonly rss: number;
  readonly rssAnon: number;
  readonly rssFile: number;
}

/** Reads VmRSS, RssAnon and RssFile of `pid`. */
export function procMemory(pid: number): ProcMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rss: kib('VmRSS'), rssAnon: kib('RssAnon'), rssFile: kib('RssFile') };
}

/** Open file descriptors of `pid` (0 when unreadable). */
export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** A running background daemon. */
export interface SoakDaemon {
  readonly pid: number;
  /** `http://127.0.0.1:PORT` (no path). */
  readonly base: string;
  readonly home: IsolatedHome;
  /** The daemon's `GET /status` body (sessions, connections, in flight, completed). */
  httpStatus(): Promise<Record<string, unknown>>;
  /** `smcp stop`, SIGKILL by PID if it is still alive after; removes the home. Idempotent. */
  stop(): Promise<{ stoppedBy: 'cli' | 'kill' | 'gone'; stopOutput: string }>;
}

/** The parts of `smcp status --json` the soak reads. */
interface StatusJson {
  pid: number;
  endpoints: { mcp: string };
}

/** Starts `smcp start --port 0 …extra` in the background in a fresh home and reads its status. */
export async function startSoakDaemon(extra: string[], parent?: string): Promise<SoakDaemon> {
  const home = soakHome(parent);
  const started = await runSmcp(['start', '--port', '0', ...extra], home.env, 60_000);
  if (started.code !== 0) {
    home.remove();
    throw new Error(`smcp start failed (${started.code}): ${started.stdout}${started.stderr}`);
  }
  const status = await runSmcp(['status', '--json'], home.env);
  let parsed: StatusJson;
  try {
    parsed = JSON.parse(status.stdout) as StatusJson;
  } catch {
    await runSmcp(['stop', '--force', '--timeout', '0'], home.env).catch(() => undefined);
    home.remove();
    throw new Error(`smcp status --json did not answer JSON: ${status.stdout}${status.stderr}`);
  }
  const pid = parsed.pid;
  const base = parsed.endpoints.mcp.replace(/\/mcp$/, '');
  let stopped: Promise<{ stoppedBy: 'cli' | 'kill' | 'gone'; stopOutput: string }> | undefined;
  return {
    pid,
    base,
    home,
    httpStatus: async () => {
      const res = await fetch(`${base}/status`, { signal: AbortSignal.timeout(10_000) });
      return (await res.json()) as Record<string, unknown>;
    },
    stop: () => {
      stopped ??= (async () => {
        if (!pidAlive(pid)) {
          home.remove();
          return { stoppedBy: 'gone' as const, stopOutput: '' };
        }
        const run = await runSmcp(['stop', '--timeout', '15'], home.env, 40_000).catch(
          (err: unknown) => ({ code: null, stdout: '', stderr: String(err) }) satisfies CliRun,
        );
        let stoppedBy: 'cli' | 'kill' = 'cli';
        const deadline = Date.now() + 5000;
        while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        if (pidAlive(pid)) {
          process.kill(pid, 'SIGKILL');
          stoppedBy = 'kill';
        }
        home.remove();
        return { stoppedBy, stopOutput: `${run.stdout}${run.stderr}`.trim() };
      })();
      return stopped;
    },
  };
}
