/**
 * Text and numbers written into DECFLOAT columns (`INSERT INTO t (d) VALUES ('1.25'), (3)`,
 * `UPDATE t SET d = 5`), as Snowflake converts them. DuckDB has no cast from text or numbers to the
 * engine's DECFLOAT carrier (decfloat.ts), which is what keeps `d = '1.5'` from comparing texts; so
 * an INSERT or UPDATE of a table with DECFLOAT columns converts the values of those columns with
 * TO_DECFLOAT: each VALUES row's, each SET's, or a query source's, read as a subquery:
 *   INSERT INTO t (a, d) SELECT "_SMCP_C1", TO_DECFLOAT("_SMCP_C2") FROM (<source>) AS "_SMCP_SRC"("_SMCP_C1", "_SMCP_C2")
 * Multi-table inserts (INSERT ALL/FIRST) and DEFAULT VALUES are left as written; MERGE converts
 * in decfloat-merge.ts.
 */
import type { StatementContext } from './context.js';
import { isDecfloatTypeText } from './decfloat.js';
import { qualifiedName } from './object-names.js';
import { identName, isSignificant, splitTopLevelCommas, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Whether a CREATE or ALTER (its significant words) may make a DECFLOAT column. */
export function mayMakeDecfloatColumn(words: readonly string[]): boolean {
  return (words[0] === 'CREATE' || words[0] === 'ALTER') && words.some((w) => w.includes('DECFLOAT'));
}

/**
 * The tokens of INSERT or UPDATE statement `tokens` with the values of its DECFLOAT target columns
 * converted by TO_DECFLOAT; the tokens themselves when it writes no DECFLOAT column. Costs one
 * catalog lookup.
 */
export async function withDecfloatWrites(ctx: StatementContext, tokens: Token[]): Promise<Token[]> {
  const at = tokens.flatMap((t, k) => (isSignificant(t) ? [k] : []));
  const sig = at.map((k) => tokens[k]);
  const word = (k: number): string => (sig[k]?.kind === 'word' ? sig[k].text.toUpperCase() : '');
  if (word(0) === 'UPDATE') return withDecfloatSets(ctx, tokens, at);
  if (word(0) !== 'INSERT') return tokens;
  let k = word(1) === 'OVERWRITE' ? 2 : 1;
  if (word(k) !== 'INTO') return tokens;
  const { parts, next } = qualifiedName(sig, k + 1);
  let named: string[] | null = null;
  k = next;
  if (sig[k]?.text === '(') {
    const close = closingOf(sig, k);
    if (close < 0) return tokens;
    named = splitTopLevelCommas(sig.slice(k + 1, close)).map((c) => (c[0] ? identName(c[0]) : ''));
    k = close + 1;
  }
  if (k >= sig.length || ['DEFAULT', 'ALL', 'FIRST'].includes(word(k))) return tokens;
  const decfloat = await decfloatColumns(ctx, parts);
  const targets = named ?? [...decfloat.keys()];
  if (!targets.some((c) => decfloat.get(c) === true)) return tokens;
  const text = (from: number, to: number): string =>
    tokens
      .slice(from, to)
      .map((t) => t.text)
      .join('');
  const head = text(0, at[next]);
  const columnList = targets.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  if (word(k) === 'VALUES') {
    // Each row converts on its own, as DuckDB casts each VALUES row to the columns' types.
    const values = valuesSql(sig.slice(k + 1), (n) => decfloat.get(targets[n] ?? '') === true);
    if (values !== null) return tokenize(`${head} (${columnList}) VALUES ${values}`);
  }
  const source = text(at[k], tokens.length).replace(/;\s*$/, '');
  const cols = targets.map((_, n) => `"_SMCP_C${n + 1}"`);
  const items = targets.map((c, n) => (decfloat.get(c) ? `TO_DECFLOAT(${cols[n]})` : cols[n]));
  return tokenize(
    `${head} (${columnList}) SELECT ${items.join(', ')} FROM (${source}) AS "_SMCP_SRC"(${cols.join(', ')})`,
  );
}

/**
 * The rows of a VALUES list (its significant tokens after VALUES) with the values of the columns
 * `converts` names wrapped in TO_DECFLOAT; null when the list is not plain bracketed rows.
 */
function valuesSql(rows: readonly Token[], converts: (column: number) => boolean): string | null {
  const out: string[] = [];
  for (const row of splitTopLevelCommas(rows.filter((t) => t.text !== ';'))) {
    if (row[0]?.text !== '(' || row.at(-1)?.text !== ')') return null;
    const items = splitTopLevelCommas(row.slice(1, -1)).map((item, n) => {
      const sql = item.map((t) => t.text).join(' ');
      const keep = !converts(n) || (item.length === 1 && item[0]?.text.toUpperCase() === 'DEFAULT');
      return keep ? sql : `TO_DECFLOAT(${sql})`;
    });
    out.push(`(${items.join(', ')})`);
  }
  return out.join(', ');
}

/** Index in `sig` of the bracket closing the one at `open`; -1 when it never closes. */
function closingOf(sig: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < sig.length; k++) {
    if (sig[k]?.text === '(') depth++;
    if (sig[k]?.text === ')' && --depth === 0) return k;
  }
  return -1;
}

