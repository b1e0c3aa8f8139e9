/**
 * SHOW DATABASES / SCHEMAS / TABLES / VIEWS / COLUMNS / WAREHOUSES and DESCRIBE TABLE / VIEW, with
 * Snowflake's lower-case output columns in Snowflake's order. LIKE is case-insensitive.
 */
import type { ColumnMeta, ResultSet, SnowflakeType } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import { tableKey } from './catalog.js';
import type { StatementContext } from './context.js';
import { WAREHOUSES } from './context.js';
import { qualifiedName, schemaExists } from './commands.js';
import { nanosText } from './encode.js';
import { StaticResultSet } from './result-set.js';
import { noCurrentDatabase, objectNotFound } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { showParameters } from './show-parameters.js';
import { sfTypeFromDuck, showColumnsType } from './types.js';

const HIDDEN_DB = `('memory', 'system', 'temp', '_SMCP')`;
const HIDDEN_SCHEMA = `('main', 'information_schema', 'pg_catalog')`;

/** One SHOW cell. */
export type Cell = string | null;

export function col(name: string, type: SnowflakeType = 'text'): ColumnMeta {
  const text = type === 'text';
  return {
    name,
    type,
    nullable: true,
    precision: type === 'fixed' ? 38 : null,
    scale: type === 'fixed' ? 0 : type === 'timestamp_ltz' ? 9 : null,
    length: text ? 16777216 : null,
    byteLength: text ? 16777216 : null,
  };
}

export function likeRegex(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern)
    re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 'is');
}

export function ts(d: Date): string {
  return nanosText(BigInt(d.getTime()) * 1_000_000n);
}

interface Scope {
  db: string | null;
  schema: string | null;
  table: string | null;
}

interface ShowArgs {
  like: RegExp | null;
  scope: Scope;
  limit: number | null;
  startsWith: string | null;
}

async function parseShowArgs(
  ctx: StatementContext,
  sig: Token[],
  start: number,
  objects: string,
): Promise<ShowArgs> {
  let i = start;
  let like: RegExp | null = null;
  let limit: number | null = null;
  let startsWith: string | null = null;
  const s = ctx.session;
  let scope: Scope | null = null;
  const up = (k: number): string => (sig[k]?.kind === 'word' ? (sig[k]?.text.toUpperCase() ?? '') : '');
  while (i < sig.length) {
    const w = up(i);
    if (w === 'LIKE') {
      const t = sig[i + 1];
      if (!t || (t.kind !== 'string' && t.kind !== 'dollar')) throw syntax(t);
      like = likeRegex(stringValue(t));
      i += 2;
    } else if (w === 'IN') {
      const kind = up(i + 1);
      if (kind === 'ACCOUNT') {
        scope = { db: null, schema: null, table: null };
        i += 2;
        continue;
      }
      const explicit = ['DATABASE', 'SCHEMA', 'TABLE', 'VIEW'].includes(kind);
      const { parts, next } = qualifiedName(sig, explicit ? i + 2 : i + 1);
      if (parts.length === 0 && (!explicit || kind === 'TABLE' || kind === 'VIEW')) throw syntax(sig[next]);
      i = next;
      scope = await resolveScope(ctx, explicit ? kind : '', parts, objects);
    } else if (w === 'STARTS' && up(i + 1) === 'WITH') {
      const t = sig[i + 2];
      startsWith = t ? stringValue(t) : '';
      i += 3;
    } else if (w === 'LIMIT') {
      limit = Number(sig[i + 1]?.text ?? '0');
      i += 2;
      if (up(i) === 'FROM') i += 2;
    } else throw syntax(sig[i]);
  }
  if (!scope) {
    if (objects === 'DATABASES' || objects === 'WAREHOUSES') scope = { db: null, schema: null, table: null };
    else if (!s.database) throw noCurrentDatabase();
    else scope = { db: s.database, schema: objects === 'SCHEMAS' ? null : s.schema, table: null };
  }
  return { like, scope, limit, startsWith };
}

export function syntax(t: Token | undefined): EmulatorSqlError {
  return new EmulatorSqlError(
    '001003',
    '42000',
    `SQL compilation error:\nsyntax error line 1 at position ${t?.start ?? 0} unexpected '${t?.text ?? '<EOF>'}'.`,
  );
}

