/**
 * CREATE [OR REPLACE] TABLE t (a, b) AS SELECT … through the real snowflake-sdk: the list renames
 * the query's columns in order and keeps their Snowflake types (OBJECT, ARRAY, NUMBER(10,2),
 * TIMESTAMP_TZ, DECFLOAT, …, as a CTAS without a list now does), a type in the list casts the column, COMMENTs are kept, IF NOT EXISTS
 * and TEMPORARY/TRANSIENT work; a list of the wrong length and column options it cannot honour fail
 * with a compilation error.
 */
import { expect } from 'chai';
import { execute, failureOf } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator CREATE TABLE (columns) AS SELECT', function () {
  const alice = useAliceConnection();

  before(async function () {
    await execute(alice.conn, 'CREATE DATABASE CTAS_DB');
    await execute(alice.conn, 'USE SCHEMA CTAS_DB.PUBLIC');
    await execute(
      alice.conn,
      `CREATE TABLE S (I INT, N NUMBER(10,2), S VARCHAR(10), O OBJECT, A ARRAY, V VARIANT,
         TZ TIMESTAMP_TZ, D DECFLOAT, DT DATE, F BOOLEAN)`,
    );
    await execute(
      alice.conn,
      `INSERT INTO S SELECT 1, 1.5, 'x', OBJECT_CONSTRUCT('k', 1), ARRAY_CONSTRUCT(1), PARSE_JSON('2'),
         '2024-01-01 10:00:00 +02:00'::TIMESTAMP_TZ, 1.25::DECFLOAT, '2024-01-01'::DATE, TRUE`,
    );
  });

  /** Rows of `sql` (JSON-shaped) and each column's name and driver type. */
  async function readBack(sql: string): Promise<{ rows: unknown[]; columns: string[] }> {
    const { rows, statement } = await execute(alice.conn, sql);
    return {
      rows: JSON.parse(JSON.stringify(rows)) as unknown[],
      columns: (statement.getColumns() ?? []).map((c) => `${c.getName()} ${c.getType()}`),
    };
  }

  const failure = (sql: string): ReturnType<typeof failureOf> => failureOf(alice.conn, sql);

  it('renames the query columns in order and keeps their Snowflake types', async function () {
    const { rows } = await execute(
      alice.conn,
      'CREATE TABLE C1 (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) AS SELECT * FROM S',
    );
    expect(rows).to.deep.equal([{ status: 'Table C1 successfully created.' }]);
    expect(await readBack('SELECT * FROM C1')).to.deep.equal({
      rows: [
        {
          C1: 1,
          C2: 1.5,
          C3: 'x',
          C4: { k: 1 },
          C5: [1],
          C6: 2,
          C7: '2024-01-01 10:00:00.000 +0200',
          C8: '1.25',
          C9: '2024-01-01',
          C10: true,
        },
      ],
      columns: [
        'C1 fixed',
        'C2 fixed',
        'C3 text',
        'C4 object',
        'C5 array',
        'C6 variant',
        'C7 timestamp_tz',
        'C8 decfloat',
        'C9 date',
        'C10 boolean',
      ],
    });
    const described = await execute(alice.conn, 'DESCRIBE TABLE C1');
    expect(described.rows.slice(1, 4).map((r) => r.type)).to.deep.equal([
      'NUMBER(10,2)',
      'VARCHAR(10)',
      'OBJECT',
    ]);
  });

  it('keeps the Snowflake types of table columns in a CTAS without a list too', async function () {
    await execute(alice.conn, 'CREATE TABLE PLAIN AS SELECT S, O, A, V FROM S');
    expect((await readBack('SELECT * FROM PLAIN')).columns).to.deep.equal([
      'S text',
      'O object',
      'A array',
      'V variant',
    ]);
    const described = await execute(alice.conn, 'DESCRIBE TABLE PLAIN');
    expect(described.rows.map((r) => r.type)).to.deep.equal(['VARCHAR(10)', 'OBJECT', 'ARRAY', 'VARIANT']);
  });

  it('casts to the types the list gives, reading text as those types do', async function () {
    await execute(
      alice.conn,
      `CREATE TABLE C2 (X INT, Y VARCHAR(5), Z TIMESTAMP_TZ, W NUMBER(5,1))
         AS SELECT N, S, '2024-01-01 10:00:00 +02:00', '3.25' FROM S`,
    );
    expect(await readBack('SELECT * FROM C2')).to.deep.equal({
      rows: [{ X: 2, Y: 'x', Z: '2024-01-01 10:00:00.000 +0200', W: 3.3 }],
      columns: ['X fixed', 'Y text', 'Z timestamp_tz', 'W fixed'],
    });
  });

  it('replaces with CREATE OR REPLACE, keeps the table with IF NOT EXISTS, refuses a second CREATE', async function () {
    await execute(alice.conn, 'CREATE TABLE C3 (P) AS SELECT 1');
    await execute(alice.conn, 'CREATE OR REPLACE TABLE C3 (P, Q) AS SELECT S, I FROM S');
    await execute(alice.conn, 'CREATE TABLE IF NOT EXISTS C3 (Z) AS SELECT 1');
    expect(await readBack('SELECT * FROM C3')).to.deep.equal({
      rows: [{ P: 'x', Q: 1 }],
      columns: ['P text', 'Q fixed'],
    });
    expect((await failure('CREATE TABLE C3 (Z) AS SELECT 1')).code).to.equal('002002');
  });

  it('takes quoted names, temporary and transient tables, WITH, VALUES and bracketed queries', async function () {
    await execute(alice.conn, `CREATE OR REPLACE TEMPORARY TABLE C4 (k, "Quoted") AS SELECT 1, 'q'`);
    expect((await readBack('SELECT * FROM C4')).rows).to.deep.equal([{ K: 1, Quoted: 'q' }]);
    await execute(alice.conn, 'CREATE OR REPLACE TRANSIENT TABLE C5 (k) AS (SELECT 7)');
    expect((await readBack('SELECT * FROM C5')).rows).to.deep.equal([{ K: 7 }]);
    await execute(
      alice.conn,
      'CREATE OR REPLACE TABLE C6 (k, l) AS WITH w AS (SELECT 1 AS a, 2 AS b) SELECT * FROM w',
    );
    expect((await readBack('SELECT * FROM C6')).rows).to.deep.equal([{ K: 1, L: 2 }]);
    await execute(alice.conn, "CREATE OR REPLACE TABLE C7 (k, l) AS SELECT * FROM VALUES (1, 'a'), (2, 'b')");
    expect((await readBack('SELECT * FROM C7 ORDER BY K')).rows).to.deep.equal([
      { K: 1, L: 'a' },
      { K: 2, L: 'b' },
    ]);
  });

  it('keeps column and table comments', async function () {
    await execute(
      alice.conn,
      "CREATE OR REPLACE TABLE C8 (k COMMENT 'key', l VARCHAR COMMENT 'ell') COMMENT = 'tbl' AS SELECT 1, 2",
    );
    const { rows } = await execute(alice.conn, 'SHOW COLUMNS IN TABLE C8');
    expect(rows.map((r) => [r.column_name, r.comment])).to.deep.equal([
      ['K', 'key'],
      ['L', 'ell'],
    ]);
    const tables = await execute(alice.conn, "SHOW TABLES LIKE 'C8'");
    expect(tables.rows.map((r) => r.comment)).to.deep.equal(['tbl']);
    expect((await readBack('SELECT * FROM C8')).rows).to.deep.equal([{ K: 1, L: '2' }]);
  });

  it('refuses a list of the wrong length and column options, naming what was wrong', async function () {
    expect(await failure('CREATE TABLE C9 (x, y) AS SELECT I FROM S')).to.deep.equal({
      code: '002141',
      message: 'SQL compilation error:\nCREATE TABLE … AS SELECT names 2 column(s) but the query returns 1',
    });
    expect((await failure('CREATE TABLE C9 (x) AS SELECT I, N FROM S')).message).to.include(
      'names 1 column(s) but the query returns 2',
    );
    expect(await failure('CREATE TABLE C9 (k NUMBER NOT NULL) AS SELECT 1')).to.deep.equal({
      code: '002040',
      message:
        "SQL compilation error:\nUnsupported feature 'column options of K in CREATE TABLE … AS SELECT'.",
    });
    expect((await failure('CREATE TABLE C9 (k) AS SELECT NOPE FROM S')).code).to.equal('000904');
    expect((await failure('SELECT * FROM C9')).code).to.equal('002003');
  });
});
