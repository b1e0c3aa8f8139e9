/**
 * Runs a row-returning statement without materialising big results. The statement is started as a
 * DuckDB stream and its first rows are pulled into memory, up to a small budget:
 * - the stream ends within the budget → a fully held result (most statements);
 * - it does not → a big result: its exact total comes from `SELECT COUNT(*)` over the same statement
 *   and binds (cheap for scans: DuckDB answers plain table counts from metadata), and the rows are
 *   served lazily from the still-open stream (streaming-result.ts), which keeps the statement's
 *   DuckDB connection while the statement pool gets a fresh one.
 * Statements that are not plain queries, or whose second run may differ (RANDOM, SAMPLE, clock
 * functions, query history), are never counted or re-run: their rows are all pulled and held, as
 * before streaming. So is a statement whose count fails.
 * The statement's timeout and abort apply to all of this (stream start, head, count); producing
 * the rest of a big result later is bounded by the result's time to live.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import type { ConnectionPool } from './pool.js';
import type { DataGeneration } from './prepared-cache.js';
import type { ResultTracker } from './result-tracker.js';
import { ChunkResultSet } from './result-set.js';
import { StreamingResultSet } from './streaming-result.js';

/**
 * Rows pulled before a result counts as big: the inline part and the first three downloaded chunks
 * of the wire layout (1,000 + 2,000 + 4,000 + 8,000). The driver prefetches those at once, so a
 * client that stops early gets them answered from memory, without waiting on DuckDB — and without
 * a download still in flight when it disconnects (which snowflake-sdk would retry for minutes).
 */
export const HEAD_MAX_ROWS = 15_000;
/** …or values (rows × columns), so wide rows reach the budget sooner. */
const HEAD_MAX_CELLS = 375_000;

/** First words of statements whose rows may be streamed (plain queries). */
const QUERY_WORDS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'FROM', '(']);
/** Functions and clauses whose result may differ between two runs of the same statement. */
const VOLATILE_WORDS = new Set([
  'RANDOM',
  'RANDSTR',
  'UNIFORM',
  'NORMAL',
  'ZIPF',
  'SETSEED',
  'UUID',
  'UUID_STRING',
  'GEN_RANDOM_UUID',
  'SAMPLE',
  'TABLESAMPLE',
  'CURRENT_TIMESTAMP',
  'CURRENT_TIME',
  'LOCALTIMESTAMP',
  'LOCALTIME',
  'SYSDATE',
  'SYSTIMESTAMP',
  'GETDATE',
  'NOW',
]);

/**
 * True when `words` (upper-cased significant tokens) form a plain query that may be counted and
 * re-run to give the same rows: no random, sampling or clock functions.
 */
export function isRerunnable(words: readonly string[]): boolean {
  if (!QUERY_WORDS.has(words[0] ?? '')) return false;
  return !words.some((w) => VOLATILE_WORDS.has(w));
}

/** One row-returning statement as DuckDB runs it. */
export interface SelectStatement {
  readonly sql: string;
  readonly values: DuckDBValue[] | undefined;
  readonly statementTypeId: number;
  /** Whether a big result may be counted and streamed (see isRerunnable); else it is held. */
  readonly rerunnable: boolean;
  /** Whether its DuckDB plan may be kept for the next run of the same text (see prepared-cache.ts). */
  readonly cacheable: boolean;
  /** Snowflake column metadata of the statement's DuckDB result. */
  columnsOf(result: DuckDBResult): ColumnMeta[];
}

/** What runSelect needs from the engine. */
export interface SelectDeps {
  readonly pool: ConnectionPool;
  readonly tracker: ResultTracker;
  /** The engine's data generation, which cached plans must match. */
  readonly generation: DataGeneration;
  /** A new connection (outside the pool) with this DuckDB search path, for re-fetches. */
  connect(searchPath: string): Promise<DuckDBConnection>;
}

/** Runs `stmt` in `ctx` and returns its result, held or streaming (tracked by deps.tracker). */
export async function runSelect(
  ctx: StatementContext,
  stmt: SelectStatement,
  deps: SelectDeps,
): Promise<ResultSet> {
  const conn = ctx.pooled.conn;
  const stream = await ctx.streamQuery(stmt.sql, stmt.values, deps.generation, stmt.cacheable);
  const columns = stmt.columnsOf(stream);
  const budget = Math.min(HEAD_MAX_ROWS, Math.floor(HEAD_MAX_CELLS / Math.max(1, columns.length)));
  const head: DuckDBDataChunk[] = [];
  let rows = 0;
  while (rows <= budget) {
    const chunk = await pull(ctx, conn, stream);
    if (!chunk) return deps.tracker.add(new ChunkResultSet(head, columns, stmt.statementTypeId));
    head.push(chunk);
    rows += chunk.rowCount;
  }
  if (!stmt.rerunnable) {
    await drain(ctx, conn, stream, head);
    return deps.tracker.add(new ChunkResultSet(head, columns, stmt.statementTypeId));
  }

  // A big result: the open stream keeps this connection; the statement goes on with a fresh one.
  const own = await deps.pool.detach(ctx.pooled);
  try {
    await ctx.applySearchPath();
    const searchPath = ctx.pooled.searchPath;
    const total = await countRows(ctx, stmt);
    if (total === null || total < rows) {
      await drain(ctx, own, stream, head);
      own.disconnectSync();
      return deps.tracker.add(new ChunkResultSet(head, columns, stmt.statementTypeId));
    }
    const source = {
      sql: stmt.sql,
      values: stmt.values,
      conn: own,
      stream,
      head,
      reconnect: () => deps.connect(searchPath),
    };
    return deps.tracker.add(
      new StreamingResultSet(source, total, columns, stmt.statementTypeId, deps.tracker.hooks),
    );
  } catch (err) {
    // Nothing runs on `own` here: every call on it was awaited.
    own.disconnectSync();
    throw err;
  }
}

/** The next non-empty chunk, or null at the end of the stream. */
async function pull(
  ctx: StatementContext,
  conn: DuckDBConnection,
  stream: DuckDBResult,
): Promise<DuckDBDataChunk | null> {
  const chunk = await ctx.guard(conn, () => stream.fetchChunk());
  // An interrupt may end a stream early instead of failing it: never mistake that for the end.
  ctx.throwIfAborted();
  return chunk && chunk.rowCount > 0 ? chunk : null;
}

/** Pulls the rest of the stream into `head`. */
async function drain(
  ctx: StatementContext,
  conn: DuckDBConnection,
  stream: DuckDBResult,
  head: DuckDBDataChunk[],
): Promise<void> {
  for (;;) {
    const chunk = await pull(ctx, conn, stream);
    if (!chunk) return;
    head.push(chunk);
  }
}

/** The statement's exact row count, or null when DuckDB cannot count it as a subquery. */
async function countRows(ctx: StatementContext, stmt: SelectStatement): Promise<number | null> {
  const inner = stmt.sql.replace(/[\s;]+$/, '');
  try {
    // Newlines keep a trailing line comment from swallowing the closing parenthesis.
    const rows = await ctx.rows(`SELECT COUNT(*) FROM (\n${inner}\n) AS smcp_count`, stmt.values);
    const n = Number(rows[0]?.[0]);
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
  } catch {
    ctx.throwIfAborted();
    return null;
  }
}
