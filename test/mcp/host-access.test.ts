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
      // Past smcp's SQL guard (a plain SELECT): the emulator refuses it as Snowflake would.
      [`SELECT * FROM '${files.secretFile}'`, 'SQL_SYNTAX'],
      [`WITH T AS (SELECT 1 AS A) SELECT * FROM T, '${files.secretFile}'`, 'SQL_SYNTAX'],
      // The guard itself already refuses DuckDB's file functions.
      [`SELECT content FROM read_text('${files.secretFile}')`, 'STATEMENT_REFUSED'],
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
