/**
 * `smcp status` output: readable lines or JSON from what findDaemon learned, and the LSB exit code.
 * Light on imports: the fast path uses it too.
 */
import type { DaemonStatus, EmulatorReason } from '../admin/protocol.js';
import { formatByteSize } from '../config/byte-size.js';
import type { DaemonFiles } from '../config/paths.js';
import type { DaemonLookup } from '../daemon/control.js';
import { shortId } from '../mcp/request-tracker.js';
import { say, sayJson, warn } from './output.js';

/** LSB `status` exit codes. */
const LSB = { running: 0, dead: 1, stopped: 3, unknown: 4 } as const;

/** Why the embedded emulator serves, in words: asked for (and how), or nothing is configured. */
export function emulatorWhy(reason: EmulatorReason | null | undefined): string {
  if (!reason?.requested) return 'no Snowflake account is configured; use --connection to serve your account';
  return reason.origin === '--emulator'
    ? 'asked for with --emulator'
    : `asked for: connection "emulator" from ${reason.origin}`;
}

/**
 * What the embedded emulator serves and why, for `data:` lines: `embedded Snowflake emulator with
 * SAMPLE DATA (no Snowflake account is configured; use --connection to serve your account)`.
 * `where` (its URL) is added when known.
 */
export function describeEmulator(
  sampleData: boolean,
  reason: EmulatorReason | null | undefined,
  where?: string,
): string {
  const what = `embedded Snowflake emulator${where ? ` at ${where}` : ''}`;
  return `${what}${sampleData ? ' with SAMPLE DATA' : ' (no sample data)'} (${emulatorWhy(reason)})`;
}

/** One line saying what serves the data, from a status. */
export function describeData(status: DaemonStatus): string {
  // A daemon older than this CLI sends no sampleData: its emulator always had sample data.
  return status.backend === 'emulator'
    ? describeEmulator(status.sampleData ?? true, status.emulatorReason)
    : `Snowflake connection "${status.connection}" (account ${status.account})`;
}

/** Prints the status `lookup` found and returns the LSB exit code. */
export function printStatus(lookup: DaemonLookup, files: DaemonFiles, json: boolean): number {
  if (json) {
    sayJson(
      lookup.kind === 'running'
        ? lookup.status
        : { running: false, state: lookup.kind, ...('pid' in lookup ? { pid: lookup.pid } : {}) },
    );
  } else if (lookup.kind === 'running') {
    for (const line of statusLines(lookup.status, describeData(lookup.status))) say(line);
  } else if (lookup.kind === 'unresponsive') {
    warn(
      `smcp: process ${lookup.pid} holds the pidfile but its admin socket does not answer (still starting, or hung)`,
    );
  } else if (lookup.kind === 'dead') {
    say(
      `smcp is not running (it died: pidfile ${files.pidfile} names pid ${lookup.pid ?? '?'}, which is gone)`,
    );
  } else {
    say('smcp is not running');
  }
  if (lookup.kind === 'running') return LSB.running;
  if (lookup.kind === 'dead') return LSB.dead;
  return lookup.kind === 'unresponsive' ? LSB.unknown : LSB.stopped;
}