async function resolveScope(
  ctx: StatementContext,
  kind: string,
  parts: string[],
  objects: string,
): Promise<Scope> {
  const s = ctx.session;
  const dbOk = async (db: string): Promise<boolean> =>
    (
      await ctx.rows(
        `SELECT 1 FROM duckdb_databases() WHERE database_name = $1 AND database_name NOT IN ${HIDDEN_DB}`,
        [db],
      )
    ).length > 0;
  if (kind === 'DATABASE' || (kind === '' && parts.length === 1 && (await dbOk(parts[0] ?? '')))) {
    const db = parts[0] ?? s.database;
    if (!db) throw noCurrentDatabase();
    if (!(await dbOk(db))) throw objectNotFound('Database', db);
    return { db, schema: null, table: null };
  }
  if (
    kind === 'TABLE' ||
    kind === 'VIEW' ||
    (kind === '' && parts.length === 3) ||
    (objects === 'COLUMNS' && kind === '')
  ) {
    const [db, schema, table] = qualify(ctx, parts);
    return { db, schema, table };
  }
  const [db, schema] =
    parts.length >= 2 ? [parts[0] ?? '', parts[1] ?? ''] : [s.database, parts[0] ?? s.schema];
  if (!db) throw noCurrentDatabase();
  if (!schema)
    throw new EmulatorSqlError(
      '090106',
      '22000',
      'Cannot perform SHOW <object>. This session does not have a current schema.',
    );
  if (!(await schemaExists(ctx, db, schema))) throw objectNotFound('Schema', `${db}.${schema}`);
  return { db, schema, table: null };
}

/** A 1–3 part name completed with the session's database and schema. */
export function qualify(ctx: StatementContext, parts: string[]): [string, string, string] {
  const s = ctx.session;
  if (parts.length >= 3) return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
  if (parts.length === 2) {
    if (!s.database) throw noCurrentDatabase();
    return [s.database, parts[0] ?? '', parts[1] ?? ''];
  }
  if (!s.database || !s.schema) throw noCurrentDatabase();
  return [s.database, s.schema, parts[0] ?? ''];
}

function finish(args: ShowArgs, rows: Cell[][], nameIndex: number): Cell[][] {
  let out = rows.filter((r) => {
    const name = r[nameIndex] ?? '';
    return (!args.like || args.like.test(name)) && (!args.startsWith || name.startsWith(args.startsWith));
  });
  if (args.limit !== null) out = out.slice(0, args.limit);
  return out;
}

