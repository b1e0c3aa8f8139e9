/**
 * `smcp reload` applying config.toml beyond the connections, through the real daemon: SQL tools
 * added, changed and removed while one real MCP SDK client keeps its session open (the listing,
 * GET /mcp/tools and `smcp call` follow; the session is told), a bad definition changing nothing,
 * a new max_rows for new calls with a setting that waits for a restart named, and the endpoint
 * file naming the new default connection so `smcp stdio --connection <it>` relays to the daemon.
 */
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { expect } from 'chai';
import type { ReloadAnswer } from '../../src/admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../src/config/paths.js';
import { runSmcp, SMCP_BIN, waitFor } from '../helpers/cli.js';
import { emulatorAccount } from './connection-homes.js';
import { tabular } from './helpers.js';
import type { ReloadSession } from './reload-session.js';
import { openReloadSession } from './reload-session.js';

/** A SQL tool saying back a word; `extra` adds TOML lines to its section. */
const ECHO = `[sql_tools.echo_word]
description = "Says a word back"
sql = "SELECT :word AS WORD"
[sql_tools.echo_word.parameters.word]
type = "string"
`;

/** The same tool changed: another statement and a second parameter with a default. */
const ECHO_CHANGED = `[sql_tools.echo_word]
description = "Says a word back, louder"
sql = "SELECT UPPER(:word) || :mark AS WORD"
[sql_tools.echo_word.parameters.word]
type = "string"
[sql_tools.echo_word.parameters.mark]
type = "string"
default = "!"
`;

const ANSWER = `[sql_tools.the_answer]
description = "The answer"
sql = "SELECT 42 AS ANSWER"
`;

const FOUR_ROWS = 'SELECT * FROM (VALUES (1), (2), (3), (4)) AS t(n)';

