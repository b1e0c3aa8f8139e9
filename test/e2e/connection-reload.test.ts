/**
 * `smcp reload` on a daemon serving several connections: its embedded emulator and a separately
 * started emulator reached as configured Snowflake accounts through connections.toml, the list in
 * config.toml. One real MCP SDK client keeps one session open across every reload: a connection
 * added, one whose options changed, one removed while a call runs on it, a bad configuration (no
 * change at all), and one that cannot connect (served, unhealthy, the others serve on).
 */
import { expect } from 'chai';
import type { ReloadAnswer } from '../../src/admin/protocol.js';
import { runSmcp, waitFor } from '../helpers/cli.js';
import { emulatorAccount } from './connection-homes.js';
import { answer, tabular, textOf } from './helpers.js';
import type { ReloadSession } from './reload-session.js';
import { openReloadSession } from './reload-session.js';

interface Listed {
  connections: { name: string; healthy: boolean; allowWrite: boolean; default: boolean }[];
}

describe('e2e: smcp reload with several connections', function () {
  this.timeout(120_000);
  let s: ReloadSession;

  const listed = async (): Promise<Listed['connections']> =>
    (
      answer(await s.client.callTool({ name: 'list_connections', arguments: {} }))
        .structuredContent as unknown as Listed
    ).connections;
  const health = async (): Promise<Record<string, boolean>> =>
    ((await (await fetch(`${s.server.base}/health`)).json()) as { connections: Record<string, boolean> })
      .connections;

  before(async () => {
    // Port 1 on loopback: nothing listens there, so `broken` cannot connect.
    s = await openReloadSession(
      'smcp-reload-',
      (emulator) =>
        emulatorAccount(emulator, 'dev') +
        emulatorAccount(emulator, 'stage') +
        emulatorAccount(emulator, 'broken', 1),
      'connections = ["emulator", "dev"]\n',
      'e2e-reload',
    );
  });
  after(async () => {
    await s?.close();
  });

  it('adds a connection: health checked, listed, callable, tools listed anew, same session', async () => {
    s.writeConfig('connections = ["emulator", "dev", "stage"]\n');
    const run = await s.reload();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('smcp reloaded: 1 added, 2 unchanged');
    expect(run.stdout).to.match(/ {3}stage\s+added, healthy/);
    expect(run.stdout).to.match(/\* emulator\s+unchanged, healthy/);
    expect((await listed()).map((c) => c.name)).to.deep.equal(['emulator', 'dev', 'stage']);
    expect(await health()).to.deep.equal({ emulator: true, dev: true, stage: true });
    const user = tabular(
      await s.client.callTool({
        name: 'execute_query',
        arguments: { sql: 'SELECT CURRENT_USER()', connection: 'stage' },
      }),
    );
    expect(user.rows).to.deep.equal([['ALICE']]);
    const tools = await s.client.listTools();
    const schema = tools.tools.find((t) => t.name === 'execute_query')!.inputSchema as unknown as {
      properties: { connection: { enum: string[] } };
    };
    expect(schema.properties.connection.enum).to.deep.equal(['emulator', 'dev', 'stage']);
    await waitFor(() => s.listChanged() >= 1);
    const status = await runSmcp(['status'], s.server.home.env);
    expect(status.stdout).to.match(/ {3}stage\s+snowflake\s+healthy, read-only/);
  });

  it('gives a connection whose options changed its new settings, leaving the others untouched', async () => {
    s.writeConfig(
      'connections = ["emulator", "dev", "stage"]\n[connection_options.dev]\nmax_rows = 2\nallow_write = true\n',
    );
    const run = await s.reload(true);
    expect(run.code, run.stderr).to.equal(0);
    const changes = (JSON.parse(run.stdout) as ReloadAnswer).connections.map((c) => [c.name, c.change]);
    expect(changes).to.deep.equal([
      ['emulator', 'unchanged'],
      ['dev', 'changed'],
      ['stage', 'unchanged'],
    ]);
    const sql = 'SELECT * FROM (VALUES (1), (2), (3), (4)) AS t(n)';
    const dev = tabular(
      await s.client.callTool({ name: 'execute_query', arguments: { sql, connection: 'dev' } }),
    );
    expect(dev.rows).to.have.length(2);
    expect(dev.truncated).to.equal(true);
    const stage = tabular(
      await s.client.callTool({ name: 'execute_query', arguments: { sql, connection: 'stage' } }),
    );
    expect(stage.rows).to.have.length(4);
    expect((await listed()).find((c) => c.name === 'dev')?.allowWrite).to.equal(true);
  });

  it('removes a connection: its running call finishes, new calls get an unknown-connection error', async () => {
    const running = s.client.callTool({
      name: 'execute_query',
      arguments: { sql: 'SELECT SYSTEM$WAIT(5) AS W', connection: 'stage' },
    });
    await waitFor(async () => {
      const status = await runSmcp(['status', '--json'], s.server.home.env);
      return (JSON.parse(status.stdout) as { inFlight: unknown[] }).inFlight.length > 0;
    });
    s.writeConfig(
      'connections = ["emulator", "dev"]\n[connection_options.dev]\nmax_rows = 2\nallow_write = true\n',
    );
    const run = await s.reload();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/ {3}stage\s+removed/);
    const finished = await running;
    expect(answer(finished).isError, textOf(finished)).to.not.equal(true);
    const refused = await s.client.callTool({ name: 'list_databases', arguments: { connection: 'stage' } });
    expect(answer(refused).isError).to.equal(true);
    expect(textOf(refused)).to.match(/^CONNECTION_UNKNOWN: connection: no connection "stage" is served/);
    const cli = await runSmcp(['call', 'list_databases', 'connection=stage'], s.server.home.env);
    expect(cli.code).to.equal(1);
    expect(cli.stderr).to.include('CONNECTION_UNKNOWN: connection: no connection "stage" is served');
    expect(await health()).to.deep.equal({ emulator: true, dev: true });
  });

  it('refuses a bad configuration with one message, changing nothing', async () => {
    s.writeConfig('connections = ["emulator", "dev", "nosuch"]\n');
    const unknown = await s.reload();
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/connection "nosuch" \(from \S*config\.toml connections\)/);
    expect(unknown.stderr).to.include('[CONNECTION_UNKNOWN]');
    s.writeConfig('connections = ["emulator", "dev"]\n[connection_options.dev]\nmax_rows = "lots"\n');
    const invalid = await s.reload();
    expect(invalid.code).to.equal(2);
    expect(invalid.stderr).to.match(/config\.toml.*connection_options\.dev\.max_rows/);
    s.writeConfig('connections = ["emulator", "dev"\n');
    const broken = await s.reload();
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.include('config.toml');
    expect(broken.stderr.trim().split('\n')).to.have.length(1);
    // The last good set serves on, under its settings.
    expect((await listed()).map((c) => [c.name, c.allowWrite])).to.deep.equal([
      ['emulator', false],
      ['dev', true],
    ]);
    const sql = 'SELECT * FROM (VALUES (1), (2), (3)) AS t(n)';
    const dev = tabular(
      await s.client.callTool({ name: 'execute_query', arguments: { sql, connection: 'dev' } }),
    );
    expect(dev.rows).to.have.length(2);
  });

  it('serves a connection that cannot connect as unhealthy while the others serve', async () => {
    s.writeConfig('connections = ["emulator", "dev", "broken"]\n');
    const run = await s.reload();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/ {3}broken\s+added, unhealthy/);
    expect(await health()).to.deep.equal({ emulator: true, dev: true, broken: false });
    const failed = await s.client.callTool({ name: 'list_databases', arguments: { connection: 'broken' } });
    expect(answer(failed).isError).to.equal(true);
    const served = await s.client.callTool({ name: 'list_databases', arguments: { connection: 'dev' } });
    expect(answer(served).isError, textOf(served)).to.not.equal(true);
    const ready = await fetch(`${s.server.base}/readyz`);
    expect(ready.status).to.equal(200);
  });

  it('makes another connection the default, still on the same session', async () => {
    s.writeConfig('connections = ["dev", "emulator"]\n');
    const run = await s.reload(true);
    expect(run.code, run.stderr).to.equal(0);
    const outcome = JSON.parse(run.stdout) as ReloadAnswer;
    expect(outcome.connection).to.equal('dev');
    expect(outcome.connections.map((c) => [c.name, c.change, c.default])).to.deep.equal([
      ['dev', 'unchanged', true],
      ['emulator', 'unchanged', false],
      ['broken', 'removed', false],
    ]);
    const user = tabular(
      await s.client.callTool({ name: 'execute_query', arguments: { sql: 'SELECT CURRENT_USER()' } }),
    );
    expect(user.rows).to.deep.equal([['ALICE']]);
    expect((await listed()).map((c) => [c.name, c.default])).to.deep.equal([
      ['dev', true],
      ['emulator', false],
    ]);
    expect(s.transport.sessionId).to.equal(s.sessionId);
  });
});
