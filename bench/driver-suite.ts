/**
 * snowflake-sdk's own integration suite against the emulator. Takes a checkout of
 * snowflake-connector-nodejs (e.g. `git archive v3.1.0 | tar -x -C <dir>` from a clone), copies the
 * driver and its tests into a temp dir with the suite's dependencies (npm, cached), and runs every
 * applicable file of test/integration alone with the suite's mocha against a fresh emulator
 * (127.0.0.1, a password user, a writable database and schema), offline (driver-suite-run.ts), with
 * a time limit per test and per file. The suite's hang web server fixture runs as in its CI.
 *
 * Writes bench/results/driver-suite.json (per file, per test, failures grouped by cause, the
 * statements the emulator failed, and the headline of earlier runs) and the section between
 * `<!-- driver-suite:start -->` and `<!-- driver-suite:end -->` of bench/REPORT.md. With --files the
 * run is partial: its results go to bench/results/tmp/driver-suite-partial.json and the report is
 * left alone. Not part of `npm test`.
 *
 *   npm run bench:driver-suite -- --suite <checkout> [--files testBind.js,testExecute.js]
 *     [--sdk checkout|project] [--label name] [--test-timeout 60] [--file-timeout 300]
 *     [--cache-dir dir] [--keep]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EmulatorSession } from '../src/emulator/engine-types.js';
import { startEmulator } from '../src/emulator/index.js';
import type { RunningEmulator } from '../src/emulator/index.js';
import type { SqlEngine } from '../src/emulator/sql/engine.js';
import { causeOf, groupOf, maskVolatile, unwrapDriverError } from './driver-suite-causes.js';
import { suiteFiles, testNotApplicable } from './driver-suite-files.js';
import type { DriverSuiteResults, EmulatorError, FileResult, HistoryEntry } from './driver-suite-report.js';
import { groupFailures, renderDriverSuiteSection, totalsOf } from './driver-suite-report.js';
import { runSuiteFile } from './driver-suite-run.js';
import type { FileRun } from './driver-suite-run.js';
import { defaultCacheDir, freshHome, prepareWorkCopy, startHangServer } from './driver-suite-setup.js';
import type { Fixture, SdkChoice } from './driver-suite-setup.js';
import { withSection, writeFormatted } from './report.js';

const { values: args } = parseArgs({
  options: {
    suite: { type: 'string' },
    files: { type: 'string' },
    sdk: { type: 'string', default: 'checkout' },
    label: { type: 'string' },
    'test-timeout': { type: 'string', default: '60' },
    'file-timeout': { type: 'string', default: '300' },
    'cache-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`driver-suite: ${message}\n`);
  process.exit(2);
}

if (!args.suite) fail('--suite <checkout of snowflake-connector-nodejs> is required');
const checkout = resolve(args.suite);
const sdk = args.sdk as SdkChoice;
if (sdk !== 'checkout' && sdk !== 'project')
  fail(`--sdk must be checkout or project, got ${String(args.sdk)}`);
const seconds = (v: string | undefined, flag: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) fail(`${flag} must be a positive number of seconds`);
  return n * 1000;
};
const testTimeoutMs = seconds(args['test-timeout'], '--test-timeout');
const fileTimeoutMs = seconds(args['file-timeout'], '--file-timeout');
const only = args.files
  ?.split(',')
  .map((f) => f.trim())
  .filter(Boolean);

const RESULTS = new URL('./results/driver-suite.json', import.meta.url);
const PARTIAL = new URL('./results/tmp/driver-suite-partial.json', import.meta.url);
const OUT_DIR = new URL('./results/tmp/driver-suite/', import.meta.url);
const REPORT = new URL('./REPORT.md', import.meta.url);
/** The port the suite's tests expect its hang web server on (test/hangWebserver.js). */
const HANG_PORT = 12345;
const ACCOUNT = 'SMCPLOCAL';
const USER = 'DRIVER_TEST';
const DATABASE = 'DRIVER_TEST_DB';
const SCHEMA = 'DRIVER_TEST_SCHEMA';
const WAREHOUSE = 'COMPUTE_WH';
const ROLE = 'SYSADMIN';

