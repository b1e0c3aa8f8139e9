/**
 * Snowflake column metadata of a DuckDB result: DuckDB's types refined by the declared Snowflake
 * types of the tables the query reads (DuckDB cannot tell OBJECT from VARIANT, or NUMBER(10,2)
 * from a DECIMAL it derived), matched by column name, and by the OBJECT and ARRAY values the
 * query builds (built-kinds.ts).
 */
import type { DuckDBResult } from '@duckdb/node-api';
import type { ColumnMeta } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { unmarkedColumnName } from './duplicate-aliases.js';
import { columnMetaFor } from './encode.js';
import { builtColumnKinds } from './built-kinds.js';
import { splitQualified } from './statement-results.js';
import { structuredColumn } from './structured-values.js';
import type { SfColumnType } from './types.js';

/** Table names per statement text: DuckDB parses the text again for them, on the main thread. */
const tableNamesCache = new Map<string, readonly string[]>();
const TABLE_NAMES_CACHE_MAX = 256;
const TABLE_NAMES_KEY_MAX = 16_384;

/** The table names as written in `sql` (a pure function of the text, so kept per text). */
function tableNamesOf(ctx: StatementContext, sql: string): readonly string[] {
  const cached = tableNamesCache.get(sql);
  if (cached) {
    // Least recently used first: Map keeps insertion order.
    tableNamesCache.delete(sql);
    tableNamesCache.set(sql, cached);
    return cached;
  }
  let names: readonly string[];
  try {
    names = Object.freeze(ctx.pooled.conn.getTableNames(sql, true));
  } catch {
    names = Object.freeze([]);
  }
  if (sql.length <= TABLE_NAMES_KEY_MAX) {
    if (tableNamesCache.size >= TABLE_NAMES_CACHE_MAX) {
      const oldest = tableNamesCache.keys().next().value;
      if (oldest !== undefined) tableNamesCache.delete(oldest);
    }
    tableNamesCache.set(sql, names);
  }
  return names;
}

/** Fully qualified [db, schema, table] of the tables `sql` reads, completed from the session. */
function referencedTables(ctx: StatementContext, sql: string): [string, string, string][] {
  const names = tableNamesOf(ctx, sql);
  const { database, schema } = ctx.session;
  return names.map((n) => {
    const parts = splitQualified(n);
    if (parts.length >= 3) return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
    if (parts.length === 2) return [database ?? '', parts[0] ?? '', parts[1] ?? ''];
    return [database ?? '', schema ?? '', parts[0] ?? ''];
  });
}

function declaredFor(
  ctx: StatementContext,
  refs: [string, string, string][],
  column: string,
): SfColumnType | undefined {
  for (const [db, sch, tbl] of refs) {
    const t = ctx.catalog.columnType(db, sch, tbl, column);
    if (t) return t;
  }
  return undefined;
}

/** The rowtype of `result`, the DuckDB result of `sql` run in `ctx` (or only prepared: describeOnly). */
export function resultColumns(
  ctx: StatementContext,
  result: Pick<DuckDBResult, 'columnNames' | 'columnTypes'>,
  sql: string,
): ColumnMeta[] {
  const names = result.columnNames();
  const types = result.columnTypes();
  const refs = referencedTables(ctx, sql);
  const built = builtColumnKinds(sql);
  return names.map((duckName, i) => {
    const name = unmarkedColumnName(duckName);
    const duck = types[i];
    if (!duck) throw new Error('column type missing');
    const declared = declaredFor(ctx, refs, name);
    const meta = columnMetaFor(name, duck, declared ? { ...declared, type: declared.wire } : undefined);
    const kind = built.get(duckName);
    if (kind && meta.type === 'variant') meta.type = kind;
    return structuredColumn(meta, duck);
  });
}
