/**
 * Snowflake DDL/DML forms through the real snowflake-sdk: TRUNCATE … IF EXISTS, CREATE TABLE …
 * CLONE, MERGE's per-action counts and multi-table INSERT ALL / INSERT FIRST, with the row counts
 * the driver reads (getNumUpdatedRows) and SET columns named with the target's alias, and
 * ALTER TABLE … ADD COLUMN with Snowflake types.
 */
import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

describe('emulator DDL/DML forms', function () {
  let emulator: RunningEmulator;
  let conn: Connection;

  async function rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await execute(conn, sql)).rows;
  }

  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    await execute(conn, 'CREATE DATABASE FORMS_DB');
    await execute(conn, 'USE SCHEMA FORMS_DB.PUBLIC');
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  it('truncates with IF EXISTS, and does nothing for a table that does not exist', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE T1 (N NUMBER)');
    await execute(conn, 'INSERT INTO T1 VALUES (1), (2)');
    const { rows: answer } = await execute(conn, 'TRUNCATE TABLE IF EXISTS T1');
    expect(answer).to.deep.equal([{ status: 'Statement executed successfully.' }]);
    expect(await rows('SELECT COUNT(*) AS C FROM T1')).to.deep.equal([{ C: 0 }]);
    await execute(conn, 'TRUNCATE TABLE IF EXISTS NO_SUCH_TABLE');
    const err = await execute(conn, 'TRUNCATE TABLE NO_SUCH_TABLE').then(
      () => null,
      (e: { code?: string }) => e.code,
    );
    expect(err).to.equal('002003');
  });

  it('clones a table: same columns and rows, independent afterwards', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE MASTER (K NUMBER, V STRING)');
    await execute(conn, "INSERT INTO MASTER VALUES (1, 'a'), (2, 'b')");
    const { rows: answer, statement } = await execute(conn, 'CREATE OR REPLACE TABLE COPY CLONE MASTER');
    expect(answer).to.deep.equal([{ status: 'Table COPY successfully created.' }]);
    expect(statement.getNumUpdatedRows()).to.equal(-1);
    await execute(conn, "INSERT INTO MASTER VALUES (3, 'c')");
    expect(await rows('SELECT K, V FROM COPY ORDER BY K')).to.deep.equal([
      { K: 1, V: 'a' },
      { K: 2, V: 'b' },
    ]);
  });

  it('answers MERGE with the rows inserted, updated and deleted', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE FOO (K NUMBER, V NUMBER)');
    await execute(conn, 'INSERT INTO FOO VALUES (0, 10), (1, 11), (5, 15), (6, 16)');
    await execute(conn, 'CREATE OR REPLACE TABLE BAR (K NUMBER, V NUMBER)');
    await execute(conn, 'INSERT INTO BAR VALUES (0, 20), (1, 21), (2, 22), (3, 23), (4, 24)');
    const { rows: answer, statement } = await execute(
      conn,
      `MERGE INTO FOO USING BAR ON FOO.K = BAR.K
       WHEN MATCHED AND FOO.K = 0 THEN UPDATE SET V = BAR.V * 100
       WHEN MATCHED AND FOO.K = 1 THEN DELETE
       WHEN NOT MATCHED THEN INSERT VALUES (BAR.K, BAR.V)`,
    );
    expect(answer).to.deep.equal([
      { 'number of rows inserted': 3, 'number of rows updated': 1, 'number of rows deleted': 1 },
    ]);
    expect(statement.getNumUpdatedRows()).to.equal(5);
    const updateOnly = await rows(
      'MERGE INTO FOO USING BAR ON FOO.K = BAR.K WHEN MATCHED THEN UPDATE SET V = 0',
    );
    expect(updateOnly).to.deep.equal([{ 'number of rows updated': 4 }]);
  });

  it("takes MERGE's SET columns named with the target's alias or name, CASE values included", async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE DEST (K NUMBER, V STRING, W NUMBER)');
    await execute(conn, "INSERT INTO DEST VALUES (1, 'a', 1), (2, 'b', 2)");
    const merged = await rows(
      `MERGE INTO DEST AS T USING (SELECT 1 AS K, 'x' AS V UNION ALL SELECT 2, 'y') S ON T.K = S.K
       WHEN MATCHED AND S.K = 1 THEN UPDATE SET T.V = S.V, T.W = CASE WHEN S.K > 0 THEN 10 ELSE 0 END
       WHEN MATCHED THEN UPDATE SET DEST.V = UPPER(S.V), FORMS_DB.PUBLIC.DEST.W = 20`,
    );
    expect(merged).to.deep.equal([{ 'number of rows updated': 2 }]);
    expect(await rows('SELECT K, V, W FROM DEST ORDER BY K')).to.deep.equal([
      { K: 1, V: 'x', W: 10 },
      { K: 2, V: 'Y', W: 20 },
    ]);
  });

  it('inserts into every target with INSERT ALL, counting each', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE SRC (K NUMBER, V NUMBER)');
    await execute(conn, 'INSERT INTO SRC VALUES (0, 100), (1, 101), (2, 102)');
    await execute(conn, 'CREATE OR REPLACE TABLE A (K NUMBER, V NUMBER)');
    await execute(conn, 'CREATE OR REPLACE TABLE B (K NUMBER, V NUMBER)');
    const { rows: answer, statement } = await execute(conn, 'INSERT ALL INTO A INTO B SELECT * FROM SRC');
    expect(answer).to.deep.equal([
      { 'number of rows inserted into A': 3, 'number of rows inserted into B': 3 },
    ]);
    expect(statement.getNumUpdatedRows()).to.equal(6);
    await execute(conn, 'INSERT ALL INTO A (K) VALUES (K * 10) SELECT K FROM SRC WHERE K > 0');
    expect(await rows('SELECT K, V FROM A WHERE K >= 10 ORDER BY K')).to.deep.equal([
      { K: 10, V: null },
      { K: 20, V: null },
    ]);
  });

  it('sends each row to the first WHEN it meets with INSERT FIRST, and to every one with INSERT ALL', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE SMALL (K NUMBER)');
    await execute(conn, 'CREATE OR REPLACE TABLE EVEN (K NUMBER)');
    await execute(conn, 'CREATE OR REPLACE TABLE REST (K NUMBER)');
    const first = await rows(`INSERT FIRST
        WHEN K < 2 THEN INTO SMALL
        WHEN K % 2 = 0 THEN INTO EVEN
        ELSE INTO REST
      SELECT SEQ4() AS K FROM TABLE(GENERATOR(ROWCOUNT => 6))`);
    expect(first).to.deep.equal([
      {
        'number of rows inserted into SMALL': 2,
        'number of rows inserted into EVEN': 2,
        'number of rows inserted into REST': 2,
      },
    ]);
    expect(await rows('SELECT K FROM EVEN ORDER BY K')).to.deep.equal([{ K: 2 }, { K: 4 }]);
    const all = await rows(`INSERT OVERWRITE ALL
        WHEN K < 2 THEN INTO SMALL
        WHEN K % 2 = 0 THEN INTO EVEN
      SELECT SEQ4() AS K FROM TABLE(GENERATOR(ROWCOUNT => 6))`);
    expect(all).to.deep.equal([
      { 'number of rows inserted into SMALL': 2, 'number of rows inserted into EVEN': 3 },
    ]);
    expect(await rows('SELECT K FROM EVEN ORDER BY K')).to.deep.equal([{ K: 0 }, { K: 2 }, { K: 4 }]);
  });

  it('inserts nothing anywhere when one target of a multi-table insert fails', async function () {
    await execute(conn, 'CREATE OR REPLACE TABLE OK_TARGET (K NUMBER)');
    await execute(conn, 'CREATE OR REPLACE TABLE BAD_TARGET (D DATE)');
    const err = await execute(
      conn,
      "INSERT ALL INTO OK_TARGET INTO BAD_TARGET SELECT 'not a date' AS K",
    ).then(
      () => null,
      (e: { code?: string }) => e.code,
    );
    expect(err).to.be.a('string');
    expect(await rows('SELECT COUNT(*) AS C FROM OK_TARGET')).to.deep.equal([{ C: 0 }]);
  });

  it('adds columns of Snowflake types with ALTER TABLE … ADD COLUMN, typed as declared', async function () {
    for (const sql of [
      'CREATE OR REPLACE TABLE WIDER (ID INT)',
      'INSERT INTO WIDER VALUES (1)',
      'ALTER TABLE WIDER ADD COLUMN N NUMBER(10,2)',
      "ALTER TABLE WIDER ADD S STRING DEFAULT 'x' COMMENT 'the s'",
      'ALTER TABLE WIDER ADD COLUMN TZ TIMESTAMP_TZ, D DECFLOAT DEFAULT 1.50',
      // Already there: nothing changes, its type stays.
      'ALTER TABLE WIDER ADD COLUMN IF NOT EXISTS N INT',
    ])
      await execute(conn, sql);
    const described = await execute(conn, 'DESCRIBE TABLE WIDER');
    expect(described.rows.map((r) => [r.name, r.type, r.default, r.comment])).to.deep.equal([
      ['ID', 'NUMBER(38,0)', null, null],
      ['N', 'NUMBER(10,2)', null, null],
      ['S', 'VARCHAR(16777216)', "'x'", 'the s'],
      ['TZ', 'TIMESTAMP_TZ(9)', null, null],
      ['D', 'DECFLOAT', '1.5', null],
    ]);
    await execute(conn, "INSERT INTO WIDER (ID, N, D) VALUES (2, 3.456, '7e-3')");
    const { rows: back, statement } = await execute(conn, 'SELECT * FROM WIDER ORDER BY ID');
    expect((statement.getColumns() ?? []).map((c) => c.getType())).to.deep.equal([
      'fixed',
      'fixed',
      'text',
      'timestamp_tz',
      'decfloat',
    ]);
    expect(back).to.deep.equal([
      { ID: 1, N: null, S: 'x', TZ: null, D: '1.5' },
      { ID: 2, N: 3.46, S: 'x', TZ: null, D: '0.007' },
    ]);
  });
});
