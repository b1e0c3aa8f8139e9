/**
 * Catalog look-ups shared by the listing and describe tools and by the resources: SHOW and
 * DESCRIBE with every name quoted (never pasted) and LIKE patterns as escaped literals (SHOW takes
 * no binds), their output read by column name so column order changes in Snowflake do no harm.
 */
import { z } from 'zod';
import { visibilityOf } from './visibility-policy.js';
import { SmcpError } from '../errors.js';
import type { JsonValue } from '../snowflake/serialize.js';
import { count, flag, records, text } from './catalog-rows.js';
import { qualifiedName, quoteName, resolveName, stringLiteral } from './identifiers.js';
import { cachedDatabases, cachedObjects, cachedSchemas, objectsOfSchema } from './metadata-loader.js';
import { unlisted } from './tool-schemas.js';
import type { ToolCall } from './tool-types.js';

export { records } from './catalog-rows.js';

/** A listing and whether the row cap cut it short. */
export interface Listing<T> {
  readonly items: T[];
  readonly truncated: boolean;
  /** Seconds since Snowflake answered, when the listing came from the metadata cache. */
  readonly metadataAgeSeconds?: number;
}

/** A cached listing cut to the call's row cap. */
function fromCache<T>(call: ToolCall, items: T[], ageSeconds: number): Listing<T> {
  const cap = call.settings.maxRows;
  return { items: items.slice(0, cap), truncated: items.length > cap, metadataAgeSeconds: ageSeconds };
}

/** A case-insensitive matcher of a SHOW … LIKE pattern (% any run, _ any one character). */
export function likeMatcher(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern)
    re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 'is');
}

/** Zod schema of a database in a listing. */
export const databaseSchema = z.object({ name: z.string(), comment: z.string(), owner: z.string() });
/** Zod schema of a schema in a listing. */
export const schemaSchema = z.object({ database: z.string(), name: z.string(), comment: z.string() });
/** Zod schema of a table or view in a listing. */
export const objectSchema = z.object({
  database: z.string(),
  schema: z.string(),
  name: z.string(),
  kind: z.string().describe('TABLE, VIEW, MATERIALIZED VIEW, …'),
  comment: z.string(),
  rows: z.union([z.number(), z.string()]).nullable().optional(),
  bytes: z.union([z.number(), z.string()]).nullable().optional(),
});

/** A database as list_databases reports it. */
export type DatabaseInfo = z.output<typeof databaseSchema>;
/** A schema as list_schemas reports it. */
export type SchemaInfo = z.output<typeof schemaSchema>;
/** A table or view as list_tables / list_views report it. */
export type ObjectInfo = z.output<typeof objectSchema>;

async function show(
  call: ToolCall,
  sql: string,
): Promise<{ rows: Record<string, JsonValue>[]; truncated: boolean }> {
  const result = await call.query({ sql, retryable: true });
  return { rows: records(result), truncated: result.truncated };
}

/** SHOW DATABASES. */
export async function listDatabases(call: ToolCall): Promise<Listing<DatabaseInfo>> {
  const rules = visibilityOf(call.settings);
  if (call.metadata) {
    const { value, ageSeconds } = await cachedDatabases(call, call.metadata);
    return fromCache(
      call,
      value.filter((d) => rules.visible([d.name])),
      ageSeconds,
    );
  }
  const { rows, truncated } = await show(call, 'SHOW DATABASES');
  return {
    items: rows
      .map((r) => ({ name: text(r.name), comment: text(r.comment), owner: text(r.owner) }))
      .filter((d) => rules.visible([d.name])),
    truncated,
  };
}

