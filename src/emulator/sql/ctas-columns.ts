/**
 * CREATE [OR REPLACE] TABLE t (a [type] [COMMENT '…'], …) AS <query>: the list names the query's
 * columns in order, and a type given casts that column, as Snowflake documents. The query is read
 * as a subquery with positional names, so each column is renamed (and cast) whatever the query
 * called it:
 *   SELECT "_SMCP_C1" AS "A", CAST("_SMCP_C2" AS <type>) AS "B" FROM (<query>) AS "_SMCP_SRC"("_SMCP_C1", "_SMCP_C2")
 * A column without a type keeps the Snowflake type the query gives it (an OBJECT stays OBJECT, a
 * VARCHAR(10) keeps its length), as it does in a CTAS without a list (keptTypes). A list whose length differs from the query's columns, and column
 * options other than COMMENT, fail with a compilation error.
 */
import type { ColumnMeta } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { closeOf } from './ddl-columns.js';
import type { Rewrite } from './ddl-table.js';
import { preparedColumns } from './describe-only.js';
import { unsupported } from './sql-errors.js';
import { identName, quoteIdent, splitTopLevelCommas, stringValue, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { parseSfType } from './types.js';
import type { SfColumnType } from './types.js';

/** A CTAS column list read: the query to create the table from, and what goes to the catalog. */
export interface CtasColumns {
  /** DuckDB SQL of the query, columns renamed and cast. */
  readonly sql: string;
  /** Index in `sig` after the column list. */
  readonly next: number;
  readonly declared: [string, SfColumnType][];
  readonly comments: [string, string][];
}

/** One entry of the list: its name, its type (Snowflake text and parsed) and comment. */
interface ListedColumn {
  name: string;
  typeText: string | null;
  type: SfColumnType | null;
  comment: string | null;
}

function listedColumn(def: readonly Token[]): ListedColumn {
  const name = def[0] ? identName(def[0]) : '';
  const at = def.findIndex((t, k) => k > 0 && t.kind === 'word' && t.text.toUpperCase() === 'COMMENT');
  const typeEnd = at < 0 ? def.length : at;
  const commentTok = at >= 0 ? def[at + 1] : undefined;
  const comment = commentTok ? stringValue(commentTok) : null;
  if (at >= 0 && def.length !== at + 2)
    throw unsupported(`column options of ${name} in CREATE TABLE … AS SELECT`);
  const typeToks = def.slice(1, typeEnd);
  if (typeToks.length === 0) return { name, typeText: null, type: null, comment };
  const args: number[] = [];
  if (typeToks[1]?.text === '(') {
    const close = closeOf(typeToks, 1);
    if (close !== typeToks.length - 1)
      throw unsupported(`column options of ${name} in CREATE TABLE … AS SELECT`);
    for (const t of typeToks.slice(2, close)) if (t.kind === 'number') args.push(Number(t.text));
  } else if (typeToks.length > 1) throw unsupported(`column options of ${name} in CREATE TABLE … AS SELECT`);
  const typeText = typeToks.map((t) => t.text).join(' ');
  return { name, typeText, type: parseSfType(typeToks[0]?.text ?? '', args), comment };
}

/** Names of the Snowflake types a query's column keeps in the catalog (DuckDB cannot tell them). */
const KEPT: Partial<Record<ColumnMeta['type'], string>> = {
  object: 'OBJECT',
  array: 'ARRAY',
  text: 'VARCHAR',
  binary: 'BINARY',
};

/** The declared type of a query's column the catalog should keep, or null to let DuckDB's type speak. */
function keptType(meta: ColumnMeta | undefined): SfColumnType | null {
  const name = meta && !meta.fields ? KEPT[meta.type] : undefined;
  if (!meta || !name) return null;
  return parseSfType(name, meta.length === null ? [] : [meta.length]);
}

/**
 * The Snowflake types DuckDB cannot tell (OBJECT, ARRAY, VARCHAR(n), BINARY(n)) of the columns of
 * DuckDB query `sql`, by column name: what a plain CREATE TABLE … AS <query> declares. Prepares the
 * query once; a query that does not prepare declares nothing (creating the table reports why).
 */
export async function keptTypes(ctx: StatementContext, sql: string): Promise<[string, SfColumnType][]> {
  let columns: ColumnMeta[];
  try {
    columns = await preparedColumns(ctx, sql);
  } catch {
    return [];
  }
  return columns.flatMap((c) => {
    const type = keptType(c);
    return type ? [[c.name, type] as [string, SfColumnType]] : [];
  });
}

/**
 * The CTAS column list opening at `open` in `sig` (a CREATE TABLE's significant tokens), when an AS
 * query follows it; null for any other CREATE TABLE. Prepares the query once to learn its columns.
 */
export async function ctasColumnList(
  ctx: StatementContext,
  tokens: readonly Token[],
  sig: readonly Token[],
  open: number,
  rewrite: Rewrite,
): Promise<CtasColumns | null> {
  if (sig[open]?.text !== '(') return null;
  const close = closeOf(sig, open);
  const asAt = sig.findIndex((t, k) => k > close && t.kind === 'word' && t.text.toUpperCase() === 'AS');
  if (asAt < 0) return null;
  const listed = splitTopLevelCommas(sig.slice(open + 1, close)).map(listedColumn);
  const startOffset = sig[asAt + 1]?.start ?? 0;
  const query = tokens
    .filter((t) => t.start >= startOffset)
    .map((t) => t.text)
    .join('')
    .replace(/;\s*$/, '');
  const source = await preparedColumns(ctx, rewrite(tokenize(query)));
  if (source.length !== listed.length) {
    throw new EmulatorSqlError(
      '002141',
      '42601',
      `SQL compilation error:\nCREATE TABLE … AS SELECT names ${listed.length} column(s) but the query returns ${source.length}`,
    );
  }
  const cols = listed.map((_c, n) => `"_SMCP_C${n + 1}"`);
  const items = listed.map((c, n) => {
    const col = cols[n] ?? '';
    return `${c.typeText === null ? col : `CAST(${col} AS ${c.typeText})`} AS ${quoteIdent(c.name)}`;
  });
  const select = `SELECT ${items.join(', ')} FROM (${query}) AS "_SMCP_SRC"(${cols.join(', ')})`;
  const declared: [string, SfColumnType][] = [];
  listed.forEach((c, n) => {
    const type = c.type ?? (c.typeText === null ? keptType(source[n]) : null);
    if (type) declared.push([c.name, type]);
  });
  return {
    sql: rewrite(tokenize(select)),
    next: close + 1,
    declared,
    comments: listed.flatMap((c) => (c.comment === null ? [] : [[c.name, c.comment] as [string, string]])),
  };
}
