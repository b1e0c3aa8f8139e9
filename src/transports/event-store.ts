/**
 * A bounded in-memory event store for Streamable HTTP resumability: one per session, holding the
 * last N server→client messages so a client that lost its SSE stream can reconnect with
 * `Last-Event-ID` and get what it missed. It dies with the session; memory is capped by N.
 */
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

interface StoredEvent {
  readonly seq: number;
  readonly streamId: string;
  readonly message: JSONRPCMessage;
}

/** Event ids are `<seq>-<streamId>`: the sequence finds the event, the suffix names its stream. */
function parseEventId(eventId: string): { seq: number; streamId: string } | undefined {
  const dash = eventId.indexOf('-');
  if (dash <= 0) return undefined;
  const seq = Number(eventId.slice(0, dash));
  if (!Number.isSafeInteger(seq)) return undefined;
  return { seq, streamId: eventId.slice(dash + 1) };
}

/** Keeps the newest `maxEvents` events; older ones can no longer be replayed. */
export class BoundedEventStore implements EventStore {
  private events: StoredEvent[] = [];
  private nextSeq = 1;

  constructor(private readonly maxEvents: number) {}

  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const seq = this.nextSeq++;
    this.events.push({ seq, streamId, message });
    if (this.events.length > this.maxEvents) this.events.shift();
    return Promise.resolve(`${seq}-${streamId}`);
  }

  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return Promise.resolve(parseEventId(eventId)?.streamId);
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) throw new Error(`unknown event id ${lastEventId}`);
    const oldest = this.events[0]?.seq ?? this.nextSeq;
    // The client has seen `parsed.seq`; if the next one was evicted we cannot replay without a gap.
    if (parsed.seq + 1 < oldest) throw new Error(`events after ${lastEventId} are no longer available`);
    for (const event of this.events) {
      if (event.seq > parsed.seq && event.streamId === parsed.streamId) {
        await send(`${event.seq}-${event.streamId}`, event.message);
      }
    }
    return parsed.streamId;
  }
}
