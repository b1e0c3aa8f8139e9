/**
 * What every SHOW shares: argument parsing (LIKE, IN …, STARTS WITH, LIMIT), scope resolution,
 * row filtering and the result shape (Snowflake's lower-case output columns).
 */
import type { ColumnMeta, ResultSet, SnowflakeType } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { qualifiedName, schemaExists } from './object-names.js';
import { nanosText } from './encode.js';
import { StaticResultSet } from './result-set.js';
import { noCurrentDatabase, objectNotFound } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Catalogs SHOW never lists, as a SQL list. */
export const HIDDEN_DB = `('memory', 'system', 'temp', '_SMCP')`;
/** Schemas SHOW never lists, as a SQL list. */
export const HIDDEN_SCHEMA = `('main', 'information_schema', 'pg_catalog')`;

/** One SHOW cell. */
export type Cell = string | null;

/** A SHOW output column of the given wire type. */
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

/** A case-insensitive regex for a SQL LIKE pattern. */
export function likeRegex(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern)
    re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 'is');
}

/** A Date as Snowflake's TIMESTAMP_LTZ wire text. */
export function ts(d: Date): string {
  return nanosText(BigInt(d.getTime()) * 1_000_000n);
}

/** Where a SHOW looks. */
export interface Scope {
  db: string | null;
  schema: string | null;
  table: string | null;
}

/** The parsed LIKE / IN / STARTS WITH / LIMIT of a SHOW. */
export interface ShowArgs {
  like: RegExp | null;
  scope: Scope;
  limit: number | null;
  /** LIMIT … FROM 'name': the rows after the first whose name starts with it. */
  from: string | null;
  startsWith: string | null;
}

/** Parses LIKE, IN …, STARTS WITH and LIMIT from sig[start]. */
export async function parseShowArgs(
  ctx: StatementContext,
  sig: Token[],
  start: number,
  objects: string,
): Promise<ShowArgs> {
  let i = start;
  let like: RegExp | null = null;
  let limit: number | null = null;
  let from: string | null = null;
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
      if (up(i) === 'FROM') {
        const t = sig[i + 1];
        if (!t || (t.kind !== 'string' && t.kind !== 'dollar')) throw syntax(t);
        from = stringValue(t);
        i += 2;
      }
    } else throw syntax(sig[i]);
  }
  if (!scope) {
    if (objects === 'DATABASES' || objects === 'WAREHOUSES') scope = { db: null, schema: null, table: null };
    else if (!s.database) throw noCurrentDatabase();
    else scope = { db: s.database, schema: objects === 'SCHEMAS' ? null : s.schema, table: null };
  }
  return { like, scope, limit, from, startsWith };
}

/** Snowflake's syntax error at token `t` (or end of input). */
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

/** Rows one SHOW returns at most, as in Snowflake (more through LIMIT … FROM pages). */
export const SHOW_MAX_ROWS = 10_000;

/**
 * Applies LIKE (on column `nameIndex`), STARTS WITH, LIMIT … FROM and Snowflake's 10,000-row cap
 * (`cap`; SHOW COLUMNS has none) to SHOW rows. FROM 'x' is a cursor: the rows after the first one
 * whose name starts with x.
 */
export function finish(args: ShowArgs, rows: Cell[][], nameIndex: number, cap = SHOW_MAX_ROWS): Cell[][] {
  let out = rows.filter((r) => {
    const name = r[nameIndex] ?? '';
    return (!args.like || args.like.test(name)) && (!args.startsWith || name.startsWith(args.startsWith));
  });
  if (args.from !== null) {
    const from = args.from;
    const at = out.findIndex((r) => (r[nameIndex] ?? '').startsWith(from));
    out = at < 0 ? [] : out.slice(at + 1);
  }
  return out.slice(0, Math.min(args.limit ?? cap, cap));
}

/**
 * Sorts raw catalog rows in place by the text of the columns at `keys`, in that order (stable:
 * rows equal on the keys keep their order, e.g. columns by position); returns them.
 */
export function sortRows<T extends unknown[]>(rows: T[], keys: readonly number[]): T[] {
  return rows.sort((a, b) => {
    for (const k of keys) {
      const x = String(a[k]);
      const y = String(b[k]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/** SHOW …: the object kind comes first in `sig` (after SHOW). */

/** When the engine module loaded: created_on of objects without a recorded time. */
export const START = new Date();

/** A SHOW result: text columns unless `types` says otherwise. */
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

/** Throws 002003 unless db.schema.name is a visible table or view. */
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

/** What a SHOW handler gets: the statement, its parsed arguments and helpers over them. */
export interface ShowQuery {
  ctx: StatementContext;
  args: ShowArgs;
  db: string | null;
  schema: string | null;
  /** created_on of an object (its recorded creation time, else the engine start). */
  created: (db: string, schema: string, name: string) => string;
  /** SQL filter on a database column and optional schema column: hidden ones out, scope applied. */
  where: (dbCol: string, schCol: string | null) => string;
  info: Map<string, { created: Date; text: string | null }>;
}
