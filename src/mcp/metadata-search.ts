/**
 * search_objects' engine: a name-or-comment pattern run over the cached metadata of every
 * visible database (or one database or schema), loading what the cache lacks. Patterns are LIKE
 * style (case-insensitive; `%` any run, `_` any one character; without `%` they match anywhere) or
 * a regular expression written `/…/`. The scan stops at the limit, and the answer at a byte cap,
 * so a search over hundreds of thousands of objects stays bounded; hidden objects are never looked
 * at for a match.
 */
import { SmcpError } from '../errors.js';
import { likeMatcher } from './catalog.js';
import type { ObjectInfo } from './catalog.js';
import { quoteName, resolveName } from './identifiers.js';
import type { MetadataCache } from './metadata-cache.js';
import type { CachedColumn } from './metadata-loader.js';
import {
  cachedColumns,
  columnTextIndex,
  columnsByTable,
  cachedDatabases,
  cachedObjects,
  cachedSchemas,
  objectsOfSchema,
} from './metadata-loader.js';
import type { ToolCall } from './tool-types.js';
import { visibilityOf } from './visibility-policy.js';

/** The kinds of object a search finds. */
export const SEARCH_KINDS = ['database', 'schema', 'table', 'view', 'column'] as const;
/** One of SEARCH_KINDS. */
export type SearchKind = (typeof SEARCH_KINDS)[number];
/** How much a search answers per match. */
export const SEARCH_DETAILS = ['names', 'summary', 'full'] as const;
/** One of SEARCH_DETAILS. */
export type SearchDetail = (typeof SEARCH_DETAILS)[number];

/** What to search. */
export interface SearchRequest {
  readonly pattern: string;
  readonly kinds: readonly SearchKind[];
  readonly database?: string;
  readonly schema?: string;
  readonly detail: SearchDetail;
  readonly limit: number;
  /** Bytes of matches (as JSON) answered at most. */
  readonly maxBytes: number;
}

/** One match at summary or full detail. */
export interface SearchMatch {
  name: string;
  kind: string;
  matchedOn: 'name' | 'comment';
  comment: string;
  rows?: number | string | null;
  columnCount?: number;
  type?: string;
  columns?: { name: string; type: string; comment: string }[];
}

/** A search's answer. */
export interface SearchOutcome {
  /** Qualified names (detail names) or matches. */
  readonly matches: string[] | SearchMatch[];
  readonly truncated: boolean;
  readonly truncatedBy?: 'limit' | 'bytes';
  /** Age of the oldest metadata the search read, in seconds. */
  readonly metadataAgeSeconds: number;
}

/** Schemas whose columns are loaded at once on a cold search. */
const COLUMN_LOADS_AT_ONCE = 4;

/** The matcher of a pattern. Throws USAGE naming `pattern` for a regex that does not compile. */
export function patternMatcher(pattern: string): RegExp {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (regex) {
    const flags = [...new Set(`i${regex[2] ?? ''}`.replace(/[gy]/g, ''))].join('');
    try {
      return new RegExp(regex[1] ?? '', flags);
    } catch (err) {
      throw new SmcpError('USAGE', `pattern: not a valid regular expression (${(err as Error).message})`, {
        field: 'pattern',
      });
    }
  }
  // %…% needs no anchors: an unanchored search is far cheaper than ^.*…*$ over many names.
  const inner = /^%+([^%]*)%+$/.exec(pattern)?.[1] ?? (pattern.includes('%') ? undefined : pattern);
  if (inner === undefined) return likeMatcher(pattern);
  let re = '';
  for (const ch of inner) re += ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(re, 'is');
}

/**
 * The longest literal run of a LIKE pattern, lower-cased (undefined for a regex or a run shorter
 * than 3): a cheap `includes` on lower-cased text rules most objects out before the matcher runs.
 */
export function literalHint(pattern: string): string | undefined {
  if (/^\/(.+)\/([a-z]*)$/s.test(pattern)) return undefined;
  const runs = pattern.split(/[%_]/).sort((a, b) => b.length - a.length);
  const longest = runs[0] ?? '';
  return longest.length >= 3 ? longest.toLowerCase() : undefined;
}

const lowered = new WeakMap<readonly ObjectInfo[], string[]>();

