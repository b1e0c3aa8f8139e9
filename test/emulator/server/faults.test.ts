import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

/** Settles within `ms` or reports a hang. */
function within<T>(ms: number, p: Promise<T>): Promise<{ value?: T; error?: unknown; hung?: true }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ hung: true }), ms);
    p.then(
      (value) => {
        clearTimeout(timer);
        resolve({ value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ error });
      },
    );
  });
}

describe('emulator fault injection through the driver', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD, timeout: 5000 });
  });
  afterEach(function () {
    emulator.faults.clear();
  });
  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  it('is off by default', function () {
    expect(emulator.faults.get()).to.deep.equal({});
  });

  it('retries a query answered 503 once, transparently', async function () {
    emulator.faults.set({ failNextQueries: { count: 1, httpStatus: 503 } });
    const before = emulator.stats().statements;
    const out = await execute(conn, 'SELECT 1 AS X');
    expect(out.rows).to.deep.equal([{ X: 1 }]);
    expect(emulator.faults.get().failNextQueries?.count).to.equal(0);
    expect(emulator.stats().statements).to.equal(before + 1);
  });

  it('ends a dropped connection in a retry or an error, never a hang', async function () {
    emulator.faults.set({ dropNextConnections: 1 });
    const outcome = await within(20_000, execute(conn, 'SELECT 2 AS Y'));
    expect(outcome.hung).to.equal(undefined);
    if (outcome.value) expect(outcome.value.rows).to.deep.equal([{ Y: 2 }]);
    expect(emulator.faults.get().dropNextConnections).to.equal(0);
  });

  it('delays queries by queryDelayMs', async function () {
    emulator.faults.set({ queryDelayMs: 2000 });
    // Ordering, not timing: a short timer started with the query fires long before the answer.
    const answer = execute(conn, 'SELECT 3').then(() => 'answer');
    const first = await Promise.race([
      answer,
      new Promise((resolve) => setTimeout(() => resolve('timer'), 100)),
    ]);
    expect(first).to.equal('timer');
    expect(await answer).to.equal('answer');
  });

  it('fails logins while failLogins lasts, then lets them in', async function () {
    emulator.faults.set({ failLogins: 1 });
    const failed = await within(20_000, connect(emulator, { username: 'alice', password: ALICE_PASSWORD }));
    expect(failed.hung).to.equal(undefined);
    expect(failed.error).to.be.instanceOf(Error);
    const ok = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    await destroy(ok);
  });

  it('refuses nonsense settings', function () {
    expect(() => emulator.faults.set({ failNextQueries: { count: 1, httpStatus: 200 } })).to.throw(
      RangeError,
    );
    expect(() => emulator.faults.set({ dropNextConnections: -1 })).to.throw(RangeError);
  });
});
