/**
 * The daemon's Prometheus metrics (prom-client): what operators graph and alert on. Calls by tool,
 * transport, connection and outcome; call and statement durations; rows and bytes returned;
 * truncations; guard refusals by statement kind; the cost guard's estimated bytes and refusals by
 * transport and budget, with per-client figures as a client count and the largest window total;
 * sessions per transport; pool size, borrowed, waiting and acquire time; database health; drain
 * state; the process's own figures. Label values are bounded: tool names from the tool table,
 * transport kinds, catalogue codes, statement kinds, budget names, configured connection names —
 * never SQL, query ids or names clients send.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallObserver, CallRecord } from '../mcp/call-observer.js';
import type { TransportKind } from '../mcp/request-context.js';
import type { RequestTracker } from '../mcp/request-tracker.js';
import type { ClientCostTotals } from '../mcp/cost-ledger.js';
import type { PoolStats } from '../snowflake/pool.js';
import type { StatusPageFacts } from '../transports/contracts.js';
import { RecentCalls } from './recent-calls.js';

/** What the metrics read at scrape time. */
export interface MetricsSources {
  readonly tracker: RequestTracker;
  /** The connection served now (a label value: a configured name, or `emulator`). */
  readonly connection: () => string;
  readonly pool: () => PoolStats;
  readonly databaseHealthy: () => boolean;
  readonly draining: () => boolean;
  /** The cost guard's totals per client (no names: the gauges keep counts and the largest figure). */
  readonly costClients?: () => readonly ClientCostTotals[];
}

/** Seconds buckets from a quick metadata call to a long statement. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** The metrics of one daemon; also the observer the tool pipeline reports calls to. */
export class DaemonMetrics implements CallObserver {
  readonly registry = new Registry();
  private readonly calls: Counter<'tool' | 'transport' | 'connection' | 'outcome'>;
  private readonly callSeconds: Histogram<'tool' | 'transport'>;
  private readonly statementSeconds: Histogram;
  private readonly rows: Counter<'tool'>;
  private readonly bytes: Counter<'tool'>;
  private readonly truncations: Counter<'tool' | 'by'>;
  private readonly refusals: Counter<'kind'>;
  private readonly scanBytes: Counter<'transport'>;
  private readonly scanRefusals: Counter<'budget' | 'transport'>;
  private sources: MetricsSources | undefined;
  private readonly recent = new RecentCalls();

