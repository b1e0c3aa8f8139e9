/**
 * Duplicate column names inside subqueries. Snowflake keeps every name as written: `SELECT * FROM
 * (SELECT 1 AS FOO, 2 AS FOO)` answers two columns named FOO (snowflake-sdk's row mode
 * `object_with_renamed_duplicated_columns` then renames them its own way: FOO, FOO_2, …). DuckDB
 * instead renames a subquery's duplicates (FOO, FOO_1), which the driver cannot tell from names
 * the query chose. So before DuckDB sees a subquery, every repeated `AS name` of one select list
 * gets a marked name (the name, an invisible word joiner and its occurrence), and the result's
 * column names drop the mark again. A top-level select list needs no mark: DuckDB keeps its
 * duplicates, and a CREATE TABLE … AS must not get marked column names.
 */
import { isSignificant } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { CLAUSE_END } from './rewrite-writer.js';

/** What follows a duplicated name: U+2060 WORD JOINER, `#` and the occurrence (2, 3, …). */
const MARK = /\u2060#\d+$/;

/** A column name as Snowflake names it: without the duplicate mark. */
export function unmarkedColumnName(name: string): string {
  return name.replace(MARK, '');
}

function aliasName(t: Token): string {
  return t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toUpperCase();
}

/**
 * `tokens` with each repeated `AS name` of a nested select list marked (a new array; the input when
 * nothing repeats). Only SELECT and WITH statements are touched.
 */
export function markDuplicateAliases(tokens: Token[]): Token[] {
  const sig = tokens.filter(isSignificant);
  const head = sig[0]?.kind === 'word' ? sig[0].text.toUpperCase() : '';
  if (head !== 'SELECT' && head !== 'WITH') return tokens;
  let out: Token[] | null = null;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind === 'punct' && t.text === '(') depth++;
    else if (t?.kind === 'punct' && t.text === ')') depth--;
    else if (depth > 0 && t?.kind === 'word' && t.text.toUpperCase() === 'SELECT') {
      for (const at of duplicateAliasesOf(tokens, i + 1)) {
        out ??= tokens.slice();
        const original = tokens[at.index];
        if (!original) continue;
        const marked = `${at.name}\u2060#${at.occurrence}`;
        out[at.index] = { ...original, kind: 'quoted', text: `"${marked.replace(/"/g, '""')}"` };
      }
    }
  }
  return out ?? tokens;
}

/** The repeated aliases of the select list that starts at `from` (just after its SELECT). */
function duplicateAliasesOf(
  tokens: Token[],
  from: number,
): { index: number; name: string; occurrence: number }[] {
  const seen = new Map<string, number>();
  const found: { index: number; name: string; occurrence: number }[] = [];
  let depth = 0;
  let item: number[] = [];
  const endItem = (): void => {
    const n = item.length;
    const last = tokens[item[n - 1] ?? -1];
    const before = tokens[item[n - 2] ?? -1];
    if (n >= 3 && last && before?.kind === 'word' && before.text.toUpperCase() === 'AS') {
      if (last.kind === 'word' || last.kind === 'quoted') {
        const name = aliasName(last);
        // DuckDB compares names without case (X and "x" collide there, not in Snowflake).
        const key = name.toLowerCase();
        const occurrence = (seen.get(key) ?? 0) + 1;
        seen.set(key, occurrence);
        if (occurrence > 1) found.push({ index: item[n - 1] ?? -1, name, occurrence });
      }
    }
    item = [];
  };
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || !isSignificant(t)) continue;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && t.kind === 'punct' && (t.text === ',' || t.text === ';')) {
      endItem();
      if (t.text === ';') return found;
      continue;
    } else if (depth === 0 && t.kind === 'word' && CLAUSE_END.has(t.text.toUpperCase())) break;
    item.push(i);
  }
  endItem();
  return found;
}
