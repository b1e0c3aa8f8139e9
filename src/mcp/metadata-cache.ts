/**
 * The metadata cache of one connection: databases, schemas, tables and views per database,
 * columns per schema and described objects, each entry filled lazily (or by a refresh) and fresh
 * for a TTL. Entries are held in least-recently-used order and counted in objects (a database,
 * schema, table, view, column each count one); past the limit the least recently used entries go.
 * Loads of one key are shared by concurrent callers, and a load that started before an
 * invalidation (smcp ran DDL, or a refresh) is answered but not kept.
 *
 * The cache holds what Snowflake answered, unfiltered: the readers (catalog.ts, search_objects)
 * apply the visibility rules to everything they hand out.
 */
import type { McpSettings } from './settings.js';

/** A cached value and how old it is. */
export interface Aged<T> {
  readonly value: T;
  /** Seconds since Snowflake answered (0 for a value loaded by this very call). */
  readonly ageSeconds: number;
}

/** What /status shows of the cache. */
export interface MetadataCacheStatus {
  readonly ttlSeconds: number;
  readonly maxObjects: number;
  /** Objects held now (databases, schemas, tables, views, columns, described objects). */
  readonly objects: number;
  readonly entries: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly invalidations: number;
  /** Age of the oldest entry in seconds, null when empty. */
  readonly oldestAgeSeconds: number | null;
}

interface Entry {
  readonly value: unknown;
  readonly at: number;
  readonly size: number;
}

/** Options of a MetadataCache. */
export interface MetadataCacheOptions {
  /** How long an entry is fresh; 0 keeps nothing (every read goes to Snowflake). */
  readonly ttlSeconds: number;
  /** Objects held at most. */
  readonly maxObjects: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

/** The per-connection metadata cache. */
export class MetadataCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, { generation: number; value: Promise<unknown> }>();
  private readonly now: () => number;
  private objects = 0;
  private generation = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private invalidations = 0;

  constructor(private readonly options: MetadataCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** How long an entry stays fresh, in seconds. */
  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  /**
   * The fresh value of `key`, or `load()`'s (kept, counted as `size(value)` objects, when the TTL
   * is above 0 and nothing invalidated the cache meanwhile). Concurrent reads of a key share one
   * load; a failed load keeps nothing and rejects every reader.
   */
  async get<T>(key: string, size: (value: T) => number, load: () => Promise<T>): Promise<Aged<T>> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.options.ttlSeconds * 1000) {
      this.hits++;
      // Re-inserting moves the key to the most recently used end of the map.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return { value: hit.value as T, ageSeconds: Math.floor((now - hit.at) / 1000) };
    }
    const shared = this.pending.get(key);
    if (shared && shared.generation === this.generation) {
      return { value: (await shared.value) as T, ageSeconds: 0 };
    }
    this.misses++;
    const generation = this.generation;
    const value = load();
    this.pending.set(key, { generation, value });
    try {
      const loaded = await value;
      if (generation === this.generation && this.options.ttlSeconds > 0) {
        this.put(key, { value: loaded, at: this.now(), size: Math.max(1, size(loaded)) });
      }
      return { value: loaded, ageSeconds: 0 };
    } finally {
      if (this.pending.get(key)?.value === value) this.pending.delete(key);
    }
  }

  /** Drops every entry (smcp ran DDL, a refresh starts, or the connection changed). */
  invalidate(): void {
    this.generation++;
    this.invalidations++;
    this.entries.clear();
    this.pending.clear();
    this.objects = 0;
  }

  /** Figures for /status. */
  status(): MetadataCacheStatus {
    let oldest: number | null = null;
    for (const e of this.entries.values()) if (oldest === null || e.at < oldest) oldest = e.at;
    return {
      ttlSeconds: this.options.ttlSeconds,
      maxObjects: this.options.maxObjects,
      objects: this.objects,
      entries: this.entries.size,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      invalidations: this.invalidations,
      oldestAgeSeconds: oldest === null ? null : Math.floor((this.now() - oldest) / 1000),
    };
  }

  private put(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.objects -= old.size;
      this.entries.delete(key);
    }
    // An entry larger than the whole budget is answered but not kept.
    if (entry.size > this.options.maxObjects) return;
    this.entries.set(key, entry);
    this.objects += entry.size;
    for (const [k, e] of this.entries) {
      if (this.objects <= this.options.maxObjects) break;
      this.entries.delete(k);
      this.objects -= e.size;
      this.evictions++;
    }
  }
}

/** A metadata cache with the TTL and object limit of `settings`. */
export function metadataCacheFor(settings: McpSettings): MetadataCache {
  return new MetadataCache({
    ttlSeconds: settings.metadataTtlSeconds,
    maxObjects: settings.metadataMaxObjects,
  });
}