  /** Metrics that count calls at once; gauges read their sources once {@link watch} names them. */
  constructor() {
    const registers = [this.registry];
    this.calls = new Counter({
      name: 'smcp_calls_total',
      help: 'Tool calls that ended, by tool, transport, connection and outcome (ok or an error code)',
      labelNames: ['tool', 'transport', 'connection', 'outcome'],
      registers,
    });
    this.callSeconds = new Histogram({
      name: 'smcp_call_duration_seconds',
      help: 'Wall time of tool calls',
      labelNames: ['tool', 'transport'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.statementSeconds = new Histogram({
      name: 'smcp_statement_duration_seconds',
      help: 'Wall time of statements run in Snowflake for calls (waiting for a connection included)',
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.rows = new Counter({
      name: 'smcp_rows_returned_total',
      help: 'Rows returned by tabular tools',
      labelNames: ['tool'],
      registers,
    });
    this.bytes = new Counter({
      name: 'smcp_answer_chars_total',
      help: 'Characters of text content returned to clients',
      labelNames: ['tool'],
      registers,
    });
    this.truncations = new Counter({
      name: 'smcp_truncations_total',
      help: 'Answers cut at the row or byte cap',
      labelNames: ['tool', 'by'],
      registers,
    });
    this.refusals = new Counter({
      name: 'smcp_guard_refusals_total',
      help: 'Statements the SQL guard refused, by statement kind',
      labelNames: ['kind'],
      registers,
    });
    this.scanBytes = new Counter({
      name: 'smcp_scan_estimated_bytes_total',
      help: "Bytes of reads the cost guard admitted, by Snowflake's estimates (EXPLAIN), by transport",
      labelNames: ['transport'],
      registers,
    });
    this.scanRefusals = new Counter({
      name: 'smcp_scan_refusals_total',
      help: 'Reads the cost guard refused: over the per-call or per-client budget, or declined by the user',
      labelNames: ['budget', 'transport'],
      registers,
    });
    this.gauges(registers);
    collectDefaultMetrics({ register: this.registry, prefix: 'smcp_' });
  }

  /** Names what the gauges read at each scrape (the runtime's tracker, pool, health, drain). */
  watch(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** Gauges read from the sources at each scrape; nothing is reported before {@link watch}. */
  private gauges(registers: Registry[]): void {
    const read = (fn: (s: MetricsSources) => number): number | undefined =>
      this.sources ? fn(this.sources) : undefined;
    const gauge = (name: string, help: string, fn: (s: MetricsSources) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const value = read(fn);
          if (value !== undefined) this.set(value);
        },
      });
    };
    const sessionsOf = (): Record<string, number | undefined> =>
      this.sources ? this.sources.tracker.sessionCounts() : {};
    new Gauge({
      name: 'smcp_sessions',
      help: 'Open sessions and connections by transport',
      labelNames: ['transport'],
      registers,
      collect() {
        this.reset();
        for (const [transport, count] of Object.entries(sessionsOf())) this.set({ transport }, count ?? 0);
      },
    });
    gauge('smcp_requests_in_flight', 'Requests in flight', (s) => s.tracker.activeCount);
    gauge('smcp_pool_connections', 'Snowflake connections open or being opened', (s) => s.pool().size);
    gauge('smcp_pool_borrowed', 'Snowflake connections lent to calls', (s) => s.pool().borrowed);
    gauge('smcp_pool_waiting', 'Calls waiting for a Snowflake connection', (s) => s.pool().pending);
    gauge('smcp_pool_max', 'Most Snowflake connections open at once', (s) => s.pool().max);
    gauge('smcp_database_healthy', '1 while the database health check passes', (s) =>
      s.databaseHealthy() ? 1 : 0,
    );
    gauge('smcp_draining', '1 while the daemon drains (takes no new work)', (s) => (s.draining() ? 1 : 0));
    const clients = (s: MetricsSources): readonly ClientCostTotals[] => s.costClients?.() ?? [];
    gauge('smcp_scan_clients', 'Clients the cost guard keeps totals for', (s) => clients(s).length);
    gauge(
      'smcp_scan_client_window_bytes_max',
      "The most estimated bytes one client read within the cost guard's rolling hour",
      (s) => clients(s).reduce((max, c) => Math.max(max, c.windowBytes), 0),
    );
    this.poolCounters(registers);
  }

  /**
   * Lends and wait time as counters. A reload replaces the pool and its figures start over, so
   * each scrape adds what the pool gained since the last one (all of it when the pool is new).
   */
  private poolCounters(registers: Registry[]): void {
    const sources = (): MetricsSources | undefined => this.sources;
    const poolCounter = (name: string, help: string, field: 'acquires' | 'acquireSeconds'): void => {
      let seen = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          const now = sources()?.pool()[field];
          if (now === undefined) return;
          const gained = now < seen ? now : now - seen;
          seen = now;
          if (gained > 0) this.inc(gained);
        },
      });
    };
    poolCounter('smcp_pool_acquires_total', 'Snowflake connections lent to calls', 'acquires');
    poolCounter(
      'smcp_pool_acquire_seconds_total',
      'Seconds calls waited for the connections they were lent',
      'acquireSeconds',
    );
  }

  /** The metrics in Prometheus' text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The metrics as prom-client's JSON (name, help, type, values with labels). */
  json(): Promise<unknown[]> {
    return this.registry.getMetricsAsJSON();
  }

  /**
   * What the status page shows beyond /status: the latest calls, and the refusal and outcome
   * counters themselves (summed over their other labels), so the page and /metrics agree.
   */
  async pageFacts(): Promise<StatusPageFacts> {
    const sumBy = async (counter: Counter<string>, label: string): Promise<Record<string, number>> => {
      const totals: Record<string, number> = {};
      for (const { labels, value } of (await counter.get()).values) {
        const key = String(labels[label] ?? '');
        totals[key] = (totals[key] ?? 0) + value;
      }
      return totals;
    };
    return {
      recentCalls: this.recent.list(),
      refusals: await sumBy(this.refusals, 'kind'),
      outcomes: await sumBy(this.calls, 'outcome'),
    };
  }

  /** The Content-Type of {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  callEnded(record: CallRecord): void {
    this.recent.add(record);
    this.calls.inc({
      tool: record.tool,
      transport: record.transport,
      connection: this.sources?.connection() ?? 'unknown',
      outcome: record.outcome,
    });
    this.callSeconds.observe({ tool: record.tool, transport: record.transport }, record.durationSeconds);
    if (record.rows !== undefined) this.rows.inc({ tool: record.tool }, record.rows);
    if (record.bytes !== undefined) this.bytes.inc({ tool: record.tool }, record.bytes);
    if (record.truncatedBy) this.truncations.inc({ tool: record.tool, by: record.truncatedBy });
  }

  statementEnded(durationSeconds: number): void {
    this.statementSeconds.observe(durationSeconds);
  }

  statementRefused(kind: string): void {
    this.refusals.inc({ kind });
  }

  scanEstimated(bytes: number, transport: TransportKind): void {
    this.scanBytes.inc({ transport }, bytes);
  }

  scanRefused(budget: 'call' | 'client' | 'declined', transport: TransportKind): void {
    this.scanRefusals.inc({ budget, transport });
  }
}
