import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/client';
import type { E2eServer } from './helpers.js';
import { answer, connectHttp, startE2eServer, tabular, textOf } from './helpers.js';

/** Waits for a JSON log line of the daemon (its stderr) that `match` accepts. */
async function waitForLogLine(
  server: E2eServer,
  match: (line: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const found = server
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no such log line');
}

async function run(client: Client, sql: string): Promise<unknown> {
  return client.callTool({ name: 'execute_query', arguments: { sql } });
}

describe('e2e: read-only by default', function () {
  let server: E2eServer;
  let client: Client;

  before(async () => {
    server = await startE2eServer();
    client = (await connectHttp(server.base, 'e2e-readonly')).client;
  });
  after(async () => {
    await client.close();
    expect(await server.stop()).to.equal(0);
  });

  it('refuses DROP as a tool error that names the statement and the reason, and keeps the table', async () => {
    const result = await run(client, 'DROP TABLE SAMPLE_DB.HR.DEPARTMENTS');
    expect(answer(result).isError).to.equal(true);
    expect(textOf(result))
      .to.contain('DROP TABLE')
      .and.match(/read-only/i)
      .and.contain('--allow-ddl');
    const count = tabular(await run(client, 'SELECT COUNT(*) FROM SAMPLE_DB.HR.DEPARTMENTS'));
    expect(count.rows).to.deep.equal([[5]]);
  });

  it('logs a refused statement with tool, client, kind and keyword, never its text at info level', async () => {
    await run(client, "DELETE FROM SAMPLE_DB.HR.DEPARTMENTS WHERE NAME = 'hunter2-in-the-sql'");
    const line = await waitForLogLine(server, (l) => l.msg === 'statement refused' && l.keyword === 'DELETE');
    expect(line).to.include({ tool: 'execute_query', kind: 'dml', transport: 'http', statement: 1 });
    expect(line.client).to.be.a('string');
    expect(line.sqlSha256).to.match(/^[0-9a-f]{12}$/);
    expect(server.stderr()).to.not.include('hunter2-in-the-sql');
  });

  it('refuses INSERT and a write hidden after a comment and a string', async () => {
    const insert = await run(client, "INSERT INTO SAMPLE_DB.HR.DEPARTMENTS VALUES (9, 'Ops', 'Oslo')");
    expect(answer(insert).isError).to.equal(true);
    expect(textOf(insert)).to.contain('--allow-write');
    const hidden = await run(client, "SELECT ';DROP' /* ; */ AS X; DELETE FROM SAMPLE_DB.HR.DEPARTMENTS");
    expect(answer(hidden).isError).to.equal(true);
    const count = tabular(await run(client, 'SELECT COUNT(*) FROM SAMPLE_DB.HR.DEPARTMENTS'));
    expect(count.rows).to.deep.equal([[5]]);
  });

  it('advertises execute_query as read-only', async () => {
    const tool = (await client.listTools()).tools.find((t) => t.name === 'execute_query');
    expect(tool?.annotations?.readOnlyHint).to.equal(true);
  });
});

describe('e2e: --allow-write', function () {
  let server: E2eServer;
  let client: Client;

  before(async () => {
    server = await startE2eServer(['--allow-write']);
    client = (await connectHttp(server.base, 'e2e-write')).client;
  });
  after(async () => {
    await client.close();
    expect(await server.stop()).to.equal(0);
  });

  it('accepts INSERT but still refuses DDL without --allow-ddl', async () => {
    const insert = await run(client, "INSERT INTO SAMPLE_DB.HR.DEPARTMENTS VALUES (6, 'Ops', 'Oslo')");
    expect(answer(insert).isError, textOf(insert)).to.not.equal(true);
    const rows = tabular(
      await run(client, 'SELECT NAME FROM SAMPLE_DB.HR.DEPARTMENTS WHERE DEPARTMENT_ID = 6'),
    );
    expect(rows.rows).to.deep.equal([['Ops']]);
    const create = await run(client, 'CREATE TABLE SAMPLE_DB.HR.SCRATCH (ID INT)');
    expect(answer(create).isError).to.equal(true);
    expect(textOf(create)).to.contain('--allow-ddl');
  });
});

describe('e2e: --allow-write --allow-ddl', function () {
  let server: E2eServer;
  let client: Client;

  before(async () => {
    server = await startE2eServer(['--allow-write', '--allow-ddl']);
    client = (await connectHttp(server.base, 'e2e-ddl')).client;
  });
  after(async () => {
    await client.close();
    expect(await server.stop()).to.equal(0);
  });

  it('creates a scratch table, inserts into it and reads the rows back', async () => {
    const create = await run(client, 'CREATE TABLE SAMPLE_DB.HR.E2E_SCRATCH (ID INT, NOTE STRING)');
    expect(answer(create).isError, textOf(create)).to.not.equal(true);
    const insert = await run(client, "INSERT INTO SAMPLE_DB.HR.E2E_SCRATCH VALUES (1, 'one'), (2, 'two')");
    expect(answer(insert).isError, textOf(insert)).to.not.equal(true);
    const rows = tabular(await run(client, 'SELECT ID, NOTE FROM SAMPLE_DB.HR.E2E_SCRATCH ORDER BY ID'));
    expect(rows.rows).to.deep.equal([
      [1, 'one'],
      [2, 'two'],
    ]);
    const tool = (await client.listTools()).tools.find((t) => t.name === 'execute_query');
    expect(tool?.annotations?.readOnlyHint).to.equal(false);
    expect(tool?.annotations?.destructiveHint).to.equal(true);
  });
});
