/**
 * Starting the daemon in the background from the CLI: refuse when one runs, clean up after one that
 * died, spawn, wait for readiness, report. Light on imports so the fast path can use it without
 * yargs; `smcp start` and `smcp restart` use it too.
 */
import type { DaemonStatus } from '../admin/protocol.js';
import type { DaemonFiles } from '../config/paths.js';
import { SmcpError } from '../errors.js';
import { say, warn } from './output.js';
import { describeData } from './status-view.js';

/** Options only the launcher uses; they are not handed to the daemon. */
const LAUNCHER_ONLY = new Set(['foreground', 'daemonized', 'wait-timeout']);

/** The `start` arguments worth handing to the daemon: what the user typed, minus launcher options. */
export function daemonArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const name = token.startsWith('--') ? (token.slice(2).split('=')[0] ?? '') : '';
    const bare = name.startsWith('no-') ? name.slice(3) : name;
    if (LAUNCHER_ONLY.has(bare)) {
      // Skip a separate value too (`--wait-timeout 5`), but never a following flag.
      const next = argv[i + 1];
      if (!token.includes('=') && bare === 'wait-timeout' && next !== undefined && !next.startsWith('-')) i++;
      continue;
    }
    out.push(token);
  }
  return out;
}

/** Prints what a daemon that just became ready serves. */
export function reportStarted(status: DaemonStatus, files: DaemonFiles): void {
  const { endpoints } = status;
  say(`smcp started (pid ${status.pid})`);
  say(`  MCP:  ${endpoints.mcp} (Streamable HTTP)  ${endpoints.websocket} (WebSocket)`);
  if (endpoints.sse) say(`       ${endpoints.sse} (legacy SSE)`);
  say(`  data: ${describeData(status)}`);
  say(`  logs: smcp logs (${files.logFile})`);
  // The daemon read the settings; its warnings reach the terminal only through here.
  for (const line of status.warnings ?? []) warn(`smcp: warning: ${line}`);
}

/**
 * Starts a detached daemon with `startArgs` and waits until it is ready. Throws DAEMON_RUNNING when
 * one already answers (or wins a race with this one).
 */
export async function startInBackground(
  files: DaemonFiles,
  startArgs: readonly string[],
  waitTimeoutSeconds: number,
): Promise<DaemonStatus> {
  const { findDaemon, cleanStaleFiles } = await import('../daemon/control.js');
  const lookup = await findDaemon(files);
  if (lookup.kind === 'running') {
    throw new SmcpError(
      'DAEMON_RUNNING',
      `an smcp daemon is already running (pid ${lookup.status.pid}) on ${lookup.status.endpoints.mcp}`,
    );
  }
  if (lookup.kind === 'unresponsive') {
    throw new SmcpError(
      'DAEMON_RUNNING',
      `an smcp daemon is already running (pid ${lookup.pid}) but its admin socket does not answer; smcp stop --force ends it`,
    );
  }
  if (lookup.kind === 'dead') cleanStaleFiles(files);
  const { spawnDaemon } = await import('../daemon/spawn.js');
  return spawnDaemon({ files, startArgs, readyTimeoutMs: waitTimeoutSeconds * 1000 });
}
