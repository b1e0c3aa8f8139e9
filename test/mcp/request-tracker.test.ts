import { expect } from 'chai';
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
