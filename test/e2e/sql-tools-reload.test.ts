/**
 * `smcp reload` applying config.toml beyond the connections, through the real daemon: SQL tools
 * added, changed and removed while one real MCP SDK client keeps its session open (the listing,
 * GET /mcp/tools and `smcp call` follow; the session is told), a bad definition changing nothing,
 * a new max_rows for new calls with a setting that waits for a restart named, and the endpoint
 * file naming the new default connection so `smcp stdio --connection <it>` relays to the daemon.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { expect } from 'chai';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ReloadAnswer } from '../../src/admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../src/config/paths.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../emulator/server/harness.js';
import { runSmcp, SMCP_BIN, waitFor } from '../helpers/cli.js';
import { connectionHomes, emulatorAccount } from './connection-homes.js';
import type { E2eServer } from './helpers.js';
import { connectHttp, startE2eServer, tabular } from './helpers.js';

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
  let emulator: RunningEmulator;
  let dir: string;
  let configFile: string;
  let env: NodeJS.ProcessEnv;
  let server: E2eServer;
  let client: Client;
  let transport: StreamableHTTPClientTransport;
  let sessionId: string | undefined;
  let listChanged = 0;

  const writeConfig = (text: string): void => writeFileSync(configFile, text, { mode: 0o600 });
  const reload = (json = false) => runSmcp(['reload', ...(json ? ['--json'] : [])], env, 60_000);
  const toolNames = async (): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name);
  const apiToolNames = async (): Promise<string[]> =>
    ((await (await fetch(`${server.base}/mcp/tools`)).json()) as { tools: { name: string }[] }).tools.map(
      (t) => t.name,
    );
  const endpointConnection = (): string =>
    (JSON.parse(readFileSync(daemonFiles(resolvePaths(env)).endpoint, 'utf8')) as { connection: string })
      .connection;

  before(async () => {
    emulator = await startTestEmulator();
    const homes = connectionHomes('smcp-sql-reload-', emulatorAccount(emulator, 'dev'));
    ({ dir, configFile } = homes);
    const extra = { SNOWFLAKE_HOME: homes.snowflakeHome, XDG_CONFIG_HOME: homes.configHome };
    writeConfig(`connection = "emulator"\n${ANSWER}`);
    server = await startE2eServer([], 60_000, extra);
    env = { ...server.home.env, ...extra };
    const connected = await connectHttp(server.base, 'e2e-sql-reload');
    client = connected.client;
    transport = connected.transport;
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      listChanged++;
    });
    sessionId = transport.sessionId;
    expect(sessionId).to.be.a('string');
  });
  after(async () => {
    await client?.close();
    await server?.stop();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a SQL tool: listed and callable over MCP, GET /mcp/tools and smcp call; the session is told', async () => {
    expect(await toolNames())
      .to.include('the_answer')
      .and.not.include('echo_word');
    writeConfig(`connection = "emulator"\n${ANSWER}${ECHO}`);
    const run = await reload();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('smcp reloaded: still serving the embedded emulator');
    expect(run.stdout).to.include('SQL tools: added echo_word');
    expect(run.stdout).to.include('tool listing changed');
    await waitFor(() => listChanged >= 1);
    expect(await toolNames()).to.include.members(['the_answer', 'echo_word']);
    expect(await apiToolNames()).to.include('echo_word');
    const said = tabular(await client.callTool({ name: 'echo_word', arguments: { word: 'hello' } }));
    expect(said.rows).to.deep.equal([['hello']]);
    const cli = await runSmcp(['call', 'echo_word', 'word=cli', '--json'], env);
    expect(cli.code, cli.stderr).to.equal(0);
    expect((JSON.parse(cli.stdout) as { rows: unknown[][] }).rows).to.deep.equal([['cli']]);
    expect(transport.sessionId).to.equal(sessionId);
  });

  it('serves a changed SQL tool with its new statement and parameters', async () => {
    const before = listChanged;
    writeConfig(`connection = "emulator"\n${ANSWER}${ECHO_CHANGED}`);
    const run = await reload(true);
    expect(run.code, run.stderr).to.equal(0);
    const outcome = JSON.parse(run.stdout) as ReloadAnswer;
    expect(outcome.sqlTools).to.deep.equal({ added: [], removed: [], changed: ['echo_word'] });
    expect(outcome.toolsChanged).to.equal(true);
    expect(outcome.connections.map((c) => c.change)).to.deep.equal(['unchanged']);
    await waitFor(() => listChanged > before);
    const tool = (await client.listTools()).tools.find((t) => t.name === 'echo_word');
    expect(tool?.description).to.equal('Says a word back, louder');
    expect(Object.keys((tool?.inputSchema as { properties: object }).properties)).to.include('mark');
    const said = tabular(await client.callTool({ name: 'echo_word', arguments: { word: 'hello' } }));
    expect(said.rows).to.deep.equal([['HELLO!']]);
    const marked = tabular(
      await client.callTool({ name: 'echo_word', arguments: { word: 'hi', mark: '?' } }),
    );
    expect(marked.rows).to.deep.equal([['HI?']]);
  });

  it('removes a SQL tool: gone from every listing, a call naming it gets the unknown-tool error', async () => {
    const before = listChanged;
    writeConfig(`connection = "emulator"\n${ANSWER}`);
    const run = await reload();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('SQL tools: removed echo_word');
    await waitFor(() => listChanged > before);
    expect(await toolNames())
      .to.include('the_answer')
      .and.not.include('echo_word');
    expect(await apiToolNames()).to.not.include('echo_word');
    // The catalogue's unknown-tool error, as a JSON-RPC error like any unknown tool's.
    const refused = await client.callTool({ name: 'echo_word', arguments: { word: 'x' } }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(refused?.message).to.match(/NOT_FOUND: unknown tool "echo_word".*; tools: .*the_answer/);
    const cli = await runSmcp(['call', 'echo_word', 'word=x'], env);
    expect(cli.code).to.equal(2);
    expect(cli.stderr).to.include('unknown tool "echo_word"');
    expect(transport.sessionId).to.equal(sessionId);
  });

  it('refuses a bad SQL tool with one line naming the file, tool and field, changing nothing', async () => {
    const before = listChanged;
    const badType = `connection = "emulator"\nmax_rows = 2\n${ANSWER}${ECHO}[sql_tools.broken]\ndescription = "d"\nsql = "SELECT 1"\nmax_rows = "lots"\n`;
    writeConfig(badType);
    const typed = await reload();
    expect(typed.code).to.equal(2);
    expect(typed.stderr.trim().split('\n')).to.have.length(1);
    expect(typed.stderr).to.match(/config\.toml sql_tools\.broken\.max_rows: /);
    const badSql = `connection = "emulator"\n${ANSWER}${ECHO}[sql_tools.broken]\ndescription = "d"\nsql = "SELECT :nothing"\n`;
    writeConfig(badSql);
    const unbound = await reload();
    expect(unbound.code).to.equal(2);
    expect(unbound.stderr).to.match(
      /config\.toml sql_tools\.broken\.sql: placeholder :nothing names no parameter/,
    );
    const elsewhere = `connection = "emulator"\n${ANSWER}[sql_tools.remote]\ndescription = "d"\nsql = "SELECT 1"\nconnection = "dev"\n`;
    writeConfig(elsewhere);
    const unserved = await reload();
    expect(unserved.code).to.equal(2);
    expect(unserved.stderr).to.match(/config\.toml sql_tools\.remote\.connection: no connection "dev"/);
    // Nothing of those files was applied: the same tools, the old max_rows, no announcement.
    expect(await toolNames())
      .to.include('the_answer')
      .and.not.include.members(['echo_word', 'broken']);
    const rows = tabular(await client.callTool({ name: 'execute_query', arguments: { sql: FOUR_ROWS } }));
    expect(rows.rows).to.have.length(4);
    expect(listChanged).to.equal(before);
  });

  it('applies a new max_rows to new calls and names a setting that waits for a restart', async () => {
    writeConfig(`connection = "emulator"\nmax_rows = 2\nmax_requests_per_session = 4\n${ANSWER}`);
    const run = await reload(true);
    expect(run.code, run.stderr).to.equal(0);
    const outcome = JSON.parse(run.stdout) as ReloadAnswer;
    expect(outcome.settings).to.deep.equal(['max_rows']);
    expect(outcome.needsRestart).to.deep.equal(['max_requests_per_session']);
    expect(outcome.changed).to.equal(true);
    const rows = tabular(await client.callTool({ name: 'execute_query', arguments: { sql: FOUR_ROWS } }));
    expect(rows.rows).to.have.length(2);
    expect(rows.truncated).to.equal(true);
    // Said again in words, and not reported as applied a second time.
    const again = await reload();
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include('needs restart: max_requests_per_session');
    expect(again.stdout).to.not.include('settings applied');
    expect(transport.sessionId).to.equal(sessionId);
  });

  it('names the new default connection in the endpoint file, so smcp stdio --connection <it> relays', async () => {
    expect(endpointConnection()).to.equal('emulator');
    writeConfig(`connection = "dev"\nmax_rows = 2\nmax_requests_per_session = 4\n${ANSWER}`);
    const run = await reload(true);
    expect(run.code, run.stderr).to.equal(0);
    expect((JSON.parse(run.stdout) as ReloadAnswer).connection).to.equal('dev');
    expect(endpointConnection()).to.equal('dev');
    const bridged = new StdioClientTransport({
      command: process.execPath,
      args: [SMCP_BIN, 'stdio', '--connection', 'dev', '--log-level', 'info'],
      env: env as Record<string, string>,
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
    expect(transport.sessionId).to.equal(sessionId);
  });
});
