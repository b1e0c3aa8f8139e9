import { expect } from 'chai';
import { createEngine } from '../../../src/emulator/sql/engine.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';
import { errorOf, makeSession, query } from './helpers.js';

describe('emulator SQL engine: session variables and SHOW PARAMETERS', function () {
  let engine: SqlEngine;

  before(async function () {
    engine = await createEngine({ sampleData: true });
  });
  after(async function () {
    await engine.close();
  });

  it('sets a variable and reads it back as $v, named $V', async function () {
    const s = makeSession();
    const set = await query(engine, s, 'SET v = 5');
    expect(set.rows).to.deep.equal([['Statement executed successfully.']]);
    const out = await query(engine, s, 'SELECT $v, $v + 1 AS NEXT');
    expect(out.names).to.deep.equal(['$V', 'NEXT']);
    expect(out.rows).to.deep.equal([['5', '6']]);
  });

  it('reads $1, $2 … as columns by position, not as variables or binds', async function () {
    const s = makeSession();
    const out = await query(engine, s, "SELECT $2 AS B, $1 + 1 AS N FROM (SELECT 41 AS X, 'y' AS Y)");
    expect(out.names).to.deep.equal(['B', 'N']);
    expect(out.rows).to.deep.equal([['y', '42']]);
  });

  it('sets several at once, from expressions and other variables', async function () {
    const s = makeSession();
    await query(engine, s, "SET (a, b) = (1, 'two')");
    await query(engine, s, 'SET c = $a + 41');
    await query(engine, s, 'SET d = (SELECT COUNT(*) FROM SAMPLE_DB.HR.DEPARTMENTS)');
    const out = await query(engine, s, 'SELECT $a, $b, $c, $d');
    expect(out.rows).to.deep.equal([['1', 'two', '42', '5']]);
  });

  it('uses variables in WHERE and through IDENTIFIER()', async function () {
    const s = makeSession();
    await query(engine, s, "SET (tbl, dept) = ('SAMPLE_DB.HR.DEPARTMENTS', 'Sales')");
    const out = await query(engine, s, 'SELECT DEPARTMENT_ID FROM IDENTIFIER($tbl) WHERE NAME = $dept');
    expect(out.rows).to.deep.equal([['2']]);
    const lit = await query(engine, s, "SELECT COUNT(*) FROM IDENTIFIER('sample_db.hr.departments')");
    expect(lit.rows).to.deep.equal([['5']]);
  });

  it('keeps variables per session and forgets them on UNSET', async function () {
    const s = makeSession();
    const other = makeSession();
    await query(engine, s, 'SET mine = 1');
    expect((await errorOf(engine, other, 'SELECT $mine')).code).to.equal('002211');
    await query(engine, s, 'UNSET mine');
    const err = await errorOf(engine, s, 'SELECT $mine');
    expect(err.code).to.equal('002211');
    expect(err.message).to.contain("Session variable '$MINE' does not exist");
  });

  it('lists variables with SHOW VARIABLES [LIKE]', async function () {
    const s = makeSession();
    await query(engine, s, "SET (num, txt) = (10, 'x')");
    const out = await query(engine, s, 'SHOW VARIABLES');
    expect(out.names).to.deep.equal([
      'session_id',
      'created_on',
      'updated_on',
      'name',
      'value',
      'type',
      'comment',
    ]);
    expect(out.rows.map((r) => [r[3], r[4], r[5]])).to.deep.equal([
      ['NUM', '10', 'fixed'],
      ['TXT', 'x', 'text'],
    ]);
    const like = await query(engine, s, "SHOW VARIABLES LIKE 't%'");
    expect(like.rows.map((r) => r[3])).to.deep.equal(['TXT']);
  });

  it('feeds variables to ALTER SESSION', async function () {
    const s = makeSession();
    await query(engine, s, "SET tag = 'from-var'");
    await query(engine, s, 'ALTER SESSION SET QUERY_TAG = $tag');
    expect(s.params.get('QUERY_TAG')).to.equal('from-var');
  });

  it('rejects malformed SET with a syntax error', async function () {
    expect((await errorOf(engine, makeSession(), 'SET = 5')).code).to.equal('001003');
    expect((await errorOf(engine, makeSession(), 'SET (a, b) = (1)')).code).to.equal('002020');
  });

  it('SHOW PARAMETERS filters with LIKE and scopes IN SESSION / IN ACCOUNT', async function () {
    const s = makeSession();
    await query(engine, s, "ALTER SESSION SET QUERY_TAG = 'x', TIMEZONE = 'UTC'");
    const like = await query(engine, s, "SHOW PARAMETERS LIKE '%TIME%ZONE' IN SESSION");
    expect(like.names).to.deep.equal(['key', 'value', 'default', 'level', 'description', 'type']);
    expect(like.rows.map((r) => [r[0], r[1], r[3]])).to.deep.equal([['TIMEZONE', 'UTC', 'SESSION']]);
    const account = await query(engine, s, "SHOW PARAMETERS LIKE 'query_tag' IN ACCOUNT");
    expect(account.rows.map((r) => [r[0], r[1], r[3]])).to.deep.equal([['QUERY_TAG', '', '']]);
    const all = await query(engine, s, 'SHOW PARAMETERS');
    expect(all.rows.length).to.be.above(10);
    expect((await errorOf(engine, s, 'SHOW PARAMETERS IN NOWHERE')).code).to.equal('001003');
    expect((await errorOf(engine, s, "SHOW PARAMETERS LIKE 'X' junk")).code).to.equal('001003');
  });
});
