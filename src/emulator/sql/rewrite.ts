/**
 * Rewrites one Snowflake statement (as tokens) into DuckDB SQL: unquoted identifiers fold to upper
 * case, Snowflake-only functions and casts become DuckDB expressions, CURRENT_*() become literals
 * of the session, `<db>.INFORMATION_SCHEMA.<view>` and `TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())`
 * point at the engine's own catalog, and unnamed select items get Snowflake's column names.
 */
import { isSignificant } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import type { RewriteContext, Rewritten } from './rewrite-context.js';
import { CLAUSE_END, Writer } from './rewrite-writer.js';
import { markDuplicateAliases } from './duplicate-aliases.js';
import { isWithinGroup } from './ordered-aggregates.js';

export type { RewriteContext, Rewritten } from './rewrite-context.js';

const NOT_ALIAS = new Set([
  'END',
  'NULL',
  'TRUE',
  'FALSE',
  'ROWS',
  'ROW',
  'DESC',
  'ASC',
  'FOLLOWING',
  'PRECEDING',
]);

/** Rewrites one statement. Throws EmulatorSqlError for what cannot be emulated. */
export function rewriteStatement(tokens: Token[], ctx: RewriteContext): Rewritten {
  const toks = markDuplicateAliases(tokens.filter((t) => t.kind !== 'comment'));
  const state = { usesHistory: false };
  const w = new Writer(toks, ctx, state);
  const segments = selectSegments(toks);
  let sql = '';
  let pos = 0;
  for (const seg of segments) {
    sql += w.emit(pos, seg.from) + w.emit(seg.from, seg.to);
    if (seg.alias !== null) sql += ` AS ${quoteIdentifier(seg.alias)}`;
    pos = seg.to;
  }
  sql += w.emit(pos, toks.length);
  return { sql, usesHistory: state.usesHistory };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

interface Segment {
  from: number;
  to: number;
  alias: string | null;
}

/** The top-level select items of a plain SELECT, with Snowflake's name for unnamed expressions. */
function selectSegments(toks: Token[]): Segment[] {
  const first = toks.findIndex(isSignificant);
  if (first < 0 || toks[first]?.text.toUpperCase() !== 'SELECT') return [];
  let i = first + 1;
  const skipSpace = (): void => {
    while (i < toks.length && !isSignificant(toks[i])) i++;
  };
  skipSpace();
  const word = (): string => (toks[i]?.kind === 'word' ? (toks[i]?.text.toUpperCase() ?? '') : '');
  if (word() === 'DISTINCT' || word() === 'ALL') {
    i++;
    skipSpace();
  }
  if (word() === 'TOP') return [];
  const segments: Segment[] = [];
  let start = i;
  let depth = 0;
  for (; i <= toks.length; i++) {
    const t = toks[i];
    const atEnd =
      t === undefined ||
      (depth === 0 && t.kind === 'word' && CLAUSE_END.has(t.text.toUpperCase()) && !isWithinGroup(toks, i));
    if (t && t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    if (t && t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    if (atEnd || (depth === 0 && t.kind === 'punct' && t.text === ',')) {
      segments.push({ from: start, to: i, alias: itemName(toks.slice(start, i)) });
      start = i + 1;
      if (atEnd) break;
    }
  }
  return segments;
}

function itemName(item: Token[]): string | null {
  const sig = item.filter(isSignificant);
  if (sig.length === 0) return null;
  const last = sig[sig.length - 1];
  const prev = sig[sig.length - 2];
  if (last.text === '*') return null;
  const first = sig[0];
  if (first?.origin !== undefined && sig.every((t) => t.origin === first.origin && t.start === first.start))
    return first.origin;
  if (sig.every((t, k) => (k % 2 === 0 ? t.kind === 'word' || t.kind === 'quoted' : t.text === '.')))
    return null;
  if (prev && prev.kind === 'word' && prev.text.toUpperCase() === 'AS') return null;
  if (
    prev &&
    (last.kind === 'quoted' || (last.kind === 'word' && !NOT_ALIAS.has(last.text.toUpperCase()))) &&
    (prev.kind !== 'punct' || prev.text === ')' || prev.text === ']' || prev.text === '}')
  ) {
    return null;
  }
  let text = '';
  for (const [k, t] of item.entries()) {
    // A substituted `$v` names its column `$V`, as in Snowflake.
    if (t.origin !== undefined) {
      if (item[k - 1]?.origin !== t.origin || item[k - 1]?.start !== t.start) text += t.origin;
    } else text += t.kind === 'word' ? t.text.toUpperCase() : t.kind === 'space' ? ' ' : t.text;
  }
  text = text.trim();
  return text.replace(/\s+/g, ' ');
}
