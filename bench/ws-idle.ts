/**
 * Idle WebSocket sessions, issue 3's target (c): ≥ 10,000 idle sessions in one process at
 * ≤ 20 KiB each. The real smcp runtime (embedded emulator) runs in a child process with
 * --expose-gc; this process opens N WebSockets (subprotocol mcp), completes initialize +
 * notifications/initialized on each, and keeps them open and silent. Memory is the child's
 * VmRSS from /proc after three full GCs, before and after, divided by N; the heap delta is
 * reported beside it. bench/run.ts calls measureIdleSessions; run alone, this file writes the
 * `webSocketIdle` section of bench/results/mcp.json.
 *
 *   node --import tsx bench/ws-idle.ts [--quick] [--sessions 10000]
 */
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { ensureFileLimit } from './file-limit.js';
import { round } from './measure.js';
import { writeSection } from './mcp-results.js';
import { startServerProc } from './server-proc.js';
import { initializeBody, INITIALIZED_BODY } from '../test/helpers/mcp-messages.js';

const BATCH = 200;
const TARGET_KIB = 20;

function openInitialized(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['mcp'], { perMessageDeflate: false });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.once('message', (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { id?: unknown; result?: { protocolVersion?: unknown } };
        if (reply.id !== 1 || typeof reply.result?.protocolVersion !== 'string') {
          reject(new Error(`initialize failed: ${data.toString().slice(0, 200)}`));
          return;
        }
        ws.send(INITIALIZED_BODY);
        resolve(ws);
      });
      ws.send(initializeBody('idle'));
    });
  });
}

interface Sample {
  rss: number;
  heapUsed: number;
  external: number;
  webSockets: number;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What measureIdleSessions reports. */
export interface IdleResult {
  readonly sessions: number;
  readonly openSeconds: number;
  readonly serverWebSockets: number;
  readonly rssBeforeMiB: number;
  readonly rssAfterMiB: number;
  readonly rssPerSessionKiB: number;
  readonly heapPerSessionKiB: number;
  readonly externalPerSessionKiB: number;
  readonly targetSessions: number;
  readonly targetPerSessionKiB: number;
  /** Judged only at ≥ 10,000 sessions (the target's count); undefined below. */
  readonly met: boolean | undefined;
}

/**
 * Opens `sessions` idle WebSocket sessions to a fresh smcp child and reports its memory per session.
 * Needs about `sessions` + 1000 open files in this process and the child (see ensureFileLimit).
 */
export async function measureIdleSessions(sessions: number): Promise<IdleResult> {
  const server = await startServerProc('smcp', [], ['--expose-gc']);
  const sockets: WebSocket[] = [];
  try {
    const url = `${server.url.replace('http', 'ws')}/mcp`;
    const measure = async (): Promise<Sample & { vmRss: number }> => {
      const sample = await server.ask<Sample>({ op: 'measure' });
      return { ...sample, vmRss: server.rssBytes() };
    };
    // Warm the code paths so lazily compiled code and first-use caches are not counted per session.
    const warm = await Promise.all(Array.from({ length: 100 }, () => openInitialized(url)));
    await pause(300);
    for (const ws of warm) ws.close();
    await pause(500);
    const before = await measure();
    const t0 = performance.now();
    for (let i = 0; i < sessions; i += BATCH) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(BATCH, sessions - i) }, () => openInitialized(url)),
      );
      sockets.push(...batch);
    }
    const openMs = performance.now() - t0;
    await pause(1000);
    const after = await measure();
    const kib = (bytes: number): number => round(bytes / 1024 / sessions, 2);
    const perSessionKiB = kib(after.vmRss - before.vmRss);
    return {
      sessions,
      openSeconds: round(openMs / 1000, 2),
      serverWebSockets: after.webSockets,
      rssBeforeMiB: round(before.vmRss / 1048576, 1),
      rssAfterMiB: round(after.vmRss / 1048576, 1),
      rssPerSessionKiB: perSessionKiB,
      heapPerSessionKiB: kib(after.heapUsed - before.heapUsed),
      externalPerSessionKiB: kib(after.external - before.external),
      targetSessions: 10_000,
      targetPerSessionKiB: TARGET_KIB,
      met: sessions >= 10_000 ? after.webSockets >= sessions && perSessionKiB <= TARGET_KIB : undefined,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const sessionsArg = process.argv.indexOf('--sessions');
  const sessions = sessionsArg > 0 ? Number(process.argv[sessionsArg + 1]) : quick ? 2000 : 10_000;
  ensureFileLimit(sessions + 1000);
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    ...(await measureIdleSessions(sessions)),
  };
  writeSection('webSocketIdle', report);
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `\n(c) ${report.serverWebSockets} idle WebSocket sessions, ${report.rssPerSessionKiB} KiB each (RSS after GC; heap ${report.heapPerSessionKiB} KiB)` +
      ` — target ≥ 10,000 at ≤ ${TARGET_KIB} KiB: ${report.met === undefined ? 'not judged (< 10,000 sessions)' : report.met ? 'PASS' : 'MISS'}`,
  );
}
