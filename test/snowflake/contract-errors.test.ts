/**
 * Contract: Snowflake errors reach the caller as smcp's stable codes, keeping Snowflake's code,
 * SQLSTATE and query id, and the client keeps serving after them.
 */
import { expect } from 'chai';
import { failure, PASSWORD, useContractHarness } from './contract-harness.js';

describe('snowflake client contract: error mapping', function () {
  this.timeout(30_000);
  const h = useContractHarness();

  it('maps a missing table to NOT_FOUND with 002003/42S02 and the query id', async () => {
    const err = await failure(h.q(h.main, 'SELECT * FROM SAMPLE_DB.SALES.NO_SUCH_TABLE'));
    expect(err.code).to.equal('NOT_FOUND');
    expect(err.details).to.include({ snowflakeCode: '002003', sqlState: '42S02' });
    expect(err.details.queryId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('maps a syntax error to SQL_SYNTAX', async () => {
    const err = await failure(h.q(h.main, 'SELEC 1'));
    expect(err.code).to.equal('SQL_SYNTAX');
    expect(err.details.snowflakeCode).to.equal('001003');
  });

  it('maps a warehouse that cannot run queries to WAREHOUSE_UNAVAILABLE', async () => {
    const c = await h.open({ SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_WAREHOUSE: 'UNAVAILABLE_WH' });
    const err = await failure(h.q(c, 'SELECT COUNT(*) FROM SAMPLE_DB.SALES.ORDERS'));
    expect(err.code).to.equal('WAREHOUSE_UNAVAILABLE');
    expect(err.details.snowflakeCode).to.equal('000606');
  });

  it('keeps serving after errors', async () => {
    await failure(h.q(h.main, 'SELEC 1'));
    await failure(h.q(h.main, 'SELECT * FROM NO_SUCH_TABLE'));
    expect((await h.q(h.main, 'SELECT 7')).rows).to.deep.equal([[7]]);
    expect((await h.main.healthCheck()).ok).to.equal(true);
    expect(h.main.stats()).to.include({ borrowed: 0, pending: 0 });
  });
});
