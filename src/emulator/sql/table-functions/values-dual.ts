/**
 * `VALUES (…), (…)` used as a table in FROM (with or without parentheses around it) and `FROM DUAL`.
 * Snowflake names the columns of a VALUES table COLUMN1, COLUMN2, … unless an alias list names
 * them; DuckDB would call them col0, col1, …. DUAL is a one-row table with no columns worth reading.
 */
import type { Rewrite, TokenWriter } from './types.js';

/** Words after which a table reference follows. */
const TABLE_POSITION = new Set(['FROM', 'JOIN']);

/** True when the token at `i` stands where a table reference goes (after FROM, JOIN or a FROM list comma). */
function atTablePosition(w: TokenWriter, i: number): boolean {
  const prev = w.prevSig(i);
  return TABLE_POSITION.has(w.upper(prev));
}

/** Index after the last `( … )` row of a VALUES list starting at `first` (the first `(`), or -1. */
function rowsEnd(w: TokenWriter, first: number): { end: number; columns: number } | null {
  if (w.text(first) !== '(') return null;
  const columns = w.args(first, w.closeOf(first)).length;
  let at = first;
  for (;;) {
    const close = w.closeOf(at);
    if (close >= w.toks.length) return null;
    const next = w.nextSig(close);
    if (w.text(next) !== ',' || w.text(w.nextSig(next)) !== '(') return { end: close + 1, columns };
    at = w.nextSig(next);
  }
}

/**
 * The alias after a VALUES table ending before `end`: `[AS] name [(c1, …)]`, as DuckDB SQL with
 * Snowflake's COLUMNn names when no list is given, and the index after it.
 */
function aliasAfter(w: TokenWriter, end: number, columns: number): Rewrite {
  const names = Array.from({ length: columns }, (_v, k) => `"COLUMN${k + 1}"`).join(', ');
  let at = w.nextSig(end - 1);
  if (w.upper(at) === 'AS') at = w.nextSig(at);
  const t = w.toks[at];
  if (t && (t.kind === 'quoted' || (t.kind === 'word' && w.aliasFollows(w.prevSig(at))))) {
    const name = w.emit(at, at + 1);
    const open = w.nextSig(at);
    if (w.text(open) === '(') {
      const close = w.closeOf(open);
      return [` AS ${name}${w.emit(open, close + 1)}`, close + 1];
    }
    return [` AS ${name}(${names})`, at + 1];
  }
  return [` AS "VALUES"(${names})`, end];
}

/**
 * `VALUES (…), …` at `i` where a table goes, rewritten with Snowflake's column names: right after
 * FROM or JOIN it becomes a derived table (its alias, with or without a column list, is taken
 * along); inside `FROM ( VALUES … )` it becomes a SELECT of the rows, so the outer parentheses and
 * alias stay as written. Null when `i` is no such VALUES.
 */
export function valuesTable(w: TokenWriter, i: number): Rewrite | null {
  if (w.upper(i) !== 'VALUES') return null;
  const rows = rowsEnd(w, w.nextSig(i));
  if (!rows) return null;
  const body = w.emit(w.nextSig(i), rows.end);
  if (atTablePosition(w, i)) {
    const [alias, end] = aliasAfter(w, rows.end, rows.columns);
    return [`(VALUES ${body})${alias}`, end];
  }
  const open = w.prevSig(i);
  if (w.text(open) === '(' && atTablePosition(w, open)) {
    const names = Array.from({ length: rows.columns }, (_v, k) => `"COLUMN${k + 1}"`).join(', ');
    return [`SELECT * FROM (VALUES ${body}) AS "VALUES"(${names})`, rows.end];
  }
  return null;
}

/** `DUAL` at `i` in a table position → a one-row table. */
export function dualTable(w: TokenWriter, i: number): Rewrite | null {
  const t = w.toks[i];
  if (!t || t.kind !== 'word' || t.text.toUpperCase() !== 'DUAL' || !atTablePosition(w, i)) return null;
  if (w.text(w.nextSig(i)) === '.') return null;
  return [w.aliasFollows(i) ? '(SELECT 1 AS "_SMCP_DUAL")' : '(SELECT 1 AS "_SMCP_DUAL") AS DUAL', i + 1];
}