/** `name\u0000comment` of each object, lower-cased (computed once per cached listing). */
function lowerTexts(objects: readonly ObjectInfo[]): string[] {
  let texts = lowered.get(objects);
  if (!texts) {
    texts = objects.map((o) => `${o.name}\u0000${o.comment}`.toLowerCase());
    lowered.set(objects, texts);
  }
  return texts;
}

/** A part of a qualified name, quoted unless Snowflake would resolve it unquoted. */
function part(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : quoteName(name);
}

/** `a.b.c` with each part quoted where needed. */
export function qualified(...names: string[]): string {
  return names.map(part).join('.');
}

/** Runs `work` over `items`, at most `n` at once. */
async function eachLimited<T>(
  items: readonly T[],
  n: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/** Searches the cached metadata (loading what is missing or stale). Throws USAGE / NOT_FOUND. */
export async function searchMetadata(
  call: ToolCall,
  cache: MetadataCache,
  request: SearchRequest,
): Promise<SearchOutcome> {
  const match = patternMatcher(request.pattern);
  const hint = literalHint(request.pattern);
  const kinds = new Set(request.kinds.length > 0 ? request.kinds : SEARCH_KINDS);
  const rules = visibilityOf(call.settings);
  const detailed = request.detail !== 'names';
  let age = 0;
  const aged = <T>(a: { value: T; ageSeconds: number }): T => {
    age = Math.max(age, a.ageSeconds);
    return a.value;
  };
  const onlyDb = request.database === undefined ? undefined : resolveName(request.database, 'database');
  const onlySchema = request.schema === undefined ? undefined : resolveName(request.schema, 'schema');
  if (onlySchema !== undefined && onlyDb === undefined) {
    throw new SmcpError('USAGE', 'schema needs database as well', { field: 'schema' });
  }
  if (onlyDb !== undefined) rules.assertVisible(onlySchema === undefined ? [onlyDb] : [onlyDb, onlySchema]);

  const names: string[] = [];
  const matches: SearchMatch[] = [];
  let bytes = 0;
  let truncatedBy: 'limit' | 'bytes' | undefined;
  /** Adds a match; false once the search must stop. */
  const add = (name: string, detail: () => Omit<SearchMatch, 'name'>): boolean => {
    if (names.length + matches.length >= request.limit) {
      truncatedBy = 'limit';
      return false;
    }
    const item = detailed ? { name, ...detail() } : undefined;
    const size = item ? JSON.stringify(item).length + 1 : name.length + 3;
    if (bytes + size > request.maxBytes) {
      truncatedBy = 'bytes';
      return false;
    }
    bytes += size;
    if (item) matches.push(item);
    else names.push(name);
    return true;
  };
  const on = (name: string, comment: string): 'name' | 'comment' | undefined =>
    match.test(name) ? 'name' : comment && match.test(comment) ? 'comment' : undefined;

  const dbs = aged(await cachedDatabases(call, cache)).filter(
    (d) => (onlyDb === undefined || d.name === onlyDb) && rules.visible([d.name]),
  );
  if (onlyDb !== undefined && dbs.length === 0) {
    throw new SmcpError('NOT_FOUND', `Database '${onlyDb}' does not exist or not authorized.`);
  }
  const columnsOf = async (db: string, schema: string): Promise<CachedColumn[]> =>
    aged(await cachedColumns(call, cache, db, schema));
  const columnCounts = async (db: string, schema: string): Promise<ReadonlyMap<string, CachedColumn[]>> =>
    columnsByTable(await columnsOf(db, schema));

  for (const db of dbs) {
    if (onlySchema === undefined && kinds.has('database')) {
      const hit = on(db.name, db.comment);
      if (hit && !add(part(db.name), () => ({ kind: 'DATABASE', matchedOn: hit, comment: db.comment })))
        break;
    }
    const needSchemas = kinds.has('schema') || kinds.has('column');
    const schemas = needSchemas
      ? aged(await cachedSchemas(call, cache, db.name)).filter(
          (s) =>
            s.name !== 'INFORMATION_SCHEMA' &&
            (onlySchema === undefined || s.name === onlySchema) &&
            rules.visible([db.name, s.name]),
        )
      : [];
    if (kinds.has('schema')) {
      let stop = false;
      for (const s of schemas) {
        const hit = on(s.name, s.comment);
        if (
          hit &&
          !add(qualified(db.name, s.name), () => ({ kind: 'SCHEMA', matchedOn: hit, comment: s.comment }))
        ) {
          stop = true;
          break;
        }
      }
      if (stop) break;
    }
    if (!(await searchObjects(db.name))) break;
    if (
      kinds.has('column') &&
      !(await searchColumns(
        db.name,
        schemas.map((s) => s.name),
      ))
    )
      break;
  }

  return {
    matches: detailed ? matches : names,
    truncated: truncatedBy !== undefined,
    ...(truncatedBy ? { truncatedBy } : {}),
    metadataAgeSeconds: age,
  };

  /** Tables and views of `db`; false once the search must stop. */
  async function searchObjects(db: string): Promise<boolean> {
    if (!kinds.has('table') && !kinds.has('view')) return true;
    const all = aged(await cachedObjects(call, cache, db));
    const objects = onlySchema === undefined ? all : objectsOfSchema(all, onlySchema);
    const hits: [ObjectInfo, 'name' | 'comment'][] = [];
    const texts = hint === undefined ? undefined : lowerTexts(objects);
    for (let i = 0; i < objects.length; i++) {
      if (texts && !texts[i]?.includes(hint ?? '')) continue;
      const o = objects[i];
      if (!kinds.has(o.kind.endsWith('VIEW') ? 'view' : 'table')) continue;
      const hit = on(o.name, o.comment);
      if (!hit || !rules.visible([o.database, o.schema, o.name])) continue;
      hits.push([o, hit]);
      // One past the limit is enough to know the answer is cut.
      if (names.length + matches.length + hits.length > request.limit) break;
    }
    const columns = new Map<string, ReadonlyMap<string, CachedColumn[]>>();
    if (detailed) {
      const schemas = [...new Set(hits.map(([o]) => o.schema))];
      await eachLimited(schemas, COLUMN_LOADS_AT_ONCE, async (s) =>
        columns.set(s, await columnCounts(db, s)),
      );
    }
    for (const [o, hit] of hits) {
      const cols = columns.get(o.schema)?.get(o.name) ?? [];
      const ok = add(qualified(o.database, o.schema, o.name), () => ({
        kind: o.kind,
        matchedOn: hit,
        comment: o.comment,
        ...(o.rows !== undefined ? { rows: o.rows } : {}),
        columnCount: cols.length,
        ...(request.detail === 'full'
          ? { columns: cols.map((c) => ({ name: c.name, type: c.type, comment: c.comment })) }
          : {}),
      }));
      if (!ok) return false;
    }
    return true;
  }

  /** Columns of the schemas of `db`; false once the search must stop. */
  async function searchColumns(db: string, schemas: string[]): Promise<boolean> {
    // A cold search loads the schemas' columns a few at a time, then scans them in order.
    await eachLimited(schemas, COLUMN_LOADS_AT_ONCE, (s) => columnsOf(db, s));
    for (const s of schemas) {
      const columns = await columnsOf(db, s);
      const index = columnTextIndex(columns);
      const byName: number[] = [];
      for (const [name, at] of index.byName) if (match.test(name)) for (const i of at) byName.push(i);
      const named = new Set(byName);
      const byComment: number[] = [];
      for (const [comment, at] of index.byComment)
        if (match.test(comment)) for (const i of at) if (!named.has(i)) byComment.push(i);
      // In table order, as SHOW COLUMNS listed them.
      const hits: [number, 'name' | 'comment'][] = [
        ...byName.map((i): [number, 'name'] => [i, 'name']),
        ...byComment.map((i): [number, 'comment'] => [i, 'comment']),
      ].sort((a, b) => a[0] - b[0]);
      for (const [i, hit] of hits) {
        const c = columns[i];
        if (!c || !rules.visible([db, s, c.table])) continue;
        const ok = add(qualified(db, s, c.table, c.name), () => ({
          kind: 'COLUMN',
          matchedOn: hit,
          comment: c.comment,
          type: c.type,
        }));
        if (!ok) return false;
      }
    }
    return true;
  }
}
