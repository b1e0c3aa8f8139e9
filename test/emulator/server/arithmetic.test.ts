/**
 * Snowflake's division through the real snowflake-sdk: the result type and scale the driver sees
 * (column metadata), the values, and division by zero.
 */
import { expect } from 'chai';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator arithmetic: division', function () {
  const alice = useAliceConnection();

  async function typed(sql: string): Promise<{ value: unknown; type: string; scale: number | null }[]> {
    const { rows, statement } = await execute(alice.conn, sql);
    // The driver's types say the columns are always there once a statement completed.
    return (statement.getColumns() ?? []).map((c) => ({
      value: rows[0]?.[c.getName()],
      type: c.getType(),
      scale: c.getScale(),
    }));
  }

  it('divides integers into a NUMBER of scale 6, rounded', async function () {
    expect(await typed('SELECT 7 / 2 AS A, 2 / 3 AS B, -2 / 3 AS C')).to.deep.equal([
      { value: 3.5, type: 'fixed', scale: 6 },
      { value: 0.666667, type: 'fixed', scale: 6 },
      { value: -0.666667, type: 'fixed', scale: 6 },
    ]);
  });

  it("adds 6 to the numerator's scale for fixed-point numbers, and keeps floats floating", async function () {
    expect(
      await typed(
        'SELECT 10.01 / 3 AS A, 1.5::FLOAT / 4 AS B, 1e-9::DOUBLE / 2 AS C, SUM(X) / COUNT(*) AS D FROM (SELECT 1 AS X UNION ALL SELECT 2)',
      ),
    ).to.deep.equal([
      { value: 3.33666667, type: 'fixed', scale: 8 },
      { value: 0.375, type: 'real', scale: null },
      { value: 5e-10, type: 'real', scale: null },
      { value: 1.5, type: 'fixed', scale: 6 },
    ]);
  });

  it('gives a float when the denominator is one', async function () {
    expect(await typed('SELECT 1 / 2.5::FLOAT AS A')).to.deep.equal([
      { value: 0.4, type: 'real', scale: null },
    ]);
  });

  it('fails a division by zero with 100051 and leaves DIV0 and NULL alone', async function () {
    const err = await execute(alice.conn, 'SELECT 1 / 0').then(
      () => null,
      (e: { code?: string; message: string }) => [e.code, e.message],
    );
    expect(err).to.deep.equal(['100051', 'Division by zero']);
    const { rows } = await execute(alice.conn, 'SELECT DIV0(1, 0) AS Z, 1 / NULL AS N, NULL / 2 AS M');
    expect(rows).to.deep.equal([{ Z: 0, N: null, M: null }]);
  });
});
