/**
 * Duplicate column names through the real snowflake-sdk: Snowflake keeps every name as written,
 * at the top level and through a subquery or CTE, so the driver's row modes see them as Snowflake
 * sends them (`array` all values, `object_with_renamed_duplicated_columns` its own renaming).
 */
import { expect } from 'chai';
import type { Connection, RowStatement } from 'snowflake-sdk';
import { useAliceConnection } from './alice.js';

type RowMode = 'array' | 'object' | 'object_with_renamed_duplicated_columns';

function run(
  conn: Connection,
  sqlText: string,
  rowMode: RowMode,
): Promise<{ rows: unknown[]; names: string[] }> {
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      rowMode,
      complete: (err, statement: RowStatement, rows) => {
        if (err) reject(err);
        else resolve({ rows: rows ?? [], names: (statement.getColumns() ?? []).map((c) => c.getName()) });
      },
    });
  });
}

const NESTED = `SELECT * FROM (SELECT 'a' AS key, 1 AS foo, 'a1' AS key_1, 2 AS foo, 'a2' AS key_3, 3 AS foo_3,
  'a3' AS key, 4 AS foo, 'a4' AS key, 5 AS foo) AS table1`;

describe('emulator duplicate column names', function () {
  const alice = useAliceConnection();

  it('sends a subquery’s repeated names as written, in order', async function () {
    const { rows, names } = await run(alice.conn, NESTED, 'array');
    expect(names).to.deep.equal(['KEY', 'FOO', 'KEY_1', 'FOO', 'KEY_3', 'FOO_3', 'KEY', 'FOO', 'KEY', 'FOO']);
    expect(rows).to.deep.equal([['a', 1, 'a1', 2, 'a2', 3, 'a3', 4, 'a4', 5]]);
  });

  it('lets the driver rename duplicates in its object_with_renamed_duplicated_columns row mode', async function () {
    const { rows } = await run(alice.conn, NESTED, 'object_with_renamed_duplicated_columns');
    expect(rows).to.deep.equal([
      {
        KEY: 'a',
        FOO: 1,
        KEY_1: 'a1',
        FOO_2: 2,
        KEY_3: 'a2',
        FOO_3: 3,
        KEY_2: 'a3',
        FOO_4: 4,
        KEY_4: 'a4',
        FOO_5: 5,
      },
    ]);
  });

  it('keeps top-level and CTE duplicates, and a quoted name that repeats', async function () {
    expect((await run(alice.conn, 'SELECT 1 AS A, 2 AS A', 'array')).names).to.deep.equal(['A', 'A']);
    const top = await run(alice.conn, 'SELECT 1 AS A, 2 AS A', 'object_with_renamed_duplicated_columns');
    expect(top.rows).to.deep.equal([{ A: 1, A_2: 2 }]);
    const cte = await run(
      alice.conn,
      'WITH T AS (SELECT 1 AS X, 2 AS "X", 3 AS "x") SELECT * FROM T',
      'array',
    );
    expect(cte.names).to.deep.equal(['X', 'X', 'x']);
    expect(cte.rows).to.deep.equal([[1, 2, 3]]);
  });

  it('reads the first of repeated names when the outer query names it', async function () {
    const { rows, names } = await run(alice.conn, 'SELECT FOO FROM (SELECT 1 AS FOO, 2 AS FOO)', 'array');
    expect(names).to.deep.equal(['FOO']);
    expect(rows).to.deep.equal([[1]]);
  });
});
