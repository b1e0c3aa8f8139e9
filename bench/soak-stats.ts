/**
 * What the soak counts: every call's latency and outcome (per window of ~5 s and in total, by
 * transport and tool), errors by code with a few sample messages, connects, and the least-squares
 * slope that decides whether memory stayed flat.
 */
import { percentile, round } from './measure.js';
import type { TransportKind } from './soak-clients.js';

/** One finished call (or failed connect, with tool `connect`). */
export interface CallRecord {
  readonly transport: TransportKind;
  readonly tool: string;
  readonly ms: number;
  /** Error code (e.g. `POOL_EXHAUSTED`, `rpc:-32001`, `check:rowCount`); undefined on success. */
  readonly error?: string;
  readonly message?: string;
}

/** Latency figures of a set of calls, in ms. */
export interface LatencySummary {
  readonly calls: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Errors grouped by code: how many, where, and the first few messages. */
export interface ErrorGroup {
  count: number;
  byTransport: Partial<Record<TransportKind, number>>;
  samples: string[];
}

function summarize(ms: readonly number[]): LatencySummary {
  return {
    calls: ms.length,
    p50: round(percentile(ms, 50), 1),
    p99: round(percentile(ms, 99), 1),
    max: round(
      ms.reduce((a, b) => Math.max(a, b), 0),
      1,
    ),
  };
}

/** Accumulates call records; `takeWindow` hands out and resets the current window. */
export class SoakRecorder {
  private window: number[] = [];
  private windowErrors = 0;
  private readonly all: number[] = [];
  private readonly byTransport = new Map<TransportKind, number[]>();
  private readonly byTool = new Map<string, number[]>();
  readonly errors = new Map<string, ErrorGroup>();
  readonly connects = new Map<TransportKind, number>();
  totalErrors = 0;

  /** Records one finished call. */
  record(r: CallRecord): void {
    if (r.error !== undefined) {
      this.totalErrors++;
      this.windowErrors++;
      const group = this.errors.get(r.error) ?? { count: 0, byTransport: {}, samples: [] };
      group.count++;
      group.byTransport[r.transport] = (group.byTransport[r.transport] ?? 0) + 1;
      if (group.samples.length < 5)
        group.samples.push(`${r.transport} ${r.tool}: ${r.message ?? ''}`.slice(0, 400));
      this.errors.set(r.error, group);
      return;
    }
    this.window.push(r.ms);
    this.all.push(r.ms);
    push(this.byTransport, r.transport, r.ms);
    push(this.byTool, r.tool, r.ms);
  }

  /** Counts one successful connect (session opened). */
  connected(kind: TransportKind): void {
    this.connects.set(kind, (this.connects.get(kind) ?? 0) + 1);
  }

  /** Successful calls so far. */
  get totalCalls(): number {
    return this.all.length;
  }

  /** The window since the last call: successful calls, their latency, and errors; then resets it. */
  takeWindow(): LatencySummary & { errors: number } {
    const out = { ...summarize(this.window), errors: this.windowErrors };
    this.window = [];
    this.windowErrors = 0;
    return out;
  }

  /** Whole-run latency, overall, per transport and per tool. */
  totals(): {
    overall: LatencySummary;
    byTransport: Record<string, LatencySummary>;
    byTool: Record<string, LatencySummary>;
  } {
    const map = (m: Map<string, number[]>): Record<string, LatencySummary> =>
      Object.fromEntries([...m].map(([k, v]) => [k, summarize(v)]));
    return { overall: summarize(this.all), byTransport: map(this.byTransport), byTool: map(this.byTool) };
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Least-squares slope of y over x (NaN with fewer than two points or no spread in x). */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/** A fitted trend: y ≈ intercept + slope·x, with the slope's standard error. */
export interface Trend {
  readonly slope: number;
  readonly intercept: number;
  /** Standard error of the slope (NaN with fewer than three points). */
  readonly se: number;
  readonly points: number;
}

/**
 * Least-squares trend of `series` after averaging it in blocks of `blockX` (x units). RSS moves in
 * a GC sawtooth whose neighbouring samples are strongly correlated; block means are close to
 * independent, so the slope's standard error from their residuals is an honest measure of how
 * well the run resolves a trend (raw 1 s samples would overstate the certainty).
 */
export function blockTrend(series: readonly { x: number; y: number }[], blockX: number): Trend {
  const blocks = new Map<number, { sx: number; sy: number; n: number }>();
  for (const p of series) {
    const key = Math.floor(p.x / blockX);
    const b = blocks.get(key) ?? { sx: 0, sy: 0, n: 0 };
    b.sx += p.x;
    b.sy += p.y;
    b.n++;
    blocks.set(key, b);
  }
  const points = [...blocks.values()].map((b) => ({ x: b.sx / b.n, y: b.sy / b.n }));
  const n = points.length;
  const b = slope(points);
  const mx = points.reduce((a, p) => a + p.x, 0) / Math.max(n, 1);
  const my = points.reduce((a, p) => a + p.y, 0) / Math.max(n, 1);
  const intercept = my - b * mx;
  if (n < 3 || !Number.isFinite(b)) return { slope: b, intercept, se: Number.NaN, points: n };
  const residual = points.reduce((a, p) => a + (p.y - intercept - b * p.x) ** 2, 0) / (n - 2);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return { slope: b, intercept, se: Math.sqrt(residual / sxx), points: n };
}
