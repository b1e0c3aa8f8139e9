import { expect } from 'chai';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';
import { errorOf, makeSession, query } from './helpers.js';

describe('emulator SQL engine: errors, limits and history', function () {
  let engine: SqlEngine;

  before(async function () {
    engine = await createEngine({ sampleData: true });
  });
  after(async function () {
    await engine.close();
  });

  it('refuses several statements unless MULTI_STATEMENT_COUNT allows them', async function () {
    const s = makeSession();
    const refused = await errorOf(engine, s, 'SELECT 1; SELECT 2');
    expect(refused.code).to.equal('000008');
    expect(refused.message).to.equal('Actual statement count 2 did not match the desired statement count 1.');
    const allowed = await query(engine, s, 'SELECT 1; SELECT 2 AS TWO', {
      parameters: { MULTI_STATEMENT_COUNT: 2 },
    });
    expect(allowed.rows).to.deep.equal([['2']]);
    s.params.set('MULTI_STATEMENT_COUNT', '0');
    const any = await query(engine, s, "SELECT 1; -- a ; comment\nSELECT 'a;b' /* ; */; SELECT $$x;y$$");
    expect(any.rows).to.deep.equal([['x;y']]);
  });

  it('ignores semicolons inside strings, comments and quoted identifiers', async function () {
    const out = await query(engine, makeSession(), "SELECT 'it''s;here' AS \"a;b\" // trailing ; comment\n;");
    expect(out.names).to.deep.equal(['a;b']);
    expect(out.rows).to.deep.equal([["it's;here"]]);
  });

  it('stops a statement at STATEMENT_TIMEOUT_IN_SECONDS with 000630', async function () {
    const s = makeSession();
    const err = await errorOf(engine, s, 'SELECT SYSTEM$WAIT(5)', {
      parameters: { STATEMENT_TIMEOUT_IN_SECONDS: 1 },
    });
    // The code and message name the 1 s limit: it was the timeout that ended the 5 s wait.
    expect(err).to.include({ code: '000630', sqlState: '57014' });
    expect(err.message).to.equal(
      'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.',
    );
  });

  it('interrupts a heavy query at the session timeout', async function () {
    const s = makeSession();
    s.params.set('STATEMENT_TIMEOUT_IN_SECONDS', '1');
    // A join of 10^12 pairs never finishes by itself: only the timeout can end it.
    const err = await errorOf(engine, s, 'SELECT COUNT(*) FROM EVENTS A, EVENTS B WHERE A.ID + B.ID = 7');
    expect(err.code).to.equal('000630');
    expect((await query(engine, s, 'SELECT 1')).rows).to.deep.equal([['1']]);
  });

  it('cancels on the abort signal with 000604', async function () {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const err = await errorOf(engine, makeSession(), "SELECT SYSTEM$WAIT(3000, 'MILLISECONDS')", {
      signal: controller.signal,
    });
    // 000604, not a result: the abort ended the wait.
    expect(err).to.include({ code: '000604', sqlState: '57014', message: 'SQL execution canceled' });
  });

  it('maps missing objects, bad columns and syntax errors to Snowflake codes', async function () {
    const s = makeSession();
    const missing = await errorOf(engine, s, 'SELECT * FROM NO_SUCH_TABLE');
    expect(missing).to.include({ code: '002003', sqlState: '42S02' });
    expect(missing.message).to.equal(
      "SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized.",
    );
    const column = await errorOf(engine, s, 'SELECT NOPE FROM CUSTOMERS');
    expect(column).to.include({ code: '000904', sqlState: '42000' });
    expect(column.message).to.contain("invalid identifier 'NOPE'");
    const syntax = await errorOf(engine, s, 'SELEC 1');
    expect(syntax).to.include({ code: '001003', sqlState: '42000' });
    expect(syntax.message).to.match(
      /^SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'SELEC'\.$/,
    );
    expect((await errorOf(engine, s, "SELECT 'abc'::NUMBER")).code).to.equal('100038');
  });

  it('needs a usable warehouse for queries on tables (000606)', async function () {
    const none = makeSession({ warehouse: null });
    const err = await errorOf(engine, none, 'SELECT COUNT(*) FROM CUSTOMERS');
    expect(err).to.include({ code: '000606', sqlState: '57P03' });
    expect(err.message).to.contain('No active warehouse selected in the current session.');
    expect((await query(engine, none, 'SELECT 1')).rows).to.deep.equal([['1']]);
    const unavailable = makeSession();
    await query(engine, unavailable, 'USE WAREHOUSE UNAVAILABLE_WH');
    expect((await errorOf(engine, unavailable, 'SELECT * FROM CUSTOMERS')).code).to.equal('000606');
  });

  it('survives garbage SQL and keeps working', async function () {
    const s = makeSession();
    const garbage = [
      "'unterminated",
      '"',
      ')))(((',
      'SELECT FROM WHERE',
      '\u0000\u0001',
      'SHOW',
      'DESC',
      'USE',
      'ALTER SESSION SET',
      'SELECT /* open',
      ';;;',
      '$$',
      'SHOW TABLES IN',
      'CREATE TABLE',
      'SELECT SYSTEM$FOO()',
    ];
    for (const sql of garbage) {
      const err = await errorOf(engine, s, sql);
      expect(err.code, sql).to.match(/^\d{6}$/);
    }
    expect((await query(engine, s, 'SELECT COUNT(*) FROM CUSTOMERS')).rows).to.deep.equal([['1000']]);
  });

  it('records every statement in the query history, newest first', async function () {
    const s = makeSession({ params: new Map([['QUERY_TAG', 'history-test']]) });
    await query(engine, s, 'SELECT 42', { queryId: '11111111-1111-1111-1111-111111111111' });
    await errorOf(engine, s, 'SELECT * FROM NOPE', { queryId: '22222222-2222-2222-2222-222222222222' });
    const out = await query(
      engine,
      s,
      "SELECT QUERY_ID, QUERY_TEXT, QUERY_TAG, USER_NAME, ROLE_NAME, WAREHOUSE_NAME, DATABASE_NAME, SCHEMA_NAME, SESSION_ID, EXECUTION_STATUS, ERROR_CODE, ROWS_PRODUCED FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) WHERE QUERY_TAG = 'history-test'",
    );
    expect(out.rows[0]?.slice(1, 2)).to.deep.equal([out.rows[0]?.[1]]);
    expect(out.rows.map((r) => r[9])).to.deep.equal(['RUNNING', 'FAILED_WITH_ERROR', 'SUCCESS']);
    expect(out.rows[1]?.slice(0, 2)).to.deep.equal([
      '22222222-2222-2222-2222-222222222222',
      'SELECT * FROM NOPE',
    ]);
    expect(out.rows[1]?.[10]).to.equal('002003');
    expect(out.rows[2]).to.deep.equal([
      '11111111-1111-1111-1111-111111111111',
      'SELECT 42',
      'history-test',
      'TEST_USER',
      'SYSADMIN',
      'COMPUTE_WH',
      'SAMPLE_DB',
      'SALES',
      s.id,
      'SUCCESS',
      null,
      '1',
    ]);
    const usage = await query(
      engine,
      s,
      "SELECT COUNT(*) FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_TAG = 'history-test'",
    );
    expect(usage.rows).to.deep.equal([['4']]);
    const prefixed = await query(
      engine,
      s,
      "SELECT COUNT(*) FROM TABLE(SAMPLE_DB.INFORMATION_SCHEMA.QUERY_HISTORY()) h WHERE h.QUERY_TAG = 'history-test'",
    );
    expect(prefixed.rows).to.deep.equal([['5']]);
    const inProcess = engine.queryHistory().filter((r) => r.queryTag === 'history-test');
    expect(inProcess[0]?.executionStatus).to.equal('SUCCESS');
    expect(inProcess).to.have.length(5);
  });

  it('takes the statement QUERY_TAG parameter over the session one', async function () {
    const s = makeSession({ params: new Map([['QUERY_TAG', 'session-tag']]) });
    await query(engine, s, 'SELECT 7', {
      parameters: { QUERY_TAG: 'statement-tag' },
      queryId: '33333333-3333-3333-3333-333333333333',
    });
    const rec = engine.queryHistory().find((r) => r.queryId === '33333333-3333-3333-3333-333333333333');
    expect(rec?.queryTag).to.equal('statement-tag');
  });

  it('runs statements of several sessions at once', async function () {
    const a = makeSession();
    const b = makeSession({ database: 'ANALYTICS', schema: 'PUBLIC' });
    const [ra, rb, rc] = await Promise.all([
      query(engine, a, 'SELECT COUNT(*) FROM CUSTOMERS'),
      query(engine, b, 'SELECT COUNT(*) FROM KPI_DAILY'),
      query(engine, a, "SELECT SYSTEM$WAIT(100, 'MILLISECONDS')"),
    ]);
    expect(ra.rows).to.deep.equal([['1000']]);
    expect(rb.rows).to.deep.equal([['365']]);
    expect(rc.rows[0]?.[0]).to.match(/^waited/);
  });
});
