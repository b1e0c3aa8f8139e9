import { expect } from 'chai';
import { Deadline } from '../../src/snowflake/deadline.js';

describe('call deadline', () => {
  it('gives later steps only the time that remains, at least one second to a statement', () => {
    const deadline = Deadline.after(1500);
    expect(deadline.statementSeconds()).to.equal(2);
    expect(deadline.expired).to.equal(false);
    const passed = Deadline.after(0);
    expect(passed.expired).to.equal(true);
    expect(passed.remainingMs()).to.equal(0);
    expect(passed.statementSeconds()).to.equal(1);
  });

  it('keeps the earlier of two deadlines', () => {
    const soon = Deadline.after(1000);
    const late = Deadline.after(60_000);
    expect(late.min(soon)).to.equal(soon);
    expect(soon.min(late)).to.equal(soon);
    expect(soon.min(undefined)).to.equal(soon);
  });
});
