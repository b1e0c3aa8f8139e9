/**
 * The latest finished tool calls, kept by the metrics as they count each call, for the status
 * page's list and latency sparkline. A fixed ring: memory stays bounded however many calls end.
 */
import type { CallRecord } from '../mcp/call-observer.js';
import type { RecentCall } from '../transports/contracts.js';

/** How many finished calls the ring holds. */
export const RECENT_CALLS_KEPT = 60;

/** A call as the ring keeps it: the record and when it ended (formatted only when listed). */
interface EndedCall {
  readonly record: CallRecord;
  readonly endedAtMs: number;
}

function asRecentCall({ record, endedAtMs }: EndedCall): RecentCall {
  return {
    tool: record.tool,
    transport: record.transport,
    outcome: record.outcome,
    durationMs: Math.round(record.durationSeconds * 1000),
    ...(record.rows !== undefined ? { rows: record.rows } : {}),
    endedAt: new Date(endedAtMs).toISOString(),
  };
}

/** A ring of the latest {@link RECENT_CALLS_KEPT} calls. */
export class RecentCalls {
  // Every call ends here, while the list is read only by the status page: the work of shaping and
  // formatting waits for list().
  private readonly ring: EndedCall[] = [];
  private next = 0;

  /** Records `record` as ended now. */
  add(record: CallRecord, now = Date.now()): void {
    const call: EndedCall = { record, endedAtMs: now };
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
    return oldestFirst.map(asRecentCall).reverse();
  }
}
