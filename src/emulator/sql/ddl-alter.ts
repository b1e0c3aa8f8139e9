/**
 * ALTER TABLE … ADD [COLUMN] [IF NOT EXISTS] <col> <type> […] [, <col> <type> …] with Snowflake
 * types: DuckDB knows neither NUMBER(p,s), TIMESTAMP_TZ nor DECFLOAT, so each column definition is
 * translated as CREATE TABLE translates it (ddl-columns.ts) and its declared type joins the
 * table's in the catalog (results and metadata report it). Other ALTER TABLE forms, the
 * session's temporary tables and tables that do not exist are left to the rewrite.
 */
import type { ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { columnDef } from './ddl-columns.js';
import type { ColumnDef } from './ddl-columns.js';
import { qualifiedName } from './object-names.js';
import { statusResult } from './result-set.js';
import { qualify } from './show-common.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { quoteIdent, quoteString, splitTopLevelCommas } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import type { SfColumnType } from './types.js';

/** What may follow ADD that is not a column. */
const NOT_COLUMNS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK', 'ROW', 'SEARCH', 'TAG']);

/**
 * Runs ALTER TABLE `sig` (significant tokens) when it adds columns; null for any other ALTER.
 * `rewrite` turns Snowflake SQL into DuckDB SQL (for a DECFLOAT default).
 */
export async function alterTableAddColumns(
  ctx: StatementContext,
  sig: Token[],
  rewrite: (tokens: Token[]) => string,
): Promise<ResultSet | null> {
  const word = (k: number): string => (sig[k]?.kind === 'word' ? sig[k].text.toUpperCase() : '');
  let k = 2;
  const ifExists = word(k) === 'IF' && word(k + 1) === 'EXISTS';
  if (ifExists) k += 2;
  // A temporary table (written `temp.main.<name>` by transactions.ts) stays with the rewrite.
  if (sig[k]?.text === 'temp') return null;
  const { parts, next } = qualifiedName(sig, k);
  if (parts.length === 0 || word(next) !== 'ADD') return null;
  k = next + 1;
  if (word(k) === 'COLUMN') k++;
  const ifNotExists = word(k) === 'IF' && word(k + 1) === 'NOT' && word(k + 2) === 'EXISTS';
  if (ifNotExists) k += 3;
  if (k >= sig.length || NOT_COLUMNS.has(word(k))) return null;
  const [db, schema, table] = qualify(ctx, parts);
  // A table not there (or the session's temporary one, by its plain name): the rewrite answers.
  const found = await ctx.rows(
    'SELECT 1 FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2 AND table_name = $3',
    [db, schema, table],
  );
  if (found.length === 0) return null;
  const target = `${quoteIdent(db)}.${quoteIdent(schema)}.${quoteIdent(table)}`;
  const defs = splitTopLevelCommas(sig.slice(k).filter((t) => t.text !== ';'));
  const columns: ColumnDef[] = [];
  for (const def of defs) {
    // `ADD COLUMN a INT, COLUMN b INT` names COLUMN again; `… IF NOT EXISTS` applies to all.
    const from = def[0]?.kind === 'word' && def[0].text.toUpperCase() === 'COLUMN' ? 1 : 0;
    columns.push(await columnDef(ctx, def.slice(from), rewrite));
  }
  const known = new Map(ctx.catalog.tableTypes(db, schema, table) ?? []);
  for (const column of columns) {
    await ctx.run(
      `ALTER TABLE ${ifExists ? 'IF EXISTS ' : ''}${target} ADD COLUMN ${ifNotExists ? 'IF NOT EXISTS ' : ''}${column.sql}`,
    );
    if (column.comment !== null)
      await ctx.run(
        `COMMENT ON COLUMN ${target}.${quoteIdent(column.name)} IS ${quoteString(column.comment)}`,
      );
  }
  // A column that was there already (IF NOT EXISTS) keeps its type.
  const added = columns.filter((c) => c.declared !== null && !known.has(c.name));
  if (added.length > 0) {
    const declared: [string, SfColumnType][] = [
      ...known,
      ...added.map((c): [string, SfColumnType] => [c.name, c.declared!]),
    ];
    await ctx.catalog.declare(ctx.pooled.conn, db, schema, table, declared);
  }
  await ctx.catalog.sync(ctx.pooled.conn);
  return statusResult('Statement executed successfully.', STATEMENT_TYPE.DDL);
}