describe('e2e: smcp reload applies SQL tools and settings of config.toml', function () {
  this.timeout(120_000);
  let s: ReloadSession;

  const toolNames = async (): Promise<string[]> => (await s.client.listTools()).tools.map((t) => t.name);
  const apiToolNames = async (): Promise<string[]> =>
    ((await (await fetch(`${s.server.base}/mcp/tools`)).json()) as { tools: { name: string }[] }).tools.map(
      (t) => t.name,
    );
  const endpointConnection = (): string =>
    (JSON.parse(readFileSync(daemonFiles(resolvePaths(s.env)).endpoint, 'utf8')) as { connection: string })
      .connection;

  before(async () => {
    s = await openReloadSession(
      'smcp-sql-reload-',
      (emulator) => emulatorAccount(emulator, 'dev'),
      `connection = "emulator"\n${ANSWER}`,
      'e2e-sql-reload',
    );
  });
  after(async () => {
    await s?.close();
  });

  it('adds a SQL tool: listed and callable over MCP, GET /mcp/tools and smcp call; the session is told', async () => {
    expect(await toolNames())
      .to.include('the_answer')
      .and.not.include('echo_word');
    s.writeConfig(`connection = "emulator"\n${ANSWER}${ECHO}`);
    const run = await s.reload();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('smcp reloaded: still serving the embedded emulator');
    expect(run.stdout).to.include('SQL tools: added echo_word');
    expect(run.stdout).to.include('tool listing changed');
    await waitFor(() => s.listChanged() >= 1);
    expect(await toolNames()).to.include.members(['the_answer', 'echo_word']);
    expect(await apiToolNames()).to.include('echo_word');
    const said = tabular(await s.client.callTool({ name: 'echo_word', arguments: { word: 'hello' } }));
    expect(said.rows).to.deep.equal([['hello']]);
    const cli = await runSmcp(['call', 'echo_word', 'word=cli', '--json'], s.env);
    expect(cli.code, cli.stderr).to.equal(0);
    expect((JSON.parse(cli.stdout) as { rows: unknown[][] }).rows).to.deep.equal([['cli']]);
    expect(s.transport.sessionId).to.equal(s.sessionId);
  });

  it('serves a changed SQL tool with its new statement and parameters', async () => {
    const before = s.listChanged();
    s.writeConfig(`connection = "emulator"\n${ANSWER}${ECHO_CHANGED}`);
    const run = await s.reload(true);
    expect(run.code, run.stderr).to.equal(0);
    const outcome = JSON.parse(run.stdout) as ReloadAnswer;
    expect(outcome.sqlTools).to.deep.equal({ added: [], removed: [], changed: ['echo_word'] });
    expect(outcome.toolsChanged).to.equal(true);
    expect(outcome.connections.map((c) => c.change)).to.deep.equal(['unchanged']);
    await waitFor(() => s.listChanged() > before);
    const tool = (await s.client.listTools()).tools.find((t) => t.name === 'echo_word');
    expect(tool?.description).to.equal('Says a word back, louder');
    expect(Object.keys((tool?.inputSchema as { properties: object }).properties)).to.include('mark');
    const said = tabular(await s.client.callTool({ name: 'echo_word', arguments: { word: 'hello' } }));
    expect(said.rows).to.deep.equal([['HELLO!']]);
    const marked = tabular(
      await s.client.callTool({ name: 'echo_word', arguments: { word: 'hi', mark: '?' } }),
    );
    expect(marked.rows).to.deep.equal([['HI?']]);
  });

  it('removes a SQL tool: gone from every listing, a call naming it gets the unknown-tool error', async () => {
    const before = s.listChanged();
    s.writeConfig(`connection = "emulator"\n${ANSWER}`);
    const run = await s.reload();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('SQL tools: removed echo_word');
    await waitFor(() => s.listChanged() > before);
    expect(await toolNames())
      .to.include('the_answer')
      .and.not.include('echo_word');
    expect(await apiToolNames()).to.not.include('echo_word');
    // The catalogue's unknown-tool error, as a JSON-RPC error like any unknown tool's.
    const refused = await s.client.callTool({ name: 'echo_word', arguments: { word: 'x' } }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(refused?.message).to.match(/NOT_FOUND: unknown tool "echo_word".*; tools: .*the_answer/);
    const cli = await runSmcp(['call', 'echo_word', 'word=x'], s.env);
    expect(cli.code).to.equal(2);
    expect(cli.stderr).to.include('unknown tool "echo_word"');
    expect(s.transport.sessionId).to.equal(s.sessionId);
  });

  it('refuses a bad SQL tool with one line naming the file, tool and field, changing nothing', async () => {
    const before = s.listChanged();
    const badType = `connection = "emulator"\nmax_rows = 2\n${ANSWER}${ECHO}[sql_tools.broken]\ndescription = "d"\nsql = "SELECT 1"\nmax_rows = "lots"\n`;
    s.writeConfig(badType);
    const typed = await s.reload();
    expect(typed.code).to.equal(2);
    expect(typed.stderr.trim().split('\n')).to.have.length(1);
    expect(typed.stderr).to.match(/config\.toml sql_tools\.broken\.max_rows: /);
    const badSql = `connection = "emulator"\n${ANSWER}${ECHO}[sql_tools.broken]\ndescription = "d"\nsql = "SELECT :nothing"\n`;
    s.writeConfig(badSql);
    const unbound = await s.reload();
    expect(unbound.code).to.equal(2);
    expect(unbound.stderr).to.match(
      /config\.toml sql_tools\.broken\.sql: placeholder :nothing names no parameter/,
    );
    const elsewhere = `connection = "emulator"\n${ANSWER}[sql_tools.remote]\ndescription = "d"\nsql = "SELECT 1"\nconnection = "dev"\n`;
    s.writeConfig(elsewhere);
    const unserved = await s.reload();
    expect(unserved.code).to.equal(2);
    expect(unserved.stderr).to.match(/config\.toml sql_tools\.remote\.connection: no connection "dev"/);
    // Nothing of those files was applied: the same tools, the old max_rows, no announcement.
    expect(await toolNames())
      .to.include('the_answer')
      .and.not.include.members(['echo_word', 'broken']);
    const rows = tabular(await s.client.callTool({ name: 'execute_query', arguments: { sql: FOUR_ROWS } }));
    expect(rows.rows).to.have.length(4);
    expect(s.listChanged()).to.equal(before);
  });

  it('applies a new max_rows to new calls and names a setting that waits for a restart', async () => {
    s.writeConfig(`connection = "emulator"\nmax_rows = 2\nmax_requests_per_session = 4\n${ANSWER}`);
    const run = await s.reload(true);
    expect(run.code, run.stderr).to.equal(0);
    const outcome = JSON.parse(run.stdout) as ReloadAnswer;
    expect(outcome.settings).to.deep.equal(['max_rows']);
    expect(outcome.needsRestart).to.deep.equal(['max_requests_per_session']);
    expect(outcome.changed).to.equal(true);
    const rows = tabular(await s.client.callTool({ name: 'execute_query', arguments: { sql: FOUR_ROWS } }));
    expect(rows.rows).to.have.length(2);
    expect(rows.truncated).to.equal(true);
    // Said again in words, and not reported as applied a second time.
    const again = await s.reload();
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include('needs restart: max_requests_per_session');
    expect(again.stdout).to.not.include('settings applied');
    expect(s.transport.sessionId).to.equal(s.sessionId);
  });

  it('names the new default connection in the endpoint file, so smcp stdio --connection <it> relays', async () => {
    expect(endpointConnection()).to.equal('emulator');
    s.writeConfig(`connection = "dev"\nmax_rows = 2\nmax_requests_per_session = 4\n${ANSWER}`);
    const run = await s.reload(true);
    expect(run.code, run.stderr).to.equal(0);
    expect((JSON.parse(run.stdout) as ReloadAnswer).connection).to.equal('dev');
    expect(endpointConnection()).to.equal('dev');
    const bridged = new StdioClientTransport({
      command: process.execPath,
      args: [SMCP_BIN, 'stdio', '--connection', 'dev', '--log-level', 'info'],
      env: s.env as Record<string, string>,
      stderr: 'pipe',
    });
    let stderr = '';
    bridged.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const stdio = new Client({ name: 'e2e-sql-reload-stdio', version: '1' });
    try {
      await stdio.connect(bridged);
      const user = tabular(
        await stdio.callTool({ name: 'execute_query', arguments: { sql: 'SELECT CURRENT_USER()' } }),
      );
      expect(user.rows).to.deep.equal([['ALICE']]);
      expect(stderr).to.include('relaying to the smcp daemon');
    } finally {
      await stdio.close();
    }
    expect(s.transport.sessionId).to.equal(s.sessionId);
  });
});
