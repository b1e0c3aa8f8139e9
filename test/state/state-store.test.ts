import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { isSmcpError } from '../../src/errors.js';
import { CRASH_REASON, MAX_RUNS } from '../../src/state/state-schema.js';
import { openStateStore } from '../../src/state/state-store.js';
import type { RunStart, StateLogger } from '../../src/state/state-store.js';

interface Warning {
  message: string;
  fields?: Readonly<Record<string, unknown>>;
}

function recordingLogger(): StateLogger & { warnings: Warning[] } {
  const warnings: Warning[] = [];
  return { warnings, warn: (message, fields) => warnings.push({ message, fields }) };
}

function run(pid: number, extra: Partial<RunStart> = {}): RunStart {
  return { pid, version: '0.1.0', host: '127.0.0.1', port: 8000, backend: 'emulator', ...extra };
}

describe('state store (lowdb)', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smcp-state-'));
    file = join(dir, 'data', 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps starts and stops across a reopen, newest first', async () => {
    const logger = recordingLogger();
    const first = await openStateStore(file, logger);
    await first.recordStart(run(101, { connection: 'prod', backend: 'snowflake' }));
    expect(await first.recordStop(101, { reason: 'signal:SIGTERM', exitCode: 0 })).to.equal(true);
    await first.recordStart(run(102));

    const again = await openStateStore(file, logger);
    const runs = again.runs();
    expect(runs.map((r) => r.pid)).to.deep.equal([102, 101]);
    expect(runs[1]).to.include({ exitReason: 'signal:SIGTERM', exitCode: 0, connection: 'prod' });
    expect(runs[1].stoppedAt).to.be.a('string');
    expect(runs[0].stoppedAt).to.equal(undefined);
    expect(again.lastRun()?.pid).to.equal(102);
    expect(again.runs(1)).to.have.length(1);
    expect(logger.warnings).to.deep.equal([]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.include({ version: 1 });
  });

  it('answers false to a stop of a pid it never saw, writing nothing', async () => {
    const store = await openStateStore(file, recordingLogger());
    expect(await store.recordStop(999, { reason: 'stop' })).to.equal(false);
    expect(store.runs()).to.deep.equal([]);
    expect(store.lastRun()).to.equal(undefined);
  });

  it('keeps only the newest 100 runs', async () => {
    const store = await openStateStore(file, recordingLogger());
    for (let pid = 1; pid <= MAX_RUNS + 5; pid++) await store.recordStart(run(pid));
    const reopened = await openStateStore(file, recordingLogger());
    const runs = reopened.runs(1000);
    expect(runs).to.have.length(MAX_RUNS);
    expect(runs[0].pid).to.equal(MAX_RUNS + 5);
    expect(runs.at(-1)!.pid).to.equal(6);
  });

  it('marks runs that never recorded a stop as crashed, except the live one', async () => {
    const store = await openStateStore(file, recordingLogger());
    await store.recordStart(run(201));
    await store.recordStart(run(202));
    await store.recordStop(202, { reason: 'stop', exitCode: 0 });
    await store.recordStart(run(203));
    expect(await store.markCrashedRuns(203)).to.equal(1);
    expect(await store.markCrashedRuns(203)).to.equal(0);

    const byPid = new Map((await openStateStore(file, recordingLogger())).runs().map((r) => [r.pid, r]));
    expect(byPid.get(201)).to.include({ exitReason: CRASH_REASON });
    expect(byPid.get(201)!.stoppedAt).to.equal(undefined);
    expect(byPid.get(202)).to.include({ exitReason: 'stop' });
    expect(byPid.get(203)!.exitReason).to.equal(undefined);
  });

  for (const [label, content, reasonPattern] of [
    ['invalid JSON', '{"version": 1, "runs": [', /invalid JSON/],
    ['a wrong schema', JSON.stringify({ version: 1, runs: [{ pid: 'x' }] }), /runs\.0\.pid/],
    ['another layout version', JSON.stringify({ version: 7, runs: [] }), /version/],
  ] as const) {
    it(`moves a state file with ${label} aside, warns, and starts fresh`, async () => {
      mkdirSync(join(dir, 'data'), { recursive: true });
      writeFileSync(file, content);
      const logger = recordingLogger();
      const store = await openStateStore(file, logger);

      expect(store.runs()).to.deep.equal([]);
      expect(logger.warnings).to.have.length(1);
      const warning = logger.warnings[0];
      expect(warning.message).to.equal('state file was corrupt; moved aside');
      expect(warning.fields).to.include({ file });
      expect(String(warning.fields?.reason)).to.match(reasonPattern);
      const movedTo = String(warning.fields?.movedTo);
      expect(movedTo).to.match(/state\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d/);
      expect(readFileSync(movedTo, 'utf8')).to.equal(content);

      await store.recordStart(run(301));
      const reopened = await openStateStore(file, logger);
      expect(reopened.lastRun()?.pid).to.equal(301);
      expect(logger.warnings).to.have.length(1);
    });
  }

  it('refuses a state dir it cannot create with CONFIG_INVALID naming the state file', async () => {
    writeFileSync(join(dir, 'blocker'), 'a file where a directory should be');
    const blocked = join(dir, 'blocker', 'data', 'state.json');
    let caught: unknown;
    try {
      await openStateStore(blocked, recordingLogger());
    } catch (err) {
      caught = err;
    }
    expect(isSmcpError(caught, 'CONFIG_INVALID'), String(caught)).to.equal(true);
    const error = caught as Error & { details: { file?: string } };
    expect(error.message).to.match(/^cannot write state file .*blocker\/data\/state\.json: /);
    expect(error.details.file).to.equal(blocked);
  });

  it('writes the file 0600 in a 0700 directory, leaving no temp file behind', async () => {
    const store = await openStateStore(file, recordingLogger());
    await Promise.all([
      store.recordStart(run(401)),
      store.recordStart(run(402)),
      store.recordStart(run(403)),
    ]);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).to.equal(0o700);
    expect(readdirSync(join(dir, 'data'))).to.deep.equal(['state.json']);
    const reopened = await openStateStore(file, recordingLogger());
    expect(reopened.runs().map((r) => r.pid)).to.deep.equal([403, 402, 401]);
  });

  it('works when NODE_ENV is test (no silent in-memory fallback)', async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'test';
    try {
      const store = await openStateStore(file, recordingLogger());
      await store.recordStart(run(501));
    } finally {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
    expect(readFileSync(file, 'utf8')).to.contain('501');
  });
});