const t0 = performance.now();
const log = (line: string): void =>
  void process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${line}\n`);

const files = suiteFiles(checkout);
if (only) {
  const unknown = only.filter((f) => !files.some((s) => s.file === f));
  if (unknown.length > 0) fail(`no such file under test/integration: ${unknown.join(', ')}`);
}
mkdirSync(OUT_DIR, { recursive: true });
const work = prepareWorkCopy(checkout, sdk, args['cache-dir'] ?? defaultCacheDir(), log);
log(`work copy ${work.dir} (snowflake-sdk ${work.version}, driver from the ${sdk})`);

let hang: Fixture | null = null;
let emulator: RunningEmulator | null = null;
const cleanup = (): void => {
  hang?.stop();
  if (!args.keep) work.remove();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanup();
    void emulator?.close().finally(() => process.exit(1));
  });
}

/** Starts a fresh emulator with the suite's user and creates its database and schema. */
async function freshEmulator(password: string): Promise<RunningEmulator> {
  const emu = await startEmulator({
    sampleData: false,
    account: ACCOUNT,
    users: [
      {
        name: USER,
        password,
        defaultRole: ROLE,
        roles: ['ACCOUNTADMIN', 'SYSADMIN', 'PUBLIC'],
        defaultWarehouse: WAREHOUSE,
      },
    ],
  });
  const session: EmulatorSession = {
    id: 'driver-suite-setup',
    user: USER,
    grantedRoles: ['SYSADMIN'],
    role: ROLE,
    warehouse: WAREHOUSE,
    database: null,
    schema: null,
    params: new Map(),
  };
  // As the suite's CI does ("create or replace schema" before the tests).
  for (const sql of [`CREATE DATABASE ${DATABASE}`, `CREATE SCHEMA ${DATABASE}.${SCHEMA}`]) {
    (await emu.engine.execute(session, sql, { queryId: `setup-${randomBytes(4).toString('hex')}` })).close();
  }
  return emu;
}

/** The statements the emulator ran while a file ran (newest first), when its engine keeps them. */
function statementsOf(emu: RunningEmulator): ReturnType<SqlEngine['queryHistory']> {
  const engine = emu.engine as Partial<SqlEngine>;
  return typeof engine.queryHistory === 'function' ? engine.queryHistory() : [];
}

/** The statements the emulator failed, grouped by code and masked message. */
function emulatorErrors(history: ReturnType<SqlEngine['queryHistory']>): EmulatorError[] {
  const groups = new Map<string, EmulatorError>();
  for (const q of history) {
    if (q.executionStatus !== 'FAILED_WITH_ERROR') continue;
    const code = q.errorCode ?? '';
    const message = maskVolatile((q.errorMessage ?? '').split('\n').filter(Boolean).join(' '));
    const key = `${code} ${message}`;
    const entry = groups.get(key) ?? { code, message, count: 0, example: q.queryText.slice(0, 300) };
    entry.count++;
    groups.set(key, entry);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function fileResult(file: string, run: FileRun, history: ReturnType<SqlEngine['queryHistory']>): FileResult {
  const sqlById = new Map(history.map((q) => [q.queryId, q.queryText]));
  const notApplicableTests = run.tests.flatMap((t) => {
    const why = testNotApplicable(file, t.test);
    return why === null ? [] : [{ test: t.test, why }];
  });
  const tests = run.tests.filter((t) => testNotApplicable(file, t.test) === null);
  const count = (state: string): number => tests.filter((t) => t.state === state).length;
  const otherFailures = [...run.otherFailures];
  if (run.total === null) {
    const tail = readFileSync(run.logFile, 'utf8').trim().split('\n').slice(-5).join(' ');
    otherFailures.push({ title: 'mocha', message: `the file did not start: ${tail}`.slice(0, 500) });
  }
  return {
    file,
    total: tests.length,
    notApplicable: notApplicableTests.length,
    notApplicableTests,
    passed: count('passed'),
    failed: count('failed'),
    pending: count('pending'),
    seconds: run.seconds,
    killed: run.killed,
    refusedNetwork: run.refusedNetwork,
    failures: tests
      .filter((t) => t.state === 'failed')
      .map((t) => {
        const unwrapped = unwrapDriverError(t.message ?? '');
        const queryId = t.queryId ?? unwrapped.queryId;
        const sql = t.sql ?? (queryId !== undefined ? sqlById.get(queryId) : undefined);
        const facts = { file, test: t.test, message: unwrapped.message, code: unwrapped.code ?? t.code, sql };
        return {
          test: t.test,
          cause: causeOf(facts),
          group: groupOf(facts),
          message: unwrapped.message.slice(0, 400),
          ...(t.blockedBy !== undefined ? { blockedBy: t.blockedBy } : {}),
          ...(sql !== undefined ? { sql: sql.slice(0, 300) } : {}),
        };
      }),
    otherFailures,
    emulatorErrors: emulatorErrors(history),
  };
}

const results: FileResult[] = [];
const notApplicable = files
  .filter((f) => f.notApplicable !== null)
  .map((f) => ({ file: f.file, reason: f.notApplicable ?? '' }));
try {
  if (work.hangServerScript) hang = await startHangServer(work.hangServerScript, HANG_PORT);
  if (!hang)
    log(`the suite's hang web server is not running on ${HANG_PORT}; testHttpClient.js cannot apply`);
  const runnable = files.filter(
    (f) =>
      f.notApplicable === null &&
      (!only || only.includes(f.file)) &&
      !(f.file === 'testHttpClient.js' && hang === null),
  );
  if (!hang && files.some((f) => f.file === 'testHttpClient.js'))
    notApplicable.push({
      file: 'testHttpClient.js',
      reason: `the suite's hang web server (python3 hang_webserver.py) could not listen on 127.0.0.1:${HANG_PORT}`,
    });
  for (const [k, f] of runnable.entries()) {
    const password = randomBytes(12).toString('base64url');
    emulator = await freshEmulator(password);
    const home = freshHome();
    const port = String(emulator.port);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home.dir,
      TMPDIR: process.env.TMPDIR,
      LANG: 'C.UTF-8',
      TS_NODE_TRANSPILE_ONLY: 'true',
      SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
      SF_TELEMETRY_DISABLE_CONNECTION_SHAPE: '1',
      SF_OCSP_RESPONSE_CACHE_SERVER_ENABLED: 'false',
      SNOWFLAKE_TEST_PROTOCOL: 'http',
      SNOWFLAKE_TEST_HOST: '127.0.0.1',
      SNOWFLAKE_TEST_PORT: port,
      SNOWFLAKE_TEST_ACCOUNT: ACCOUNT,
      SNOWFLAKE_TEST_USER: USER,
      SNOWFLAKE_TEST_PASSWORD: password,
      SNOWFLAKE_TEST_DATABASE: DATABASE,
      SNOWFLAKE_TEST_SCHEMA: SCHEMA,
      SNOWFLAKE_TEST_WAREHOUSE: WAREHOUSE,
      SNOWFLAKE_TEST_ROLE: ROLE,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    log(`(${k + 1}/${runnable.length}) ${f.file}`);
    let run: FileRun;
    try {
      run = await runSuiteFile(f.file, {
        workDir: work.dir,
        mocha: work.mocha,
        env,
        testTimeoutMs,
        fileTimeoutMs,
        outDir: new URL(OUT_DIR).pathname,
      });
    } finally {
      home.remove();
    }
    const history = statementsOf(emulator);
    await emulator.close();
    emulator = null;
    const result = fileResult(f.file, run, history);
    results.push(result);
    log(
      `   ${result.passed} passed, ${result.failed} failed, ${result.pending} pending in ${result.seconds} s` +
        `${run.killed ? ' (stopped at the time limit)' : ''}${run.refusedNetwork.length ? `, ${run.refusedNetwork.length} network attempts refused` : ''}`,
    );
  }
} finally {
  await emulator?.close();
  cleanup();
}

