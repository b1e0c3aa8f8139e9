/**
 * One column definition of CREATE TABLE or ALTER TABLE … ADD COLUMN in DuckDB's terms: the
 * Snowflake type becomes the DuckDB type that stores it (and is kept as the declared type), a
 * COMMENT is set apart for COMMENT ON COLUMN, COLLATE and AUTOINCREMENT/IDENTITY are dropped, and a
 * DECFLOAT column's DEFAULT becomes its constant (decfloat-default.ts).
 */
import type { StatementContext } from './context.js';
import { decfloatDefaultSql, defaultEnd } from './decfloat-default.js';
import { identName, quoteIdent, quoteString, stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { duckTypeFor, parseSfType } from './types.js';
import type { SfColumnType } from './types.js';

/** A column definition translated for DuckDB. */
export interface ColumnDef {
  name: string;
  /** DuckDB's definition: the quoted name, the type, constraints and default. */
  sql: string;
  /** The Snowflake type, when the definition names one Snowflake knows. */
  declared: SfColumnType | null;
  /** The column's COMMENT, if any. */
  comment: string | null;
}

/** Index in `sig` of the bracket closing the one at `open` (the last index when it never closes). */
export function closeOf(sig: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < sig.length; j++) {
    const t = sig[j];
    if (t?.kind !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')' && --depth === 0) return j;
  }
  return sig.length - 1;
}

/**
 * The column definition `def` (significant tokens: name, type, options) for DuckDB. `rewrite`
 * turns Snowflake SQL into DuckDB SQL (for a DECFLOAT default).
 */
export async function columnDef(
  ctx: StatementContext,
  def: readonly Token[],
  rewrite: (tokens: Token[]) => string,
): Promise<ColumnDef> {
  const name = def[0] ? identName(def[0]) : '';
  const typeTok = def[1];
  let k = 2;
  const args: number[] = [];
  if (def[k]?.text === '(') {
    const c = closeOf(def, k);
    for (const t of def.slice(k + 1, c)) if (t.kind === 'number') args.push(Number(t.text));
    k = c + 1;
  }
  const declared = typeTok ? parseSfType(typeTok.text, args) : null;
  const duckType = declared
    ? duckTypeFor(declared)
    : def
        .slice(1, k)
        .map((t) => t.text)
        .join('');
  let comment: string | null = null;
  const rest: string[] = [];
  for (; k < def.length; k++) {
    const t = def[k];
    if (!t) break;
    const up = t.text.toUpperCase();
    const next = def[k + 1];
    if (up === 'COMMENT' && next) {
      comment = stringValue(next);
      k++;
    } else if (up === 'COLLATE') k++;
    else if (up === 'AUTOINCREMENT' || up === 'IDENTITY') {
      if (def[k + 1]?.text === '(') k = closeOf(def, k + 1);
    } else if (up === 'DEFAULT' && declared?.wire === 'decfloat') {
      const end = defaultEnd(def, k + 1);
      rest.push('DEFAULT', await decfloatDefaultSql(ctx, def.slice(k + 1, end), name, rewrite));
      k = end - 1;
    } else
      rest.push(
        t.kind === 'string' || t.kind === 'dollar'
          ? quoteString(stringValue(t))
          : t.kind === 'word'
            ? up
            : t.text,
      );
  }
  const sql = `${quoteIdent(name)} ${duckType}${rest.length ? ` ${rest.join(' ')}` : ''}`;
  return { name, sql, declared, comment };
}
