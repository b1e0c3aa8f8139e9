/**
 * The shape of bench/results.json (written by run.ts, read by report.ts) and the table of every
 * issue target: what was measured, the target, met or missed. A scenario that failed carries
 * `{ error }` instead of its figures, and its targets show as not measured.
 */
import type { DataPathResult } from './data-path.js';
import type { DrainResult } from './drain.js';
import type { ThroughputResult } from './throughput.js';
import type { IdleResult } from './ws-idle.js';

/** A scenario's figures, or why it has none. */
export type Outcome<T> = T | { error: string };

/** bench/cli-latency.ts's bench/results/cli.json. */
export interface CliResult {
  readonly nodeE0Ms: { p50: number };
  readonly statusMs: { p50: number };
  readonly callListDatabasesMs: { p50: number };
  readonly statusRatio: number;
  readonly callRatio: number;
  readonly startToReadyMs: { p50: number };
}

/** bench/driver-floor.ts's summary line. */
export interface DriverFloorResult {
  readonly what: string;
  readonly queriesPerSec: number;
  readonly cpuUsPerStatement: number;
}

/** One row of the targets table. */
export interface TargetRow {
  readonly issue: number;
  readonly what: string;
  readonly target: string;
  readonly measured: string;
  /** undefined: not judged (not measured, or quick mode below the target's scale). */
  readonly met: boolean | undefined;
}

/** Everything one run measured. */
export interface BenchResults {
  readonly when: string;
  readonly mode: 'quick' | 'full';
  readonly node: string;
  readonly machine: { cpus: number; model: string; loadAvg: number[] };
  readonly durationSeconds: number;
  readonly scenarioSeconds: Record<string, number>;
  readonly throughput: Outcome<ThroughputResult>;
  readonly driverFloor: Outcome<DriverFloorResult>;
  readonly dataPath: Outcome<DataPathResult>;
  readonly idleSessions: Outcome<IdleResult>;
  readonly cli: Outcome<CliResult>;
  readonly drain: Outcome<DrainResult>;
  readonly dbhub: { version: string | undefined; note: string };
  readonly targets: TargetRow[];
}

/** The figures of an outcome, or undefined when the scenario failed. */
export function ok<T extends object>(outcome: Outcome<T>): T | undefined {
  return 'error' in outcome ? undefined : outcome;
}

/** req/s of `series` at `clients` in the matrix, or NaN. */
export function rpsOf(t: ThroughputResult, series: string, clients: number): number {
  return t.cells.find((c) => c.series === series && c.clients === clients)?.reqPerSec ?? Number.NaN;
}

const r2 = (v: number): string => (Number.isFinite(v) ? String(Math.round(v * 100) / 100) : 'n/a');

/** The targets table from the measured figures. */
export function targetRows(r: Omit<BenchResults, 'targets'>): TargetRow[] {
  const rows: TargetRow[] = [];
  const none = (issue: number, what: string, target: string, outcome: Outcome<object>): void => {
    rows.push({
      issue,
      what,
      target,
      measured: `not measured: ${'error' in outcome ? outcome.error : ''}`,
      met: undefined,
    });
  };
  const dp = ok(r.dataPath);
  if (dp) {
    rows.push(
      {
        issue: 2,
        what: 'emulator start with sample data',
        target: '< 2 s',
        measured: `${r2(dp.emulatorStart.medianMs / 1000)} s`,
        met: dp.verdicts.emulatorStart,
      },
      {
        issue: 2,
        what: 'SELECT 1 p50 through the client pool',
        target: '≤ 3 ms',
        measured: `${r2(dp.select1.clientP50Ms)} ms`,
        met: dp.verdicts.select1,
      },
      {
        issue: 2,
        what: '1M-row query cut at the cap: time',
        target: '< 1 s',
        measured: `${r2(dp.millionRowsCutAtCap.medianWallMs)} ms`,
        met: dp.verdicts.millionRowsTime,
      },
      {
        issue: 2,
        what: '1M-row query cut at the cap: RSS growth',
        target: '< 50 MB',
        measured: `${r2(dp.millionRowsCutAtCap.medianRssGrowthMb)} MB`,
        met: dp.verdicts.millionRowsRss,
      },
    );
  } else none(2, 'data path (start, SELECT 1, 1M rows)', 'see issue 2', r.dataPath);
  const tp = ok(r.throughput);
  if (tp) {
    const lat = tp.addedLatency;
    rows.push({
      issue: 3,
      what: 'added latency per call (MCP − client.query), p50',
      target: '≤ 1 ms',
      measured: `${r2(lat.addedP50Ms)} ms (${r2(lat.viaMcp.p50Ms)} − ${r2(lat.clientQuery.p50Ms)})`,
      met: lat.met,
    });
    for (const [series, how] of [
      ['smcp-http', 'sessions'],
      ['smcp-http-stateless', 'stateless'],
    ] as const) {
      const ratio = rpsOf(tp, series, 64) / rpsOf(tp, 'sdk-http', 64);
      rows.push({
        issue: 3,
        what: `throughput at 64 clients, Streamable HTTP (${how}) vs minimal SDK v2 server`,
        target: '≥ 0.7×',
        measured: `${r2(ratio)}× (${rpsOf(tp, series, 64)} vs ${rpsOf(tp, 'sdk-http', 64)} req/s)`,
        met: Number.isFinite(ratio) ? ratio >= 0.7 : undefined,
      });
    }
  } else none(3, 'throughput and added latency', 'see issue 3', r.throughput);
  const idle = ok(r.idleSessions);
  if (idle) {
    rows.push({
      issue: 3,
      what: `memory per idle WebSocket session (${idle.sessions} sessions)`,
      target: '≤ 20 KiB at 10,000',
      measured: `${r2(idle.rssPerSessionKiB)} KiB${idle.met === undefined ? ' (not judged below 10,000 sessions)' : ''}`,
      met: idle.met,
    });
  } else none(3, 'memory per idle WebSocket session', '≤ 20 KiB at 10,000', r.idleSessions);
  const cli = ok(r.cli);
  if (cli) {
    rows.push(
      {
        issue: 4,
        what: '`smcp status` wall time vs `node -e 0`',
        target: '≤ 2×',
        measured: `${r2(cli.statusRatio)}× (${r2(cli.statusMs.p50)} vs ${r2(cli.nodeE0Ms.p50)} ms)`,
        met: cli.statusRatio <= 2,
      },
      {
        issue: 4,
        what: '`smcp call list_databases` wall time vs `node -e 0`',
        target: '≤ 2×',
        measured: `${r2(cli.callRatio)}× (${r2(cli.callListDatabasesMs.p50)} vs ${r2(cli.nodeE0Ms.p50)} ms)`,
        met: cli.callRatio <= 2,
      },
      {
        issue: 4,
        what: '`smcp start` to ready',
        target: '≤ 1.5 s',
        measured: `${r2(cli.startToReadyMs.p50 / 1000)} s`,
        met: cli.startToReadyMs.p50 <= 1500,
      },
    );
  } else none(4, 'CLI wall times', '≤ 2× node -e 0', r.cli);
  const drain = ok(r.drain);
  if (drain) {
    rows.push({
      issue: 5,
      what: `drain under load (${drain.callsInFlight} calls of ${drain.callSeconds} s in flight)`,
      target: '0 lost',
      measured: `${drain.lost} lost, ${drain.completed} completed`,
      met: drain.met,
    });
  } else none(5, 'drain under load', '0 lost', r.drain);
  return rows;
}
