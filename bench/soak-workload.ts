/**
 * One soak client's life: connect, discover (list_databases, list_tables, describe_table), then
 * loop over a realistic mix — small queries, an aggregate, a query cut at the row cap and
 * fetch_results on it, query_view, describe_table — with think times between calls, and reconnect
 * after a random session lifetime (session churn). Every answer is checked against the sample
 * data, so a wrong result counts as an error just like a failed call.
 */
import { ERROR_META_KEY } from '../src/mcp/tool-result.js';
import { connect } from './soak-clients.js';
import type { ConnectTarget, SoakConnection, TransportKind } from './soak-clients.js';
import type { SoakRecorder } from './soak-stats.js';

/** How one client behaves. */
export interface WorkloadOptions {
  readonly target: ConnectTarget;
  readonly recorder: SoakRecorder;
  /** Aborted when the soak ends: the client finishes its current call, closes and returns. */
  readonly stop: AbortSignal;
  /** Pause between calls, uniform in [min, max] ms. */
  readonly thinkMs: readonly [number, number];
  /** Session lifetime before a reconnect, uniform in [min, max] s. */
  readonly sessionSeconds: readonly [number, number];
  /** The daemon's --max-rows (the cap the capped query hits). */
  readonly rowCap: number;
  /** Told when a client-owned server process (stdio) starts or ends, for memory sampling. */
  readonly onServerPid?: (pid: number, running: boolean) => void;
}

