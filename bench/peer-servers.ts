/**
 * Servers the matrix spawns as plain processes (not forked bench children): stdio servers (smcp,
 * the minimal SDK v2 server, the bare responder, dbhub) and @bytebase/dbhub over HTTP. dbhub runs
 * in its demo mode (in-memory SQLite with sample data, offline) from bench/.peers, with
 * bench/loopback-only.ts preloaded because it binds 0.0.0.0 and has no host flag.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { benchHome, REPO_ROOT, SMCP_BIN } from './bench-home.js';
import type { ToolUnderTest } from './mcp-plans.js';
import type { RpcChannel } from './rpc-load.js';
import { initializeChannel, stdioChannel } from './rpc-load.js';

/** dbhub is a benchmark peer, not a dependency: installed on first use into a private prefix. */
const PEERS_DIR = fileURLToPath(new URL('./.peers/', import.meta.url));
const DBHUB_SPEC = '@bytebase/dbhub@0.21.2';
const DBHUB_PKG = fileURLToPath(
  new URL('./.peers/node_modules/@bytebase/dbhub/package.json', import.meta.url),
);
const DBHUB_MAIN = fileURLToPath(
  new URL('./.peers/node_modules/@bytebase/dbhub/dist/index.js', import.meta.url),
);
const LOOPBACK_ONLY = fileURLToPath(new URL('./loopback-only.ts', import.meta.url));
const STDIO_CHILD = fileURLToPath(new URL('./stdio-server-child.ts', import.meta.url));

/** dbhub's execute_sql SELECT 1: a JSON text block whose data.rows[0]["1"] is 1. */
export const DBHUB_TOOL: ToolUnderTest = {
  name: 'execute_sql',
  args: { sql: 'SELECT 1' },
  check: (result) => {
    const r = result as { content?: { text?: string }[]; isError?: boolean };
    if (r.isError === true || typeof r.content?.[0]?.text !== 'string') return false;
    try {
      const body = JSON.parse(r.content[0].text) as {
        success?: boolean;
        data?: { rows?: Record<string, unknown>[] };
      };
      return body.success === true && body.data?.rows?.[0]?.['1'] === 1;
    } catch {
      return false;
    }
  },
};

/**
 * Installs dbhub into bench/.peers (once) so `npm install` of smcp stays free of its native
 * dependencies; returns why it could not, or undefined when it is there.
 */
export function ensureDbhub(): string | undefined {
  if (dbhubVersion() !== undefined) return undefined;
  mkdirSync(PEERS_DIR, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      PEERS_DIR,
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--loglevel=error',
      DBHUB_SPEC,
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (dbhubVersion() !== undefined) return undefined;
  const reason = (run.stderr || run.error?.message || `npm exited ${run.status}`).trim().split('\n').at(-1);
  return `could not install ${DBHUB_SPEC}: ${reason ?? 'unknown reason'}`;
}

/** The installed dbhub version, or undefined when it is not installed. */
export function dbhubVersion(): string | undefined {
  if (!existsSync(DBHUB_PKG) || !existsSync(DBHUB_MAIN)) return undefined;
  return (JSON.parse(readFileSync(DBHUB_PKG, 'utf8')) as { version?: string }).version;
}

/** A spawned server: its pid, its stdio channel (stdio servers) or URL (HTTP), and a stopper. */
export interface PeerServer {
  readonly pid: number;
  readonly channel?: RpcChannel;
  readonly url?: string;
  stop(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Ends `child`: `politely` first, SIGKILL after 5 s; resolves once it has exited. */
async function ending(child: ChildProcess, politely: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  politely();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function requireDbhub(): void {
  if (dbhubVersion() === undefined)
    throw new Error(`@bytebase/dbhub is not installed in ${PEERS_DIR} (see ensureDbhub)`);
}

/** Spawns a stdio server of `kind` and completes initialize on it. */
export async function spawnStdioServer(kind: 'smcp' | 'sdk' | 'bare' | 'dbhub'): Promise<PeerServer> {
  const home = kind === 'smcp' ? benchHome('smcp-bench-stdio-') : undefined;
  if (kind === 'dbhub') requireDbhub();
  const args =
    kind === 'smcp'
      ? [SMCP_BIN, 'stdio']
      : kind === 'dbhub'
        ? ['--import', 'tsx', '--import', LOOPBACK_ONLY, DBHUB_MAIN, '--transport', 'stdio', '--demo']
        : ['--import', 'tsx', STDIO_CHILD, kind === 'sdk' ? 'baseline' : 'bare'];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: home?.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const channel = stdioChannel(child);
  const stop = async (): Promise<void> => {
    await ending(child, () => channel.close());
    home?.remove();
  };
  try {
    await withTimeout(initializeChannel(channel), 30_000, `${kind} stdio server`);
  } catch (error) {
    await ending(child, () => child.kill('SIGTERM'));
    home?.remove();
    throw new Error(`${kind} stdio server failed: ${String(error)} ${stderr.trim().slice(-300)}`, {
      cause: error,
    });
  }
  return { pid: child.pid!, channel, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function answersToolsList(url: string): Promise<boolean> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  return new Promise((resolve) => {
    const req = request(
      `${url}/mcp`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/** Starts dbhub --transport http --demo on a free loopback port; resolves once tools/list answers. */
export async function startDbhubHttp(): Promise<PeerServer> {
  requireDbhub();
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      LOOPBACK_ONLY,
      DBHUB_MAIN,
      '--transport',
      'http',
      '--port',
      String(port),
      '--demo',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> => ending(child, () => child.kill('SIGTERM'));
  const deadline = Date.now() + 30_000;
  while (!(await answersToolsList(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`dbhub over HTTP did not start: ${stderr.trim().slice(-300)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid!, url, stop };
}
