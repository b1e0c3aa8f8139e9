/**
 * Helpers of the `smcp stdio` bridge tests: a background daemon in an isolated home (XDG dirs,
 * HOME, PM2_HOME), the official SDK client spawning `bin/smcp stdio` there, and a raw stdio child
 * for exchanges no SDK client makes (bad lines, 2026-07-28 requests).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { expect } from 'chai';
import type { DaemonStatus } from '../../src/admin/protocol.js';
import { SMCP_BIN, stopChild } from '../helpers/cli.js';
import { daemonHome } from './daemon-home.js';
import type { DaemonHome } from './daemon-home.js';

/** A home with the CLI bound to it, and maybe a daemon. */
export type BridgeHome = DaemonHome;

/** A fresh isolated home for a bridge test; `extraEnv` adds variables (SMCP_TOKEN). */
export function bridgeHome(extraEnv: Record<string, string> = {}): BridgeHome {
  return daemonHome('smcp-bridge-', extraEnv);
}

/** Starts the background daemon of `h` on a free port. */
export async function startDaemon(h: BridgeHome): Promise<DaemonStatus> {
  const run = await h.smcp(['start', '--port', '0'], 30_000);
  expect(run.code, run.stderr).to.equal(0);
  return h.status();
}

/** An SDK client on `smcp stdio …extra` spawned in `h`; `stderr()` is what the child logged. */
export async function connectBridge(
  h: BridgeHome,
  extra: string[] = [],
  name = 'e2e-bridge',
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SMCP_BIN, 'stdio', ...extra],
    env: h.env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name, version: '1' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** A raw `smcp stdio` child: write lines, read the JSON lines it answers. */
export interface RawStdio {
  readonly child: ChildProcess;
  send(line: string): void;
  /** Every JSON message written on stdout so far. */
  messages(): Record<string, unknown>[];
  /** Resolves with the message answering `id` (bounded). */
  answer(id: number | string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (bounded; 'running' when it did not exit). */
  exited(timeoutMs: number): Promise<number | null | 'running'>;
  stop(): Promise<void>;
}

/** Spawns `smcp stdio …extra` in `h` with raw pipes. */
export function rawStdio(h: BridgeHome, extra: string[] = []): RawStdio {
  const child = spawn(process.execPath, [SMCP_BIN, 'stdio', ...extra], { env: h.env, stdio: 'pipe' });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stdin.on('error', () => {}); // The child may exit while a test still writes.
  const messages = (): Record<string, unknown>[] =>
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    child,
    send: (line) => void child.stdin.write(line),
    messages,
    answer: async (id, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages().find((m) => m.id === id && m.method === undefined);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no answer to ${id} within ${timeoutMs} ms: ${text}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited: (timeoutMs) => {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve('running'), timeoutMs);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    stop: async () => {
      await stopChild(child, 'SIGKILL');
    },
  };
}

/** A 2025-era initialize request line. */
export function initializeLine(id: number, name = 'e2e-raw'): string {
  return `${JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name, version: '1' } },
  })}\n`;
}
