/**
 * Numeric results through the real snowflake-sdk, values with the type and scale the driver
 * reports: SUM failing where NUMBER(38, s) cannot hold the sum (DuckDB would wrap around), and
 * Snowflake's rounding, truncation, DIV0, MOD, COUNT, FLOAT and NUMBER(p,s) arithmetic.
 */
import { expect } from 'chai';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

/** 38 nines: the largest NUMBER(38,0). */
const MAX38 = '9'.repeat(38);

describe('emulator numeric results', function () {
  const alice = useAliceConnection();

  /** Each column of the first row: value, the driver's type and scale. */
  async function typed(sql: string): Promise<[unknown, string, number | null][]> {
    const { rows, statement } = await execute(alice.conn, sql);
    return (statement.getColumns() ?? []).map((c) => [rows[0]?.[c.getName()], c.getType(), c.getScale()]);
  }

  async function failure(sql: string): Promise<[string | undefined, string]> {
    return execute(alice.conn, sql).then(
      () => [undefined, 'succeeded'],
      (e: { code?: string; message: string }) => [e.code, e.message],
    );
  }

  it('fails a SUM that NUMBER(38, s) cannot hold with 100046 instead of wrapping around', async function () {
    expect(
      await failure(
        `SELECT SUM(x) AS S FROM (SELECT ${MAX38}::NUMBER(38,0) AS x UNION ALL SELECT ${MAX38}::NUMBER(38,0))`,
      ),
    ).to.deep.equal(['100046', 'Number out of representable range: the sum does not fit NUMBER(38, 0)']);
    expect(
      await failure(
        `SELECT SUM(x) AS S FROM (SELECT ${'9'.repeat(36)}.99::NUMBER(38,2) AS x UNION ALL SELECT 1)`,
      ),
    ).to.deep.equal(['100046', 'Number out of representable range: the sum does not fit NUMBER(38, 2)']);
    // All 38 digits, as text: a JavaScript number would round them.
    const rows = await new Promise<unknown>((resolve, reject) => {
      alice.conn.execute({
        sqlText: `SELECT SUM(x) AS S FROM (SELECT ${MAX38}::NUMBER(38,0) AS x UNION ALL SELECT -1)`,
        fetchAsString: ['Number'],
        complete: (err, _statement, result) => (err ? reject(err) : resolve(result)),
      });
    });
    expect(rows).to.deep.equal([{ S: `${'9'.repeat(37)}8` }]);
  });

  it('sums within range exactly, per window and with DISTINCT', async function () {
    expect(
      await typed(
        'SELECT SUM(x) AS S, SUM(DISTINCT x) AS D, SUM(x::FLOAT) AS F FROM (SELECT 1.5 AS x UNION ALL SELECT 1.5)',
      ),
    ).to.deep.equal([
      [3, 'fixed', 1],
      [1.5, 'fixed', 1],
      [3, 'real', null],
    ]);
    const { rows } = await execute(
      alice.conn,
      'SELECT x, SUM(x) OVER (ORDER BY x) AS W FROM (SELECT 1.5 AS x UNION ALL SELECT 2.5) ORDER BY x',
    );
    expect(rows).to.deep.equal([
      { X: 1.5, W: 1.5 },
      { X: 2.5, W: 4 },
    ]);
  });

  it('rounds half away from zero, to negative scales too, and truncates toward zero', async function () {
    expect(
      await typed(
        `SELECT ROUND(2.5) AS A, ROUND(-2.5) AS B, ROUND(1.25, 1) AS C, ROUND(-1.25, 1) AS D,
           ROUND(1250, -2) AS E, ROUND(-1250, -2) AS F, TRUNC(-2.7) AS G, TRUNC(1234.567, -2) AS H,
           TRUNC(1.789, 2) AS I, 2.555::NUMBER(10,2) AS J, (-2.5)::INT AS K`,
      ),
    ).to.deep.equal([
      [3, 'fixed', 0],
      [-3, 'fixed', 0],
      [1.3, 'fixed', 1],
      [-1.3, 'fixed', 1],
      [1300, 'fixed', 0],
      [-1300, 'fixed', 0],
      [-2, 'fixed', 0],
      [1200, 'fixed', 0],
      [1.78, 'fixed', 2],
      [2.56, 'fixed', 2],
      [-3, 'fixed', 0],
    ]);
  });

  it("answers DIV0, DIV0NULL and MOD with the dividend's sign, COUNT and COUNT_IF as integers", async function () {
    expect(
      await typed(
        `SELECT DIV0(5, 2) AS A, DIV0(5, 0) AS B, DIV0NULL(5, NULL) AS C, MOD(-7, 3) AS D,
           MOD(7, -3) AS E, MOD(-7.5, 2) AS F, COUNT(*) AS G, COUNT_IF(x > 1) AS H
         FROM (SELECT 1 AS x UNION ALL SELECT 2)`,
      ),
    ).to.deep.equal([
      [2.5, 'fixed', 6],
      [0, 'fixed', 6],
      [0, 'fixed', 6],
      [-1, 'fixed', 0],
      [1, 'fixed', 0],
      [-1.5, 'fixed', 1],
      [2, 'fixed', 0],
      [1, 'fixed', 0],
    ]);
  });

  it('keeps NUMBER scales through arithmetic and floats as doubles', async function () {
    await execute(alice.conn, 'CREATE DATABASE NUM_DB');
    await execute(alice.conn, 'USE SCHEMA NUM_DB.PUBLIC');
    await execute(alice.conn, 'CREATE TABLE P (a NUMBER(10,2), b NUMBER(10,2))');
    await execute(alice.conn, 'INSERT INTO P VALUES (1.25, 2.50)');
    expect(
      await typed('SELECT a * b AS M, a + b AS S, a / b AS Q, a * 1.5 AS T, 5 / 2 AS I FROM P'),
    ).to.deep.equal([
      [3.125, 'fixed', 4],
      [3.75, 'fixed', 2],
      [0.5, 'fixed', 8],
      [1.875, 'fixed', 3],
      [2.5, 'fixed', 6],
    ]);
    expect(
      await typed('SELECT 1e20::FLOAT AS A, 0.1::FLOAT + 0.2::FLOAT AS B, 1.0::FLOAT AS C'),
    ).to.deep.equal([
      [1e20, 'real', null],
      [0.30000000000000004, 'real', null],
      [1, 'real', null],
    ]);
  });
});
