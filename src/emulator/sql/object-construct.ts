/**
 * OBJECT_CONSTRUCT and OBJECT_CONSTRUCT_KEEP_NULL. With key-value pairs, each value goes in as a
 * VARIANT (a DECFLOAT as its number, a structured value plain); OBJECT_CONSTRUCT leaves out the
 * pairs whose key or value is SQL NULL and keeps JSON null, as Snowflake documents.
 * With a wildcard (OBJECT_CONSTRUCT(*)): an OBJECT of the row, each column's
 * name (as the engine stores it: upper case unless quoted) its key, as Snowflake documents for the
 * wildcard forms `*`, `t.*`, `[t.]* ILIKE 'pattern'` and `[t.]* EXCLUDE c | (c, …)`. DuckDB packs
 * the columns into one STRUCT (`struct_pack(*COLUMNS(*))`), written as JSON with DECFLOATs as their
 * numbers; OBJECT_CONSTRUCT then drops the keys whose value is null. A VARIANT column holding JSON
 * null is dropped with them (the JSON cannot tell it from SQL NULL), where Snowflake keeps it.
 */
import type { SqlWriter, TokenRange } from './rewrite-context.js';
import { jsonOfSql } from './decfloat.js';
import { variantSql } from './structured-cast.js';
import { unsupported } from './sql-errors.js';
import { identName, isSignificant, quoteString, stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The COLUMNS(…) selection of a wildcard argument's tokens, or null when they are no wildcard. */
function columnsOf(sig: readonly Token[], name: string): string | null {
  const star = sig.findIndex((t) => t.text === '*');
  if (star < 0) return null;
  const qualifier = sig.slice(0, star);
  // `a.b.` before the star: names separated by dots, ending in one.
  const qualified = qualifier.every((t, k) =>
    k % 2 === 0 ? t.kind === 'word' || t.kind === 'quoted' : t.text === '.',
  );
  if (!qualified || (qualifier.length > 0 && qualifier.length % 2 !== 0)) return null;
  const prefix =
    qualifier.length > 0
      ? `${qualifier.map((t) => (t.text === '.' ? '.' : quoteName(identName(t)))).join('')}*`
      : '*';
  const rest = sig.slice(star + 1);
  const keyword = rest[0]?.kind === 'word' ? rest[0].text.toUpperCase() : '';
  if (rest.length === 0) return `COLUMNS(${prefix})`;
  if (keyword === 'ILIKE' && rest.length === 2 && rest[1]?.kind === 'string') {
    // DuckDB's COLUMNS takes no ILIKE; a lambda over the names filters the same way.
    if (qualifier.length > 0) throw unsupported(`${name} with a qualified wildcard and ILIKE`);
    return `COLUMNS(c -> c ILIKE ${quoteString(stringValue(rest[1]))})`;
  }
  if (keyword === 'EXCLUDE') {
    const list = rest[1]?.text === '(' && rest.at(-1)?.text === ')' ? rest.slice(2, -1) : rest.slice(1);
    const names = list.filter((t) => t.text !== ',');
    const wellFormed =
      names.length > 0 &&
      names.every((t) => t.kind === 'word' || t.kind === 'quoted') &&
      list.length === names.length * 2 - 1;
    if (wellFormed)
      return `COLUMNS(${prefix} EXCLUDE (${names.map((t) => quoteName(identName(t))).join(', ')}))`;
  }
  throw unsupported(`${name} with the wildcard form ${sig.map((t) => t.text).join(' ')}`);
}

/** JSON `members` (a list of STRUCT(k, v)) as one object, without the members `keep` refuses. */
function objectOfMembers(members: string, keep: string): string {
  return `CAST(to_json(map_from_entries(list_filter(${members}, e -> ${keep}))) AS JSON)`;
}

/**
 * OBJECT_CONSTRUCT or OBJECT_CONSTRUCT_KEEP_NULL (`name`) with arguments `ranges` as DuckDB SQL.
 * Throws Snowflake's "Unsupported feature" for wildcard forms it cannot read.
 */
export function objectConstructSql(w: SqlWriter, name: string, ranges: readonly TokenRange[]): string {
  const arg = (r: TokenRange): string => w.emit(r[0], r[1]).trim();
  const only = ranges.length === 1 ? ranges[0] : undefined;
  const columns = only ? columnsOf(w.toks.slice(only[0], only[1]).filter(isSignificant), name) : null;
  const keepNull = name === 'OBJECT_CONSTRUCT_KEEP_NULL';
  if (columns !== null) {
    const json = jsonOfSql(`struct_pack(*${columns})`);
    if (keepNull) return `CAST(${json} AS JSON)`;
    return objectOfMembers(
      `map_entries(CAST(${json} AS MAP(VARCHAR, JSON)))`,
      "json_type(e.value) <> 'NULL'",
    );
  }
  const pairs = ranges.map((r, k) => (k % 2 === 0 ? arg(r) : variantSql(arg(r))));
  // KEEP_NULL keeps every pair; an odd count is left to json_object, which refuses it.
  if (keepNull || pairs.length === 0 || pairs.length % 2 !== 0) return `json_object(${pairs.join(', ')})`;
  const members: string[] = [];
  for (let k = 0; k + 1 < pairs.length; k += 2)
    members.push(`{'k': CAST(${pairs[k]} AS VARCHAR), 'v': ${pairs[k + 1]}}`);
  return objectOfMembers(`[${members.join(', ')}]`, 'e.k IS NOT NULL AND e.v IS NOT NULL');
}
