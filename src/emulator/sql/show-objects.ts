/**
 * SHOW TABLES / OBJECTS / VIEWS / COLUMNS with Snowflake's output columns in Snowflake's order.
 */
import type { ResultSet } from '../engine-types.js';
import { tableKey } from './catalog.js';
import { shownDefaultSql } from './decfloat-default.js';
import { assertObject, finish, result, sortRows } from './show-common.js';
import type { Cell, ShowQuery } from './show-common.js';
import { sfTypeFromDuck, showColumnsType } from './types.js';

/** SHOW TABLES / OBJECTS. */
export async function showTables(q: ShowQuery): Promise<ResultSet> {
  const { ctx, args, created, where } = q;
  const rows = await ctx.rows(
    `SELECT table_name, database_name, schema_name, comment, estimated_size, column_count FROM duckdb_tables()
       WHERE ${where('database_name', 'schema_name')} ORDER BY 2, 3, 1`,
  );
  const generated = ctx.catalog.generated?.tables(q.db, q.schema) ?? [];
  const all: typeof rows = generated.length > 0 ? sortRows([...rows, ...generated], [1, 2, 0]) : rows;
  const out = all.map((r): Cell[] => {
    const [name, d, sch] = [String(r[0]), String(r[1]), String(r[2])];
    const n = Number(r[4] ?? 0);
    return [
      created(d, sch, name),
      name,
      d,
      sch,
      'TABLE',
      r[3] === null ? '' : String(r[3]),
      '',
      String(n),
      String(n * Number(r[5] ?? 1) * 8),
      'ACCOUNTADMIN',
      '1',
      'OFF',
      'OFF',
      'OFF',
      null,
      null,
      'N',
      'N',
      'ROLE',
      'N',
      null,
      'N',
      'N',
      'N',
      'N',
    ];
  });
  const cols = [
    'created_on',
    'name',
    'database_name',
    'schema_name',
    'kind',
    'comment',
    'cluster_by',
    'rows',
    'bytes',
    'owner',
    'retention_time',
    'automatic_clustering',
    'change_tracking',
    'search_optimization',
    'search_optimization_progress',
    'search_optimization_bytes',
    'is_external',
    'enable_schema_evolution',
    'owner_role_type',
    'is_event',
    'budget',
    'is_hybrid',
    'is_iceberg',
    'is_dynamic',
    'is_immutable',
  ];
  return result(cols, finish(args, out, 1), {
    created_on: 'timestamp_ltz',
    rows: 'fixed',
    bytes: 'fixed',
  });
}

/** SHOW VIEWS. */
export async function showViews(q: ShowQuery): Promise<ResultSet> {
  const { ctx, args, created, where, info } = q;
  const rows = await ctx.rows(
    `SELECT view_name, database_name, schema_name, comment, sql FROM duckdb_views()
       WHERE NOT internal AND ${where('database_name', 'schema_name')} ORDER BY 2, 3, 1`,
  );
  const out = rows.map((r): Cell[] => {
    const [name, d, sch] = [String(r[0]), String(r[1]), String(r[2])];
    const text = info.get(tableKey(d, sch, name))?.text ?? String(r[4]);
    return [
      created(d, sch, name),
      name,
      '',
      d,
      sch,
      'ACCOUNTADMIN',
      r[3] === null ? '' : String(r[3]),
      text,
      'false',
      'false',
      'ROLE',
      'OFF',
    ];
  });
  const cols = [
    'created_on',
    'name',
    'reserved',
    'database_name',
    'schema_name',
    'owner',
    'comment',
    'text',
    'is_secure',
    'is_materialized',
    'owner_role_type',
    'change_tracking',
  ];
  return result(cols, finish(args, out, 1), { created_on: 'timestamp_ltz' });
}

/** SHOW COLUMNS. */
export async function showColumns(q: ShowQuery): Promise<ResultSet> {
  const { ctx, args, where } = q;
  const tableFilter = args.scope.table ? ` AND table_name = '${args.scope.table.replace(/'/g, "''")}'` : '';
  const { db: scopeDb, schema: scopeSchema, table } = args.scope;
  if (table && ctx.catalog.generated?.find(scopeDb ?? '', scopeSchema ?? '', table) === undefined)
    await assertObject(ctx, scopeDb ?? '', scopeSchema ?? '', table, 'Table');
  const rows = await ctx.rows(
    `SELECT table_name, schema_name, column_name, is_nullable, ${shownDefaultSql('column_default')}, comment, database_name, data_type,
         numeric_precision, numeric_scale
       FROM duckdb_columns() WHERE ${where('database_name', 'schema_name')}${tableFilter} ORDER BY database_name, schema_name, table_name, column_index`,
  );
  const generated = ctx.catalog.generated?.columns(q.db, q.schema, args.scope.table) ?? [];
  const all: typeof rows = generated.length > 0 ? sortRows([...rows, ...generated], [6, 1, 0]) : rows;
  const out = all.map((r): Cell[] => {
    const [tbl, sch, name, d] = [String(r[0]), String(r[1]), String(r[2]), String(r[6])];
    const t =
      ctx.catalog.columnType(d, sch, tbl, name) ??
      sfTypeFromDuck(String(r[7]), r[8] === null ? null : Number(r[8]), r[9] === null ? null : Number(r[9]));
    const nullable = r[3] === true;
    return [
      tbl,
      sch,
      name,
      showColumnsType(t, nullable),
      nullable ? 'true' : 'false',
      r[4] === null ? '' : String(r[4]),
      'COLUMN',
      '',
      r[5] === null ? '' : String(r[5]),
      d,
      '',
      null,
    ];
  });
  const cols = [
    'table_name',
    'schema_name',
    'column_name',
    'data_type',
    'null?',
    'default',
    'kind',
    'expression',
    'comment',
    'database_name',
    'autoincrement',
    'schema_evolution_record',
  ];
  return result(cols, finish(args, out, 2, Number.POSITIVE_INFINITY));
}
