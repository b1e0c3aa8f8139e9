/**
 * Per-client concurrency limit: how many requests one client (session, token or remote address)
 * may have in flight. Over the limit the caller answers 429 with Retry-After (HTTP) or a JSON-RPC
 * error (WebSocket, SSE). One Map entry per busy client; idle clients cost nothing.
 */

/** Seconds a refused client is told to wait. */
export const RETRY_AFTER_SECONDS = 1;

/** Counts in-flight requests per client key. */
export class ClientLimiter {
  private readonly counts = new Map<string, number>();

  constructor(readonly limit: number) {}

  /**
   * Takes a slot for `key`. Returns a release function (call once), or undefined when the client
   * already has `limit` requests in flight.
   */
  acquire(key: string): (() => void) | undefined {
    const current = this.counts.get(key) ?? 0;
    if (current >= this.limit) return undefined;
    this.counts.set(key, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.counts.get(key) ?? 1) - 1;
      if (n <= 0) this.counts.delete(key);
      else this.counts.set(key, n);
    };
  }

  /** True when `key` has no free slot (for answering 429 before the work is handed on). */
  isFull(key: string): boolean {
    return (this.counts.get(key) ?? 0) >= this.limit;
  }

  /** Requests in flight for `key`. */
  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
