/**
 * The DEFAULT of a DECFLOAT column (`d DECFLOAT DEFAULT 0`, `DEFAULT '1.5'`, `DEFAULT 0::DECFLOAT`).
 * DuckDB casts neither numbers nor text to the DECFLOAT carrier (decfloat.ts), and a column default
 * may hold no subquery (which a DECFLOAT literal is made in), so the default is worked out once,
 * when the column is made, and kept as the carrier's constant. A default that is not a constant (a
 * column, a sequence, RANDOM(), the clock) is refused naming DECFLOAT rather than frozen into the
 * value it had at that moment.
 */
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { DECFLOAT_KEY, DECFLOAT_MEMBER } from './decfloat.js';
import { unsupported } from './sql-errors.js';
import { quoteString, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { firstVolatileWord } from './volatile-words.js';

/** Words that end a column's DEFAULT expression: the column's next constraint or option. */
const AFTER_DEFAULT = new Set([
  'NOT',
  'NULL',
  'PRIMARY',
  'UNIQUE',
  'REFERENCES',
  'FOREIGN',
  'CHECK',
  'CONSTRAINT',
  'COMMENT',
  'COLLATE',
  'WITH',
  'MASKING',
  'TAG',
  'AUTOINCREMENT',
  'IDENTITY',
]);

/**
 * Where the DEFAULT expression starting at `from` of column definition `def` (significant tokens)
 * ends: at the first constraint or option word outside brackets (a leading NULL is the value).
 */
export function defaultEnd(def: readonly Token[], from: number): number {
  let depth = 0;
  for (let k = from; k < def.length; k++) {
    const t = def[k];
    if (!t) break;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && k > from && t.kind === 'word' && AFTER_DEFAULT.has(t.text.toUpperCase()))
      return k;
  }
  return def.length;
}

/**
 * The DuckDB DEFAULT expression of DECFLOAT column `column` whose Snowflake default is `expr`
 * (significant tokens): the carrier of the expression's value, or NULL. `rewrite` turns Snowflake
 * SQL into DuckDB SQL. Fails as TO_DECFLOAT does on text that is no number (100038), and with
 * 002040 naming DECFLOAT when the expression is not a constant.
 */
export async function decfloatDefaultSql(
  ctx: StatementContext,
  expr: readonly Token[],
  column: string,
  rewrite: (tokens: Token[]) => string,
): Promise<string> {
  const text = expr.map((t) => t.text).join(' ');
  const notConstant = unsupported(`DEFAULT ${text} of DECFLOAT column ${column}: only a constant`);
  const words = expr.filter((t) => t.kind === 'word').map((t) => t.text.toUpperCase());
  if (expr.length === 0 || firstVolatileWord(words) !== undefined) throw notConstant;
  const value = rewrite(tokenize(`SELECT TO_DECFLOAT(${text})`));
  let row: unknown[] | undefined;
  try {
    [row] = await ctx.rows(
      `SELECT struct_extract(v, '${DECFLOAT_KEY}'), struct_extract(v, '${DECFLOAT_MEMBER}')
         FROM (${value}) AS _smcp_default(v)`,
    );
  } catch (err) {
    // Text that is no number fails as Snowflake's conversion does; anything else (a column, a
    // subquery over a table) is no constant.
    if (err instanceof EmulatorSqlError && err.code === '100038') throw err;
    throw notConstant;
  }
  const [key, member] = row ?? [];
  if (typeof key !== 'string' || typeof member !== 'string') return 'NULL';
  return `struct_pack("${DECFLOAT_KEY}" := ${quoteString(key)}, "${DECFLOAT_MEMBER}" := ${quoteString(member)})`;
}

/** A DECFLOAT default as DuckDB keeps it (decfloatDefaultSql's struct_pack); the capture is the text. */
const KEPT_DEFAULT = String.raw`'^struct_pack\("?${DECFLOAT_KEY}"? := ''[^'']*'', "?${DECFLOAT_MEMBER}"? := ''([^'']*)''\)$'`;

/**
 * SQL showing the default `columnDefault` (duckdb_columns().column_default) as Snowflake shows it:
 * a DECFLOAT default as its number, every other default as it is.
 */
export function shownDefaultSql(columnDefault: string): string {
  return `regexp_replace(${columnDefault}, ${KEPT_DEFAULT}, '\\1')`;
}
