/**
 * COUNT and COUNT_IF through the real snowflake-sdk answer Snowflake's NUMBER(18,0), as plain
 * aggregates, with FILTER, DISTINCT and as window functions.
 */
import { expect } from 'chai';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator COUNT types', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE COUNT_DB');
    await execute(alice.conn, 'USE SCHEMA COUNT_DB.PUBLIC');
    await execute(alice.conn, 'CREATE TABLE T (i INT, g STRING)');
    await execute(alice.conn, "INSERT INTO T VALUES (1, 'a'), (2, 'a'), (NULL, 'b'), (2, 'b')");
  });

  /** Each row's columns: value, the driver's type, precision and scale. */
  async function typed(sql: string): Promise<unknown[][]> {
    const { rows, statement } = await execute(alice.conn, sql);
    const columns = statement.getColumns() ?? [];
    return rows.map((row) =>
      columns.map((c) => [row[c.getName()], c.getType(), c.getPrecision(), c.getScale()]),
    );
  }

  it('answers COUNT(*), COUNT(x), COUNT(DISTINCT x) and COUNT_IF as NUMBER(18,0)', async function () {
    expect(
      await typed('SELECT COUNT(*) AS A, COUNT(i) AS B, COUNT(DISTINCT i) AS C, COUNT_IF(i > 1) AS D FROM T'),
    ).to.deep.equal([
      [
        [4, 'fixed', 18, 0],
        [3, 'fixed', 18, 0],
        [2, 'fixed', 18, 0],
        [2, 'fixed', 18, 0],
      ],
    ]);
  });

  it('keeps GROUP BY, HAVING and a window with NUMBER(18,0)', async function () {
    expect(
      await typed(
        `SELECT g, COUNT(*) AS N, COUNT(i) OVER (ORDER BY g) AS W FROM T
         GROUP BY g, i HAVING COUNT(*) >= 1 ORDER BY g, N LIMIT 1`,
      ),
    ).to.deep.equal([
      [
        ['a', 'text', null, null],
        [1, 'fixed', 18, 0],
        [2, 'fixed', 18, 0],
      ],
    ]);
  });
});
