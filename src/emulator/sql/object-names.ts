/**
 * Qualified names in commands (`db.schema.object`, each part quoted or not) and whether the
 * databases and schemas they name exist, shared by USE, SHOW, DESCRIBE and the procedure commands.
 */
import type { StatementContext } from './context.js';
import { identName } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Splits `a.b.c` tokens of `sig` from `start` into folded names; `next` is the index after them. */
export function qualifiedName(sig: Token[], start: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    const t = sig[i];
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted' && t.kind !== 'string')) break;
    parts.push(identName(t));
    i++;
    if (sig[i]?.text !== '.') break;
    i++;
  }
  return { parts, next: i };
}

/** True when a user database of that name exists. */
export async function databaseExists(ctx: StatementContext, db: string): Promise<boolean> {
  const rows = await ctx.rows(
    `SELECT 1 FROM duckdb_databases() WHERE database_name = $1 AND database_name NOT IN ('memory', 'system', 'temp', '_SMCP')`,
    [db],
  );
  return rows.length > 0;
}

/** True when the schema exists (INFORMATION_SCHEMA always does). */
export async function schemaExists(ctx: StatementContext, db: string, schema: string): Promise<boolean> {
  if (schema === 'INFORMATION_SCHEMA') return databaseExists(ctx, db);
  const rows = await ctx.rows(
    `SELECT 1 FROM duckdb_schemas() WHERE database_name = $1 AND schema_name = $2 AND schema_name NOT IN ('main', 'pg_catalog', 'information_schema')`,
    [db, schema],
  );
  return rows.length > 0 && (await databaseExists(ctx, db));
}
