/**
 * A daemon serving two connections: its embedded emulator and a second, separately started
 * emulator reached as a configured Snowflake account through connections.toml, with
 * per-connection settings from config.toml. Checked through a real MCP SDK client over HTTP, the
 * daemon's /status and /health, and `smcp call` over the admin socket.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../emulator/server/harness.js';
import { runSmcp } from '../helpers/cli.js';
import type { E2eServer } from './helpers.js';
import { connectionHomes, emulatorAccount } from './connection-homes.js';
import { connectHttp, startE2eServer } from './helpers.js';

describe('e2e: a daemon serving two connections', function () {
  this.timeout(90_000);
  let emulator: RunningEmulator;
  let dir: string;
  let server: E2eServer;

  before(async () => {
    emulator = await startTestEmulator();
    const homes = connectionHomes('smcp-connections-', emulatorAccount(emulator, 'dev'));
    dir = homes.dir;
    const { snowflakeHome, configHome } = homes;
    const config = homes.configFile;
    writeFileSync(config, '[connection_options.dev]\nallow_write = true\nallow_ddl = true\n');
    chmodSync(config, 0o600);
    server = await startE2eServer(['--connections', 'emulator,dev'], 60_000, {
      SNOWFLAKE_HOME: snowflakeHome,
      XDG_CONFIG_HOME: configHome,
    });
  });
  after(async () => {
    await server?.stop();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists both connections with their health in /status, /health and list_connections', async () => {
    const status = (await (await fetch(`${server.base}/status`)).json()) as {
      connections: { name: string; backend: string; healthy: boolean; allowWrite: boolean }[];
    };
    expect(status.connections.map((c) => [c.name, c.backend, c.healthy, c.allowWrite])).to.deep.equal([
      ['emulator', 'emulator', true, false],
      ['dev', 'snowflake', true, true],
    ]);
    const text = await runSmcp(['status'], server.home.env);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/\* emulator\s+emulator\s+healthy, read-only/);
    expect(text.stdout).to.match(/ {3}dev\s+snowflake\s+healthy, writes allowed, account /);
    const health = (await (await fetch(`${server.base}/health`)).json()) as {
      connections: Record<string, boolean>;
    };
    expect(health.connections).to.deep.equal({ emulator: true, dev: true });
    const { client } = await connectHttp(server.base, 'e2e-connections');
    try {
      const listed = await client.callTool({ name: 'list_connections', arguments: {} });
      const names = (listed.structuredContent as { connections: { name: string }[] }).connections.map(
        (c) => c.name,
      );
      expect(names).to.deep.equal(['emulator', 'dev']);
    } finally {
      await client.close();
    }
  });

  it('runs each call on the connection it names, writes only where allowed', async () => {
    const { client } = await connectHttp(server.base, 'e2e-connections');
    try {
      const run = async (args: Record<string, unknown>) => {
        const result = await client.callTool({ name: 'execute_query', arguments: args });
        return { result, text: (result.content as { text: string }[])[0]?.text ?? '' };
      };
      const refused = await run({ sql: 'CREATE DATABASE SCRATCH_DB' });
      expect(refused.text).to.match(/^STATEMENT_REFUSED: /);
      const created = await run({ sql: 'CREATE DATABASE SCRATCH_DB', connection: 'dev' });
      expect(created.result.isError, created.text).to.not.equal(true);
      const user = await run({ sql: 'SELECT CURRENT_USER()', connection: 'dev' });
      expect((user.result.structuredContent as { rows: unknown[][] }).rows).to.deep.equal([['ALICE']]);
    } finally {
      await client.close();
    }
    const call = await runSmcp(['call', 'list_databases', 'connection=dev', '--json'], server.home.env);
    expect(call.code, call.stderr).to.equal(0);
    const names = (JSON.parse(call.stdout) as { databases: { name: string }[] }).databases.map((d) => d.name);
    expect(names).to.include('SCRATCH_DB');
  });
});
