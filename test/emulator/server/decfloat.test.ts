/**
 * DECFLOAT through the real snowflake-sdk: casts, TO_DECFLOAT, columns, 38 significant digits with
 * any exponent kept exact, and the rowtype `decfloat` the driver hands to the application as text.
 */
import { expect } from 'chai';
import { useAliceConnection } from './alice.js';
import { execute } from './driver.js';

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
    const sum = await execute(alice.conn, 'SELECT 1::DECFLOAT + 1').catch((e: unknown) => e);
    expect((sum as Error).message)
      .to.contain('DECFLOAT')
      .and.not.contain('__smcp');
  });
});