/** `3725` → `1h 2m 5s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  parts.push(`${s % 60}s`);
  return parts.slice(0, 3).join(' ');
}

function describeDatabase(database: Record<string, unknown>): string {
  const ok = database.ok === true;
  const latency =
    typeof database.lastLatencyMs === 'number' ? `, last check ${database.lastLatencyMs} ms` : '';
  const error = database.lastError as { code?: string; message?: string } | null | undefined;
  const failing = error ? `, last error: ${error.message ?? ''} [${error.code ?? ''}]` : '';
  return `${ok ? 'healthy' : 'unhealthy'}${latency}${ok ? '' : failing}`;
}

const mib = (bytes: number | undefined): string => `${Math.round((bytes ?? 0) / 1048576)} MiB`;

function describeMemory(status: DaemonStatus): string {
  const m = status.memory;
  const held = status.emulator
    ? `; emulator holds ${status.emulator.heldResults ?? 0} results, ${mib(status.emulator.resultMemoryBytes)} in memory, ${mib(status.emulator.resultDiskBytes)} spilled`
    : '';
  return `${mib(m.rssBytes)} resident (JS heap ${mib(m.heapUsedBytes)} of ${mib(m.heapTotalBytes)}, buffers ${mib(m.externalBytes)}, native ${mib(m.nativeBytes)})${held}`;
}

/** The cost guard's lines: its mode and budgets, then the clients with the most read this hour. */
function costLines(status: DaemonStatus): string[] {
  const guard = status.costGuard;
  if (!guard) return [];
  const budget = (bytes: number): string => (bytes > 0 ? formatByteSize(bytes) : 'none');
  if (guard.mode === 'off') return ['  cost:      guard off'];
  const lines = [
    `  cost:      guard ${guard.mode}, ${budget(guard.maxScanBytes)} per read, ${budget(guard.maxScanBytesPerClient)} per client per ${guard.windowSeconds === 3600 ? 'hour' : formatDuration(guard.windowSeconds)}`,
  ];
  for (const c of guard.clients.slice(0, 10)) {
    lines.push(
      `    ${c.client.padEnd(24)} ${formatByteSize(c.windowBytes).padStart(10)} this window, ${formatByteSize(c.estimatedBytes)} in ${c.reads} reads, ${c.refusals} refused`,
    );
  }
  if (guard.clients.length > 10) lines.push(`    … and ${guard.clients.length - 10} more`);
  return lines;
}

/** The lines `smcp status` prints for a running daemon. */
export function statusLines(status: DaemonStatus, data: string): string[] {
  const pool = status.pool as Record<string, number>;
  const sessions = Object.entries(status.sessions)
    .map(([transport, n]) => `${transport} ${n}`)
    .join(', ');
  const lines = [
    `smcp is running (pid ${status.pid}, up ${formatDuration(status.uptimeSeconds)}, version ${status.version})`,
    `  state:     ${status.state}${status.supervised ? ' (supervised)' : ''}`,
    `  MCP:       ${status.endpoints.mcp}  ${status.endpoints.websocket}${status.endpoints.sse ? `  ${status.endpoints.sse}` : ''}`,
    `  data:      ${data}`,
    `  database:  ${describeDatabase(status.database)}`,
    ...(status.connections ?? []).map(
      (c) =>
        `    ${c.default ? '*' : ' '} ${c.name.padEnd(16)} ${c.backend.padEnd(9)} ${c.healthy ? 'healthy' : 'UNHEALTHY'}${c.allowWrite ? ', writes allowed' : ', read-only'}${c.account ? `, account ${c.account}` : ''}`,
    ),
    `  pool:      ${pool.size ?? 0} open, ${pool.borrowed ?? 0} borrowed, ${pool.pending ?? 0} waiting (max ${pool.max ?? '?'})`,
    `  sessions:  ${sessions || 'none'}`,
    `  requests:  ${status.inFlight.length} in flight, ${status.requestsCompleted} completed`,
    `  memory:    ${describeMemory(status)}`,
  ];
  for (const request of status.inFlight.slice(0, 20)) {
    lines.push(
      `    ${(request.tool ?? '-').padEnd(16)} ${request.transport.padEnd(14)} ${shortId(request.clientId).padEnd(12)} ${(request.durationMs / 1000).toFixed(1)} s`,
    );
  }
  if (status.inFlight.length > 20) lines.push(`    … and ${status.inFlight.length - 20} more`);
  lines.push(...costLines(status));
  const cache = status.metadataCache;
  if (cache) {
    const age =
      cache.oldestAgeSeconds === null ? 'empty' : `oldest ${formatDuration(cache.oldestAgeSeconds)}`;
    lines.push(
      `  metadata:  ${cache.objects} of ${cache.maxObjects} objects cached (${cache.entries} entries, ${age}, TTL ${formatDuration(cache.ttlSeconds)}), ${cache.hits} hits, ${cache.misses} misses, ${cache.evictions} evicted`,
    );
  }
  if (status.drain) {
    const d = status.drain;
    lines.push(
      `  drain:     ${d.finishedAt ? 'finished' : 'running'} (deadline ${d.timeoutSeconds} s, ${d.inFlightAtStart} in flight at start, ${d.cancelled} cancelled)`,
    );
  }
  lines.push(`  log:       ${status.files.logFile}`);
  return lines;
}
