/**
 * Contract: result columns named after JavaScript built-ins (constructor, __proto__, toString,
 * valueOf), which snowflake-sdk 3.3 cannot index (it throws a TypeError before any row is read).
 * The client layer reports them as RESULT_UNREADABLE with a way out, not as INTERNAL, and keeps the
 * pooled connection: the same Snowflake session answers the next query. Duplicate ordinary names
 * stay two distinct columns (array rows).
 */
import { expect } from 'chai';
import type { SnowflakeClient } from '../../src/snowflake/client.js';
import { failure, PASSWORD, settledStats, useContractHarness } from './contract-harness.js';

describe('snowflake client contract: column names', function () {
  this.timeout(30_000);
  const h = useContractHarness();
  let one: SnowflakeClient;

  before(async () => {
    one = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
  });

  const sessionId = async (): Promise<unknown> => (await h.q(one, 'SELECT CURRENT_SESSION()')).rows[0]?.[0];

  for (const sql of [
    'SELECT 1 AS "constructor"',
    'SELECT 1 AS "__proto__"',
    'SELECT 1 AS "toString"',
    'SELECT 1 AS "valueOf"',
    'SELECT 1 AS "constructor", 2 AS "constructor"',
    'SELECT 1 AS ID, \'x\' AS "valueOf"',
  ]) {
    it(`answers ${sql} with RESULT_UNREADABLE and keeps the pooled connection`, async () => {
      const before = await sessionId();
      const err = await failure(h.q(one, sql));
      expect(err.code).to.equal('RESULT_UNREADABLE');
      expect(err.message).to.contain('constructor').and.contain('rename the column with AS');
      expect(err.details.queryId).to.match(/^[0-9a-f-]{36}$/);
      // Reading the stored result again (fetch_results) says the same, not RESULT_NOT_FOUND.
      const again = await failure(one.getResult(err.details.queryId ?? '', 0, 10, { maxBytes: 10_000 }));
      expect(again.code).to.equal('RESULT_UNREADABLE');
      const stats = await settledStats(one, (s) => s.borrowed === 0);
      expect(stats).to.include({ size: 1, available: 1, borrowed: 0 });
      // No reconnect: the very same Snowflake session runs the next statement.
      expect(await sessionId()).to.equal(before);
    });
  }

  it('reads the same names in another case, and duplicate names as distinct columns', async () => {
    const res = await h.q(one, 'SELECT 1 AS "CONSTRUCTOR", 2 AS "Constructor", 3 AS N, 4 AS N');
    expect(res.columns.map((c) => c.name)).to.deep.equal(['CONSTRUCTOR', 'Constructor', 'N', 'N']);
    expect(res.rows).to.deep.equal([[1, 2, 3, 4]]);
  });
});
