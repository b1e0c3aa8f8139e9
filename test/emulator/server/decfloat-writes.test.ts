/**
 * DECFLOAT columns written other ways than INSERT and UPDATE, through the real snowflake-sdk: a
 * column DEFAULT (a number, text, a DECFLOAT cast), shown in DESCRIBE, SHOW COLUMNS and
 * INFORMATION_SCHEMA as its number, and MERGE from sources of text and numbers.
 */
import { expect } from 'chai';
import { useAliceConnection } from './alice.js';
import { execute } from './driver.js';

describe('emulator DECFLOAT defaults and MERGE', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE DECFLOAT_MORE');
    await execute(alice.conn, 'USE SCHEMA DECFLOAT_MORE.PUBLIC');
  });

  /** The rows of `sql` with each column's driver type. */
  async function typedRows(sql: string): Promise<{ rows: Record<string, unknown>[]; types: string[] }> {
    const { rows, statement } = await execute(alice.conn, sql);
    return { rows, types: (statement.getColumns() ?? []).map((c) => c.getType()) };
  }

  it('fills DECFLOAT columns from DEFAULTs of numbers, text and DECFLOAT casts', async function () {
    await execute(
      alice.conn,
      `CREATE OR REPLACE TABLE DEF (ID INT, A DECFLOAT DEFAULT 0::DECFLOAT, B DECFLOAT DEFAULT 0,
         C DECFLOAT NOT NULL DEFAULT '-1.50e-3' COMMENT 'c', D DECFLOAT DEFAULT NULL,
         E DECFLOAT DEFAULT TO_DECFLOAT('12345678901234567890123456789012345678'), F DECFLOAT DEFAULT -2.5)`,
    );
    await execute(alice.conn, 'INSERT INTO DEF (ID) VALUES (1)');
    await execute(alice.conn, 'INSERT INTO DEF VALUES (2, DEFAULT, 7, DEFAULT, 1, DEFAULT, DEFAULT)');
    const { rows, types } = await typedRows('SELECT * FROM DEF ORDER BY ID');
    expect(types).to.deep.equal(['fixed', ...Array<string>(6).fill('decfloat')]);
    const big = '12345678901234567890123456789012345678';
    expect(rows).to.deep.equal([
      { ID: 1, A: '0', B: '0', C: '-0.0015', D: null, E: big, F: '-2.5' },
      { ID: 2, A: '0', B: '7', C: '-0.0015', D: '1', E: big, F: '-2.5' },
    ]);
    // The default is the number, so it compares as one.
    const equal = await execute(alice.conn, 'SELECT ID FROM DEF WHERE C = -0.0015::DECFLOAT ORDER BY ID');
    expect(equal.rows).to.deep.equal([{ ID: 1 }, { ID: 2 }]);
  });

  it('shows a DECFLOAT default as its number in DESCRIBE, SHOW COLUMNS and INFORMATION_SCHEMA', async function () {
    await execute(
      alice.conn,
      "CREATE OR REPLACE TABLE SHOWN (N INT DEFAULT 7, A DECFLOAT DEFAULT '1.50', B DECFLOAT DEFAULT -3e-300::DECFLOAT)",
    );
    const described = await execute(alice.conn, 'DESCRIBE TABLE SHOWN');
    expect(described.rows.map((r) => [r.name, r.type, r.default])).to.deep.equal([
      ['N', 'NUMBER(38,0)', '7'],
      ['A', 'DECFLOAT', '1.5'],
      ['B', 'DECFLOAT', '-3e-300'],
    ]);
    const shown = await execute(alice.conn, 'SHOW COLUMNS IN TABLE SHOWN');
    expect(shown.rows.map((r) => [r.column_name, r.default])).to.deep.equal([
      ['N', '7'],
      ['A', '1.5'],
      ['B', '-3e-300'],
    ]);
    const info = await execute(
      alice.conn,
      "SELECT COLUMN_NAME, COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'SHOWN' ORDER BY ORDINAL_POSITION",
    );
    expect(info.rows.map((r) => r.COLUMN_DEFAULT)).to.deep.equal(['7', '1.5', '-3e-300']);
  });

  it('refuses a DECFLOAT default that is no number or no constant, naming DECFLOAT', async function () {
    const notNumber = await execute(alice.conn, "CREATE TABLE BAD1 (D DECFLOAT DEFAULT 'abc')").catch(
      (e: unknown) => e,
    );
    expect(notNumber).to.include({ code: '100038' });
    expect((notNumber as Error).message).to.contain("Numeric value 'abc' is not recognized");
    for (const sql of [
      'CREATE TABLE BAD2 (D DECFLOAT DEFAULT RANDOM())',
      'CREATE TABLE BAD3 (ID INT, D DECFLOAT DEFAULT ID + 1)',
    ]) {
      const err = await execute(alice.conn, sql).catch((e: unknown) => e);
      expect(err, sql).to.include({ code: '002040' });
      expect((err as Error).message, sql)
        .to.contain('DECFLOAT')
        .and.not.contain('__smcp');
    }
    const tables = await execute(alice.conn, "SHOW TABLES LIKE 'BAD%'");
    expect(tables.rows).to.deep.equal([]);
  });

  it('converts text and numbers a MERGE writes into DECFLOAT columns, in UPDATE SET and INSERT', async function () {
    await execute(alice.conn, 'CREATE OR REPLACE TABLE M (ID INT, D DECFLOAT, S STRING)');
    await execute(alice.conn, "INSERT INTO M VALUES (1, 1, 'a'), (2, 2, 'b')");
    // A source of text: matched rows updated, others inserted with a column list.
    const text = await execute(
      alice.conn,
      `MERGE INTO M USING (SELECT 1 AS ID, '1.50' AS V UNION ALL SELECT 3, '7e-3') S ON M.ID = S.ID
         WHEN MATCHED THEN UPDATE SET D = S.V WHEN NOT MATCHED THEN INSERT (ID, D) VALUES (S.ID, S.V)`,
    );
    expect(text.rows).to.deep.equal([{ 'number of rows inserted': 1, 'number of rows updated': 1 }]);
    // Literals in SET (text) and in an INSERT without a column list (a number).
    await execute(
      alice.conn,
      `MERGE INTO M USING (SELECT 2 AS ID UNION ALL SELECT 4) S ON M.ID = S.ID
         WHEN MATCHED THEN UPDATE SET D = '-2.5', S = 'z' WHEN NOT MATCHED THEN INSERT VALUES (S.ID, 5, 'n')`,
    );
    // Numbers, with the target's alias before the SET column, and 38 digits kept.
    await execute(
      alice.conn,
      `MERGE INTO M T USING (SELECT 4 AS ID, 12345678901234567890.123456789012345678 AS N
           UNION ALL SELECT 5, 2.25) S ON T.ID = S.ID
         WHEN MATCHED AND T.ID > 100 THEN DELETE
         WHEN MATCHED THEN UPDATE SET T.D = CASE WHEN S.N > 0 THEN S.N ELSE 0 END
         WHEN NOT MATCHED THEN INSERT (S, ID, D) VALUES ('new', S.ID, S.N)`,
    );
    const { rows, types } = await typedRows('SELECT ID, D, S FROM M ORDER BY D');
    expect(types).to.deep.equal(['fixed', 'decfloat', 'text']);
    expect(rows).to.deep.equal([
      { ID: 2, D: '-2.5', S: 'z' },
      { ID: 3, D: '0.007', S: null },
      { ID: 1, D: '1.5', S: 'a' },
      { ID: 5, D: '2.25', S: 'new' },
      { ID: 4, D: '12345678901234567890.123456789012345678', S: 'n' },
    ]);
    const bad = await execute(
      alice.conn,
      "MERGE INTO M USING (SELECT 1 AS ID) S ON M.ID = S.ID WHEN MATCHED THEN UPDATE SET D = 'ten'",
    ).catch((e: unknown) => e);
    expect(bad).to.include({ code: '100038' });
    expect((await execute(alice.conn, 'SELECT D FROM M WHERE ID = 1')).rows).to.deep.equal([{ D: '1.5' }]);
  });
});
