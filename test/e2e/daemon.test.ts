/**
 * The daemon end to end through the real CLI in an isolated home: background start, status, calls
 * through the admin socket, drain, stop, restart, reload, crash recovery and concurrent starts.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { DaemonStatus, DrainOutcome } from '../../src/admin/protocol.js';
import { pidAlive, runSmcp, startSmcp, stopChild, waitFor } from '../helpers/cli.js';
import { answer, connectHttp, textOf } from './helpers.js';
import { daemonHome } from './daemon-home.js';
import type { DaemonHome } from './daemon-home.js';

async function startDaemon(d: DaemonHome, extra: string[] = []): Promise<DaemonStatus> {
  const run = await d.smcp(['start', '--port', '0', ...extra], 30_000);
  expect(run.code, run.stderr).to.equal(0);
  expect(run.stdout).to.match(/smcp started \(pid \d+\)/);
  return d.status();
}

describe('smcp daemon (e2e)', function () {
  this.timeout(60_000);
  let d: DaemonHome;

  beforeEach(() => {
    d = daemonHome();
  });
  afterEach(async () => {
    await d.cleanup();
  });

  it('starts in the background, reports status, serves calls through the admin socket, and stops', async () => {
    const started = await d.smcp(['start', '--port', '0'], 30_000);
    expect(started.code, started.stderr).to.equal(0);
    expect(started.stdout).to.match(/MCP: {2}http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(started.stdout).to.include(
      '  data: embedded Snowflake emulator with SAMPLE DATA (no Snowflake account is configured; use --connection to serve your account)\n',
    );

    const status = await d.status();
    expect(status.state).to.equal('serving');
    expect(status.backend).to.equal('emulator');
    expect(status.sampleData).to.equal(true);
    expect(status.emulatorReason).to.deep.equal({ requested: false, origin: 'no Snowflake settings exist' });
    const httpStatus = (await (await fetch(status.endpoints.mcp.replace(/\/mcp$/, '/status'))).json()) as {
      sampleData?: boolean;
    };
    expect(httpStatus.sampleData).to.equal(true);
    expect(status.endpoints.mcp).to.match(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(pidAlive(status.pid)).to.equal(true);
    expect(statSync(d.files.socket).mode & 0o777).to.equal(0o600);
    expect(statSync(d.files.pidfile.replace(/\/[^/]+$/, '')).mode & 0o777).to.equal(0o700);

    const readable = await d.smcp(['status']);
    expect(readable.code).to.equal(0);
    expect(readable.stdout).to.match(/smcp is running \(pid \d+/);
    expect(readable.stdout).to.include(
      '  data:      embedded Snowflake emulator with SAMPLE DATA (no Snowflake account',
    );
    expect(readable.stdout).to.match(/memory: {4}\d+ MiB resident \(JS heap \d+ MiB of \d+ MiB/);

    const call = await d.smcp(['call', 'list_databases', '--verbose']);
    expect(call.code, call.stderr).to.equal(0);
    expect(call.stderr).to.include(`through the daemon (pid ${status.pid}`);
    expect(JSON.parse(call.stdout)).to.have.nested.property('databases[0].name');

    const tools = await d.smcp(['tools', '--json']);
    expect((JSON.parse(tools.stdout) as { name: string }[]).map((t) => t.name)).to.include('execute_query');

    const after = await d.status();
    expect(after.requestsCompleted).to.be.greaterThan(0);
    // Memory as the kernel and V8 count it, and what the embedded emulator holds for fetches.
    expect(after.memory.rssBytes).to.be.greaterThan(after.memory.heapUsedBytes);
    expect(after.memory.heapUsedBytes).to.be.greaterThan(0);
    expect(after.emulator?.heldResults).to.be.greaterThan(0);
    expect(after.emulator?.resultMemoryBytes).to.be.greaterThan(0);

    const stop = await d.smcp(['stop']);
    expect(stop.code, stop.stderr).to.equal(0);
    expect(stop.stdout).to.include(`smcp stopped (pid ${status.pid})`);
    expect(pidAlive(status.pid)).to.equal(false);
    expect(existsSync(d.files.pidfile), readFileSync(d.files.logFile, 'utf8')).to.equal(false);
    expect(existsSync(d.files.socket)).to.equal(false);

    const gone = await d.smcp(['status']);
    expect(gone.code).to.equal(3);
    expect(gone.stdout).to.include('not running');

    const log = readFileSync(d.files.logFile, 'utf8');
    expect(log).to.include('"msg":"daemon ready"');
    expect(log).to.include('"msg":"stopped"');
    const state = JSON.parse(readFileSync(d.files.stateFile, 'utf8')) as {
      runs: { pid: number; exitReason?: string }[];
    };
    expect(state.runs.at(-1)).to.include({ pid: status.pid, exitReason: 'stop' });
  });

  it('refuses to start when connections exist but none is chosen; serves the sample data only with --emulator', async () => {
    const dir = join(d.home.home, '.snowflake');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'connections.toml'), '[prod]\naccount = "a1"\nuser = "u"\npassword = "p"\n', {
      mode: 0o600,
    });
    const refused = await d.smcp(['start', '--port', '0'], 30_000);
    expect(refused.code, refused.stdout).to.equal(2);
    expect(refused.stderr).to.equal(
      'smcp: ~/.snowflake/connections.toml has connection "prod" but none is chosen: pass --connection NAME, ' +
        'set SNOWFLAKE_DEFAULT_CONNECTION_NAME, or set default_connection_name in ~/.snowflake/config.toml [CONNECTION_UNKNOWN]\n',
    );
    expect((await d.smcp(['status'])).code).to.equal(3);

    const asked = await d.smcp(['start', '--port', '0', '--emulator'], 30_000);
    expect(asked.code, asked.stderr).to.equal(0);
    expect(asked.stdout).to.include(
      'data: embedded Snowflake emulator with SAMPLE DATA (asked for with --emulator)',
    );
    const status = await d.status();
    expect(status).to.deep.include({ backend: 'emulator', sampleData: true });
    expect(status.emulatorReason).to.deep.equal({ requested: true, origin: '--emulator' });
  });

  it('refuses a second daemon while one runs', async () => {
    const first = await startDaemon(d);
    const second = await d.smcp(['start', '--port', '0'], 30_000);
    expect(second.code).to.equal(1);
    expect(second.stderr).to.include(`already running (pid ${first.pid})`);
    expect(second.stderr).to.include('[DAEMON_RUNNING]');
    expect((await d.status()).pid).to.equal(first.pid);
  });

  it('starts again after the daemon was killed with SIGKILL', async () => {
    const first = await startDaemon(d);
    process.kill(first.pid, 'SIGKILL');
    await waitFor(() => !pidAlive(first.pid));
    const dead = await d.smcp(['status']);
    expect(dead.code).to.equal(1);
    expect(dead.stdout).to.include('it died');

    const second = await startDaemon(d);
    expect(second.pid).to.not.equal(first.pid);
    const state = JSON.parse(readFileSync(d.files.stateFile, 'utf8')) as {
      runs: { pid: number; exitReason?: string }[];
    };
    expect(state.runs.find((r) => r.pid === first.pid)?.exitReason).to.match(/crash/);
    const { adminRequest } = await import('../../src/admin/client.js');
    const history = await adminRequest<{ runs: { pid: number }[] }>(d.files.socket, 'GET', '/history');
    expect(history.runs.map((r) => r.pid)).to.deep.equal([second.pid, first.pid]);
  });

  it('runs exactly one daemon when two starts race', async () => {
    const runs = await Promise.all([
      d.smcp(['start', '--port', '0'], 30_000),
      d.smcp(['start', '--port', '0'], 30_000),
      d.smcp(['start', '--port', '0'], 30_000),
    ]);
    const codes = runs.map((r) => r.code).sort();
    expect(codes, runs.map((r) => r.stderr).join('\n')).to.deep.equal([0, 1, 1]);
    for (const loser of runs.filter((r) => r.code === 1)) expect(loser.stderr).to.include('[DAEMON_RUNNING]');
    const status = await d.status();
    expect(readFileSync(d.files.pidfile, 'utf8').trim()).to.equal(String(status.pid));
  });

  it('drains without losing in-flight calls, refuses new work, then stops', async () => {
    const status = await startDaemon(d);
    const base = status.endpoints.mcp.replace(/\/mcp$/, '');
    const clients = (await Promise.all(Array.from({ length: 6 }, () => connectHttp(base)))).map(
      (c) => c.client,
    );
    try {
      // Long enough that `smcp drain` starts while all six still run, even on a busy machine.
      const calls = clients.map((client) =>
        client.callTool({ name: 'execute_query', arguments: { sql: 'SELECT SYSTEM$WAIT(6) AS W' } }),
      );
      await waitFor(async () => (await d.status()).inFlight.length === clients.length);
      const drain = d.smcp(['drain', '--timeout', '20', '--json'], 40_000);
      await waitFor(async () => (await d.status()).state !== 'serving');

      const refused = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
      expect((await fetch(`${base}/readyz`)).status).to.equal(503);
      const viaCli = await d.smcp(['call', 'list_databases']);
      expect(viaCli.code).to.equal(1);
      expect(viaCli.stderr).to.include('[DRAINING]');

      const results = await Promise.all(calls);
      for (const result of results) {
        expect(answer(result).isError, textOf(result)).to.not.equal(true);
        expect(textOf(result)).to.include('W');
      }
      const drained = await drain;
      expect(drained.code, drained.stderr).to.equal(0);
      const outcome = JSON.parse(drained.stdout) as DrainOutcome;
      expect(outcome).to.include({ inFlightAtStart: clients.length, cancelled: 0 });
      expect((await d.status()).state).to.equal('drained');
    } finally {
      await Promise.allSettled(clients.map((c) => c.close()));
    }
    const stop = await d.smcp(['stop']);
    expect(stop.code, stop.stderr).to.equal(0);
  });

  it('cancels calls still running at the drain deadline', async () => {
    await startDaemon(d);
    const slow = startSmcp(['call', 'execute_query', 'sql=SELECT SYSTEM$WAIT(30)', '--json'], d.home.env);
    let stderr = '';
    slow.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitFor(async () => (await d.status()).inFlight.length === 1);
      const drained = await d.smcp(['drain', '--timeout', '0.5', '--json'], 30_000);
      expect(drained.code, drained.stderr).to.equal(0);
      expect(JSON.parse(drained.stdout)).to.include({ inFlightAtStart: 1, cancelled: 1 });
      const code =
        slow.exitCode ?? (await new Promise<number | null>((resolve) => slow.once('exit', resolve)));
      expect(code).to.equal(1);
      expect(stderr).to.match(/cancel/i);
    } finally {
      await stopChild(slow, 'SIGKILL');
    }
  });

  it('cancels the daemon-side call when smcp call is interrupted', async () => {
    await startDaemon(d);
    const slow = startSmcp(['call', 'execute_query', 'sql=SELECT SYSTEM$WAIT(30)'], d.home.env);
    try {
      await waitFor(async () => (await d.status()).inFlight.length === 1);
      slow.kill('SIGINT');
      await waitFor(async () => (await d.status()).inFlight.length === 0, 10_000);
    } finally {
      await stopChild(slow, 'SIGKILL');
    }
  });

  it('restarts with the options it was started with', async () => {
    const first = await startDaemon(d, ['--max-rows', '3']);
    const restart = await d.smcp(['restart'], 40_000);
    expect(restart.code, restart.stderr).to.equal(0);
    const second = await d.status();
    expect(second.pid).to.not.equal(first.pid);
    expect(second.args).to.deep.equal(['--port', '0', '--max-rows', '3']);
    const call = await d.smcp(['call', 'execute_query', 'sql=SELECT * FROM SAMPLE_DB.SALES.EVENTS']);
    expect(call.code, call.stderr).to.equal(0);
    expect((JSON.parse(call.stdout) as { rows: unknown[] }).rows).to.have.length(3);
  });

  it('stops gracefully on SIGTERM and reloads on SIGHUP', async () => {
    const status = await startDaemon(d);
    process.kill(status.pid, 'SIGHUP');
    await waitFor(() => readFileSync(d.files.logFile, 'utf8').includes('"msg":"reloaded"'));
    const reload = await d.smcp(['reload']);
    expect(reload.code, reload.stderr).to.equal(0);
    expect(reload.stdout).to.include('unchanged');
    expect((await d.status()).pid).to.equal(status.pid);

    process.kill(status.pid, 'SIGTERM');
    await waitFor(() => !pidAlive(status.pid));
    const log = readFileSync(d.files.logFile, 'utf8');
    expect(log).to.match(/"msg":"stopping","reason":"signal:SIGTERM"/);
    expect(existsSync(d.files.pidfile)).to.equal(false);
  });

  it('exits at once on a second stop signal while a drain waits for a call', async () => {
    const status = await startDaemon(d);
    const slow = startSmcp(['call', 'execute_query', 'sql=SELECT SYSTEM$WAIT(30)'], d.home.env);
    try {
      await waitFor(async () => (await d.status()).inFlight.length === 1);
      process.kill(status.pid, 'SIGTERM');
      await waitFor(() => readFileSync(d.files.logFile, 'utf8').includes('"msg":"draining"'));
      // The default drain deadline is 30 s; the second signal must not wait for it.
      process.kill(status.pid, 'SIGTERM');
      await waitFor(() => !pidAlive(status.pid), 8000);
      expect(readFileSync(d.files.logFile, 'utf8')).to.include('second stop signal');
      expect(existsSync(d.files.pidfile)).to.equal(false);
    } finally {
      await stopChild(slow, 'SIGKILL');
    }
  });

  it('prints a shell completion script', async () => {
    const run = await d.smcp(['completion']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.include('_smcp_yargs_completions');
    const words = await d.smcp(['--get-yargs-completions', 'smcp', '']);
    expect(words.stdout.split('\n')).to.include.members(['start', 'status', 'drain', 'logs']);
  });

  it('refuses serving flags for a call the daemon serves, unless --no-daemon', async () => {
    await startDaemon(d);
    const refused = await d.smcp(['call', 'list_databases', '--max-rows', '5']);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include('--max-rows');
    const local = await d.smcp(['call', 'list_databases', '--no-daemon', '--verbose']);
    expect(local.code, local.stderr).to.equal(0);
    expect(local.stderr).to.include('in-process');
  });

  it('moves a corrupt state file aside and starts anyway', async () => {
    await runSmcp(['--version'], d.home.env);
    const dir = d.files.stateFile.replace(/\/[^/]+$/, '');
    (await import('node:fs')).mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(d.files.stateFile, '{ not json');
    await startDaemon(d);
    const log = readFileSync(d.files.logFile, 'utf8');
    expect(log).to.include('state file was corrupt');
    const siblings = (await import('node:fs')).readdirSync(dir);
    expect(siblings.some((name) => name.startsWith('state.json.corrupt-'))).to.equal(true);
  });

  it('names the log directory when it cannot be written', async () => {
    writeFileSync(`${d.home.home}/not-a-dir`, '');
    const env = { ...d.home.env, XDG_STATE_HOME: `${d.home.home}/not-a-dir` };
    const run = await runSmcp(['start', '--port', '0'], env, 30_000);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('not-a-dir');
    expect(run.stderr).to.include('[CONFIG_INVALID]');
    expect(run.stderr).to.not.match(/\n\s+at /);
  });

  it('refuses an unknown flag with exit 2 and starts nothing', async () => {
    const run = await d.smcp(['start', '--port', '0', '--bogus'], 30_000);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('Unknown argument: bogus');
    expect(existsSync(d.files.pidfile)).to.equal(false);
    const tools = await d.smcp(['tools', '--bogus']);
    expect(tools.code).to.equal(2);
    expect(tools.stdout).to.equal('');
  });

  it('says it is not running when stopped twice, and exits 3 for a drain without a daemon', async () => {
    const stop = await d.smcp(['stop']);
    expect(stop.code).to.equal(0);
    expect(stop.stdout).to.include('not running');
    const drain = await d.smcp(['drain']);
    expect(drain.code).to.equal(3);
    expect(drain.stderr).to.include('[DAEMON_NOT_RUNNING]');
  });
});
