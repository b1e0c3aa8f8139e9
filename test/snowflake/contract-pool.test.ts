/**
 * Contract: the connection pool — validation only of connections idle past the threshold (seen as
 * heartbeat round trips through a counting proxy), no leaked slot after any kind of failure
 * (cancel, timeout, abort while queued or logging in, stream cut at the cap), and SELECT 1 latency.
 */
import { expect } from 'chai';
import { startCountingProxy } from './counting-proxy.js';
import type { CountingProxy } from './counting-proxy.js';
import { failure, PASSWORD, settledStats, sleep, useContractHarness } from './contract-harness.js';

const HEARTBEAT = '/session/heartbeat';
const QUERY = '/queries/v1/query-request';

describe('snowflake client contract: pool', function () {
  this.timeout(30_000);
  const h = useContractHarness();
  let proxy: CountingProxy;

  before(async () => {
    proxy = await startCountingProxy({ host: '127.0.0.1', port: h.emu.port });
  });
  after(async () => {
    await proxy?.close();
  });

  describe('validation on borrow', () => {
    it('lends a recently used connection without a heartbeat round trip', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 }, proxy.port);
      await h.q(c, 'SELECT 1');
      proxy.reset();
      for (let i = 0; i < 5; i++) await h.q(c, 'SELECT 1');
      expect(proxy.count(HEARTBEAT)).to.equal(0);
      expect(proxy.count(QUERY)).to.equal(5);
    });

    it('checks a connection idle past validateIdleMs with one heartbeat', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1, validateIdleMs: 100 }, proxy.port);
      await h.q(c, 'SELECT 1');
      await h.q(c, 'SELECT 1');
      proxy.reset();
      await sleep(150);
      await h.q(c, 'SELECT 1');
      expect(proxy.count(HEARTBEAT)).to.equal(1);
      await h.q(c, 'SELECT 1');
      expect(proxy.count(HEARTBEAT)).to.equal(1);
    });

    it('replaces an idle connection whose session died before a non-retryable statement runs', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1, validateIdleMs: 100 });
      await h.q(c, 'SELECT 1');
      h.emu.expireSessions({ master: true });
      await sleep(150);
      const logins = h.emu.stats().logins;
      const res = await h.q(c, 'SELECT 8', { retryable: false });
      expect(res.rows).to.deep.equal([[8]]);
      expect(h.emu.stats().logins).to.equal(logins + 1);
    });
  });

  describe('no leaked slots', () => {
    const idle = { borrowed: 0, pending: 0 };

    it('after a cancelled statement', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const err = await failure(h.q(c, 'SELECT SYSTEM$WAIT(5)', { signal: controller.signal }));
      expect(err.code).to.equal('QUERY_CANCELLED');
      expect(c.stats()).to.include(idle);
      expect((await h.q(c, 'SELECT 1')).rows).to.deep.equal([[1]]);
      expect(c.stats()).to.include({ ...idle, size: 1 });
    });

    it('after a statement that timed out', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      const err = await failure(h.q(c, 'SELECT SYSTEM$WAIT(3)', { timeoutSeconds: 1 }));
      expect(err.code).to.equal('QUERY_TIMEOUT');
      expect(c.stats()).to.include(idle);
      expect((await h.q(c, 'SELECT 1')).rows).to.deep.equal([[1]]);
    });

    it('after a caller gave up while queued for a connection', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      const long = h.q(c, 'SELECT SYSTEM$WAIT(0.5)');
      await sleep(100);
      const controller = new AbortController();
      const queued = h.q(c, 'SELECT 99', {
        signal: controller.signal,
        context: { requestId: 'gave-up', clientId: 'c', tool: 'run_query' },
      });
      await sleep(50);
      expect(c.stats()).to.include({ borrowed: 1, pending: 1 });
      controller.abort();
      const err = await failure(queued);
      expect(err.code).to.equal('QUERY_CANCELLED');
      // Out of the queue at once, not when the connection frees up.
      expect(c.stats()).to.include({ borrowed: 1, pending: 0 });
      await long;
      expect(c.stats()).to.include({ ...idle, size: 1 });
      const ran = (await h.history('gave-up')).filter((r) => r.QUERY_TEXT === 'SELECT 99');
      expect(ran).to.have.length(0);
    });

    it('after a caller gave up while its connection was logging in', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      expect(c.stats()).to.include({ size: 0 });
      const controller = new AbortController();
      const pending = h.q(c, 'SELECT 1', { signal: controller.signal });
      setImmediate(() => controller.abort());
      const err = await failure(pending);
      expect(err.code).to.equal('QUERY_CANCELLED');
      // The login finishes on its own; the new connection then waits in the pool.
      const stats = await settledStats(c, (s) => s.borrowed === 0 && s.pending === 0 && s.size === 1);
      expect(stats).to.include({ ...idle, size: 1, available: 1 });
      expect((await h.q(c, 'SELECT 1')).rows).to.deep.equal([[1]]);
    });

    it('after streams cut at the row cap, many times over', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 2 });
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          h.q(c, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS', { maxRows: 5, timeoutSeconds: 30 }),
        ),
      );
      for (const res of results) expect(res).to.deep.include({ rowCount: 5, truncated: true });
      expect(c.stats()).to.include({ ...idle, max: 2 });
      expect(c.stats().size).to.be.at.most(2);
    });

    it('after a caller timed out in the queue (POOL_EXHAUSTED)', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1, acquireTimeoutMs: 150 });
      const long = h.q(c, 'SELECT SYSTEM$WAIT(0.5)');
      await sleep(50);
      const errs = await Promise.all([1, 2, 3].map(() => failure(h.q(c, 'SELECT 1'))));
      expect(errs.map((e) => e.code)).to.deep.equal(['POOL_EXHAUSTED', 'POOL_EXHAUSTED', 'POOL_EXHAUSTED']);
      expect(c.stats()).to.include({ borrowed: 1, pending: 0 });
      await long;
      expect(c.stats()).to.include(idle);
    });
  });
});
