/**
 * Through MCP: execute_query on the embedded emulator cannot read a host file, and says so (the
 * emulator's Snowflake-style error, or smcp's guard) without any of the file's content.
 */
import { expect } from 'chai';
import { hostFixture, type HostFixture } from '../emulator/host-statements.js';
import { connect, useEmulator, type Connected } from './harness.js';

describe('MCP execute_query on the emulator: no access to the host', function () {
  this.timeout(30_000);
  const emulator = useEmulator();
  let c: Connected;
  let files: HostFixture;

  before(async () => {
    files = hostFixture();
    c = await connect(emulator.path);
  });
  after(async () => {
    await c?.close();
    files?.remove();
  });

  it('refuses to read a file, with the Snowflake error and nothing of its content', async () => {
    for (const [sql, code] of [
      // smcp's SQL guard refuses a string where a table goes, and DuckDB's file functions.
      [`SELECT * FROM '${files.secretFile}'`, 'STATEMENT_REFUSED'],
      [`WITH T AS (SELECT 1 AS A) SELECT * FROM T, '${files.secretFile}'`, 'STATEMENT_REFUSED'],
      [`SELECT content FROM read_text('${files.secretFile}')`, 'STATEMENT_REFUSED'],
      // A quoted name that looks like a path is a valid Snowflake name, so it passes the guard:
      // the emulator answers as Snowflake would, an unknown table.
      [`SELECT * FROM "${files.secretFile}"`, 'NOT_FOUND'],
      [`SELECT * FROM IDENTIFIER('"${files.secretFile}"')`, 'NOT_FOUND'],
    ] as const) {
      const result = await c.client.callTool({ name: 'execute_query', arguments: { sql } });
      const text = (result.content as { text?: string }[])[0]?.text ?? '';
      expect(result.isError, sql).to.equal(true);
      expect(text, sql).to.match(new RegExp(`^${code}: `));
      expect(JSON.stringify(result), sql).to.not.include(files.secret);
    }
    expect(files.entries()).to.deep.equal(['secret.csv']);
  });
});
