/**
 * CREATE TABLE and CREATE VIEW: Snowflake column types become DuckDB ones (declared types go to the
 * catalog so results and metadata report them), COMMENTs become DuckDB comments, and views keep
 * the text the user wrote.
 */
import type { ResultSet } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { closeOf, columnDef } from './ddl-columns.js';
import { ctasColumnList, keptTypes } from './ctas-columns.js';
import { statusResult } from './result-set.js';
import { STATEMENT_TYPE } from './statement-types.js';
import {
  identName,
  joinTokens,
  quoteIdent,
  quoteString,
  splitTopLevelCommas,
  stringValue,
} from './tokenizer.js';
import type { Token } from './tokenizer.js';
import type { SfColumnType } from './types.js';

/** Rewrites Snowflake SQL tokens into DuckDB SQL (the engine's rewrite). */
export type Rewrite = (tokens: Token[]) => string;

function qualified(db: string, schema: string, name: string): string {
  return `${quoteIdent(db)}.${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** `COMMENT = '…'` among table/view/schema options. */
export function findComment(sig: Token[]): string | null {
  for (let k = 0; k < sig.length; k++) {
    if ((sig[k]?.text ?? '').toUpperCase() === 'COMMENT' && sig[k + 1]?.text === '=') {
      const v = sig[k + 2];
      if (v && (v.kind === 'string' || v.kind === 'dollar')) return stringValue(v);
    }
  }
  return null;
}

const CONSTRAINT_WORDS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK']);

/** CREATE TABLE (…) / AS SELECT with Snowflake types; null to leave odd forms to DuckDB. */
export async function createTable(
  ctx: StatementContext,
  tokens: Token[],
  sig: Token[],
  i: number,
  [db, schema, name]: [string, string, string],
  replace: boolean,
  ifNotExists: boolean,
  rewrite: Rewrite,
  temporary = false,
): Promise<ResultSet | null> {
  // A temporary table is a DuckDB TEMP table on the session's own connection (transactions.ts).
  const target = temporary ? `temp.main.${quoteIdent(name)}` : qualified(db, schema, name);
  const head = `CREATE ${replace ? 'OR REPLACE ' : ''}${temporary ? 'TEMP ' : ''}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${target}`;
  const declared: [string, SfColumnType][] = [];
  const colComments: [string, string][] = [];
  let body = '';
  let j = i;
  // `(a, b) AS <query>` names the query's columns (ctas-columns.ts).
  const listed = await ctasColumnList(ctx, tokens, sig, i, rewrite);
  if (listed) {
    declared.push(...listed.declared);
    colComments.push(...listed.comments);
    j = listed.next;
  } else if (sig[j]?.text === '(') {
    const close = closeOf(sig, j);
    const defs: string[] = [];
    for (const def of splitTopLevelCommas(sig.slice(j + 1, close))) {
      const first = def[0];
      if (!first) continue;
      if (CONSTRAINT_WORDS.has(first.text.toUpperCase())) {
        defs.push(def.map((t) => t.text).join(' '));
        continue;
      }
      const column = await columnDef(ctx, def, rewrite);
      if (column.declared) declared.push([column.name, column.declared]);
      if (column.comment !== null) colComments.push([column.name, column.comment]);
      defs.push(column.sql);
    }
    body = ` (${defs.join(', ')})`;
    j = close + 1;
  }
  const asAt = sig.findIndex((t, k) => k >= j && t.kind === 'word' && t.text.toUpperCase() === 'AS');
  const comment = findComment(sig.slice(j, asAt < 0 ? sig.length : asAt));
  let query = '';
  if (listed) query = ` AS ${listed.sql}`;
  else if (asAt >= 0) {
    const startOffset = sig[asAt + 1]?.start ?? 0;
    const sql = rewrite(tokens.filter((t) => t.start >= startOffset));
    query = ` AS ${sql}`;
    if (body === '') declared.push(...(await keptTypes(ctx, sql)));
  } else if (
    j < sig.length &&
    comment === null &&
    !/^(CLUSTER|DATA_RETENTION|CHANGE_TRACKING|COPY)/i.test(sig[j]?.text ?? '')
  ) {
    return null;
  }
  await ctx.run(`${head}${body}${query}`);
  if (comment !== null) await ctx.run(`COMMENT ON TABLE ${target} IS ${quoteString(comment)}`);
  for (const [c, text] of colComments)
    await ctx.run(`COMMENT ON COLUMN ${target}.${quoteIdent(c)} IS ${quoteString(text)}`);
  if (!temporary) {
    await ctx.catalog.declare(ctx.pooled.conn, db, schema, name, declared);
    await ctx.catalog.noteObject(ctx.pooled.conn, db, schema, name, null);
    await ctx.catalog.sync(ctx.pooled.conn);
  }
  return statusResult(`Table ${name} successfully created.`, STATEMENT_TYPE.DDL);
}

/** CREATE VIEW, keeping the text the user wrote and the source columns' declared types. */
export async function createView(
  ctx: StatementContext,
  sig: Token[],
  i: number,
  [db, schema, name]: [string, string, string],
  replace: boolean,
  ifNotExists: boolean,
  rewrite: Rewrite,
): Promise<ResultSet> {
  let j = i;
  const colNames: string[] = [];
  const colComments: [string, string][] = [];
  if (sig[j]?.text === '(') {
    const close = closeOf(sig, j);
    for (const def of splitTopLevelCommas(sig.slice(j + 1, close))) {
      const first = def[0];
      if (!first) continue;
      const colName = identName(first);
      colNames.push(quoteIdent(colName));
      const c = def.findIndex((t) => t.text.toUpperCase() === 'COMMENT');
      const v = c >= 0 ? def[c + 1] : undefined;
      if (v) colComments.push([colName, stringValue(v)]);
    }
    j = close + 1;
  }
  const asAt = sig.findIndex((t, k) => k >= j && t.kind === 'word' && t.text.toUpperCase() === 'AS');
  if (asAt < 0) {
    throw new EmulatorSqlError(
      '001003',
      '42000',
      "SQL compilation error:\nsyntax error line 1 at position 0 unexpected '<EOF>'.",
    );
  }
  const comment = findComment(sig.slice(j, asAt));
  const queryTokens = sig.slice(asAt + 1);
  const spaced: Token[] = [];
  for (const t of queryTokens) spaced.push(t, { kind: 'space', text: ' ', start: t.start });
  const query = rewrite(spaced);
  const target = qualified(db, schema, name);
  await ctx.run(
    `CREATE ${replace ? 'OR REPLACE ' : ''}VIEW ${ifNotExists ? 'IF NOT EXISTS ' : ''}${target}${colNames.length ? ` (${colNames.join(', ')})` : ''} AS ${query}`,
  );
  if (comment !== null) await ctx.run(`COMMENT ON VIEW ${target} IS ${quoteString(comment)}`);
  for (const [c, text] of colComments)
    await ctx.run(`COMMENT ON COLUMN ${target}.${quoteIdent(c)} IS ${quoteString(text)}`);
  await ctx.catalog.noteObject(ctx.pooled.conn, db, schema, name, ctx.sqlText.trim() || joinTokens(sig));
  await ctx.catalog.sync(ctx.pooled.conn);
  await declareViewTypes(ctx, db, schema, name, target);
  return statusResult(`View ${name} successfully created.`, STATEMENT_TYPE.DDL);
}

/** Copies declared types of source columns onto a view's same-named columns (TIMESTAMP_TZ, OBJECT, …). */
async function declareViewTypes(
  ctx: StatementContext,
  db: string,
  schema: string,
  name: string,
  target: string,
): Promise<void> {
  let refs: readonly string[];
  try {
    const viewSql = await ctx.rows(
      `SELECT sql FROM duckdb_views() WHERE database_name = $1 AND schema_name = $2 AND view_name = $3`,
      [db, schema, name],
    );
    refs = ctx.pooled.conn.getTableNames(
      String(viewSql[0]?.[0] ?? `SELECT * FROM ${target}`).replace(/^CREATE VIEW [^\n]*? AS /is, ''),
      true,
    );
  } catch {
    return;
  }
  const current = ctx.catalog.tableTypes(db, schema, name);
  if (!current) return;
  const cols: [string, SfColumnType][] = [];
  for (const [col, t] of current) {
    let best = t;
    for (const ref of refs) {
      const p = ref.split('.').map((s) => s.replace(/^"|"$/g, ''));
      const [rdb, rsch, rtbl] = p.length >= 3 ? p : p.length === 2 ? [db, p[0], p[1]] : [db, schema, p[0]];
      const src = ctx.catalog.columnType(rdb ?? '', rsch ?? '', rtbl ?? '', col);
      if (
        src &&
        (src.wire === t.wire ||
          (t.wire === 'variant' && ['object', 'array'].includes(src.wire)) ||
          (t.wire === 'timestamp_ltz' && src.wire === 'timestamp_tz') ||
          (t.wire === 'text' && src.wire === 'text'))
      ) {
        best = src;
        break;
      }
    }
    cols.push([col, best]);
  }
  await ctx.catalog.declare(ctx.pooled.conn, db, schema, name, cols);
}
