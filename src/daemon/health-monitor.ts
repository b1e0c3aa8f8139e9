/**
 * Background database health check: borrows a pooled connection and runs a trivial statement at a
 * fixed interval, remembering latency, the last success and consecutive failures. /readyz and
 * /status read it; it never blocks a request. One timer per daemon, unref'd so it never keeps the
 * process alive.
 */
import type { HealthReport } from '../snowflake/client.js';

/** What the monitor needs of the client: one health probe. */
export interface HealthProbe {
  healthCheck(timeoutSeconds?: number): Promise<HealthReport>;
}

/** The database health as /status shows it. */
export interface DatabaseHealth {
  readonly ok: boolean;
  readonly checks: number;
  readonly lastLatencyMs: number | null;
  readonly lastSuccessAt: string | null;
  readonly lastCheckAt: string | null;
  readonly consecutiveFailures: number;
  readonly lastError: { code: string; message: string } | null;
  readonly intervalMs: number;
}

/** Options of the health monitor. */
export interface HealthMonitorOptions {
  /** Time between checks (default 15 s). */
  readonly intervalMs?: number;
  /** Statement timeout of one check in seconds (default 10). */
  readonly timeoutSeconds?: number;
  /** Failures in a row before the database counts as down (default 2). */
  readonly failureThreshold?: number;
}

/** Periodic health checks of one probe. */
export class HealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private checks = 0;
  private lastLatencyMs: number | null = null;
  private lastSuccessAt: number | null = null;
  private lastCheckAt: number | null = null;
  private consecutiveFailures = 0;
  private lastError: { code: string; message: string } | null = null;
  private readonly intervalMs: number;
  private readonly timeoutSeconds: number;
  private readonly failureThreshold: number;

  constructor(
    private probe: HealthProbe,
    options: HealthMonitorOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 15_000;
    this.timeoutSeconds = options.timeoutSeconds ?? 10;
    this.failureThreshold = options.failureThreshold ?? 2;
  }

  /** Runs a first check now and then one every interval. Resolves after the first check. */
  async start(): Promise<void> {
    await this.checkNow();
    this.timer ??= setInterval(() => void this.checkNow(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops checking. Idempotent. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Points the monitor at another probe (after a reload swapped the pool). */
  replaceProbe(probe: HealthProbe): void {
    this.probe = probe;
  }

  /** Runs one check unless one is already running; resolves when it is done. */
  checkNow(): Promise<void> {
    this.running ??= this.runCheck().finally(() => (this.running = undefined));
    return this.running;
  }

  /** True unless the last `failureThreshold` checks all failed (or no check succeeded yet). */
  isHealthy(): boolean {
    return this.lastSuccessAt !== null && this.consecutiveFailures < this.failureThreshold;
  }

  /** A snapshot for /status. */
  snapshot(): DatabaseHealth {
    const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
    return {
      ok: this.isHealthy(),
      checks: this.checks,
      lastLatencyMs: this.lastLatencyMs,
      lastSuccessAt: iso(this.lastSuccessAt),
      lastCheckAt: iso(this.lastCheckAt),
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      intervalMs: this.intervalMs,
    };
  }

  private async runCheck(): Promise<void> {
    const report = await this.probe.healthCheck(this.timeoutSeconds).catch((err: unknown): HealthReport => ({
      ok: false,
      error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) },
      pool: {
        size: 0,
        available: 0,
        borrowed: 0,
        pending: 0,
        max: 0,
        min: 0,
        acquires: 0,
        acquireSeconds: 0,
      },
    }));
    this.checks++;
    this.lastCheckAt = Date.now();
    if (report.ok) {
      this.lastLatencyMs = report.latencyMs;
      this.lastSuccessAt = this.lastCheckAt;
      this.consecutiveFailures = 0;
      this.lastError = null;
    } else {
      this.consecutiveFailures++;
      this.lastError = { code: report.error.code, message: report.error.message };
    }
  }
}
