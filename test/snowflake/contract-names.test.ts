/**
 * Contract: result columns named after JavaScript built-ins (constructor, __proto__, toString,
 * valueOf, …), which snowflake-sdk cannot index (it throws a TypeError before any row is read),
 * come back under their real names with their values and types: the client layer reads the stored
 * result again by position and keeps the pooled connection (the same Snowflake session answers the
 * next query). Duplicate ordinary names stay two distinct columns (array rows).
 */
import { expect } from 'chai';
import type { SnowflakeClient } from '../../src/snowflake/client.js';
import { PASSWORD, settledStats, useContractHarness } from './contract-harness.js';

describe('snowflake client contract: column names', function () {
  this.timeout(30_000);
  const h = useContractHarness();
  let one: SnowflakeClient;

  before(async () => {
    one = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD }, { max: 1 });
  });

  const sessionId = async (): Promise<unknown> => (await h.q(one, 'SELECT CURRENT_SESSION()')).rows[0]?.[0];

  for (const [sql, names, row] of [
    ['SELECT 1 AS "constructor"', ['constructor'], [1]],
    ['SELECT 1 AS "__proto__"', ['__proto__'], [1]],
    ['SELECT 1 AS "toString"', ['toString'], [1]],
    ['SELECT 1 AS "valueOf"', ['valueOf'], [1]],
    ['SELECT 1 AS "constructor", 2 AS "constructor"', ['constructor', 'constructor'], [1, 2]],
    [
      'SELECT 1 AS ID, \'x\' AS "valueOf", 2.5::NUMBER(4,1) AS "hasOwnProperty"',
      ['ID', 'valueOf', 'hasOwnProperty'],
      [1, 'x', '2.5'],
    ],
  ] as const) {
    it(`answers ${sql} under its real column names, on the same pooled connection`, async () => {
      const before = await sessionId();
      const res = await h.q(one, sql);
      expect(res.columns.map((c) => c.name)).to.deep.equal(names);
      expect(res.rows).to.deep.equal([row]);
      expect(res.queryId).to.match(/^[0-9a-f-]{36}$/);
      // Reading the stored result again (fetch_results) gives the same names and rows.
      const again = await one.getResult(res.queryId, 0, 10, { maxBytes: 10_000 });
      expect(again.columns.map((c) => c.name)).to.deep.equal(names);
      expect(again.rows).to.deep.equal([row]);
      const stats = await settledStats(one, (s) => s.borrowed === 0);
      expect(stats).to.include({ size: 1, available: 1, borrowed: 0 });
      // No reconnect: the very same Snowflake session runs the next statement.
      expect(await sessionId()).to.equal(before);
    });
  }

  it('keeps types, the row cap and paging of a larger result with such a name', async () => {
    const sql =
      'SELECT SEQ4() AS "constructor", TO_VARCHAR(SEQ4()) AS "__proto__", CURRENT_DATE() AS D ' +
      'FROM TABLE(GENERATOR(ROWCOUNT => 25)) ORDER BY 1';
    const res = await h.q(one, sql, { maxRows: 10 });
    expect(res.columns.map((c) => [c.name, c.type])).to.deep.equal([
      ['constructor', 'NUMBER'],
      ['__proto__', 'TEXT'],
      ['D', 'DATE'],
    ]);
    expect(res.rows.map((r) => r[0])).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(res.truncated).to.equal(true);
    const page = await one.getResult(res.queryId, 20, 10, { maxBytes: 10_000 });
    expect(page.rows.map((r) => [r[0], r[1]])).to.deep.equal([
      [20, '20'],
      [21, '21'],
      [22, '22'],
      [23, '23'],
      [24, '24'],
    ]);
  });

  it('reads the same names in another case, and duplicate names as distinct columns', async () => {
    const res = await h.q(one, 'SELECT 1 AS "CONSTRUCTOR", 2 AS "Constructor", 3 AS N, 4 AS N');
    expect(res.columns.map((c) => c.name)).to.deep.equal(['CONSTRUCTOR', 'Constructor', 'N', 'N']);
    expect(res.rows).to.deep.equal([[1, 2, 3, 4]]);
  });
});
