/**
 * The production recipe with the real pm2 7 binary: `pm2 start ecosystem.config.js --env production`,
 * `pm2 reload smcp`, `pm2 stop smcp`. pm2 runs with its own PM2_HOME in the test's temp home, its
 * version check off (it would phone version.pm2.io), and is killed afterwards whatever happened.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { isolatedHome, pidAlive, portAnswers, runProcess, waitFor } from '../helpers/cli.js';
import type { CliRun, IsolatedHome } from '../helpers/cli.js';
import { listenOnLoopback } from '../helpers/listen.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PM2_BIN = join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2');

/** The parts of a `pm2 jlist` entry the tests read. */
interface Pm2App {
  readonly name: string;
  readonly pid: number;
  readonly pm2_env: {
    readonly status: string;
    readonly exec_mode: string;
    readonly instances: number;
    readonly NODE_ENV?: string;
    readonly restart_time: number;
  };
}

/** Runs the pm2 CLI to completion; SIGKILLed (code null) after `timeoutMs`. */
function pm2(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliRun> {
  return runProcess(PM2_BIN, args, { env, cwd: ROOT, timeoutMs });
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('pm2: ecosystem.config.js with the real pm2', function () {
  // Start, reload and stop each take about a second; the budget covers a slow machine, not kill_timeout.
  this.timeout(60_000);
  let home: IsolatedHome | undefined;
  let env: NodeJS.ProcessEnv;
  let pm2Home: string;
  let base: string;
  let firstPid = 0;
  const appPids = new Set<number>();

  async function apps(): Promise<Pm2App[]> {
    const run = await pm2(['jlist'], env);
    expect(run.code, run.stderr).to.equal(0);
    const list = JSON.parse(run.stdout.slice(run.stdout.indexOf('['))) as Pm2App[];
    for (const app of list) if (app.pid > 0) appPids.add(app.pid);
    return list;
  }

  async function smcpApp(): Promise<Pm2App> {
    const list = await apps();
    expect(list.map((a) => a.name)).to.deep.equal(['smcp']);
    return list[0];
  }

  function logs(): string {
    const files = [join(pm2Home, 'logs', 'smcp-error.log'), join(pm2Home, 'logs', 'smcp-out.log')];
    return files.map((file) => (existsSync(file) ? readFileSync(file, 'utf8') : '')).join('\n');
  }

  /** JSON log lines with msg `what` ('stopping', 'stopped') that name SIGINT (pm2's stop signal). */
  function sigintStops(what = 'stopping'): number {
    return logs()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(`"msg":"${what}"`) && line.includes('SIGINT'))
      .length;
  }

  before(async () => {
    home = isolatedHome();
    pm2Home = join(home.home, 'pm2');
    mkdirSync(pm2Home, { recursive: true });
    // pm2's first run in a fresh PM2_HOME pings version.pm2.io unless this marker exists.
    writeFileSync(join(pm2Home, 'touch'), String(Date.now()));
    const port = await freePort();
    env = {
      ...home.env,
      PM2_HOME: pm2Home,
      PM2_DISABLE_VERSION_CHECK: 'true',
      SMCP_PORT: String(port),
      SMCP_HOST: '127.0.0.1',
    };
    delete env.SMCP_TOKEN;
    base = `http://127.0.0.1:${port}`;
    // A damaged state file makes the daemon warn once at start (it is moved aside): a warning to
    // find in pm2's error log.
    const dataDir = join(home.home, '.local', 'share', 'smcp');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dataDir, 'state.json'), '{ not json', { mode: 0o600 });
    const run = await pm2(['start', 'ecosystem.config.js', '--env', 'production'], env, 40_000);
    expect(run.code, `${run.stdout}${run.stderr}${logs()}`).to.equal(0);
  });

  after(async function () {
    this.timeout(40_000);
    if (home === undefined) return;
    const daemonPidFile = join(pm2Home, 'pm2.pid');
    const daemonPid = existsSync(daemonPidFile) ? Number(readFileSync(daemonPidFile, 'utf8').trim()) : 0;
    // An app pm2 could not stop gracefully would hold `pm2 kill` for the whole kill_timeout.
    for (const pid of appPids) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    await pm2(['kill'], env, 20_000);
    try {
      if (daemonPid > 0) {
        await waitFor(() => !pidAlive(daemonPid), 5_000, `pm2 daemon ${daemonPid} to exit`).catch((err) => {
          process.kill(daemonPid, 'SIGKILL');
          throw err;
        });
      }
      for (const pid of appPids) expect(pidAlive(pid), `app pid ${pid} still alive`).to.equal(false);
    } finally {
      home.remove();
    }
  });

  it('starts smcp online in fork mode with env_production, answering /healthz and /readyz', async () => {
    const app = await smcpApp();
    expect(app.pm2_env.status).to.equal('online');
    expect(app.pm2_env.exec_mode).to.equal('fork_mode');
    expect(app.pm2_env.instances).to.equal(1);
    expect(app.pm2_env.NODE_ENV).to.equal('production');
    firstPid = app.pid;
    expect(pidAlive(firstPid)).to.equal(true);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).to.equal(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).to.equal(200);
  });

  it('files info lines in the out log and warnings in the error log', () => {
    const read = (name: string): string[] =>
      readFileSync(join(pm2Home, 'logs', name), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { level: string }).level);
    const out = read('smcp-out.log');
    const error = read('smcp-error.log');
    expect(out).to.include('info');
    expect(out.filter((level) => level === 'warn' || level === 'error')).to.deep.equal([]);
    expect(error).to.include('warn');
    expect(error.filter((level) => level === 'info' || level === 'debug')).to.deep.equal([]);
  });

  it('serves MCP clients over Streamable HTTP', async () => {
    const client = new Client({ name: 'pm2-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).to.include.members(['list_databases', 'execute_query']);
    } finally {
      await client.close();
    }
  });

  it('reloads into a new process that keeps serving, the old one stopping gracefully', async () => {
    const run = await pm2(['reload', 'smcp'], env, 40_000);
    expect(run.code, `${run.stdout}${run.stderr}`).to.equal(0);
    // The old process finished its own stop (a SIGKILL at kill_timeout would leave no 'stopped' line).
    expect(sigintStops('stopped')).to.equal(1);
    const app = await smcpApp();
    expect(app.pm2_env.status).to.equal('online');
    expect(app.pid).to.not.equal(firstPid);
    expect(pidAlive(firstPid)).to.equal(false);
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
    expect(sigintStops()).to.equal(1);
  });

  it('stops gracefully on pm2 stop: process gone, port closed, the stop logged', async () => {
    const { pid } = await smcpApp();
    const run = await pm2(['stop', 'smcp'], env, 25_000);
    expect(run.code, `${run.stdout}${run.stderr}`).to.equal(0);
    const app = await smcpApp();
    expect(app.pm2_env.status).to.equal('stopped');
    await waitFor(() => !pidAlive(pid), 5_000, `smcp pid ${pid} to exit`);
    expect(await portAnswers(Number(new URL(base).port))).to.equal(false);
    expect(sigintStops()).to.equal(2);
    const pm2Log = readFileSync(join(pm2Home, 'pm2.log'), 'utf8');
    expect(pm2Log).to.not.contain('sending SIGKILL');
  });
});
