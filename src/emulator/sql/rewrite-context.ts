/**
 * The shared vocabulary of the rewrite: what it knows of the session, what it returns, and the
 * token writer's helpers as the function-call rewrites use them (so rewrite-calls.ts depends on
 * this contract, not on the writer that calls it).
 */
import type { EmulatorSession } from '../engine-types.js';
import type { TableSources } from './table-functions/index.js';
import type { Token } from './tokenizer.js';

/** Facts about the session the rewrite needs. */
export interface RewriteContext {
  session: EmulatorSession;
  account: string;
  lastQueryId: string | null;
  /** Kept results RESULT_SCAN reads and the session's query ids (table-functions/). */
  tables?: TableSources;
  /** The wire type (DATE, TIME, FIXED, …) of each bind `$n` of the statement, at n - 1. */
  bindTypes?: readonly string[];
}

/** The DuckDB text and what it touches. */
export interface Rewritten {
  sql: string;
  usesHistory: boolean;
}

/** A [from, to) range of token indexes. */
export type TokenRange = [number, number];

/** The token writer as call rewrites see it: the statement's tokens and helpers over them. */
export interface SqlWriter {
  readonly toks: Token[];
  readonly ctx: RewriteContext;
  /** Index of the next significant token after `i` (or the end). */
  nextSig(i: number): number;
  /** Index of the previous significant token before `i` (or -1). */
  prevSig(i: number): number;
  /** The upper-cased text of a word token at `i`, else ''. */
  upper(i: number): string;
  /** Splits (open, close) at depth-0 commas into [from, to) ranges. */
  args(open: number, close: number): TokenRange[];
  /** The first token of a range as an upper-cased word or string value. */
  argWord(range: TokenRange): string;
  /** The value of a range that is one string literal, else null. */
  argString(range: TokenRange): string | null;
  /** The value of a range that is one number literal, else null. */
  argNumber(range: TokenRange): number | null;
  /** Emits tokens [from, to) as DuckDB SQL. */
  emit(from: number, to: number): string;
  /**
   * A type name at `i` → [DuckDB type, index after it, and for types a plain cast cannot produce
   * the function to wrap the operand in instead].
   */
  typeAt(i: number, to: number): [string, number, CastWrap?];
}

/**
 * What a cast that is not a plain DuckDB cast does with its operand: the name of a function to
 * call on it, or the SQL built around it (structured types).
 */
export type CastWrap = string | ((operand: string) => string);

/** Applies a cast's wrap to `operand` (DuckDB SQL). */
export function applyWrap(wrap: CastWrap, operand: string): string {
  return typeof wrap === 'string' ? `${wrap}(${operand})` : wrap(operand);
}
