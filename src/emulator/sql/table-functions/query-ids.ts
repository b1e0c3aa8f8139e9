/**
 * The query ids of each session's statements, for LAST_QUERY_ID([n]) and RESULT_SCAN(<index>):
 * the most recent ones per session, for a bounded number of sessions (the least recently active
 * forgotten first).
 */

/** Query ids kept per session. */
const PER_SESSION = 100;
/** Sessions remembered at most. */
const MAX_SESSIONS = 10_000;

/** Query ids by session, oldest first. */
export class SessionQueryIds {
  readonly #bySession = new Map<string, string[]>();

  /** Notes that `queryId` ran (or failed) in `sessionId`, as its most recent statement. */
  record(sessionId: string, queryId: string): void {
    const ids = this.#bySession.get(sessionId) ?? [];
    // Re-inserted so the Map's order is by last activity.
    this.#bySession.delete(sessionId);
    this.#bySession.set(sessionId, ids);
    ids.push(queryId);
    if (ids.length > PER_SESSION) ids.splice(0, ids.length - PER_SESSION);
    if (this.#bySession.size > MAX_SESSIONS) {
      const oldest = this.#bySession.keys().next().value;
      if (oldest !== undefined) this.#bySession.delete(oldest);
    }
  }

  /** The session's query ids, oldest first (empty for a session that ran nothing). */
  of(sessionId: string): readonly string[] {
    return this.#bySession.get(sessionId) ?? [];
  }

  /** The session's most recent query id, or null. */
  last(sessionId: string): string | null {
    const ids = this.#bySession.get(sessionId);
    return ids?.[ids.length - 1] ?? null;
  }
}
