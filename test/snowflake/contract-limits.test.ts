/**
 * Contract: every bound the client layer puts on a statement — rows and bytes read (large results
 * through chunks), statement time, cancellation by AbortSignal, and concurrency through the pool.
 */
import { expect } from 'chai';
import { failure, PASSWORD, useContractHarness } from './contract-harness.js';

/** Polls `check` every 10 ms until it holds (the mocha timeout bounds a check that never does). */
async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('snowflake client contract: limits', function () {
  this.timeout(30_000);
  const h = useContractHarness();

  describe('rows and bytes', () => {
    it('streams a large result through chunks without loss', async () => {
      const res = await h.q(h.main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS LIMIT 200000', {
        maxRows: 200_000,
        maxBytes: 1_000_000_000,
        timeoutSeconds: 60,
      });
      expect(res.rowCount).to.equal(200_000);
      expect(res.totalRows).to.equal(200_000);
      expect(res.truncated).to.equal(false);
    });

    it('cuts a 1M-row result at the row cap, fast', async () => {
      const res = await h.q(h.main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS', {
        maxRows: 1000,
        timeoutSeconds: 60,
      });
      expect(res).to.deep.include({
        rowCount: 1000,
        truncated: true,
        truncatedBy: 'rows',
        totalRows: 1_000_000,
      });
      expect(res.queryId).to.match(/^[0-9a-f-]{36}$/);
    });

    it('downloads only the chunks the row cap needs, none the driver would prefetch beyond it', async () => {
      const before = h.emu.stats().chunkDownloads;
      const res = await h.q(h.main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS ORDER BY 1', { maxRows: 1500 });
      expect(res.rowCount).to.equal(1500);
      // Let downloads the driver may have started in the background land before counting.
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Rows 0..1500: the inline part (1,000 rows) and the first chunk; not the chunks after it.
      expect(h.emu.stats().chunkDownloads - before).to.equal(1);
    });

    it('cuts a result at the byte cap', async () => {
      const res = await h.q(h.main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS', {
        maxRows: 100_000,
        maxBytes: 10_000,
      });
      expect(res.truncated).to.equal(true);
      expect(res.truncatedBy).to.equal('bytes');
      expect(res.bytes).to.be.at.most(10_000);
      expect(Buffer.byteLength(JSON.stringify(res.rows))).to.equal(res.bytes);
      expect(res.rowCount).to.be.greaterThan(0);
    });
  });

  describe('time and cancellation', () => {
    it('stops a statement at its timeout with QUERY_TIMEOUT', async () => {
      const err = await failure(h.q(h.main, 'SELECT SYSTEM$WAIT(5)', { timeoutSeconds: 1 }));
      expect(err.code).to.equal('QUERY_TIMEOUT');
      // Snowflake's own timeout code: the statement was stopped, not waited out.
      expect(err.details.snowflakeCode).to.equal('000630');
    });

    it('cancels a running statement in Snowflake when the signal aborts', async () => {
      const controller = new AbortController();
      const r = h.request('SELECT SYSTEM$WAIT(5)', {
        signal: controller.signal,
        context: { requestId: 'cancel-check', clientId: 'c', tool: 'run_query' },
      });
      setTimeout(() => controller.abort(), 300);
      const err = await failure(h.main.query(r));
      expect(err.code).to.equal('QUERY_CANCELLED');
      const rows = await h.history('cancel-check');
      expect(rows).to.have.length(1);
      expect(rows[0].ERROR_CODE).to.equal('000604');
      expect(String(rows[0].EXECUTION_STATUS)).to.match(/FAIL/);
    });
  });

  describe('concurrency', () => {
    it('runs requests in parallel up to the pool maximum', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 4, maxPerClient: 4 });
      let done = 0;
      const running = [1, 2, 3, 4].map(() => h.q(c, 'SELECT SYSTEM$WAIT(3)').finally(() => done++));
      // All four hold a connection at once, before any of them has finished.
      await waitUntil(() => c.stats().borrowed === 4);
      expect(done).to.equal(0);
      await Promise.all(running);
      expect(c.stats()).to.include({ size: 4, borrowed: 0, available: 4, max: 4 });
    });

    it('fails fast with POOL_EXHAUSTED when no connection frees up in time', async () => {
      const one = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1, acquireTimeoutMs: 200 });
      const long = h.q(one, 'SELECT SYSTEM$WAIT(5)');
      let longDone = false;
      void long.finally(() => (longDone = true));
      await waitUntil(() => one.stats().borrowed === 1);
      const err = await failure(h.q(one, 'SELECT 1'));
      expect(err.code).to.equal('POOL_EXHAUSTED');
      // It gave up at its acquire timeout, while the long statement still held the connection.
      expect(longDone).to.equal(false);
      // The waiter that gave up is gone from the queue at once.
      expect(one.stats()).to.include({ borrowed: 1, pending: 0 });
      await long;
      expect(one.stats()).to.include({ max: 1, borrowed: 0, pending: 0 });
      expect((await h.q(one, 'SELECT 1')).rows).to.deep.equal([[1]]);
    });
  });
});
