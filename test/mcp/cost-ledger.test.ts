import { expect } from 'chai';
import { CostLedger } from '../../src/mcp/cost-ledger.js';
import { clientLabel } from '../../src/mcp/cost-guard.js';

describe('cost ledger', () => {
  it('counts bytes within the rolling window and forgets them once they leave it', () => {
    let now = 1_000_000;
    const ledger = new CostLedger(3_600_000, () => now);
    ledger.admit('a', 'stdio:a', 100);
    now += 1_800_000;
    ledger.admit('a', 'stdio:a', 50);
    expect(ledger.windowBytes('a')).to.equal(150);
    now += 1_800_000;
    // The first read is exactly an hour old: out of the window.
    expect(ledger.windowBytes('a')).to.equal(50);
    now += 1_800_000;
    expect(ledger.windowBytes('a')).to.equal(0);
    ledger.refuse('a', 'stdio:a');
    expect(ledger.snapshot()).to.deep.equal([
      { client: 'stdio:a', estimatedBytes: 150, windowBytes: 0, reads: 2, refusals: 1 },
    ]);
    expect(ledger.windowBytes('nobody')).to.equal(0);
  });

  it('keeps a bounded window per client without letting bytes leave it early', () => {
    let now = 0;
    const ledger = new CostLedger(10_000, () => now);
    for (let i = 0; i < 1000; i++) {
      ledger.admit('busy', 'busy', 1);
      now += 1;
    }
    expect(ledger.windowBytes('busy')).to.equal(1000);
    now = 10_000 + 500;
    // 499 reads are younger than the window; reads share an entry per 1/60 of it (166 ms here), so
    // at most that many older ones still count with them (the window errs long, never short).
    const counted = ledger.windowBytes('busy');
    expect(counted)
      .to.be.at.least(499)
      .and.at.most(499 + 167);
  });

  it('labels clients by kind and an id prefix, never the whole id', () => {
    expect(clientLabel('http:3f1b2c9a-58de-4f5e-9a77-0123456789ab')).to.equal('http:3f1b2c9a…');
    expect(clientLabel('token:0123456789abcdef')).to.equal('token:01234567…');
    expect(clientLabel('stdio:stdio')).to.equal('stdio:stdio');
  });
});
