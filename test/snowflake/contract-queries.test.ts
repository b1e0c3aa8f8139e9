/**
 * Contract: ordinary statements through the client layer — metadata commands, request tags in
 * query history, one statement per request, and reading more of an earlier result by query id.
 */
import { expect } from 'chai';
import { failure, useContractHarness } from './contract-harness.js';

describe('snowflake client contract: queries', function () {
  this.timeout(30_000);
  const h = useContractHarness();

  it('answers metadata commands', async () => {
    const dbs = await h.q(h.main, 'SHOW DATABASES');
    const nameIdx = dbs.columns.findIndex((c) => c.name === 'name');
    expect(dbs.rows.map((r) => r[nameIdx])).to.include.members(['SAMPLE_DB', 'ANALYTICS']);
    const tables = await h.q(h.main, 'SHOW TABLES IN SCHEMA SAMPLE_DB.SALES');
    const tIdx = tables.columns.findIndex((c) => c.name === 'name');
    expect(tables.rows.map((r) => r[tIdx])).to.include.members(['CUSTOMERS', 'ORDERS', 'EVENTS']);
  });

  it('fetches more of an earlier result by query id', async () => {
    const first = await h.q(h.main, 'SELECT * FROM SAMPLE_DB.SALES.EVENTS ORDER BY 1', { maxRows: 10 });
    const more = await h.main.getResult(first.queryId, 5, 10, { maxBytes: 1_000_000 });
    expect(more.rows.slice(0, 5)).to.deep.equal(first.rows.slice(5, 10));
    expect(more.rowCount).to.equal(10);
    expect(more.truncated).to.equal(true);
    expect(await h.main.queryStatus(first.queryId)).to.equal('SUCCESS');
    const missing = await failure(
      h.main.getResult('01234567-89ab-cdef-0123-456789abcdef', 0, 10, { maxBytes: 1000 }),
    );
    expect(missing.code).to.equal('RESULT_NOT_FOUND');
  });

  it('tags every statement with the request context (visible in query history)', async () => {
    const r = h.request('SELECT 42', {
      context: { requestId: 'tag-check', clientId: 'cli-9', tool: 'describe', transport: 'stdio' },
    });
    await h.main.query(r);
    const rows = await h.history('tag-check');
    expect(rows).to.have.length(1);
    expect(JSON.parse(String(rows[0].QUERY_TAG))).to.deep.equal({
      app: 'smcp',
      req: 'tag-check',
      client: 'cli-9',
      tool: 'describe',
      transport: 'stdio',
    });
    expect(rows[0]).to.include({ QUERY_TEXT: 'SELECT 42', USER_NAME: 'ANALYST' });
  });

  it('refuses a second statement in the same text', async () => {
    const err = await failure(h.q(h.main, 'SELECT 1; SELECT 2'));
    expect(err.code).to.be.oneOf(['SQL_ERROR', 'SQL_SYNTAX']);
  });
});
