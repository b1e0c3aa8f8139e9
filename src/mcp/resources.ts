/**
 * Schemas of tables and views as MCP resources, `snowflake://<db>/<schema>/<object>` (each part
 * percent-encoded, exact stored names). Reading one returns its description as JSON (columns,
 * types, nullability, comments, a view's text). Listing walks databases lazily, a bounded number
 * per page, with an opaque cursor, so a large account never has to be listed in one go; the
 * listings behind it are shared by every server of a factory for resultCacheTtlSeconds.
 */
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import type { McpServer } from '@modelcontextprotocol/server';
import { isSmcpError } from '../errors.js';
import { describeObject, listDatabases, listObjects } from './catalog.js';
import type { ObjectInfo } from './catalog.js';
import { quoteName } from './identifiers.js';
import type { ClientIdentity } from './request-context.js';
import type { ToolRegistry } from './tool-registry.js';
import type { ToolCall } from './tool-types.js';

/** The URI template of object schemas. */
export const OBJECT_URI_TEMPLATE = 'snowflake://{database}/{schema}/{object}';
/** Databases looked at by one resources/list page at most (bounds the page's latency). */
const DATABASES_PER_PAGE = 10;

/** The resource URI of an object (exact stored names). */
export function objectUri(database: string, schema: string, object: string): string {
  return `snowflake://${[database, schema, object].map(encodeURIComponent).join('/')}`;
}

/** A small TTL cache of listings, shared by the servers of one factory. */
export class ListingCache {
  private readonly entries = new Map<string, { expires: number; value: Promise<unknown> }>();

  constructor(private readonly ttlMs: number) {}

  /** The cached value of `key`, or `load()`'s (cached on success only). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    if (this.entries.size > 1000) this.entries.clear();
    const value = load();
    this.entries.set(key, { expires: now + this.ttlMs, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

interface Cursor {
  readonly db: string;
  readonly off: number;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Cursor).db === 'string' &&
      Number.isInteger((value as Cursor).off) &&
      (value as Cursor).off >= 0
    ) {
      return value as Cursor;
    }
  } catch {
    // fall through to the protocol error below
  }
  throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'invalid resources/list cursor');
}

/** A listed resource. */
interface ListedResource {
  [key: string]: unknown;
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

function asResource(o: ObjectInfo): ListedResource {
  return {
    uri: objectUri(o.database, o.schema, o.name),
    name: `${o.database}.${o.schema}.${o.name}`,
    title: `${o.kind} ${o.database}.${o.schema}.${o.name}`,
    description: `Columns of ${o.kind.toLowerCase()} ${o.database}.${o.schema}.${o.name}${o.comment ? `: ${o.comment}` : ''}`,
    mimeType: 'application/json',
  };
}

/** One page of resources from `cursor` on. */
async function listPage(
  call: ToolCall,
  cache: ListingCache,
  pageSize: number,
  cursor: Cursor | undefined,
): Promise<{ resources: ListedResource[]; nextCursor?: string }> {
  const dbs = await cache.get('databases', async () => (await listDatabases(call)).items.map((d) => d.name));
  let index = cursor ? dbs.indexOf(cursor.db) : 0;
  // A database dropped since the cursor was made: start over rather than fail.
  if (index < 0) index = 0;
  let offset = cursor && dbs[index] === cursor.db ? cursor.off : 0;
  const resources: ListedResource[] = [];
  for (let visited = 0; index < dbs.length && visited < DATABASES_PER_PAGE; visited++, index++) {
    const db = dbs[index] ?? '';
    const objects = await cache.get(`objects:${db}`, async () => {
      const exact = quoteName(db);
      const [tables, views] = await Promise.all([
        listObjects(call, 'TABLES', { database: exact }),
        listObjects(call, 'VIEWS', { database: exact }),
      ]);
      return [...tables.items, ...views.items].sort((a, b) =>
        `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`),
      );
    });
    const take = objects.slice(offset, offset + pageSize - resources.length);
    resources.push(...take.map(asResource));
    if (offset + take.length < objects.length)
      return { resources, nextCursor: encodeCursor({ db, off: offset + take.length }) };
    offset = 0;
    if (resources.length >= pageSize) {
      index++;
      break;
    }
  }
  const next = dbs[index];
  return next === undefined ? { resources } : { resources, nextCursor: encodeCursor({ db: next, off: 0 }) };
}

function variable(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join('/') : (value ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `bad percent-encoding in "${text}"`);
  }
}

/**
 * Registers the object-schema resources on `server` for `identity`: the template (read) and a
 * paginated resources/list handler in place of the SDK's unpaginated one.
 */
export function registerSchemaResources(
  server: McpServer,
  registry: ToolRegistry,
  identity: ClientIdentity,
  cache: ListingCache,
  pageSize: number,
): void {
  server.registerResource(
    'snowflake-object',
    new ResourceTemplate(OBJECT_URI_TEMPLATE, { list: undefined }),
    {
      title: 'Snowflake table or view schema',
      description:
        'Columns (name, type, nullability, comment) of a table or view, and a view’s definition, as JSON.',
      mimeType: 'application/json',
    },
    async (uri, variables, ctx) => {
      const names = {
        database: quoteName(variable(variables.database)),
        schema: quoteName(variable(variables.schema)),
        object: quoteName(variable(variables.object)),
      };
      try {
        const description = await registry.runInContext(
          'resources/read',
          identity,
          { signal: ctx.mcpReq.signal },
          (call) => describeObject(call, names, 'any'),
        );
        return {
          contents: [
            { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(description, null, 2) },
          ],
        };
      } catch (err) {
        if (isSmcpError(err, 'NOT_FOUND'))
          throw new ResourceNotFoundError(uri.href, `${err.code}: ${err.message}`);
        if (isSmcpError(err, 'USAGE')) throw new ProtocolError(ProtocolErrorCode.InvalidParams, err.message);
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          isSmcpError(err) ? `${err.code}: ${err.message}` : 'internal error',
        );
      }
    },
  );
  // The SDK's handler lists every template resource at once; an account can be large, so page.
  server.server.setRequestHandler('resources/list', async (request, ctx) => {
    const cursor = request.params?.cursor !== undefined ? decodeCursor(request.params.cursor) : undefined;
    try {
      return await registry.runInContext('resources/list', identity, { signal: ctx.mcpReq.signal }, (call) =>
        listPage(call, cache, pageSize, cursor),
      );
    } catch (err) {
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        isSmcpError(err) ? `${err.code}: ${err.message}` : 'internal error',
      );
    }
  });
}
