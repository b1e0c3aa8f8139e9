/**
 * The latest finished tool calls, kept by the metrics as they count each call, for the status
 * page's list and latency sparkline. A fixed ring: memory stays bounded however many calls end.
 */
import type { CallRecord } from '../mcp/call-observer.js';
import type { RecentCall } from '../transports/contracts.js';

/** How many finished calls the ring holds. */
export const RECENT_CALLS_KEPT = 60;

/** A ring of the latest {@link RECENT_CALLS_KEPT} calls. */
export class RecentCalls {
  private readonly ring: RecentCall[] = [];
  private next = 0;

  /** Records `record` as ended now. */
  add(record: CallRecord, now = Date.now()): void {
    const call: RecentCall = {
      tool: record.tool,
      transport: record.transport,
      outcome: record.outcome,
      durationMs: Math.round(record.durationSeconds * 1000),
      ...(record.rows !== undefined ? { rows: record.rows } : {}),
      endedAt: new Date(now).toISOString(),
    };
    if (this.ring.length < RECENT_CALLS_KEPT) this.ring.push(call);
    else this.ring[this.next] = call;
    this.next = (this.next + 1) % RECENT_CALLS_KEPT;
  }

  /** The calls kept, newest first. */
  list(): RecentCall[] {
    const oldestFirst =
      this.ring.length < RECENT_CALLS_KEPT
        ? this.ring
        : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return [...oldestFirst].reverse();
  }
}