/** SHOW SCHEMAS IN DATABASE "db" (INFORMATION_SCHEMA included, as Snowflake lists it). */
export async function listSchemas(call: ToolCall, database: string): Promise<Listing<SchemaInfo>> {
  const db = resolveName(database, 'database');
  const rules = visibilityOf(call.settings);
  rules.assertVisible([db]);
  if (call.metadata) {
    const { value, ageSeconds } = await cachedSchemas(call, call.metadata, db);
    return fromCache(
      call,
      value.filter((s) => rules.visible([s.database, s.name])),
      ageSeconds,
    );
  }
  const { rows, truncated } = await show(call, `SHOW SCHEMAS IN DATABASE ${quoteName(db)}`);
  return {
    items: rows
      .map((r) => ({
        database: text(r.database_name) || db,
        name: text(r.name),
        comment: text(r.comment),
      }))
      .filter((s) => rules.visible([s.database, s.name])),
    truncated,
  };
}

/**
 * SHOW TABLES or VIEWS [LIKE '…'] IN DATABASE "db" | IN SCHEMA "db"."schema". A whole-database
 * listing leaves out INFORMATION_SCHEMA (Snowflake's own views would drown the user's objects).
 */
export async function listObjects(
  call: ToolCall,
  kind: 'TABLES' | 'VIEWS',
  scope: { database: string; schema?: string; like?: string },
): Promise<Listing<ObjectInfo>> {
  const db = resolveName(scope.database, 'database');
  const schema = scope.schema !== undefined ? resolveName(scope.schema, 'schema') : undefined;
  const rules = visibilityOf(call.settings);
  rules.assertVisible(schema !== undefined ? [db, schema] : [db]);
  if (call.metadata && schema !== 'INFORMATION_SCHEMA') {
    const { value, ageSeconds } = await cachedObjects(call, call.metadata, db);
    const like = scope.like !== undefined ? likeMatcher(scope.like) : undefined;
    const views = kind === 'VIEWS';
    const items = (schema === undefined ? value : objectsOfSchema(value, schema)).filter(
      (o) =>
        o.kind.endsWith('VIEW') === views &&
        (like === undefined || like.test(o.name)) &&
        rules.visible([o.database, o.schema, o.name]),
    );
    return fromCache(call, items, ageSeconds);
  }
  const like = scope.like !== undefined ? ` LIKE ${stringLiteral(scope.like, 'like')}` : '';
  const where =
    schema !== undefined ? `IN SCHEMA ${qualifiedName(db, schema)}` : `IN DATABASE ${quoteName(db)}`;
  const { rows, truncated } = await show(call, `SHOW ${kind}${like} ${where}`);
  const items = rows
    .map((r) => {
      const materialized = flag(r.is_materialized);
      const item: ObjectInfo = {
        database: text(r.database_name) || db,
        schema: text(r.schema_name),
        name: text(r.name),
        kind: kind === 'VIEWS' ? (materialized ? 'MATERIALIZED VIEW' : 'VIEW') : text(r.kind) || 'TABLE',
        comment: text(r.comment),
      };
      if (kind === 'TABLES') return { ...item, rows: count(r.rows), bytes: count(r.bytes) };
      return item;
    })
    .filter((o) => schema !== undefined || o.schema !== 'INFORMATION_SCHEMA')
    .filter((o) => rules.visible([o.database, o.schema, o.name]));
  return { items, truncated };
}

/** Zod schema of one described column. */
export const describedColumnSchema = z.object({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  default: z.string().nullable(),
  primaryKey: z.boolean(),
  comment: z.string().nullable(),
});

/** Zod schema of a described table or view. */
export const objectDescriptionSchema = z.object({
  // The names the call gave, resolved: answered, but not worth listing.
  database: unlisted(z.string()),
  schema: unlisted(z.string()),
  name: unlisted(z.string()),
  kind: z.string(),
  comment: z.string(),
  rows: z.union([z.number(), z.string()]).nullable().optional(),
  bytes: unlisted(z.union([z.number(), z.string()]).nullable().optional()),
  secure: unlisted(z.boolean().optional()),
  text: z.string().optional().describe('the view definition, when the role may see it'),
  columns: z.array(describedColumnSchema),
  metadataAgeSeconds: unlisted(z.number().optional()),
});

