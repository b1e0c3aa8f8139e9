/**
 * Fills the metadata cache from Snowflake: SHOW DATABASES, SHOW SCHEMAS / TABLES / VIEWS IN
 * DATABASE and SHOW COLUMNS IN SCHEMA, every name quoted. SHOW answers at most 10,000 rows: a
 * full page of a database's tables or views is listed again schema by schema, each schema in
 * pages of `LIMIT 10000 FROM '<last name>'` (names are unique within a schema, so the cursor is
 * exact); SHOW COLUMNS (which takes no LIMIT) runs per schema. These reads go up to smcp's hard
 * row and byte ceilings, and a result cut there is read on through fetch_results' path
 * (getResult), so nothing is lost to the caps.
 *
 * Readers get what Snowflake answered, unfiltered: they apply the visibility rules.
 */
import type { JsonValue } from '../snowflake/serialize.js';
import type { DatabaseInfo, ObjectInfo, SchemaInfo } from './catalog.js';
import { columnTypeText, count, flag, records, text } from './catalog-rows.js';
import { qualifiedName, quoteName, stringLiteral } from './identifiers.js';
import type { Aged, MetadataCache } from './metadata-cache.js';
import type { ToolCall } from './tool-types.js';

/** Rows one SHOW answers at most. */
export const SHOW_PAGE = 10_000;

/** A column as the cache keeps it. */
export interface CachedColumn {
  readonly table: string;
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly comment: string;
}

type Row = Record<string, JsonValue>;

/** Every row of `sql`, reading on past smcp's row and byte caps. */
async function allRows(call: ToolCall, sql: string): Promise<Row[]> {
  const first = await call.query({ sql, retryable: true, forCache: true });
  const rows = records(first);
  let truncated = first.truncated;
  while (truncated && rows.length < (first.totalRows ?? Number.MAX_SAFE_INTEGER)) {
    const next = await call.getResult(first.queryId, rows.length, SHOW_PAGE, true);
    if (next.rows.length === 0) break;
    rows.push(...records({ columns: first.columns, rows: next.rows }));
    truncated = next.truncated;
  }
  return rows;
}

/** Every row of `SHOW <what> IN <scope>`, in pages of SHOW_PAGE rows by name. */
async function pagedShow(call: ToolCall, what: string, scope: string): Promise<Row[]> {
  const out: Row[] = [];
  let from: string | undefined;
  for (;;) {
    const cursor = from === undefined ? '' : ` FROM ${stringLiteral(from, 'name')}`;
    const page = await allRows(call, `SHOW ${what} IN ${scope} LIMIT ${SHOW_PAGE}${cursor}`);
    // Whether FROM starts at or after the named row, the row already held is not taken twice.
    const fresh = from === undefined ? page : page.filter((r) => text(r.name) !== from);
    out.push(...fresh);
    const last = text(page.at(-1)?.name);
    if (page.length < SHOW_PAGE || fresh.length === 0 || last === from) return out;
    from = last;
  }
}

/** SHOW TABLES or VIEWS of a database, schema by schema when one page cannot hold them. */
async function objectRows(
  call: ToolCall,
  what: 'TABLES' | 'VIEWS',
  db: string,
  schemas: string[],
): Promise<Row[]> {
  const whole = await allRows(call, `SHOW ${what} IN DATABASE ${quoteName(db)} LIMIT ${SHOW_PAGE}`);
  if (whole.length < SHOW_PAGE) return whole;
  const out: Row[] = [];
  for (const schema of schemas)
    out.push(...(await pagedShow(call, what, `SCHEMA ${qualifiedName(db, schema)}`)));
  return out;
}

function toObject(r: Row, db: string, what: 'TABLES' | 'VIEWS'): ObjectInfo {
  const base = {
    database: text(r.database_name) || db,
    schema: text(r.schema_name),
    name: text(r.name),
    comment: text(r.comment),
  };
  if (what === 'VIEWS') return { ...base, kind: flag(r.is_materialized) ? 'MATERIALIZED VIEW' : 'VIEW' };
  return { ...base, kind: text(r.kind) || 'TABLE', rows: count(r.rows), bytes: count(r.bytes) };
}

/** The databases (SHOW DATABASES), cached. */
export function cachedDatabases(call: ToolCall, cache: MetadataCache): Promise<Aged<DatabaseInfo[]>> {
  return cache.get(
    'databases',
    (v) => v.length,
    async () =>
      (await pagedShow(call, 'DATABASES', 'ACCOUNT')).map((r) => ({
        name: text(r.name),
        comment: text(r.comment),
        owner: text(r.owner),
      })),
  );
}

/** The schemas of `db` (SHOW SCHEMAS IN DATABASE, INFORMATION_SCHEMA included), cached. */
export function cachedSchemas(call: ToolCall, cache: MetadataCache, db: string): Promise<Aged<SchemaInfo[]>> {
  return cache.get(
    `schemas\u0000${db}`,
    (v) => v.length,
    async () =>
      (await pagedShow(call, 'SCHEMAS', `DATABASE ${quoteName(db)}`)).map((r) => ({
        database: text(r.database_name) || db,
        name: text(r.name),
        comment: text(r.comment),
      })),
  );
}

