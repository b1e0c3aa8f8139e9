/**
 * Prepared DuckDB statements kept per connection, so a query that runs again skips DuckDB's parse,
 * bind and plan (most of its cost for small results). A plan is only as good as the data it was
 * made for: DuckDB prunes filters with table statistics at plan time, so a plan made before an
 * INSERT can miss the new rows. Every statement that may write bumps the engine's DataGeneration
 * when it starts and when it ends, and a cache made under another generation is dropped whole.
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { StatementType } from '@duckdb/node-api';

/** A point in the data's history, from DataGeneration.mark(). */
export interface GenerationMark {
  readonly value: number;
  /** No write was running when the mark was taken. */
  readonly quiet: boolean;
}

/**
 * A counter of changes to data or schema. `startWrite()` before a write starts (so a plan made while
 * it runs is not kept past it) and `endWrite()` after it ends; `bump()` for a change noticed late.
 * It also tells whether two moments saw the same committed data (see unchangedSince).
 */
export class DataGeneration {
  #value = 0;
  #writing = 0;

  /** The current generation. */
  get value(): number {
    return this.#value;
  }

  /** Marks that data or schema may change (or just changed). */
  bump(): void {
    this.#value++;
  }

  /** A write starts: the generation moves on and the write counts as running until endWrite(). */
  startWrite(): void {
    this.#value++;
    this.#writing++;
  }

  /** The write started by startWrite() has ended (committed or failed). */
  endWrite(): void {
    this.#value++;
    this.#writing = Math.max(0, this.#writing - 1);
  }

  /** The current point, to compare with later. */
  mark(): GenerationMark {
    return { value: this.#value, quiet: this.#writing === 0 };
  }

  /**
   * True when no write was running at `mark` and none started or ended since: anything DuckDB read
   * in between saw the same committed data.
   */
  unchangedSince(mark: GenerationMark): boolean {
    return mark.quiet && this.#value === mark.value;
  }
}

/** Statements longer than this are not kept (their text is the key). */
const MAX_KEY_CHARS = 16_384;

/** A bounded, least-recently-used set of one connection's prepared statements. */
export class PreparedCache {
  readonly #entries = new Map<string, DuckDBPreparedStatement>();
  #generation = -1;

  /** @param max statements kept at most (the least recently used go first) */
  constructor(private readonly max = 32) {}

  /** Statements held now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * A prepared statement for `sql` on `conn`: the cached one when it was made under `generation`
   * with the same search path, else a new one (kept when `cacheable`, DuckDB calls it a SELECT, the
   * text is not huge and no write started meanwhile). The caller binds and runs it and must not
   * destroy it; an uncached one comes with `owned: true` and the caller destroys it after starting
   * it. `select` tells whether DuckDB calls the statement a SELECT (anything else may write).
   * Rejects with DuckDB's error when the text cannot be prepared (several statements, syntax).
   */
  async get(
    conn: DuckDBConnection,
    searchPath: string,
    sql: string,
    generation: DataGeneration,
    cacheable: boolean,
  ): Promise<{ prepared: DuckDBPreparedStatement; owned: boolean; select: boolean }> {
    const at = generation.value;
    if (at !== this.#generation) {
      this.clear();
      this.#generation = at;
    }
    const key = `${searchPath}\u0000${sql}`;
    const hit = this.#entries.get(key);
    if (hit) {
      // Most recently used last: Map keeps insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      // Only SELECTs are kept.
      return { prepared: hit, owned: false, select: true };
    }
    const prepared = await conn.prepare(sql);
    const select = prepared.statementType === StatementType.SELECT;
    const keep =
      select &&
      cacheable &&
      key.length <= MAX_KEY_CHARS &&
      generation.value === at &&
      this.#generation === at;
    if (!keep) return { prepared, owned: true, select };
    this.#entries.set(key, prepared);
    if (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#drop(oldest);
    }
    return { prepared, owned: false, select };
  }

  /** Forgets one statement (after it failed to run, say), destroying it. */
  forget(prepared: DuckDBPreparedStatement): void {
    for (const [key, p] of this.#entries) {
      if (p === prepared) {
        this.#drop(key);
        return;
      }
    }
  }

  /** Destroys every statement held. */
  clear(): void {
    for (const key of [...this.#entries.keys()]) this.#drop(key);
  }

  #drop(key: string): void {
    const prepared = this.#entries.get(key);
    this.#entries.delete(key);
    // Safe while a result of it streams: DuckDB's result keeps what it needs.
    prepared?.destroySync();
  }
}