/** Whether each column of the table named by `parts` is a DECFLOAT, in the table's order. */
export async function decfloatColumns(ctx: StatementContext, parts: string[]): Promise<Map<string, boolean>> {
  const table = parts.at(-1);
  const schema = parts.length >= 2 ? parts.at(-2) : ctx.session.schema;
  const database = parts.length >= 3 ? parts.at(-3) : ctx.session.database;
  if (!table || !schema || !database) return new Map();
  const rows = await ctx.rows(
    `SELECT column_name, data_type FROM duckdb_columns()
      WHERE database_name = $1 AND schema_name = $2 AND table_name = $3 ORDER BY column_index`,
    [database, schema, table],
  );
  return new Map(rows.map(([name, type]) => [String(name), isDecfloatTypeText(String(type))]));
}

/** UPDATE t [alias] SET d = <value>, …: each DECFLOAT column's value through TO_DECFLOAT. */
async function withDecfloatSets(ctx: StatementContext, tokens: Token[], at: number[]): Promise<Token[]> {
  const sig = at.map((k) => tokens[k]);
  const upper = (k: number): string => sig[k]?.text.toUpperCase() ?? '';
  const { parts, next } = qualifiedName(sig, 1);
  const set = sig.findIndex((t, k) => k >= next && t.kind === 'word' && upper(k) === 'SET');
  if (set < 0) return tokens;
  let end = set + 1;
  for (let depth = 0; end < sig.length; end++) {
    if (sig[end]?.text === '(') depth++;
    if (sig[end]?.text === ')') depth--;
    if (depth === 0 && ['FROM', 'WHERE', ';'].includes(upper(end))) break;
  }
  const decfloat = await decfloatColumns(ctx, parts);
  let converted = false;
  const sets = splitTopLevelCommas(sig.slice(set + 1, end)).map((item) => {
    const eq = item.findIndex((t) => t.text === '=');
    const column = eq > 0 ? item[eq - 1] : undefined;
    const sql = (from: number, to?: number): string =>
      item
        .slice(from, to)
        .map((t) => t.text)
        .join(' ');
    if (!column || decfloat.get(identName(column)) !== true) return sql(0);
    converted = true;
    return `${sql(0, eq + 1)} TO_DECFLOAT(${sql(eq + 1)})`;
  });
  if (!converted) return tokens;
  const text = (from: number, to: number): string =>
    tokens
      .slice(from, to)
      .map((t) => t.text)
      .join('');
  const rest = end < sig.length ? ` ${text(at[end] ?? tokens.length, tokens.length)}` : '';
  return tokenize(`${text(0, (at[set] ?? 0) + 1)} ${sets.join(', ')}${rest}`);
}