/** SHOW …: the object kind comes first in `sig` (after SHOW). */
export async function runShow(ctx: StatementContext, sig: Token[]): Promise<ResultSet> {
  let i = 0;
  if (sig[0]?.text.toUpperCase() === 'TERSE') i++;
  const objects = (sig[i]?.text ?? '').toUpperCase();
  if (objects === 'PARAMETERS') return showParameters(ctx, sig.slice(i + 1));
  if (
    objects === 'COLUMNS' ||
    objects === 'OBJECTS' ||
    objects === 'DATABASES' ||
    objects === 'SCHEMAS' ||
    objects === 'TABLES' ||
    objects === 'VIEWS' ||
    objects === 'WAREHOUSES'
  ) {
    const args = await parseShowArgs(ctx, sig, i + 1, objects);
    const info = await ctx.catalog.objectInfo(ctx.pooled.conn);
    const created = (db: string, sch: string, name: string): string =>
      ts(info.get(tableKey(db, sch, name))?.created ?? START);
    const { db, schema } = args.scope;
    const where = (dbCol: string, schCol: string | null): string =>
      `${dbCol} NOT IN ${HIDDEN_DB}${db ? ` AND ${dbCol} = '${db.replace(/'/g, "''")}'` : ''}${schCol ? ` AND ${schCol} NOT IN ${HIDDEN_SCHEMA}${schema ? ` AND ${schCol} = '${schema.replace(/'/g, "''")}'` : ''}` : ''}`;
    switch (objects) {
      case 'DATABASES': {
        const rows = await ctx.rows(
          `SELECT database_name, comment FROM duckdb_databases() WHERE ${where('database_name', null)} ORDER BY 1`,
        );
        const out = rows.map((r): Cell[] => {
          const name = String(r[0]);
          return [
            ts(START),
            name,
            'N',
            name === ctx.session.database ? 'Y' : 'N',
            '',
            'ACCOUNTADMIN',
            r[1] === null ? '' : String(r[1]),
            '',
            '1',
            'STANDARD',
            null,
            'ROLE',
          ];
        });
        const cols = [
          'created_on',
          'name',
          'is_default',
          'is_current',
          'origin',
          'owner',
          'comment',
          'options',
          'retention_time',
          'kind',
          'budget',
          'owner_role_type',
        ];
        return result(cols, finish(args, out, 1), { created_on: 'timestamp_ltz' });
      }
      case 'SCHEMAS': {
        const rows = await ctx.rows(
          `SELECT schema_name, database_name, comment FROM duckdb_schemas() WHERE ${where('database_name', 'schema_name')} ORDER BY 2, 1`,
        );
        const dbs = db ? [db] : [...new Set(rows.map((r) => String(r[1])))];
        const all: Cell[][] = rows.map((r) => [
          String(r[0]),
          String(r[1]),
          r[2] === null ? '' : String(r[2]),
        ]);
        for (const d of dbs)
          all.push(['INFORMATION_SCHEMA', d, 'Views describing the contents of schemas in this database']);
        all.sort((a, b) => `${a[1] ?? ''}.${a[0] ?? ''}`.localeCompare(`${b[1] ?? ''}.${b[0] ?? ''}`));
        const out = all.map((r): Cell[] => {
          const current = r[1] === ctx.session.database && r[0] === ctx.session.schema ? 'Y' : 'N';
          return [
            ts(START),
            r[0] ?? '',
            'N',
            current,
            r[1] ?? '',
            r[0] === 'INFORMATION_SCHEMA' ? '' : 'ACCOUNTADMIN',
            r[2] ?? '',
            '',
            '1',
            'ROLE',
            null,
          ];
        });
        const cols = [
          'created_on',
          'name',
          'is_default',
          'is_current',
          'database_name',
          'owner',
          'comment',
          'options',
          'retention_time',
          'owner_role_type',
          'budget',
        ];
        return result(cols, finish(args, out, 1), { created_on: 'timestamp_ltz' });
      }
      case 'TABLES':
      case 'OBJECTS': {
        const rows = await ctx.rows(
          `SELECT table_name, database_name, schema_name, comment, estimated_size, column_count FROM duckdb_tables()
           WHERE ${where('database_name', 'schema_name')} ORDER BY 2, 3, 1`,
        );
        const out = rows.map((r): Cell[] => {
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
      case 'VIEWS': {
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
      case 'COLUMNS': {
        const tableFilter = args.scope.table
          ? ` AND table_name = '${args.scope.table.replace(/'/g, "''")}'`
          : '';
        if (args.scope.table)
          await assertObject(ctx, args.scope.db ?? '', args.scope.schema ?? '', args.scope.table, 'Table');
        const rows = await ctx.rows(
          `SELECT table_name, schema_name, column_name, is_nullable, column_default, comment, database_name, data_type,
             numeric_precision, numeric_scale
           FROM duckdb_columns() WHERE ${where('database_name', 'schema_name')}${tableFilter} ORDER BY database_name, schema_name, table_name, column_index`,
        );
        const out = rows.map((r): Cell[] => {
          const [tbl, sch, name, d] = [String(r[0]), String(r[1]), String(r[2]), String(r[6])];
          const t =
            ctx.catalog.columnType(d, sch, tbl, name) ??
            sfTypeFromDuck(
              String(r[7]),
              r[8] === null ? null : Number(r[8]),
              r[9] === null ? null : Number(r[9]),
            );
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
        return result(cols, finish(args, out, 2));
      }
      case 'WAREHOUSES': {
        const out = WAREHOUSES.map((w): Cell[] => [
          w.name,
          w.state,
          'STANDARD',
          w.size,
          '1',
          '1',
          '0',
          '0',
          '0',
          w.name === ctx.session.warehouse ? 'true' : 'false',
          '600',
          'true',
          ts(START),
          'ACCOUNTADMIN',
          '',
          'ROLE',
        ]);
        const cols = [
          'name',
          'state',
          'type',
          'size',
          'min_cluster_count',
          'max_cluster_count',
          'started_clusters',
          'running',
          'queued',
          'is_current',
          'auto_suspend',
          'auto_resume',
          'created_on',
          'owner',
          'comment',
          'owner_role_type',
        ];
        return result(cols, finish(args, out, 0), { created_on: 'timestamp_ltz' });
      }
    }
  }
  throw syntax(sig[i]);
}

/** When the engine module loaded: created_on of objects without a recorded time. */
export const START = new Date();

export function result(
  names: string[],
  rows: Cell[][],
  types: Record<string, SnowflakeType> = {},
): ResultSet {
  return new StaticResultSet(
    names.map((n) => col(n, types[n] ?? 'text')),
    rows,
    STATEMENT_TYPE.SHOW,
  );
}

export async function assertObject(
  ctx: StatementContext,
  db: string,
  schema: string,
  name: string,
  kind: string,
): Promise<void> {
  const rows = await ctx.rows(
    `SELECT 1 FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2 AND table_name = $3
     UNION ALL SELECT 1 FROM duckdb_views() WHERE database_name = $1 AND schema_name = $2 AND view_name = $3 AND NOT internal`,
    [db, schema, name],
  );
  if (rows.length === 0 || db === '_SMCP' || db === 'memory')
    throw objectNotFound(kind, `${db}.${schema}.${name}`);
}
