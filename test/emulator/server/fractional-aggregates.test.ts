/**
 * MEDIAN, PERCENTILE_CONT, AVG and VARIANCE through the real snowflake-sdk: over INT and
 * NUMBER(p,s) columns they answer Snowflake's NUMBER with the fraction kept (scale + 3, scale + 6), as aggregates and
 * as window functions; over FLOAT they stay FLOAT; PERCENTILE_DISC keeps its column's type.
 */
import { expect } from 'chai';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

interface Typed {
  value: unknown;
  type: string;
  scale: number | null;
}

describe('emulator aggregates that keep fractions', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE AGG_DB');
    await execute(alice.conn, 'USE SCHEMA AGG_DB.PUBLIC');
    await execute(alice.conn, 'CREATE TABLE T (i INT, n NUMBER(10,2), f FLOAT, g STRING)');
    await execute(
      alice.conn,
      "INSERT INTO T VALUES (1, 1.25, 0.5, 'a'), (2, 2.50, 1.5, 'a'), (3, 3.75, 2.5, 'b'), (4, 10.01, 3.5, 'b')",
    );
  });

  /** Each row's columns: value, the driver's type and scale. */
  async function typed(sql: string): Promise<Typed[][]> {
    const { rows, statement } = await execute(alice.conn, sql);
    const columns = statement.getColumns() ?? [];
    return rows.map((row) =>
      columns.map((c) => ({ value: row[c.getName()], type: c.getType(), scale: c.getScale() })),
    );
  }

  it('answers MEDIAN and PERCENTILE_CONT of an INT column with three decimals', async function () {
    expect(
      await typed(
        `SELECT MEDIAN(i) AS M, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY i) AS P,
           PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY i DESC) AS PD,
           PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY i) AS D FROM T`,
      ),
    ).to.deep.equal([
      [
        { value: 2.5, type: 'fixed', scale: 3 },
        { value: 2.5, type: 'fixed', scale: 3 },
        { value: 3.25, type: 'fixed', scale: 3 },
        { value: 2, type: 'fixed', scale: 0 },
      ],
    ]);
  });

  it("adds 3 to a NUMBER column's scale and keeps FLOAT a float", async function () {
    expect(
      await typed(
        `SELECT MEDIAN(n) AS M, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY n) AS P,
           PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY n) AS D, MEDIAN(f) AS MF FROM T`,
      ),
    ).to.deep.equal([
      [
        { value: 3.125, type: 'fixed', scale: 5 },
        { value: 3.125, type: 'fixed', scale: 5 },
        { value: 2.5, type: 'fixed', scale: 2 },
        { value: 2, type: 'real', scale: null },
      ],
    ]);
  });

  it('answers AVG of fixed-point values as a NUMBER of scale + 6, and of floats as a float', async function () {
    expect(
      await typed(
        'SELECT AVG(x) AS A, AVG(DISTINCT x) AS D FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 2)',
      ),
    ).to.deep.equal([
      [
        { value: 1.666667, type: 'fixed', scale: 6 },
        { value: 1.5, type: 'fixed', scale: 6 },
      ],
    ]);
    expect(await typed('SELECT AVG(n) AS AN, AVG(f) AS AF FROM T')).to.deep.equal([
      [
        { value: 4.3775, type: 'fixed', scale: 8 },
        { value: 2, type: 'real', scale: null },
      ],
    ]);
    const { rows } = await execute(alice.conn, 'SELECT AVG(i) AS A FROM T WHERE i > 100');
    expect(rows).to.deep.equal([{ A: null }]);
  });

  it('caps the scale of AVG at 12 unless its argument has more, and widens fine scales without failing', async function () {
    expect(
      await typed(
        'SELECT AVG(x) AS A, VARIANCE(x) AS V FROM (SELECT 1.5::NUMBER(38,10) AS x UNION ALL SELECT 2)',
      ),
    ).to.deep.equal([
      [
        { value: 1.75, type: 'fixed', scale: 12 },
        { value: 0.125, type: 'fixed', scale: 12 },
      ],
    ]);
    const [[median, average]] = await typed(
      'SELECT MEDIAN(x) AS M, AVG(x) AS A FROM (SELECT 0.125::NUMBER(38,35) AS x UNION ALL SELECT 0.25)',
    );
    // DuckDB interpolates in double precision: digits past the 16th are not exact at this scale.
    expect(median?.type).to.equal('fixed');
    expect(median?.value).to.be.closeTo(0.1875, 1e-15);
    expect(average).to.deep.equal({ value: 0.1875, type: 'fixed', scale: 35 });
  });

  it('answers VARIANCE, VAR_SAMP and VAR_POP of integers as a NUMBER of scale 6', async function () {
    expect(
      await typed(
        `SELECT VARIANCE(a) AS V, VAR_SAMP(a) AS S, VAR_POP(a) AS P, VARIANCE(a::FLOAT) AS F
         FROM (SELECT column1 AS a FROM VALUES (1), (-1), (1), (-1), (-1))`,
      ),
    ).to.deep.equal([
      [
        { value: 1.2, type: 'fixed', scale: 6 },
        { value: 1.2, type: 'fixed', scale: 6 },
        { value: 0.96, type: 'fixed', scale: 6 },
        { value: 1.2, type: 'real', scale: null },
      ],
    ]);
  });

  it('keeps the fraction per group and per window', async function () {
    expect(await typed('SELECT MEDIAN(i) AS M, AVG(i) AS A FROM T GROUP BY g ORDER BY g')).to.deep.equal([
      [
        { value: 1.5, type: 'fixed', scale: 3 },
        { value: 1.5, type: 'fixed', scale: 6 },
      ],
      [
        { value: 3.5, type: 'fixed', scale: 3 },
        { value: 3.5, type: 'fixed', scale: 6 },
      ],
    ]);
    const { rows } = await execute(
      alice.conn,
      `SELECT i, MEDIAN(i) OVER (PARTITION BY g) AS M, AVG(i) OVER w AS A,
         PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY i) OVER (PARTITION BY g) AS P
       FROM T WINDOW w AS (ORDER BY i) ORDER BY i`,
    );
    expect(rows).to.deep.equal([
      { I: 1, M: 1.5, A: 1, P: 1.5 },
      { I: 2, M: 1.5, A: 1.5, P: 1.5 },
      { I: 3, M: 3.5, A: 2, P: 3.5 },
      { I: 4, M: 3.5, A: 2.5, P: 3.5 },
    ]);
  });
});
