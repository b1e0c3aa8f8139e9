/**
 * The tables, views and other objects a statement names in object positions: after FROM, JOIN,
 * INTO, UPDATE, USING (MERGE), TABLE and VIEW, and each further item of a FROM list. Column
 * references are never read as objects. Functions (`FLATTEN(…)`, `TABLE(…)`), subqueries and
 * names a WITH clause defines are left out. Used by the visibility rules; the read-only guard does
 * not depend on it.
 */
import { Tok } from './tokens.js';
import type { TokenList } from './tokens.js';

/** One object name as written: its parts (outermost first) and where it starts in the text. */
export interface ObjectReference {
  /** Unquoted parts upper-cased, "quoted" parts exact. */
  readonly parts: readonly string[];
  readonly offset: number;
}

/** Words after which an object name follows. */
const INTRODUCERS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'USING', 'TABLE', 'VIEW']);

/** Words that end a FROM list (a comma after them no longer introduces a table). */
const FROM_LIST_END = new Set([
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'ORDER',
  'LIMIT',
  'FETCH',
  'OFFSET',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'MINUS',
  'WINDOW',
  'SELECT',
  'SET',
  'VALUES',
]);

/** Words that may stand between an introducer and the name without being the name. */
const SKIPPED = new Set(['ONLY', 'IF', 'NOT', 'EXISTS', 'OVERWRITE', 'LATERAL']);

/** Functions whose arguments use FROM without naming a table (EXTRACT(YEAR FROM d)). */
const FROM_ARGUMENT_FUNCTIONS = new Set(['EXTRACT', 'TRIM', 'SUBSTRING', 'SUBSTR', 'OVERLAY', 'POSITION']);

/** Introducers after which a name followed by `(` is a column list, not a function call. */
const COLUMN_LIST_INTRODUCERS = new Set(['INTO', 'TABLE', 'VIEW']);

function partOf(ts: TokenList, i: number): string {
  if (ts.is(i, Tok.Word)) return ts.text(i).toUpperCase();
  return ts.text(i).slice(1, -1).replaceAll('""', '"');
}

const isNamePart = (ts: TokenList, i: number): boolean => ts.is(i, Tok.Word) || ts.is(i, Tok.Quoted);

/** Names defined by `name AS (` (common table expressions), upper-cased as written unquoted. */
function localNames(ts: TokenList): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i + 2 < ts.count; i++) {
    if (isNamePart(ts, i) && ts.isWord(i + 1, 'AS') && ts.is(i + 2, Tok.LParen)) names.add(partOf(ts, i));
    // WITH name (col, …) AS (
    if (isNamePart(ts, i) && ts.is(i + 1, Tok.LParen)) {
      const close = ts.partner(i + 1);
      if (close > 0 && ts.isWord(close + 1, 'AS') && ts.is(close + 2, Tok.LParen)) names.add(partOf(ts, i));
    }
  }
  return names;
}

/**
 * Reads the dotted name starting at `i`; undefined when it is a function call (followed by `(`)
 * or no name starts there.
 */
function nameAt(
  ts: TokenList,
  i: number,
  columnList: boolean,
): { parts: string[]; next: number } | undefined {
  if (!isNamePart(ts, i)) return undefined;
  const parts = [partOf(ts, i)];
  let j = i + 1;
  while (ts.is(j, Tok.Dot)) {
    // db..object: the default schema between two dots.
    if (ts.is(j + 1, Tok.Dot)) {
      parts.push('PUBLIC');
      j++;
      continue;
    }
    if (!isNamePart(ts, j + 1)) break;
    parts.push(partOf(ts, j + 1));
    j += 2;
  }
  if (ts.is(j, Tok.LParen) && !columnList) return undefined;
  return { parts, next: j };
}

/** Every object the statement in tokens [0, count) names, in order of appearance. */
export function objectReferences(ts: TokenList): ObjectReference[] {
  const local = localNames(ts);
  const out: ObjectReference[] = [];
  // Paren depths at which a FROM list is open.
  const fromDepths: number[] = [];
  // The word before each open parenthesis (the function called), innermost last.
  const calls: string[] = [];
  let depth = 0;
  const take = (i: number, columnList = false): number => {
    let j = i;
    while (SKIPPED.has(ts.word(j) ?? '')) j++;
    const found = nameAt(ts, j, columnList);
    if (!found) return i;
    const single = found.parts.length === 1 && ts.is(j, Tok.Word);
    if (!(single && local.has(found.parts[0]))) out.push({ parts: found.parts, offset: ts.start(j) });
    return found.next - 1;
  };
  for (let i = 0; i < ts.count; i++) {
    const k = ts.kind(i);
    if (k === Tok.LParen) {
      depth++;
      calls.push(ts.word(i - 1) ?? '');
    } else if (k === Tok.RParen) {
      while (fromDepths.length > 0 && fromDepths[fromDepths.length - 1] >= depth) fromDepths.pop();
      depth = Math.max(0, depth - 1);
      calls.pop();
    } else if (k === Tok.Comma) {
      if (fromDepths[fromDepths.length - 1] === depth) i = take(i + 1);
    } else if (k === Tok.Word) {
      const w = ts.word(i)!;
      if (FROM_LIST_END.has(w) && fromDepths[fromDepths.length - 1] === depth) fromDepths.pop();
      if (!INTRODUCERS.has(w)) continue;
      if (w === 'FROM' && (ts.isWord(i - 1, 'DISTINCT') || FROM_ARGUMENT_FUNCTIONS.has(calls.at(-1) ?? '')))
        continue;
      if (w === 'FROM') fromDepths.push(depth);
      // TABLE(…) is a table function; `… USING (col)` of a join names columns.
      if (!ts.is(i + 1, Tok.LParen)) i = take(i + 1, COLUMN_LIST_INTRODUCERS.has(w));
    }
  }
  return out;
}
