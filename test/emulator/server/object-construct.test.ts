/**
 * OBJECT_CONSTRUCT and OBJECT_CONSTRUCT_KEEP_NULL through the real snowflake-sdk: the wildcard
 * forms (`*`, `t.*`, ILIKE, EXCLUDE) over a table, a subquery and a join, with Snowflake's
 * upper-case keys, SQL NULLs left out except by KEEP_NULL, DECFLOATs as numbers; the key-value form
 * leaving out SQL NULL but keeping JSON null; and compilation errors for forms it cannot read.
 */
import { expect } from 'chai';
import { execute, rowsAndTypes, failureOf } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator OBJECT_CONSTRUCT', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE OBJ_DB');
    await execute(alice.conn, 'USE SCHEMA OBJ_DB.PUBLIC');
    await execute(
      alice.conn,
      'CREATE TABLE T (id INT, name STRING, n NUMBER(10,2), v VARIANT, "mixed" INT, d DECFLOAT)',
    );
    await execute(
      alice.conn,
      `INSERT INTO T SELECT 1, 'a', 1.5, PARSE_JSON('{"x":null}'), 7, 1.25::DECFLOAT`,
    );
    await execute(alice.conn, 'INSERT INTO T (id, n) VALUES (2, 2.25)');
    await execute(alice.conn, 'CREATE TABLE K (id INT, tag STRING)');
    await execute(alice.conn, "INSERT INTO K VALUES (1, 'one'), (2, NULL)");
  });

  const query = (sql: string): ReturnType<typeof rowsAndTypes> => rowsAndTypes(alice.conn, sql);

  const failure = (sql: string): ReturnType<typeof failureOf> => failureOf(alice.conn, sql);

  const FULL = { ID: 1, NAME: 'a', N: 1.5, V: { x: null }, mixed: 7, D: 1.25 };

  it('builds an object of every column of the row, leaving out NULLs', async function () {
    const { rows, types } = await query('SELECT OBJECT_CONSTRUCT(*) AS O FROM T ORDER BY ID');
    expect(rows).to.deep.equal([{ O: FULL }, { O: { ID: 2, N: 2.25 } }]);
    // The emulator types every built object as it types OBJECT_CONSTRUCT('k', v).
    const pairs = await query("SELECT OBJECT_CONSTRUCT('k', 1) AS O");
    expect(types).to.deep.equal(pairs.types);
  });

  it('keeps NULL columns as null with OBJECT_CONSTRUCT_KEEP_NULL(*)', async function () {
    const { rows } = await query('SELECT OBJECT_CONSTRUCT_KEEP_NULL(*) AS O FROM T ORDER BY ID');
    expect(rows).to.deep.equal([
      { O: FULL },
      { O: { ID: 2, NAME: null, N: 2.25, V: null, mixed: null, D: null } },
    ]);
  });

  it('names keys after the columns of a subquery, and names the column OBJECT_CONSTRUCT(*)', async function () {
    const { rows } = await query(
      'SELECT OBJECT_CONSTRUCT(*) FROM (SELECT id, name AS label FROM T) s ORDER BY s.id',
    );
    expect(rows).to.deep.equal([
      { 'OBJECT_CONSTRUCT(*)': { ID: 1, LABEL: 'a' } },
      { 'OBJECT_CONSTRUCT(*)': { ID: 2 } },
    ]);
  });

  it('takes one table of a join with t.*, and filters columns with ILIKE and EXCLUDE', async function () {
    const { rows } = await query(
      `SELECT OBJECT_CONSTRUCT(k.*) AS A, OBJECT_CONSTRUCT(t.* EXCLUDE (v, d, "mixed")) AS B,
              OBJECT_CONSTRUCT(* ILIKE 'n%') AS C, OBJECT_CONSTRUCT_KEEP_NULL(k.* EXCLUDE id) AS E
         FROM T t JOIN K k ON t.id = k.id ORDER BY t.id`,
    );
    expect(rows).to.deep.equal([
      {
        A: { ID: 1, TAG: 'one' },
        B: { ID: 1, NAME: 'a', N: 1.5 },
        C: { NAME: 'a', N: 1.5 },
        E: { TAG: 'one' },
      },
      { A: { ID: 2 }, B: { ID: 2, N: 2.25 }, C: { N: 2.25 }, E: { TAG: null } },
    ]);
  });

  it('reads a path of the built object', async function () {
    const { rows, types } = await query('SELECT OBJECT_CONSTRUCT(*):NAME::STRING AS N FROM T ORDER BY ID');
    expect({ rows, types }).to.deep.equal({ rows: [{ N: 'a' }, { N: null }], types: ['text'] });
  });

  it('leaves out pairs with a NULL key or value but keeps JSON null, unless KEEP_NULL', async function () {
    const { rows } = await query(
      `SELECT OBJECT_CONSTRUCT('a', 1, 'b', NULL, NULL, 3, 'c', PARSE_JSON('null'), 'd', 1.5::DECFLOAT) AS O,
              OBJECT_CONSTRUCT_KEEP_NULL('a', NULL) AS K, OBJECT_CONSTRUCT() AS E`,
    );
    expect(rows).to.deep.equal([{ O: { a: 1, c: null, d: 1.5 }, K: { a: null }, E: {} }]);
  });

  it('refuses wildcard forms it cannot read with a compilation error, and answers afterwards', async function () {
    expect(await failure("SELECT OBJECT_CONSTRUCT(t.* ILIKE 'n%') FROM T t")).to.deep.equal({
      code: '002040',
      message:
        "SQL compilation error:\nUnsupported feature 'OBJECT_CONSTRUCT with a qualified wildcard and ILIKE'.",
    });
    const replace = await failure('SELECT OBJECT_CONSTRUCT(* REPLACE (1 AS id)) FROM T');
    expect(replace.code).to.equal('002040');
    expect(replace.message).to.include('OBJECT_CONSTRUCT with the wildcard form');
    const noFrom = await failure('SELECT OBJECT_CONSTRUCT(*)');
    expect(noFrom.message).to.match(/^SQL compilation error:/);
    expect((await query('SELECT COUNT(*) AS C FROM T')).rows).to.deep.equal([{ C: 2 }]);
  });
});