/** A described table or view. */
export type ObjectDescription = z.output<typeof objectDescriptionSchema>;

function nullableText(value: JsonValue | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : text(value);
}

function missingView(full: string): SmcpError {
  return new SmcpError(
    'NOT_FOUND',
    `View '${full}' does not exist or not authorized (for tables use describe_table).`,
  );
}

/**
 * Columns (DESCRIBE), kind and comment (SHOW … LIKE … IN SCHEMA) of one object, and a view's text
 * where visible. `want: 'view'` refuses a table with NOT_FOUND; `'any'` describes either.
 */
export async function describeObject(
  call: ToolCall,
  names: { database: string; schema: string; object: string },
  want: 'view' | 'table' | 'any',
): Promise<ObjectDescription> {
  const db = resolveName(names.database, 'database');
  const schema = resolveName(names.schema, 'schema');
  const name = resolveName(names.object, want === 'any' ? 'object' : want);
  // A hidden object is answered as a missing one.
  const full = `${db}.${schema}.${name}`;
  if (!visibilityOf(call.settings).visible([db, schema, name])) {
    if (want === 'view') throw missingView(full);
    const noun = want === 'table' ? 'Table' : 'Object';
    throw new SmcpError('NOT_FOUND', `${noun} '${full}' does not exist or not authorized.`);
  }
  if (call.metadata) {
    const { value, ageSeconds } = await call.metadata.get(
      `describe\u0000${want}\u0000${db}\u0000${schema}\u0000${name}`,
      (d) => d.columns.length + 1,
      () => describeLive(call, db, schema, name, want),
    );
    return { ...value, metadataAgeSeconds: ageSeconds };
  }
  return describeLive(call, db, schema, name, want);
}

/** describeObject's look-ups in Snowflake (names resolved, visibility checked). */
async function describeLive(
  call: ToolCall,
  db: string,
  schema: string,
  name: string,
  want: 'view' | 'table' | 'any',
): Promise<ObjectDescription> {
  const full = `${db}.${schema}.${name}`;
  const inSchema = `IN SCHEMA ${qualifiedName(db, schema)}`;
  const like = ` LIKE ${stringLiteral(name, want)} `;
  const [views, tables] = await Promise.all([
    show(call, `SHOW VIEWS${like}${inSchema}`),
    want === 'view' ? undefined : show(call, `SHOW TABLES${like}${inSchema}`),
  ]);
  // LIKE matches case-insensitively and treats _ and % as wildcards: keep the exact name only.
  const view = views.rows.find((r) => r.name === name);
  const table = tables?.rows.find((r) => r.name === name);
  if (want === 'view' && !view) throw missingView(full);
  const described = await call.query({
    sql: `DESCRIBE ${view ? 'VIEW' : 'TABLE'} ${qualifiedName(db, schema, name)}`,
    retryable: true,
  });
  const columns = records(described)
    .filter((r) => r.kind === undefined || r.kind === null || text(r.kind) === 'COLUMN')
    .map((r) => ({
      name: text(r.name),
      type: text(r.type),
      nullable: text(r['null?']) !== 'N',
      default: nullableText(r.default),
      primaryKey: flag(r['primary key']),
      comment: nullableText(r.comment),
    }));
  const base = { database: db, schema, name, columns };
  if (view) {
    const viewText = text(view.text);
    return {
      ...base,
      kind: flag(view.is_materialized) ? 'MATERIALIZED VIEW' : 'VIEW',
      comment: text(view.comment),
      secure: flag(view.is_secure),
      ...(viewText ? { text: viewText } : {}),
    };
  }
  return {
    ...base,
    kind: table ? text(table.kind) || 'TABLE' : 'TABLE',
    comment: table ? text(table.comment) : '',
    rows: table ? count(table.rows) : null,
    bytes: table ? count(table.bytes) : null,
  };
}
