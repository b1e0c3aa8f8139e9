import { expect } from 'chai';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { BoundedEventStore } from '../../src/transports/event-store.js';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: 1, progress: n },
});

describe('bounded event store', () => {
  it('replays the events of the same stream after the last one the client saw', async () => {
    const store = new BoundedEventStore(10);
    const a1 = await store.storeEvent('a', note(1));
    await store.storeEvent('b', note(2));
    await store.storeEvent('a', note(3));
    const replayed: number[] = [];
    const stream = await store.replayEventsAfter(a1, {
      send: (_id, message) => {
        replayed.push((message as unknown as { params: { progress: number } }).params.progress);
        return Promise.resolve();
      },
    });
    expect(stream).to.equal('a');
    expect(replayed).to.deep.equal([3]);
    expect(await store.getStreamIdForEventId(a1)).to.equal('a');
  });

  it('keeps only the newest events and refuses a replay with a gap', async () => {
    const store = new BoundedEventStore(2);
    const first = await store.storeEvent('s', note(1));
    for (let i = 2; i <= 5; i++) await store.storeEvent('s', note(i));
    let error = '';
    await store
      .replayEventsAfter(first, { send: () => Promise.resolve() })
      .catch((e: Error) => (error = e.message));
    expect(error).to.match(/no longer available/);
    let bad = '';
    await store
      .replayEventsAfter('garbage', { send: () => Promise.resolve() })
      .catch((e: Error) => (bad = e.message));
    expect(bad).to.match(/unknown event id/);
  });
});