const generatedAt = new Date().toISOString();
const totals = totalsOf(results);
const label = args.label ?? (only ? 'partial' : 'run');
let history: HistoryEntry[] = [];
if (!only && existsSync(RESULTS)) {
  try {
    history = (JSON.parse(readFileSync(RESULTS, 'utf8')) as DriverSuiteResults).history ?? [];
  } catch {
    history = [];
  }
}
history = [...history, { label, generatedAt, sdk, ...totals }].slice(-12);
const out: DriverSuiteResults = {
  generatedAt,
  label,
  suite: {
    version: work.version,
    sdk,
    sdkNote:
      sdk === 'checkout'
        ? `the checkout's own lib/ (snowflake-sdk ${work.version}, which the tests reach into)`
        : "smcp's installed snowflake-sdk (its compiled lib/ in place of the checkout's)",
  },
  node: process.versions.node,
  settings: { testTimeoutMs, fileTimeoutMs, freshEmulatorPerFile: true },
  totals,
  files: results,
  notApplicable,
  ...groupFailures(results),
  history,
};
const target = only ? PARTIAL : RESULTS;
writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
if (!only) {
  const report = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '# smcp benchmarks\n';
  await writeFormatted(REPORT, withSection(report, 'driver-suite', renderDriverSuiteSection(out)));
}
log(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.pending} pending of ${totals.tests} tests in ` +
    `${totals.files} files: ${totals.passRate} % (${new URL(target).pathname})`,
);
