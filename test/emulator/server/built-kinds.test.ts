/**
 * Column types of built semi-structured values and of expressions named like a table's column,
 * through the real snowflake-sdk: OBJECT_CONSTRUCT, ARRAY_CONSTRUCT and CAST … AS OBJECT/ARRAY
 * answer OBJECT and ARRAY columns (VARIANT stays VARIANT), and an expression that takes a column's
 * name keeps its own NUMBER scale.
 */
import { expect } from 'chai';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator column types of built values', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE KIND_DB');
    await execute(alice.conn, 'USE SCHEMA KIND_DB.PUBLIC');
    await execute(alice.conn, 'CREATE TABLE T (i INT, n NUMBER(10,2), v VARIANT)');
    await execute(alice.conn, `INSERT INTO T SELECT 3, 1.25, PARSE_JSON('{"k": 1}')`);
  });

  /** Each column of the first row: name, value, the driver's type and scale. */
  async function columns(sql: string): Promise<[string, unknown, string, number | null][]> {
    const { rows, statement } = await execute(alice.conn, sql);
    return (statement.getColumns() ?? []).map((c) => [
      c.getName(),
      rows[0]?.[c.getName()],
      c.getType(),
      c.getScale(),
    ]);
  }

  it('types built objects OBJECT and built arrays ARRAY, leaving VARIANT values VARIANT', async function () {
    expect(
      await columns(
        `SELECT OBJECT_CONSTRUCT('a', 1) AS O, OBJECT_CONSTRUCT_KEEP_NULL('a', NULL) AS K,
           OBJECT_CONSTRUCT(*) AS S, ARRAY_CONSTRUCT(1, 2) AS A, ARRAY_CONSTRUCT() AS E,
           v::OBJECT AS CO, CAST(PARSE_JSON('[1]') AS ARRAY) AS CA, ARRAY_AGG(i) OVER () AS G,
           v, v:k AS P, TO_VARIANT(OBJECT_CONSTRUCT('b', 2)) AS TV FROM T`,
      ),
    ).to.deep.equal([
      ['O', { a: 1 }, 'object', null],
      ['K', { a: null }, 'object', null],
      ['S', { I: 3, N: 1.25, V: { k: 1 } }, 'object', null],
      ['A', [1, 2], 'array', null],
      ['E', [], 'array', null],
      ['CO', { k: 1 }, 'object', null],
      ['CA', [1], 'array', null],
      ['G', [3], 'array', null],
      ['V', { k: 1 }, 'variant', null],
      ['P', 1, 'variant', null],
      ['TV', { b: 2 }, 'variant', null],
    ]);
  });

  it('names unnamed built columns as Snowflake does and leaves a UNION with a VARIANT VARIANT', async function () {
    expect(await columns('SELECT OBJECT_CONSTRUCT(*), ARRAY_CONSTRUCT(i) FROM T')).to.deep.equal([
      ['OBJECT_CONSTRUCT(*)', { I: 3, N: 1.25, V: { k: 1 } }, 'object', null],
      ['ARRAY_CONSTRUCT(I)', [3], 'array', null],
    ]);
    expect(
      await columns("SELECT OBJECT_CONSTRUCT('a', 1) AS O UNION ALL SELECT PARSE_JSON('2')"),
    ).to.deep.equal([['O', { a: 1 }, 'variant', null]]);
  });

  it("keeps an expression's own scale when it takes the name of a NUMBER column", async function () {
    expect(await columns('SELECT n * n AS N, i / 2 AS I, n AS M, i AS J FROM T')).to.deep.equal([
      ['N', 1.5625, 'fixed', 4],
      ['I', 1.5, 'fixed', 6],
      ['M', 1.25, 'fixed', 2],
      ['J', 3, 'fixed', 0],
    ]);
  });
});
