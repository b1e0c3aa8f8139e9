/**
 * PARSE_JSON as lenient as Snowflake's, through the real snowflake-sdk.
 */
import { expect } from 'chai';
import { execute } from './driver.js';
import { useAliceConnection } from './alice.js';

describe('emulator PARSE_JSON', function () {
  const alice = useAliceConnection();

  it('reads unquoted keys, single quotes, undefined and infinities', async function () {
    const { rows } = await execute(
      alice.conn,
      "SELECT PARSE_JSON('{a : 1 , b :[1 , 2 , -Infinity, undefined], c : {''d'' : ''x''}}') AS V",
    );
    const v = rows[0]?.V as { a: number; b: unknown[]; c: { d: string } };
    expect(v.a).to.equal(1);
    expect(v.b).to.deep.equal([1, 2, -Infinity, null]);
    expect(v.c).to.deep.equal({ d: 'x' });
  });

  it('takes valid JSON as it is, string contents included', async function () {
    const { rows } = await execute(
      alice.conn,
      `SELECT PARSE_JSON('{"k": "a, b: undefined"}'):k::STRING AS S`,
    );
    expect(rows).to.deep.equal([{ S: 'a, b: undefined' }]);
  });

  it('fails text that is not JSON even leniently with 100069, and TRY_PARSE_JSON answers NULL', async function () {
    const err = await execute(alice.conn, "SELECT PARSE_JSON('{a: }')").then(
      () => null,
      (e: { code?: string }) => e.code,
    );
    expect(err).to.equal('100069');
    const { rows } = await execute(alice.conn, "SELECT TRY_PARSE_JSON('{a: }') AS V");
    expect(rows).to.deep.equal([{ V: null }]);
  });
});
