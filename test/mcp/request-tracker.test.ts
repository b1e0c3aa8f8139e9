import { expect } from 'chai';
import type { RequestContext } from '../../src/mcp/request-context.js';
import { RequestTracker } from '../../src/mcp/request-tracker.js';

describe('RequestTracker.linkSignal', () => {
  it('aborts every linked call in flight on cancelAll, with the reason, and none that ended', () => {
    const tracker = new RequestTracker();
    const ended = Array.from({ length: 1000 }, () => tracker.linkSignal());
    for (const link of ended) link.unlink();
    const running = tracker.linkSignal(new AbortController().signal);

    tracker.cancelAll('draining');

    expect(running.signal.aborted).to.equal(true);
    expect((running.signal.reason as Error).message).to.equal('draining');
    expect(ended.some((link) => link.signal.aborted)).to.equal(false);
  });

  it("follows the call's own signal, and later calls get a fresh switch after cancelAll", () => {
    const tracker = new RequestTracker();
    const own = new AbortController();
    const link = tracker.linkSignal(own.signal);
    own.abort(new Error('client cancelled'));
    expect(link.signal.aborted).to.equal(true);
    expect((link.signal.reason as Error).message).to.equal('client cancelled');

    tracker.cancelAll();
    expect(tracker.linkSignal().signal.aborted).to.equal(false);
    const early = new AbortController();
    early.abort(new Error('already gone'));
    expect(tracker.linkSignal(early.signal).signal.aborted).to.equal(true);
  });
});

describe('RequestTracker.abandon', () => {
  const context = (requestId: string): RequestContext => ({
    requestId,
    transport: 'http-stateless',
    clientId: 'anonymous',
    startedAt: Date.now(),
  });

  it('cancels the call of a request its transport abandoned, before or after the call linked', () => {
    const tracker = new RequestTracker();
    const endLinked = tracker.begin(context('linked'));
    const linked = tracker.linkSignal(undefined, undefined, 'linked');
    tracker.abandon('linked', new Error('the HTTP connection closed'));
    expect(linked.signal.aborted).to.equal(true);
    expect((linked.signal.reason as Error).message).to.equal('the HTTP connection closed');

    const endEarly = tracker.begin(context('early'));
    tracker.abandon('early', new Error('gone before the call began'));
    const late = tracker.linkSignal(undefined, undefined, 'early');
    expect(late.signal.aborted).to.equal(true);
    expect((late.signal.reason as Error).message).to.equal('gone before the call began');
    endLinked();
    endEarly();
  });

  it('forgets a request once it ended, and ignores requests not in flight', () => {
    const tracker = new RequestTracker();
    const end = tracker.begin(context('r1'));
    tracker.abandon('r1', new Error('closed'));
    end();
    // The same id again (a new request) starts clean.
    const again = tracker.begin(context('r1'));
    expect(tracker.linkSignal(undefined, undefined, 'r1').signal.aborted).to.equal(false);
    again();
    tracker.abandon('never-began', new Error('closed'));
    expect(tracker.linkSignal(undefined, undefined, 'never-began').signal.aborted).to.equal(false);
    expect(tracker.activeCount).to.equal(0);
  });
});

describe('RequestTracker.cancel', () => {
  const context = (requestId: string, owner: string): RequestContext => ({
    requestId,
    transport: 'http',
    clientId: `client-of-${owner}`,
    owner,
    tool: 'execute_query',
    startedAt: Date.now(),
  });

  it('aborts exactly the named call, with the reason, and leaves the others running', () => {
    const tracker = new RequestTracker();
    const endA = tracker.begin(context('a', 'uid:1'));
    const endB = tracker.begin(context('b', 'uid:1'));
    const a = tracker.linkSignal(undefined, undefined, 'a');
    const b = tracker.linkSignal(undefined, undefined, 'b');

    expect(tracker.cancel('a', 'cancelled by an operator')).to.equal('cancelled');

    expect(a.signal.aborted).to.equal(true);
    expect((a.signal.reason as Error).message).to.equal('cancelled by an operator');
    expect(b.signal.aborted).to.equal(false);
    a.unlink();
    b.unlink();
    endA();
    endB();
  });

  it('says why it cancels nothing: unknown id, not allowed, no linked tool call, call ended', () => {
    const tracker = new RequestTracker();
    expect(tracker.cancel('nope', 'x')).to.equal('not-found');
    const end = tracker.begin(context('c', 'uid:2'));
    expect(tracker.cancel('c', 'x')).to.equal('not-cancellable');
    const link = tracker.linkSignal(undefined, undefined, 'c');
    expect(tracker.cancel('c', 'x', (call) => call.owner === 'uid:3')).to.equal('forbidden');
    expect(link.signal.aborted).to.equal(false);
    link.unlink();
    expect(tracker.cancel('c', 'x')).to.equal('not-cancellable');
    end();
    expect(tracker.cancel('c', 'x')).to.equal('not-found');
  });
});

describe('RequestTracker.connectionRequest', () => {
  const begin = (tracker: RequestTracker, clientId: string, rpcId: string | number, requestId: string) =>
    tracker.begin({ requestId, transport: 'websocket', clientId, startedAt: Date.now(), rpcId });

  it('finds the context of a connection request by its JSON-RPC id until it ends', () => {
    const tracker = new RequestTracker();
    const end = begin(tracker, 'ws-1', 7, 'r1');
    begin(tracker, 'ws-2', 7, 'r2');
    expect(tracker.connectionRequest('ws-1', 7)?.requestId).to.equal('r1');
    expect(tracker.connectionRequest('ws-2', 7)?.requestId).to.equal('r2');
    end();
    expect(tracker.connectionRequest('ws-1', 7)).to.equal(undefined);
    expect(tracker.connectionRequest('ws-2', 7)?.requestId).to.equal('r2');
  });

  it('tells id 1 from id "1", and a context without an id is never found by one', () => {
    const tracker = new RequestTracker();
    begin(tracker, 'c', 1, 'number');
    begin(tracker, 'c', '1', 'string');
    tracker.begin({ requestId: 'none', transport: 'http-stateless', clientId: 'c', startedAt: Date.now() });
    expect(tracker.connectionRequest('c', 1)?.requestId).to.equal('number');
    expect(tracker.connectionRequest('c', '1')?.requestId).to.equal('string');
    expect(tracker.connectionRequest('c', 2)).to.equal(undefined);
  });
});
