/**
 * Arguments of table function calls: positional and `name => value` arguments, literal values,
 * and the query index rules of LAST_QUERY_ID and RESULT_SCAN.
 */
import { EmulatorSqlError } from '../../engine-types.js';
import { isSignificant } from '../tokenizer.js';
import type { TokenWriter } from './types.js';

/** A token range [from, to). */
export type Range = [number, number];

/** The arguments of one call, split into positional ones and `NAME => value` ones (value ranges). */
export interface CallArgs {
  readonly positional: Range[];
  /** By upper-case name. */
  readonly named: Map<string, Range>;
}

/** Splits the arguments of the call whose parentheses are at `open` and `close`. */
export function callArgs(w: TokenWriter, open: number, close: number): CallArgs {
  const positional: Range[] = [];
  const named = new Map<string, Range>();
  for (const range of w.args(open, close)) {
    const first = w.nextSig(range[0] - 1);
    const arrow = w.nextSig(first);
    if (w.toks[first]?.kind === 'word' && w.text(arrow) === '=>' && arrow < range[1]) {
      named.set(w.upper(first), [arrow + 1, range[1]]);
    } else positional.push(range);
  }
  return { positional, named };
}

/** The significant tokens of a range. */
function sig(w: TokenWriter, range: Range): string[] {
  return w.toks
    .slice(range[0], range[1])
    .filter(isSignificant)
    .map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text));
}

/** An integer literal (with an optional sign), or null when the range holds anything else. */
export function intLiteral(w: TokenWriter, range: Range | undefined): number | null {
  if (!range) return null;
  const parts = sig(w, range);
  const text = parts.join('');
  return /^[-+]?\d+$/.test(text) ? Number(text) : null;
}

/** A number literal (with an optional sign), or null. */
export function numberLiteral(w: TokenWriter, range: Range | undefined): number | null {
  if (!range) return null;
  const text = sig(w, range).join('');
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : null;
}

/** TRUE / FALSE (or 'TRUE' / 'FALSE'), or null. */
export function boolLiteral(w: TokenWriter, range: Range | undefined): boolean | null {
  if (!range) return null;
  const parts = sig(w, range);
  if (parts.length !== 1) return null;
  const word = (w.argString(range) ?? parts[0] ?? '').toUpperCase();
  return word === 'TRUE' ? true : word === 'FALSE' ? false : null;
}

/** 001044 / 42P13: an argument a table function cannot take, naming the function and what was wrong. */
export function badArgument(fn: string, what: string): EmulatorSqlError {
  return new EmulatorSqlError(
    '001044',
    '42P13',
    `SQL compilation error:\nInvalid argument for function ${fn}: ${what}.`,
  );
}

/**
 * The query id a query index names among the session's `ids` (oldest first): positive indexes count
 * from the session's first statement (1 = first), negative ones back from the most recent (-1 =
 * the last). Null when there is no such statement.
 */
export function queryIdAt(ids: readonly string[], index: number): string | null {
  if (index === 0 || !Number.isInteger(index)) return null;
  const at = index > 0 ? index - 1 : ids.length + index;
  return ids[at] ?? null;
}

/**
 * The query index a LAST_QUERY_ID call at `name` asks for (-1 when it has no argument), or null
 * when `name` is no LAST_QUERY_ID call or its argument is not an integer literal.
 */
export function lastQueryIdIndex(w: TokenWriter, name: number): number | null {
  if (w.upper(name) !== 'LAST_QUERY_ID') return null;
  const open = w.nextSig(name);
  if (w.text(open) !== '(') return null;
  const close = w.closeOf(open);
  const ranges = w.args(open, close);
  if (ranges.length === 0) return -1;
  return ranges.length === 1 ? intLiteral(w, ranges[0]) : null;
}
