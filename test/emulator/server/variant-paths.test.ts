/**
 * Snowflake's semi-structured paths through the real snowflake-sdk: every documented form
 * (`v:a.b`, `v:a[1]`, `v['key']`, `v:a:b`, `v['a']['b'][0]`, quoted keys, nesting) answers a
 * VARIANT, and a `::` cast after a path applies to the extracted value with the cast's type.
 */
import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

const DOC = `{"a": {"b": [7, {"c": "deep"}], "Mixed Key": {"x": 9}}, "A": 1, "s": "text", "n": null, "k": "3", "l": [10, 20, 30]}`;

describe('emulator semi-structured paths', function () {
  let emulator: RunningEmulator;
  let conn: Connection;

  before(async function () {
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
    await execute(conn, 'CREATE DATABASE PATHS_DB');
    await execute(conn, 'USE SCHEMA PATHS_DB.PUBLIC');
    await execute(conn, 'CREATE TABLE DOCS (V VARIANT)');
    await execute(conn, `INSERT INTO DOCS SELECT PARSE_JSON('${DOC}')`);
  });

  after(async function () {
    await destroy(conn);
    await emulator.close();
  });

  /** Each column of the first row: [value, driver type]. */
  async function typed(items: string): Promise<[unknown, string][]> {
    const { rows, statement } = await execute(conn, `SELECT ${items} FROM DOCS`);
    return (statement.getColumns() ?? []).map((c) => [rows[0]?.[c.getName()], c.getType()]);
  }

  it('follows dotted, colon, indexed and bracketed paths to a VARIANT', async function () {
    expect(
      await typed(
        "V:a.b AS P1, V:l[1] AS P2, V['s'] AS P3, V:a:b AS P4, V['a']['b'][0] AS P5, V:a.b[1].c AS P6, V:a['b'][1]['c'] AS P7, V['l'][2] AS P8",
      ),
    ).to.deep.equal([
      [[7, { c: 'deep' }], 'variant'],
      [20, 'variant'],
      ['text', 'variant'],
      [[7, { c: 'deep' }], 'variant'],
      [7, 'variant'],
      ['deep', 'variant'],
      ['deep', 'variant'],
      [30, 'variant'],
    ]);
  });

  it('keeps the case of keys and reads quoted keys with spaces', async function () {
    expect(
      await typed(
        'V:a AS LOWER_A, V:A AS UPPER_A, V:a."Mixed Key".x AS Q1, V:"a"."Mixed Key" AS Q2, V:missing AS M',
      ),
    ).to.deep.equal([
      [{ b: [7, { c: 'deep' }], 'Mixed Key': { x: 9 } }, 'variant'],
      [1, 'variant'],
      [9, 'variant'],
      [{ x: 9 }, 'variant'],
      [null, 'variant'],
    ]);
  });

  it('casts the extracted value, not the path, with the type of the cast', async function () {
    const { rows, statement } = await execute(
      conn,
      'SELECT V:a.b[1].c::STRING AS S, V:k::INT AS I, V:l[0]::NUMBER + 1 AS N, V:a."Mixed Key".x::FLOAT AS F, V:n::VARCHAR AS NUL, V:a.b[1]::STRING AS OBJ FROM DOCS',
    );
    expect((statement.getColumns() ?? []).map((c) => [c.getName(), c.getType()])).to.deep.equal([
      ['S', 'text'],
      ['I', 'fixed'],
      ['N', 'fixed'],
      ['F', 'real'],
      ['NUL', 'text'],
      ['OBJ', 'text'],
    ]);
    expect(rows).to.deep.equal([{ S: 'deep', I: 3, N: 11, F: 9, NUL: null, OBJ: '{"c":"deep"}' }]);
  });

  it('reads paths on expressions and in WHERE, compared with string literals as text', async function () {
    const { rows } = await execute(
      conn,
      `SELECT PARSE_JSON('{"a":{"b":2}}'):a.b::INT AS X, PARSE_JSON('[{"a":1},{"a":2}]')[1]:a AS Y FROM DOCS WHERE V:a.b[0]::INT = 7 AND V:s::STRING = 'text' AND V:s = 'text' AND V:a.b[1].c <> 'shallow'`,
    );
    expect(rows).to.deep.equal([{ X: 2, Y: 2 }]);
  });

  it('reads GET and GET_PATH as the same paths', async function () {
    expect(
      await typed(
        `GET(V, 'A') AS G1, GET(V:l, 2) AS G2, GET_PATH(V, 'a.b[1].c') AS G3, GET_PATH(V, 'a."Mixed Key".x') AS G4`,
      ),
    ).to.deep.equal([
      [1, 'variant'],
      [30, 'variant'],
      ['deep', 'variant'],
      [9, 'variant'],
    ]);
  });

  it('reads a path as text through CAST, TRY_CAST and TO_VARCHAR as through ::STRING', async function () {
    const { rows, statement } = await execute(
      conn,
      'SELECT CAST(V:s AS VARCHAR) AS C, TRY_CAST(V:n AS STRING) AS T, TO_VARCHAR(V:a.b[1].c) AS V2, CAST(V:l[0] AS VARCHAR(5)) AS L FROM DOCS',
    );
    expect((statement.getColumns() ?? []).map((c) => c.getType())).to.deep.equal([
      'text',
      'text',
      'text',
      'text',
    ]);
    expect(rows).to.deep.equal([{ C: 'text', T: null, V2: 'deep', L: '10' }]);
  });

  it('reads a bracket path cast to text as the string without JSON quotes, as a colon path', async function () {
    expect(
      await typed(
        "V['s']::STRING AS B1, V:s::STRING AS C1, V['a']['b'][1]['c']::VARCHAR AS B2, V['l'][0]::TEXT AS B3, V['n']::STRING AS B4, V['a']['b']::STRING AS B5",
      ),
    ).to.deep.equal([
      ['text', 'text'],
      ['text', 'text'],
      ['deep', 'text'],
      ['10', 'text'],
      [null, 'text'],
      ['[7,{"c":"deep"}]', 'text'],
    ]);
    expect(
      await typed(
        "CAST(V['s'] AS STRING) AS C, TRY_CAST(V['l'][1] AS VARCHAR) AS T, TO_VARCHAR(V['a']['b'][1]['c']) AS V2",
      ),
    ).to.deep.equal([
      ['text', 'text'],
      ['20', 'text'],
      ['deep', 'text'],
    ]);
  });
});
