/**
 * DECFLOAT through the real snowflake-sdk: casts, TO_DECFLOAT, columns, 38 significant digits with
 * any exponent kept exact, the rowtype `decfloat` the driver hands to the application as text, and
 * the number (not the engine's carrier) inside ARRAY, OBJECT, VARIANT and JSON text.
 */
import { expect } from 'chai';
import { useAliceConnection } from './alice.js';
import { execute } from './driver.js';
import { rawLogin, rawQueryRequest } from './harness.js';

describe('emulator DECFLOAT', function () {
  const alice = useAliceConnection();

  /** Each column of the first row: [value, driver type]. */
  async function typed(sql: string): Promise<[unknown, string][]> {
    const { rows, statement } = await execute(alice.conn, sql);
    return (statement.getColumns() ?? []).map((c) => [rows[0]?.[c.getName()], c.getType()]);
  }

  it('casts literals to DECFLOAT without losing any of 38 digits or the exponent, rounding beyond 38', async function () {
    expect(
      await typed(
        `SELECT -9.8765432099999998623226732747455716901e-250::DECFLOAT AS A,
           1.50::DECFLOAT AS B, CAST('12345678901234567890123456789012345678' AS DECFLOAT) AS C,
           TO_DECFLOAT('1.2E+50') AS D, 0.000123::DECFLOAT AS E, TRY_TO_DECFLOAT('not a number') AS F,
           TO_DECFLOAT('1234567890123456789012345678901234567890123') AS G`,
      ),
    ).to.deep.equal([
      ['-9.8765432099999998623226732747455716901e-250', 'decfloat'],
      ['1.5', 'decfloat'],
      ['12345678901234567890123456789012345678', 'decfloat'],
      ['1.2e+50', 'decfloat'],
      ['0.000123', 'decfloat'],
      [null, 'decfloat'],
      ['1.2345678901234567890123456789012345679e+42', 'decfloat'],
    ]);
  });

  it('stores DECFLOAT columns and describes them as DECFLOAT', async function () {
    await execute(alice.conn, 'CREATE DATABASE DECFLOAT_DB');
    await execute(alice.conn, 'USE SCHEMA DECFLOAT_DB.PUBLIC');
    await execute(alice.conn, 'CREATE TABLE NUMS (ID INT, D DECFLOAT)');
    await execute(alice.conn, "INSERT INTO NUMS VALUES (1, '1.25'), (2, '-3e-300'), (3, NULL)");
    await execute(alice.conn, 'INSERT INTO NUMS SELECT 4, 98765432109876543210.123456789012345678::DECFLOAT');
    const { rows, statement } = await execute(alice.conn, 'SELECT D, D::STRING AS S FROM NUMS ORDER BY ID');
    expect((statement.getColumns() ?? []).map((c) => c.getType())).to.deep.equal(['decfloat', 'text']);
    expect(rows).to.deep.equal([
      { D: '1.25', S: '1.25' },
      { D: '-3e-300', S: '-3e-300' },
      { D: null, S: null },
      { D: '98765432109876543210.123456789012345678', S: '98765432109876543210.123456789012345678' },
    ]);
    const described = await execute(alice.conn, 'DESCRIBE TABLE NUMS');
    expect(described.rows.map((r) => [r.name, r.type])).to.deep.equal([
      ['ID', 'NUMBER(38,0)'],
      ['D', 'DECFLOAT'],
    ]);
    const equal = await execute(alice.conn, "SELECT ID FROM NUMS WHERE D = '1.250'::DECFLOAT");
    expect(equal.rows).to.deep.equal([{ ID: 1 }]);
  });

  it('casts a DECFLOAT to NUMBER, FLOAT and INT by its exact value', async function () {
    expect(
      await typed(
        `SELECT '12345.675'::DECFLOAT::NUMBER(10,2) AS N, CAST(TO_DECFLOAT('-2.5e3') AS FLOAT) AS F,
           '41.6'::DECFLOAT::INT AS I, TRY_CAST('123456'::DECFLOAT AS NUMBER(3,0)) AS T, 7::INT AS PLAIN,
           TO_NUMBER(TO_DECFLOAT('12.25'), 10, 1) AS TN`,
      ),
    ).to.deep.equal([
      [12345.68, 'fixed'],
      [-2500, 'real'],
      [42, 'fixed'],
      [null, 'fixed'],
      [7, 'fixed'],
      [12.3, 'fixed'],
    ]);
  });

  it('refuses text that is no number, and names DECFLOAT where it cannot compute', async function () {
    const bad = await execute(alice.conn, "SELECT 'abc'::DECFLOAT").catch((e: unknown) => e);
    expect(bad).to.include({ code: '100038' });
    expect((bad as Error).message).to.contain("Numeric value 'abc' is not recognized");
    // Arithmetic on the carrier is refused, naming DECFLOAT, never answered from its text.
    for (const sql of ['SELECT 1::DECFLOAT + 1', 'SELECT 2 * 1::DECFLOAT', 'SELECT 1::DECFLOAT / 2']) {
      const err = await execute(alice.conn, sql).catch((e: unknown) => e);
      expect(err, sql).to.be.instanceOf(Error);
      expect((err as Error).message, sql)
        .to.contain('DECFLOAT')
        .and.not.contain('__smcp');
    }
  });

  it('converts text and numbers written into DECFLOAT columns by INSERT and UPDATE', async function () {
    await execute(alice.conn, 'CREATE DATABASE IF NOT EXISTS DECFLOAT_WRITES');
    await execute(alice.conn, 'USE SCHEMA DECFLOAT_WRITES.PUBLIC');
    await execute(alice.conn, 'CREATE OR REPLACE TABLE W (ID INT, D DECFLOAT, S STRING)');
    await execute(
      alice.conn,
      "INSERT INTO W (S, D, ID) VALUES ('a', '1.250', 1), ('b', 2, 2), ('c', NULL, 3)",
    );
    await execute(alice.conn, "INSERT INTO W SELECT 4, '-3E-3', 'd'");
    await execute(alice.conn, 'UPDATE W SET D = 10 WHERE ID = 2');
    await execute(alice.conn, "UPDATE W SET S = 'z', D = '9.0' WHERE ID = 3");
    const { rows } = await execute(alice.conn, 'SELECT ID, D, S FROM W ORDER BY D');
    expect(rows).to.deep.equal([
      { ID: 4, D: '-0.003', S: 'd' },
      { ID: 1, D: '1.25', S: 'a' },
      { ID: 3, D: '9', S: 'z' },
      { ID: 2, D: '10', S: 'b' },
    ]);
    const bad = await execute(alice.conn, "UPDATE W SET D = 'ten'").catch((e: unknown) => e);
    expect(bad).to.include({ code: '100038' });
  });

  /** Numbers whose texts sort otherwise: 9/10, -1/-10, 1e5/99999, 1.5e-3/0.01, -1.5/-1.51. */
  const ORDERED = ['-10', '-1.51', '-1.5', '-1', '0', '0.0015', '0.01', '9', '10', '99999', '100000'];

  async function orderTable(): Promise<void> {
    await execute(alice.conn, 'CREATE DATABASE IF NOT EXISTS DECFLOAT_ORDER');
    await execute(alice.conn, 'USE SCHEMA DECFLOAT_ORDER.PUBLIC');
    await execute(alice.conn, 'CREATE OR REPLACE TABLE V (ID INT, D DECFLOAT)');
    // Text, numbers and DECFLOATs as written; 100000.0 and 1e5 are one number.
    await execute(
      alice.conn,
      `INSERT INTO V VALUES (1, '9'), (2, 10), (3, '-1'), (4, -10), (5, '1e5'), (6, 99999),
         (7, 1.5e-3), (8, '0.01'), (9, 0), (10, NULL), (11, -1.5::DECFLOAT), (12, '-1.51')`,
    );
    await execute(alice.conn, "INSERT INTO V (ID, D) SELECT 13, '100000.0'");
  }

  it('orders DECFLOATs by their numbers, NULL last ascending and first descending', async function () {
    await orderTable();
    const asc = await execute(alice.conn, 'SELECT D FROM V ORDER BY D, ID');
    expect(asc.rows.map((r) => r.D)).to.deep.equal([...ORDERED, '100000', null]);
    expect((asc.statement.getColumns() ?? []).map((c) => c.getType())).to.deep.equal(['decfloat']);
    const desc = await execute(alice.conn, 'SELECT D FROM V ORDER BY D DESC, ID');
    expect(desc.rows.map((r) => r.D)).to.deep.equal([null, '100000', ...[...ORDERED].reverse()]);
  });

  it('answers MIN, MAX, comparisons, BETWEEN, GROUP BY, DISTINCT and joins by the numbers', async function () {
    await orderTable();
    expect(await typed('SELECT MIN(D) AS LO, MAX(D) AS HI, COUNT(DISTINCT D) AS N FROM V')).to.deep.equal([
      ['-10', 'decfloat'],
      ['100000', 'decfloat'],
      [11, 'fixed'],
    ]);
    const ids = async (where: string): Promise<unknown[]> =>
      (await execute(alice.conn, `SELECT ID FROM V WHERE ${where} ORDER BY ID`)).rows.map((r) => r.ID);
    expect(await ids('D > 9::DECFLOAT')).to.deep.equal([2, 5, 6, 13]);
    expect(await ids("D < '-1'::DECFLOAT")).to.deep.equal([4, 11, 12]);
    expect(await ids('D BETWEEN -1.5::DECFLOAT AND TO_DECFLOAT(0.01)')).to.deep.equal([3, 7, 8, 9, 11]);
    expect(await ids('D >= 0.0015::DECFLOAT AND D <= CAST(10 AS DECFLOAT)')).to.deep.equal([1, 2, 7, 8]);
    expect(await ids('D NOT BETWEEN -10::DECFLOAT AND 99999::DECFLOAT')).to.deep.equal([5, 13]);
    expect(await ids('D = 1E+5::DECFLOAT')).to.deep.equal([5, 13]);
    expect(await ids('D IN (0::DECFLOAT, -0.0::DECFLOAT, 10::DECFLOAT)')).to.deep.equal([2, 9]);
    const groups = await execute(alice.conn, 'SELECT D, COUNT(*) AS N FROM V GROUP BY D ORDER BY D');
    expect(groups.rows.at(-3)).to.deep.equal({ D: '99999', N: 1 });
    expect(groups.rows.at(-2)).to.deep.equal({ D: '100000', N: 2 });
    expect(groups.rows).to.have.length(12);
    const joined = await execute(
      alice.conn,
      'SELECT A.ID AS A, B.ID AS B FROM V A JOIN V B ON A.D = B.D AND A.ID < B.ID',
    );
    expect(joined.rows).to.deep.equal([{ A: 5, B: 13 }]);
  });

  it('compares DECFLOAT values as numbers whatever their texts, and names DECFLOAT against plain numbers', async function () {
    expect(
      await typed(
        `SELECT '10'::DECFLOAT > '9'::DECFLOAT AS A, -1::DECFLOAT > -10::DECFLOAT AS B,
           1e5::DECFLOAT > 99999::DECFLOAT AS C, 1.5e-3::DECFLOAT < 0.01::DECFLOAT AS D,
           '1.50'::DECFLOAT = TO_DECFLOAT('15e-1') AS E, 0::DECFLOAT = '-0'::DECFLOAT AS F,
           GREATEST('9'::DECFLOAT, '10'::DECFLOAT) AS G`,
      ),
    ).to.deep.equal([
      [true, 'boolean'],
      [true, 'boolean'],
      [true, 'boolean'],
      [true, 'boolean'],
      [true, 'boolean'],
      [true, 'boolean'],
      ['10', 'decfloat'],
    ]);
    for (const sql of ['SELECT 10::DECFLOAT > 5', "SELECT 1.5::DECFLOAT = '1.5'"]) {
      const err = await execute(alice.conn, sql).catch((e: unknown) => e);
      expect(err, sql).to.be.instanceOf(Error);
      expect((err as Error).message, sql)
        .to.contain('DECFLOAT')
        .and.not.contain('__smcp');
    }
  });

  it("gives a DECFLOAT's text, not its carrier, to text casts, concatenation and VARIANT", async function () {
    expect(
      await typed(
        `SELECT (-1.5e-3)::DECFLOAT::STRING AS A, TO_VARCHAR('1e50'::DECFLOAT) AS B,
           CAST(10::DECFLOAT AS VARCHAR) AS C, TRY_CAST('x' AS DECFLOAT) AS D,
           '1.50'::DECFLOAT || 'x' AS E, '<' || 2e3::DECFLOAT || '>' AS F, CONCAT('n=', -0.5::DECFLOAT) AS G,
           1.50::DECFLOAT::VARIANT AS H`,
      ),
    ).to.deep.equal([
      ['-0.0015', 'text'],
      ['1e+50', 'text'],
      ['10', 'text'],
      [null, 'decfloat'],
      ['1.5x', 'text'],
      ['<2000>', 'text'],
      ['n=-0.5', 'text'],
      [1.5, 'variant'],
    ]);
  });

  it('puts a DECFLOAT into ARRAY, OBJECT, VARIANT and JSON text as its number, never its carrier', async function () {
    expect(
      await typed(
        `SELECT ARRAY_CONSTRUCT(1.50::DECFLOAT, 'x', NULL, 2) AS A,
           OBJECT_CONSTRUCT('d', -3e-300::DECFLOAT, 'n', 1) AS O, TO_JSON(1.50::DECFLOAT) AS J,
           TO_VARIANT(TO_DECFLOAT('1e50')) AS V, TO_JSON(ARRAY_CONSTRUCT(0.5::DECFLOAT)) AS JA,
           OBJECT_CONSTRUCT_KEEP_NULL('d', ARRAY_CONSTRUCT(2e3::DECFLOAT)) AS N, TO_VARIANT('x') AS T`,
      ),
    ).to.deep.equal([
      [[1.5, 'x', null, 2], 'array'],
      [{ d: -3e-300, n: 1 }, 'object'],
      ['1.5', 'text'],
      [1e50, 'variant'],
      ['[0.5]', 'text'],
      [{ d: [2000] }, 'object'],
      ['x', 'variant'],
    ]);
    // Columns, lists DuckDB builds (ARRAY_AGG), and paths into what was built.
    await execute(alice.conn, 'CREATE DATABASE IF NOT EXISTS DECFLOAT_JSON');
    await execute(alice.conn, 'USE SCHEMA DECFLOAT_JSON.PUBLIC');
    await execute(alice.conn, 'CREATE OR REPLACE TABLE J (ID INT, D DECFLOAT)');
    await execute(alice.conn, "INSERT INTO J VALUES (1, '1.25'), (2, -7)");
    const { rows } = await execute(
      alice.conn,
      `SELECT ARRAY_AGG(D) AS L, ARRAY_AGG(D)::VARIANT AS LV,
         MAX(ARRAY_CONSTRUCT(D)[0]::FLOAT) AS P, MIN(OBJECT_CONSTRUCT('k', D):k::NUMBER(5,2)) AS Q FROM J`,
    );
    expect(rows).to.have.length(1);
    expect(rows[0]?.L).to.have.members([1.25, -7]);
    expect(rows[0]?.LV).to.have.members([1.25, -7]);
    expect(rows[0]).to.include({ P: 1.25, Q: -7 });
    expect(JSON.stringify(rows)).to.not.contain('__smcp');
  });

  it('writes all 38 digits of a DECFLOAT inside a list on the wire', async function () {
    // Lists of DECFLOATs are written by the emulator; JSON that DuckDB builds (ARRAY_CONSTRUCT)
    // holds a fraction as a double, as drivers read it anyway.
    const { token } = await rawLogin(alice.emulator);
    const answer = await rawQueryRequest(alice.emulator, token, {
      sqlText: `SELECT ARRAY_AGG(TO_DECFLOAT('1.2345678901234567890123456789012345678')) AS A,
        [TO_DECFLOAT('-9.8765432099999998623226732747455716901e-250')] AS B`,
    });
    const data = answer.json?.data as { rowset: string[][] } | undefined;
    expect(data?.rowset).to.deep.equal([
      ['[1.2345678901234567890123456789012345678]', '[-9.8765432099999998623226732747455716901e-250]'],
    ]);
  });
});