/** The tables and views of `db` outside INFORMATION_SCHEMA, cached. */
export function cachedObjects(call: ToolCall, cache: MetadataCache, db: string): Promise<Aged<ObjectInfo[]>> {
  return cache.get(
    `objects\u0000${db}`,
    (v) => v.length,
    async () => {
      const schemas = (await cachedSchemas(call, cache, db)).value
        .map((s) => s.name)
        .filter((s) => s !== 'INFORMATION_SCHEMA');
      const [tables, views] = await Promise.all([
        objectRows(call, 'TABLES', db, schemas),
        objectRows(call, 'VIEWS', db, schemas),
      ]);
      return [
        ...tables.map((r) => toObject(r, db, 'TABLES')),
        ...views.map((r) => toObject(r, db, 'VIEWS')),
      ].filter((o) => o.schema !== 'INFORMATION_SCHEMA');
    },
  );
}

const bySchema = new WeakMap<readonly ObjectInfo[], Map<string, ObjectInfo[]>>();

/** The objects of one schema out of a cached listing (indexed once per listing). */
export function objectsOfSchema(objects: readonly ObjectInfo[], schema: string): readonly ObjectInfo[] {
  let index = bySchema.get(objects);
  if (!index) {
    index = new Map();
    for (const o of objects) {
      const list = index.get(o.schema);
      if (list) list.push(o);
      else index.set(o.schema, [o]);
    }
    bySchema.set(objects, index);
  }
  return index.get(schema) ?? [];
}

const byTable = new WeakMap<readonly CachedColumn[], Map<string, CachedColumn[]>>();

/** A schema's cached columns by table (indexed once per listing). */
export function columnsByTable(columns: readonly CachedColumn[]): ReadonlyMap<string, CachedColumn[]> {
  let index = byTable.get(columns);
  if (!index) {
    index = new Map();
    for (const c of columns) {
      const list = index.get(c.table);
      if (list) list.push(c);
      else index.set(c.table, [c]);
    }
    byTable.set(columns, index);
  }
  return index;
}

/** Positions of a schema's columns by name and by comment. */
export interface ColumnTextIndex {
  readonly byName: ReadonlyMap<string, number[]>;
  readonly byComment: ReadonlyMap<string, number[]>;
}

const byText = new WeakMap<readonly CachedColumn[], ColumnTextIndex>();

/**
 * A schema's cached columns by name and by comment (indexed once per listing): names and
 * comments repeat across tables (ID, CREATED_AT, …), so a search tests each text once.
 */
export function columnTextIndex(columns: readonly CachedColumn[]): ColumnTextIndex {
  let index = byText.get(columns);
  if (!index) {
    const byName = new Map<string, number[]>();
    const byComment = new Map<string, number[]>();
    columns.forEach((c, i) => {
      const n = byName.get(c.name);
      if (n) n.push(i);
      else byName.set(c.name, [i]);
      if (!c.comment) return;
      const m = byComment.get(c.comment);
      if (m) m.push(i);
      else byComment.set(c.comment, [i]);
    });
    index = { byName, byComment };
    byText.set(columns, index);
  }
  return index;
}

function toColumn(r: Row): CachedColumn {
  return {
    table: text(r.table_name),
    name: text(r.column_name),
    type: columnTypeText(r.data_type),
    nullable: flag(r['null?']),
    default: text(r.default) || null,
    comment: text(r.comment),
  };
}

/** The columns of every table and view of db.schema (SHOW COLUMNS IN SCHEMA), cached. */
export function cachedColumns(
  call: ToolCall,
  cache: MetadataCache,
  db: string,
  schema: string,
): Promise<Aged<CachedColumn[]>> {
  return cache.get(
    `columns\u0000${db}\u0000${schema}`,
    (v) => v.length,
    async () => {
      // SHOW COLUMNS takes no LIMIT … FROM: one statement, read on past smcp's caps.
      const rows = await allRows(call, `SHOW COLUMNS IN SCHEMA ${qualifiedName(db, schema)}`);
      return rows.map(toColumn);
    },
  );
}

/** What a refresh loaded. */
export interface RefreshOutcome {
  readonly databases: number;
  readonly schemas: number;
  readonly objects: number;
  readonly durationMs: number;
}

/**
 * Drops the cache and loads it again: databases, and every database's schemas, tables and views
 * (columns load again on first use). Throws the first SmcpError a SHOW raised.
 */
export async function refreshMetadata(call: ToolCall, cache: MetadataCache): Promise<RefreshOutcome> {
  const started = performance.now();
  cache.invalidate();
  const dbs = (await cachedDatabases(call, cache)).value;
  let schemas = 0;
  let objects = 0;
  for (const db of dbs) {
    schemas += (await cachedSchemas(call, cache, db.name)).value.length;
    objects += (await cachedObjects(call, cache, db.name)).value.length;
  }
  return { databases: dbs.length, schemas, objects, durationMs: Math.round(performance.now() - started) };
}
