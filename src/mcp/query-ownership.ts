/**
 * Which client a Snowflake query id belongs to. Every statement smcp runs for a call is recorded
 * with the call's principal (its session, or its owner for sessionless calls; see principalOf);
 * fetch_results and query_status serve an id only to that principal. Anyone else gets the same
 * answer as for an id that never existed, so ids cannot even be probed.
 *
 * Bounded: at most `maxEntries` ids (oldest forgotten first) for at most `maxAgeMs` (Snowflake
 * keeps results for 24 hours). An id smcp did not hand out (another tool, a daemon restart) is
 * nobody's.
 */

/** Defaults: room for a busy day of query ids, as long as Snowflake keeps results. */
export const DEFAULT_MAX_OWNED_QUERIES = 200_000;
export const DEFAULT_QUERY_OWNERSHIP_MS = 24 * 60 * 60 * 1000;

interface Entry {
  readonly principal: string;
  readonly at: number;
}

/** The query id → principal record. */
export class QueryOwnership {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = DEFAULT_MAX_OWNED_QUERIES,
    private readonly maxAgeMs = DEFAULT_QUERY_OWNERSHIP_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records that `queryId` was run for `principal` (the first record wins). */
  record(queryId: string, principal: string): void {
    if (this.entries.has(queryId)) return;
    this.entries.set(queryId, { principal, at: this.now() });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** True when `queryId` was run for `principal` and is not older than the lifetime. */
  owns(queryId: string, principal: string): boolean {
    const entry = this.entries.get(queryId);
    if (!entry) return false;
    if (this.now() - entry.at > this.maxAgeMs) {
      this.entries.delete(queryId);
      return false;
    }
    return entry.principal === principal;
  }

  /** Ids recorded (for status). */
  get size(): number {
    return this.entries.size;
  }
}
