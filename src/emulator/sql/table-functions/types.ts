/**
 * What the table functions (GENERATOR, FLATTEN, SPLIT_TO_TABLE, RESULT_SCAN, VALUES and DUAL in
 * FROM) need from the rewrite, declared here so that this folder depends on no rewrite module: the
 * rewrite's Writer satisfies TokenWriter as it is.
 */
import type { ColumnMeta } from '../../engine-types.js';
import type { Token } from '../tokenizer.js';

/** A kept result copied into a temporary DuckDB table for the statement that scans it. */
export interface ScanTable {
  /** Qualified DuckDB name of the temporary table (one VARCHAR column per result column). */
  readonly table: string;
  /** The result's columns as the driver saw them. */
  readonly columns: readonly ColumnMeta[];
}

/**
 * What one statement's table functions draw on beyond its text: the results RESULT_SCAN reads
 * (materialised before the rewrite, keyed by query id) and the session's query ids for
 * LAST_QUERY_ID and query indexes. The rewrite may set `waitMs` (GENERATOR's TIMELIMIT).
 */
export interface TableSources {
  readonly scans: ReadonlyMap<string, ScanTable>;
  /** Query ids of the session's statements, oldest first (the running one not included). */
  readonly queryIds: readonly string[];
  /** How long the statement waits before it runs (GENERATOR(TIMELIMIT => s)); 0 for none. */
  waitMs: number;
}

/** The token helpers of the rewrite's Writer that the table functions use. */
export interface TokenWriter {
  readonly toks: Token[];
  readonly ctx: { readonly tables?: TableSources | undefined };
  nextSig(i: number): number;
  prevSig(i: number): number;
  text(i: number): string;
  upper(i: number): string;
  closeOf(open: number): number;
  args(open: number, close: number): [number, number][];
  argString(range: [number, number]): string | null;
  argNumber(range: [number, number]): number | null;
  aliasFollows(i: number): boolean;
  /** Emits tokens [from, to) as DuckDB SQL. */
  emit(from: number, to: number): string;
}

/** A rewritten piece: DuckDB SQL and the index of the first token after what it replaced. */
export type Rewrite = [sql: string, end: number];
