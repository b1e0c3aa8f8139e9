/**
 * The engine never lets DuckDB touch the host: file readers, COPY/EXPORT/ATTACH, extensions,
 * PRAGMA and DuckDB settings are refused with Snowflake's errors, nothing is created, nothing of a
 * file leaks, and the engine keeps working.
 */
import { expect } from 'chai';
import { createEngine, type SqlEngine } from '../../../src/emulator/sql/engine.js';
import { hostFixture, hostStatements, type HostFixture } from '../host-statements.js';
import { errorOf, makeSession, query } from './helpers.js';

describe('emulator SQL engine: no access to the host', function () {
  this.timeout(30_000);
  let engine: SqlEngine;
  let files: HostFixture;
  const session = makeSession({ database: 'SAMPLE_DB', schema: 'SALES' });

  before(async function () {
    files = hostFixture();
    engine = await createEngine({ sampleData: true });
  });

  after(async function () {
    await engine?.close();
    files?.remove();
  });

  it('refuses every statement that would read, write or list files, or change DuckDB', async function () {
    for (const { sql, code } of hostStatements(files)) {
      const err = await errorOf(engine, session, sql);
      expect(err.code, sql).to.equal(code);
      expect(err.message, sql).to.not.include(files.secret);
    }
    expect(files.entries()).to.deep.equal(['secret.csv']);
  });

  it('still takes string literals after FROM inside EXTRACT, TRIM and SUBSTRING', async function () {
    const out = await query(
      engine,
      session,
      "SELECT EXTRACT(YEAR FROM '2020-03-04'::DATE) AS Y, TRIM(BOTH 'x' FROM 'xabx') AS T, SUBSTRING('abcdef' FROM 2 FOR 3) AS S",
    );
    expect(out.rows).to.deep.equal([['2020', 'ab', 'bcd']]);
  });

  it('keeps Snowflake SET variables, CREATE DATABASE and queries working', async function () {
    expect((await query(engine, session, "SET ENABLE_PROFILING = 'json'")).rows).to.have.length(1);
    expect((await query(engine, session, 'SELECT $ENABLE_PROFILING AS V')).rows).to.deep.equal([['json']]);
    await query(engine, session, 'CREATE DATABASE HOSTCHECK');
    await query(engine, session, 'CREATE TABLE HOSTCHECK.PUBLIC.T AS SELECT 1 AS A');
    expect((await query(engine, session, 'SELECT A FROM HOSTCHECK.PUBLIC.T')).rows).to.deep.equal([['1']]);
    expect(
      (await query(engine, session, 'SELECT COUNT(*) FROM SAMPLE_DB.SALES.ORDERS')).rows[0]?.[0],
    ).to.match(/^\d+$/);
  });

  it('keeps every connection on UTC and DuckDB locked', async function () {
    const rows = await Promise.all(
      Array.from({ length: 6 }, () =>
        query(
          engine,
          session,
          "SELECT current_setting('TimeZone'), current_setting('enable_external_access'), current_setting('lock_configuration')",
        ),
      ),
    );
    for (const r of rows) expect(r.rows).to.deep.equal([['UTC', '0', '1']]);
  });
});
