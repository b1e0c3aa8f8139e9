/**
 * Runs a row-returning statement. The statement starts as a DuckDB stream and its first rows are
 * encoded into the result's spool, up to a small budget of rows and bytes:
 * - the stream ends within the budget → a complete result (most statements);
 * - it does not → a big result: its exact total comes from `SELECT COUNT(*)` over the same statement
 *   and binds (cheap for scans: DuckDB answers plain table counts from metadata), and the rest of the
 *   rows are produced lazily from the still-open stream as they are read (spooled-result.ts). The
 *   stream keeps the statement's DuckDB connection (and transaction, so one snapshot) while the
 *   statement pool gets a fresh one.
 * The count runs on another connection, so it is trusted only when no write ran or started between
 * the stream's start and the count's end (DataGeneration); otherwise, and for statements whose
 * second run may differ (RANDOM, SAMPLE, clock functions, query history), every row is produced
 * into the spool before the statement answers. Either way each row is produced exactly once.
 * The statement's timeout and abort apply to all of this (stream start, head, count, full drain);
 * producing the rest of a big result later is bounded by the result's lifetime and byte budget.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import type { ConnectionPool } from './pool.js';
import type { DataGeneration } from './prepared-cache.js';
import type { ResultStore } from './result-store.js';
import type { ProductionGate } from './production-gate.js';
import type { ResultTracker } from './result-tracker.js';
import { SpooledResult } from './spooled-result.js';
import { firstVolatileWord } from './volatile-words.js';

/**
 * Rows produced before a result counts as big: the inline part and the first three downloaded
 * chunks of the wire layout (1,000 + 2,000 + 4,000 + 8,000). The driver prefetches those at once, so
 * a client that stops early gets them answered from memory, without waiting on DuckDB — and without
 * a download still in flight when it disconnects (which snowflake-sdk would retry for minutes).
 */
export const HEAD_MAX_ROWS = 15_000;
/** …or bytes of encoded rows, so wide rows reach the budget sooner. */
export const HEAD_MAX_BYTES = 8 * 2 ** 20;

/** First words of statements whose rows may be streamed (plain queries). */
const QUERY_WORDS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'FROM', '(']);
/**
 * True when `words` (upper-cased significant tokens) form a plain query whose count (a second run,
 * as a subquery) gives its row count: no random, sampling or clock functions.
 */
export function isCountable(words: readonly string[]): boolean {
  if (!QUERY_WORDS.has(words[0] ?? '')) return false;
  return firstVolatileWord(words) === undefined;
}

/** One row-returning statement as DuckDB runs it. */
export interface SelectStatement {
  readonly sql: string;
  readonly values: DuckDBValue[] | undefined;
  readonly statementTypeId: number;
  /** Whether a big result may be counted and produced lazily (see isCountable); else it is produced whole. */
  readonly countable: boolean;
  /** Whether its DuckDB plan may be kept for the next run of the same text (see prepared-cache.ts). */
  readonly cacheable: boolean;
  /** Snowflake column metadata of the statement's DuckDB result. */
  columnsOf(result: DuckDBResult): ColumnMeta[];
}

/** What runSelect needs from the engine. */
export interface SelectDeps {
  readonly pool: ConnectionPool;
  readonly tracker: ResultTracker;
  readonly store: ResultStore;
  /** The engine's data generation, which cached plans and counts must match. */
  readonly generation: DataGeneration;
  /** The statement's query id (named in "result expired" errors). */
  readonly queryId: string;
  /** A new spill file path for the result. */
  spillFile(): string;
  /** Heap bytes charged for the statement around its rows. */
  readonly overheadBytes: number;
  /** Bounds how many results produce rows lazily at once. */
  readonly gate: ProductionGate;
}

/** Runs `stmt` in `ctx` and returns its result, complete or still streaming. */
export async function runSelect(
  ctx: StatementContext,
  stmt: SelectStatement,
  deps: SelectDeps,
): Promise<ResultSet> {
  const conn = ctx.pooled.conn;
  const before = deps.generation.mark();
  const stream = await ctx.streamQuery(stmt.sql, stmt.values, deps.generation, stmt.cacheable);
  const result = new SpooledResult({
    queryId: deps.queryId,
    columns: stmt.columnsOf(stream),
    statementTypeId: stmt.statementTypeId,
    store: deps.store,
    file: deps.spillFile(),
    overheadBytes: deps.overheadBytes,
    gate: deps.gate,
  });
  let own: DuckDBConnection | null = null;
  try {
    // The first chunk goes straight in (most results have one); later ones wait their turn with
    // the other productions, so many big heads at once do not pile up chunks in memory.
    for (
      let chunks = 0;
      result.produced <= HEAD_MAX_ROWS && result.producedBytes <= HEAD_MAX_BYTES;
      chunks++
    ) {
      const step = async (): Promise<boolean> => {
        const chunk = await pull(ctx, conn, stream);
        if (chunk) await result.append(chunk);
        return chunk !== null;
      };
      if (!(await (chunks === 0 ? step() : deps.gate.run(step)))) {
        result.complete();
        return result;
      }
    }
    if (!stmt.countable) {
      await drain(ctx, conn, stream, result, deps.gate);
      return result;
    }
    // A big result: the open stream keeps this connection; the statement goes on with a fresh one.
    own = await deps.pool.detach(ctx.pooled);
    await ctx.applySearchPath();
    const total = await countRows(ctx, stmt);
    if (total === null || total < result.produced || !deps.generation.unchangedSince(before)) {
      await drain(ctx, own, stream, result, deps.gate);
      deps.pool.recycle(own);
      return result;
    }
    const pool = deps.pool;
    result.streamRest(
      { conn: own, stream, sql: stmt.sql, recycle: (conn) => pool.recycle(conn) },
      total,
      deps.tracker.hooks,
    );
    own = null;
    deps.tracker.add(result);
    return result;
  } catch (err) {
    // Nothing runs on `own` here: every call on it was awaited.
    if (own) deps.pool.recycle(own);
    result.close();
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

/** Produces the rest of the stream into `result` and completes it. */
async function drain(
  ctx: StatementContext,
  conn: DuckDBConnection,
  stream: DuckDBResult,
  result: SpooledResult,
  gate: ProductionGate,
): Promise<void> {
  const step = async (): Promise<boolean> => {
    const chunk = await pull(ctx, conn, stream);
    if (chunk) await result.append(chunk);
    return chunk !== null;
  };
  while (await gate.run(step));
  result.complete();
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
