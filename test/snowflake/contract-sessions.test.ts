/**
 * Contract: Snowflake sessions behind the pool — token renewal, recovery from expired sessions
 * (reconnect and retry once, read-only statements only) and isolation of session state between
 * requests on pooled connections.
 */
import { expect } from 'chai';
import { failure, PASSWORD, useContractHarness } from './contract-harness.js';

describe('snowflake client contract: sessions', function () {
  this.timeout(30_000);
  const h = useContractHarness();

  describe('expiry and renewal', () => {
    it('renews expired session tokens and replaces sessions whose master token expired', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      await h.q(c, 'SELECT 1');
      h.emu.expireSessions();
      expect((await h.q(c, 'SELECT 2')).rows).to.deep.equal([[2]]);
      h.emu.expireSessions({ master: true });
      expect((await h.q(c, 'SELECT 3')).rows).to.deep.equal([[3]]);
    });

    it('retries a read-only statement once on a new connection when its pooled session died', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 2, maxPerClient: 2 });
      // Fill the pool with two sessions, then kill them (master tokens too): the next borrow gets a
      // recently used connection, lent without a heartbeat.
      await Promise.all([h.q(c, 'SELECT SYSTEM$WAIT(0.2)'), h.q(c, 'SELECT SYSTEM$WAIT(0.2)')]);
      expect(c.stats()).to.include({ size: 2, available: 2 });
      h.emu.expireSessions({ master: true });
      const logins = h.emu.stats().logins;
      const res = await h.q(c, 'SELECT 5', {
        context: { requestId: 'retry-read', clientId: 'c', tool: 'run_query' },
      });
      expect(res.rows).to.deep.equal([[5]]);
      expect(h.emu.stats().logins).to.equal(logins + 1);
      // The new connection's one-time session setup carries the request's tag too.
      const rows = (await h.history('retry-read')).filter((r) => r.QUERY_TEXT === 'SELECT 5');
      expect(rows.map((r) => r.EXECUTION_STATUS)).to.deep.equal(['SUCCESS']);
      expect(c.stats()).to.include({ borrowed: 0, pending: 0 });
    });

    it('fails a non-retryable statement with SESSION_EXPIRED and never runs it twice', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      await h.q(c, 'SELECT 1');
      h.emu.expireSessions({ master: true });
      const logins = h.emu.stats().logins;
      const err = await failure(
        h.q(c, "SELECT 'write-like'", {
          retryable: false,
          context: { requestId: 'no-retry', clientId: 'c', tool: 'run_query' },
        }),
      );
      expect(err.code).to.equal('SESSION_EXPIRED');
      // No second attempt: no new login for it, and at most the one (rejected) execution.
      expect(h.emu.stats().logins).to.equal(logins);
      const runs = (await h.history('no-retry')).filter((r) => r.QUERY_TEXT === "SELECT 'write-like'");
      expect(runs).to.have.length.at.most(1);
      expect(c.stats()).to.include({ borrowed: 0, pending: 0, size: 0 });
      // The dead connection was dropped; the next request logs in afresh.
      expect((await h.q(c, 'SELECT 6')).rows).to.deep.equal([[6]]);
    });
  });

  describe('isolation', () => {
    it('applies a request database only to that request', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      const base = await h.q(c, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()');
      expect(base.rows).to.deep.equal([['SAMPLE_DB', 'SALES']]);
      const other = await h.q(c, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()', { database: 'ANALYTICS' });
      expect(other.rows[0][0]).to.equal('ANALYTICS');
      const typed = await h.q(c, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()', {
        database: 'SAMPLE_DB',
        schema: 'TYPES',
      });
      expect(typed.rows).to.deep.equal([['SAMPLE_DB', 'TYPES']]);
      expect((await h.q(c, 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()')).rows).to.deep.equal([
        ['SAMPLE_DB', 'SALES'],
      ]);
    });

    it('does not let USE or ALTER SESSION in one request leak into the next', async () => {
      const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
      await h.q(c, 'USE SCHEMA SAMPLE_DB.TYPES');
      expect((await h.q(c, 'SELECT CURRENT_SCHEMA()')).rows).to.deep.equal([['SALES']]);
      await h.q(c, 'USE ROLE SYSADMIN');
      expect((await h.q(c, 'SELECT CURRENT_ROLE()')).rows).to.deep.equal([['ANALYST_ROLE']]);
      await h.q(c, "ALTER SESSION SET TIMEZONE = 'Asia/Tokyo'");
      const params = await h.q(c, 'SHOW PARAMETERS');
      const key = params.columns.findIndex((col) => col.name === 'key');
      const value = params.columns.findIndex((col) => col.name === 'value');
      const timezone = params.rows.find((row) => row[key] === 'TIMEZONE');
      expect(timezone?.[value]).to.be.a('string').and.not.equal('Asia/Tokyo');
    });
  });
});
