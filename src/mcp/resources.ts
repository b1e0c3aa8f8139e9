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
  UriTemplate,
} from '@modelcontextprotocol/server';
import type {
  ListResourcesRequest,
  ReadResourceRequest,
  ReadResourceResult,
  ServerContext,
  Variables,
} from '@modelcontextprotocol/server';
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

  /**
   * Forgets every listing (a reload changed the connections or the visibility rules, so what was
   * listed may no longer be what may be shown).
   */
  clear(): void {
    this.entries.clear();
  }

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

/** A listed resource template. */
interface ListedTemplate {
  [key: string]: unknown;
  name: string;
  uriTemplate: string;
  title: string;
  description: string;
  mimeType: string;
}

/** The one template: object schemas. */
const TEMPLATE: ListedTemplate = Object.freeze({
  name: 'snowflake-object',
  uriTemplate: OBJECT_URI_TEMPLATE,
  title: 'Snowflake table or view schema',
  description:
    'Columns (name, type, nullability, comment) of a table or view, and a view’s definition, as JSON.',
  mimeType: 'application/json',
});

/** Matches object URIs; stateless, so one instance serves every server. */
const OBJECT_TEMPLATE = new UriTemplate(OBJECT_URI_TEMPLATE);

/** Shared handlers of resources/list, resources/templates/list and resources/read for one factory. */
export interface ResourceHandlers {
  /** resources/templates/list: the object-schema template. */
  readonly templates: () => { resourceTemplates: ListedTemplate[] };
  /** resources/list: one page of tables and views, walking databases lazily from the cursor. */
  list(
    identity: ClientIdentity,
    request: ListResourcesRequest,
    ctx: ServerContext,
  ): Promise<{ resources: ListedResource[]; nextCursor?: string }>;
  /** resources/read: an object's description as JSON; unknown URIs are ResourceNotFoundError. */
  read(
    identity: ClientIdentity,
    request: ReadResourceRequest,
    ctx: ServerContext,
  ): Promise<ReadResourceResult>;
}

async function readObject(
  registry: ToolRegistry,
  identity: ClientIdentity,
  uri: URL,
  variables: Variables,
  ctx: ServerContext,
): Promise<ReadResourceResult> {
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
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(description, null, 2) }],
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
}

/**
 * The object-schema resource handlers over `registry`, shared by every server of a factory (the SDK's
 * registerResource would build a registration per server). They answer as McpServer did for the same
 * template, except that resources/list pages (an account can be large) instead of listing everything.
 */
export function createResourceHandlers(
  registry: ToolRegistry,
  cache: ListingCache,
  pageSize: number,
): ResourceHandlers {
  return {
    templates: () => ({ resourceTemplates: [{ ...TEMPLATE }] }),
    async list(identity, request, ctx) {
      const cursor = request.params?.cursor !== undefined ? decodeCursor(request.params.cursor) : undefined;
      try {
        return await registry.runInContext(
          'resources/list',
          identity,
          { signal: ctx.mcpReq.signal },
          (call) => listPage(call, cache, pageSize, cursor),
        );
      } catch (err) {
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          isSmcpError(err) ? `${err.code}: ${err.message}` : 'internal error',
        );
      }
    },
    async read(identity, request, ctx) {
      let uri: URL;
      try {
        uri = new URL(request.params.uri);
      } catch {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `Resource URI ${request.params.uri} is invalid`,
          {
            uri: request.params.uri,
            reason: 'invalid_uri',
          },
        );
      }
      const variables = OBJECT_TEMPLATE.match(uri.toString());
      if (!variables) throw new ResourceNotFoundError(request.params.uri);
      return readObject(registry, identity, uri, variables, ctx);
    },
  };
}