interface ToolAnswer {
  isError?: boolean;
  content?: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

interface Tabular {
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  truncatedBy?: string;
  nextOffset?: number;
  queryId: string;
}

/** Per-session memory: the last capped result, continued by fetch_results. */
interface SessionState {
  capped?: { queryId: string; firstId: number };
}

/** One kind of call: its arguments and what a correct answer looks like (undefined = correct). */
interface Step {
  readonly tool: string;
  args(s: SessionState): Record<string, unknown>;
  check(r: ToolAnswer, s: SessionState, args: Record<string, unknown>): string | undefined;
}

const rand = (min: number, max: number): number => min + Math.random() * (max - min);
const randInt = (min: number, max: number): number => Math.floor(rand(min, max + 1));
const tab = (r: ToolAnswer): Tabular => r.structuredContent as unknown as Tabular;
const firstNumber = (t: Tabular): number => Number(t.rows[0]?.[0]);
const isoDay = (offset: number): string =>
  new Date(Date.UTC(2023, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);

function steps(rowCap: number): Record<string, Step> {
  const cappedSpan = Math.ceil(rowCap * 2.5);
  return {
    listDatabases: {
      tool: 'list_databases',
      args: () => ({}),
      check: (r) =>
        (r.structuredContent?.databases as { name: string }[] | undefined)?.some(
          (d) => d.name === 'SAMPLE_DB',
        )
          ? undefined
          : 'databases',
    },
    listTables: {
      tool: 'list_tables',
      args: () => ({ database: 'SAMPLE_DB', schema: 'SALES' }),
      check: (r) =>
        (r.structuredContent?.tables as { name: string }[] | undefined)?.some((t) => t.name === 'ORDERS')
          ? undefined
          : 'tables',
    },
    describeTable: {
      tool: 'describe_table',
      args: () => ({ database: 'SAMPLE_DB', schema: 'SALES', table: 'ORDERS' }),
      check: (r) =>
        (r.structuredContent?.columns as unknown[] | undefined)?.length === 8 ? undefined : 'columns',
    },
    smallQuery: {
      tool: 'execute_query',
      args: () => {
        const id = randInt(1, 990);
        return {
          sql: `SELECT CUSTOMER_ID, NAME, COUNTRY FROM SAMPLE_DB.SALES.CUSTOMERS WHERE CUSTOMER_ID BETWEEN ${id} AND ${id + 9} ORDER BY CUSTOMER_ID`,
        };
      },
      check: (r, _s, args) => {
        const t = tab(r);
        const id = Number(/BETWEEN (\d+)/.exec(String(args.sql))?.[1]);
        return t.rowCount === 10 && !t.truncated && firstNumber(t) === id ? undefined : 'small-rows';
      },
    },
    aggregate: {
      tool: 'execute_query',
      args: () => ({
        sql: `SELECT STATUS, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM SAMPLE_DB.SALES.ORDERS WHERE ORDER_DATE = '${isoDay(randInt(0, 729))}'::DATE GROUP BY STATUS ORDER BY STATUS`,
      }),
      check: (r) => {
        const t = tab(r);
        return t.rowCount >= 1 && t.rowCount <= 4 && !t.truncated ? undefined : 'aggregate-rows';
      },
    },
    cappedQuery: {
      tool: 'execute_query',
      args: (s) => {
        const firstId = randInt(1, 100_000 - cappedSpan);
        s.capped = undefined;
        return {
          sql: `SELECT ORDER_ID, STATUS, AMOUNT FROM SAMPLE_DB.SALES.ORDERS WHERE ORDER_ID BETWEEN ${firstId} AND ${firstId + cappedSpan - 1} ORDER BY ORDER_ID`,
        };
      },
      check: (r, s, args) => {
        const t = tab(r);
        const firstId = Number(/BETWEEN (\d+)/.exec(String(args.sql))?.[1]);
        const ok =
          t.truncated &&
          t.truncatedBy === 'rows' &&
          t.rowCount === rowCap &&
          t.nextOffset === rowCap &&
          firstNumber(t) === firstId;
        if (ok) s.capped = { queryId: t.queryId, firstId };
        return ok ? undefined : 'capped-result';
      },
    },
    fetchResults: {
      tool: 'fetch_results',
      args: (s) => ({ query_id: s.capped?.queryId ?? 'missing', offset: rowCap }),
      check: (r, s) => {
        const t = tab(r);
        const want = Math.min(rowCap, cappedSpan - rowCap);
        return t.rowCount === want && firstNumber(t) === (s.capped?.firstId ?? 0) + rowCap
          ? undefined
          : 'fetch-rows';
      },
    },
    queryView: {
      tool: 'query_view',
      args: () => {
        const from = randInt(0, 720);
        return {
          database: 'SAMPLE_DB',
          schema: 'SALES',
          view: 'V_DAILY_REVENUE',
          where: `ORDER_DATE BETWEEN '${isoDay(from)}'::DATE AND '${isoDay(from + 6)}'::DATE`,
          order_by: 'ORDER_DATE',
        };
      },
      check: (r) => (tab(r).rowCount === 7 ? undefined : 'view-rows'),
    },
  };
}

/** Runs one client until `stop` aborts; never throws (everything lands in the recorder). */
export async function runClient(kind: TransportKind, options: WorkloadOptions): Promise<void> {
  const all = steps(options.rowCap);
  const discovery = [all.listDatabases, all.listTables, all.describeTable];
  const cycle = [
    all.smallQuery,
    all.cappedQuery,
    all.fetchResults,
    all.queryView,
    all.aggregate,
    all.smallQuery,
    all.describeTable,
  ];
  let position = randInt(0, cycle.length - 1);
  const { stop, recorder } = options;
  while (!stop.aborted) {
    const started = performance.now();
    let conn: SoakConnection;
    try {
      conn = await connect(kind, options.target);
    } catch (err) {
      recorder.record({
        transport: kind,
        tool: 'connect',
        ms: performance.now() - started,
        ...describeError(err),
      });
      await sleep(1000, stop);
      continue;
    }
    recorder.connected(kind);
    if (conn.pid !== undefined) options.onServerPid?.(conn.pid, true);
    const sessionEnd = performance.now() + rand(...options.sessionSeconds) * 1000;
    const state: SessionState = {};
    try {
      for (const step of discovery) {
        if (stop.aborted) break;
        await callStep(conn, step, state, recorder);
        await sleep(rand(...options.thinkMs), stop);
      }
      while (!stop.aborted && performance.now() < sessionEnd) {
        let step = cycle[position++ % cycle.length];
        // fetch_results continues the capped result; without one (it failed) ask a small query.
        if (step === all.fetchResults && !state.capped) step = all.smallQuery;
        await callStep(conn, step, state, recorder);
        await sleep(rand(...options.thinkMs), stop);
      }
    } finally {
      const closing = performance.now();
      try {
        await conn.close();
      } catch (err) {
        recorder.record({
          transport: kind,
          tool: 'close',
          ms: performance.now() - closing,
          ...describeError(err),
        });
      }
      if (conn.pid !== undefined) options.onServerPid?.(conn.pid, false);
    }
  }
}

async function callStep(
  conn: SoakConnection,
  step: Step,
  state: SessionState,
  recorder: SoakRecorder,
): Promise<void> {
  const args = step.args(state);
  const started = performance.now();
  let outcome: { error?: string; message?: string } = {};
  try {
    const answer = (await conn.call(step.tool, args)) as ToolAnswer;
    if (answer.isError) {
      const info = answer._meta?.[ERROR_META_KEY] as { code?: string } | undefined;
      outcome = { error: info?.code ?? 'TOOL_ERROR', message: answer.content?.[0]?.text ?? '' };
    } else {
      const failed = step.check(answer, state, args);
      if (failed) {
        outcome = {
          error: `check:${failed}`,
          message: JSON.stringify(answer.structuredContent).slice(0, 300),
        };
      }
    }
  } catch (err) {
    outcome = describeError(err);
  }
  recorder.record({ transport: conn.kind, tool: step.tool, ms: performance.now() - started, ...outcome });
}

/** A stable code for a thrown error (SDK, JSON-RPC or network) and its message. */
export function describeError(err: unknown): { error: string; message: string } {
  if (!(err instanceof Error)) return { error: 'thrown', message: String(err) };
  const scalar = (v: unknown): string | undefined =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  const code =
    scalar((err as { code?: unknown }).code) ?? scalar((err as { cause?: { code?: unknown } }).cause?.code);
  const label = code !== undefined ? `${err.name}:${code}` : err.name;
  return { error: label, message: err.message };
}

/** Waits `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
