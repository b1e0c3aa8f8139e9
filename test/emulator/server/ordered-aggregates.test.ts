/**
 * ARRAY_AGG and LISTAGG through the real snowflake-sdk as Snowflake documents them: the order of
 * WITHIN GROUP (ORDER BY …), with and without GROUP BY, DISTINCT, as window functions, NULLs
 * omitted, [] and '' for no rows, LISTAGG's default '' delimiter; the column types the driver sees;
 * and Snowflake's compilation errors for forms that have no meaning.
 */
import { expect } from 'chai';
import { execute, rowsAndTypes, failureOf } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator ARRAY_AGG and LISTAGG', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE AGG_DB');
    await execute(alice.conn, 'USE SCHEMA AGG_DB.PUBLIC');
    await execute(alice.conn, 'CREATE TABLE T (ID INT, NAME STRING, G INT, N NUMBER(10,2))');
    await execute(
      alice.conn,
      "INSERT INTO T VALUES (1, 'b', 1, 1.5), (2, NULL, 1, 2.25), (3, 'a', 2, NULL), (4, 'b', 2, 10)",
    );
  });

  const query = (sql: string): ReturnType<typeof rowsAndTypes> => rowsAndTypes(alice.conn, sql);

  const failure = (sql: string): ReturnType<typeof failureOf> => failureOf(alice.conn, sql);

  it('orders ARRAY_AGG and LISTAGG by WITHIN GROUP, leaving NULLs out', async function () {
    expect(
      await query(
        `SELECT ARRAY_AGG(ID) WITHIN GROUP (ORDER BY ID DESC) AS A,
                ARRAY_AGG(NAME) WITHIN GROUP (ORDER BY ID) AS B,
                LISTAGG(NAME, ',') WITHIN GROUP (ORDER BY ID DESC) AS L,
                LISTAGG(N, '|') WITHIN GROUP (ORDER BY N DESC NULLS LAST) AS M
           FROM T`,
      ),
    ).to.deep.equal({
      rows: [{ A: [4, 3, 2, 1], B: ['b', 'a', 'b'], L: 'b,a,b', M: '10.00|2.25|1.50' }],
      types: ['array', 'array', 'text', 'text'],
    });
  });

  it('aggregates per group with GROUP BY, LISTAGG separating with nothing by default', async function () {
    expect(
      await query(
        `SELECT G, ARRAY_AGG(ID) WITHIN GROUP (ORDER BY ID DESC) AS A,
                LISTAGG(NAME) WITHIN GROUP (ORDER BY NAME) AS L
           FROM T GROUP BY G ORDER BY G`,
      ),
    ).to.deep.equal({
      rows: [
        { G: 1, A: [2, 1], L: 'b' },
        { G: 2, A: [4, 3], L: 'ab' },
      ],
      types: ['fixed', 'array', 'text'],
    });
  });

  it('keeps each distinct value once, ordered by the argument', async function () {
    const { rows } = await query(
      `SELECT ARRAY_AGG(DISTINCT NAME) WITHIN GROUP (ORDER BY NAME DESC) AS A,
              LISTAGG(DISTINCT NAME, ';') WITHIN GROUP (ORDER BY NAME) AS L FROM T`,
    );
    expect(rows).to.deep.equal([{ A: ['b', 'a'], L: 'a;b' }]);
  });

  it('names an unnamed column after the call with its WITHIN GROUP, as Snowflake does', async function () {
    const { rows } = await query('SELECT ARRAYAGG(ID) WITHIN GROUP (ORDER BY ID) FROM T');
    expect(rows).to.deep.equal([{ 'ARRAYAGG(ID) WITHIN GROUP (ORDER BY ID)': [1, 2, 3, 4] }]);
  });

  it('answers an empty array and an empty string for no rows', async function () {
    expect(
      await query(
        `SELECT ARRAY_AGG(ID) WITHIN GROUP (ORDER BY ID) AS A, LISTAGG(NAME, ',') AS L, ARRAY_AGG(NAME) AS B
           FROM T WHERE ID > 100`,
      ),
    ).to.deep.equal({ rows: [{ A: [], L: '', B: [] }], types: ['array', 'text', 'array'] });
  });

  it('orders within each window partition of OVER', async function () {
    const { rows } = await query(
      `SELECT ID, ARRAY_AGG(ID) WITHIN GROUP (ORDER BY ID DESC) OVER (PARTITION BY G) AS W,
              LISTAGG(NAME, '-') WITHIN GROUP (ORDER BY ID) OVER (PARTITION BY G) AS L
         FROM T ORDER BY ID`,
    );
    expect(rows).to.deep.equal([
      { ID: 1, W: [2, 1], L: 'b' },
      { ID: 2, W: [2, 1], L: 'b' },
      { ID: 3, W: [4, 3], L: 'a-b' },
      { ID: 4, W: [4, 3], L: 'a-b' },
    ]);
  });

  it('refuses DISTINCT ordered by another expression, a malformed WITHIN and extra arguments', async function () {
    const distinct = await failure('SELECT ARRAY_AGG(DISTINCT NAME) WITHIN GROUP (ORDER BY ID) AS A FROM T');
    expect(distinct.code).to.equal('002141');
    expect(distinct.message).to.match(/^SQL compilation error:\n\[ID\] is not a valid order by expression/);
    const within = await failure('SELECT LISTAGG(NAME) WITHIN (ORDER BY ID) FROM T');
    expect(within.code).to.equal('002141');
    expect(within.message).to.include('WITHIN GROUP (ORDER BY');
    const args = await failure('SELECT ARRAY_AGG(ID, NAME) FROM T');
    expect(args).to.deep.equal({
      code: '002141',
      message: 'SQL compilation error:\nARRAY_AGG takes one argument',
    });
    // The emulator still answers afterwards.
    expect((await query('SELECT COUNT(*) AS C FROM T')).rows).to.deep.equal([{ C: 4 }]);
  });
});
