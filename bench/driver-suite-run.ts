/**
 * Runs one file of the driver suite with the suite's own mocha (its .mocharc.js: ts-node, global
 * setup) in its own process group, offline: test/helpers/loopback-only.js is preloaded, so every TCP
 * connection or DNS lookup beyond loopback fails at once and is counted. The file is stopped (the
 * whole group killed) at its time limit. Its outcome is read from the events the reporter
 * (driver-suite-reporter.cjs) wrote as they happened.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPORTER = fileURLToPath(new URL('./driver-suite-reporter.cjs', import.meta.url));
const GUARD = fileURLToPath(new URL('../test/helpers/loopback-only.js', import.meta.url));
/** Start of each line the guard writes for a refused connection or lookup. */
const GUARD_MARK = 'smcp-driver-suite-guard: refused';

/** One test's outcome. */
export interface TestOutcome {
  readonly test: string;
  readonly state: 'passed' | 'failed' | 'pending';
  /** For failures: the error as the test saw it. */
  readonly message?: string;
  readonly code?: string;
  readonly sql?: string;
  /** The query id the error named (the harness looks its statement up in the emulator). */
  readonly queryId?: string;
  /** For tests a failed hook kept from running: that hook (the message is the hook's). */
  readonly blockedBy?: string;
}

/** What running one file gave. */
export interface FileRun {
  /** Tests mocha found (null when it never started). */
  readonly total: number | null;
  readonly tests: TestOutcome[];
  /** Failures of hooks and of the file itself that belong to no test. */
  readonly otherFailures: { title: string; message: string }[];
  /** True when the file was stopped at its time limit. */
  readonly killed: boolean;
  readonly exitCode: number | null;
  readonly seconds: number;
  /** Connections and lookups beyond loopback the guard refused. */
  readonly refusedNetwork: string[];
  /** Where the file's stdout and stderr went. */
  readonly logFile: string;
}

/** How to run a file. */
export interface RunSettings {
  readonly workDir: string;
  readonly mocha: string;
  readonly env: NodeJS.ProcessEnv;
  readonly testTimeoutMs: number;
  readonly fileTimeoutMs: number;
  /** Dir for the per-file event and log files. */
  readonly outDir: string;
}

interface ReporterEvent {
  event: 'start' | 'pass' | 'pending' | 'fail' | 'notrun' | 'end';
  total?: number;
  test?: string;
  hook?: boolean;
  hookTitle?: string;
  message?: string;
  code?: string;
  sql?: string;
  queryId?: string;
  blockedBy?: string | null;
}

function readEvents(path: string): ReporterEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as ReporterEvent];
      } catch {
        return [];
      }
    });
}

/** The per-test outcome from the reporter's events (a later failure of a passed test wins). */
function outcomes(
  events: ReporterEvent[],
  killed: boolean,
): Pick<FileRun, 'total' | 'tests' | 'otherFailures'> {
  let total: number | null = null;
  const tests = new Map<string, TestOutcome>();
  const hookFailures = new Map<
    string,
    Omit<TestOutcome, 'test' | 'state'> & { title: string; message: string }
  >();
  const otherFailures: { title: string; message: string }[] = [];
  let ended = false;
  for (const e of events) {
    const name = e.test ?? '';
    switch (e.event) {
      case 'start':
        total = e.total ?? null;
        break;
      case 'pass':
        if (tests.get(name)?.state !== 'failed') tests.set(name, { test: name, state: 'passed' });
        break;
      case 'pending':
        tests.set(name, { test: name, state: 'pending' });
        break;
      case 'fail': {
        const failure = {
          message: e.message ?? '',
          ...(e.code !== undefined ? { code: e.code } : {}),
          ...(e.sql !== undefined ? { sql: e.sql } : {}),
          ...(e.queryId !== undefined ? { queryId: e.queryId } : {}),
        };
        if (e.hook) {
          const title = `${name} ${e.hookTitle ?? 'hook'}`.trim();
          if (!hookFailures.has(name)) hookFailures.set(name, { ...failure, title });
          otherFailures.push({ title, message: failure.message });
        } else tests.set(name, { test: name, state: 'failed', ...failure });
        break;
      }
      case 'notrun': {
        const hook =
          e.blockedBy !== null && e.blockedBy !== undefined ? hookFailures.get(e.blockedBy) : undefined;
        const { title, ...failure } = hook ?? { title: '', message: 'not run (mocha skipped it)' };
        tests.set(name, { test: name, state: 'failed', ...failure, ...(hook ? { blockedBy: title } : {}) });
        break;
      }
      case 'end':
        ended = true;
        break;
    }
  }
  if (!ended && total !== null) {
    // Stopped (time limit or crash) before the end: the tests it never reached count as failed.
    const reason = killed
      ? 'not run: the file time limit was reached'
      : 'not run: the mocha process ended early';
    const missing = total - tests.size;
    for (let k = 0; k < missing; k++) {
      const test = `(unreached test ${k + 1})`;
      tests.set(test, { test, state: 'failed', message: reason });
    }
  }
  return { total, tests: [...tests.values()], otherFailures };
}

/** Runs `file` (path under test/integration) and returns its outcome. */
export async function runSuiteFile(file: string, settings: RunSettings): Promise<FileRun> {
  const safe = file.replace(/[^\w.-]+/g, '_');
  const eventsFile = join(settings.outDir, `${safe}.events.jsonl`);
  const logFile = join(settings.outDir, `${safe}.log`);
  rmSync(eventsFile, { force: true });
  const log = openSync(logFile, 'w');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      settings.mocha,
      '--reporter',
      REPORTER,
      '--timeout',
      String(settings.testTimeoutMs),
      '--retries',
      '0',
      '--exit',
      `test/integration/${file}`,
    ],
    {
      cwd: settings.workDir,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...settings.env,
        SMCP_DRIVER_SUITE_EVENTS: eventsFile,
        SMCP_LOOPBACK_GUARD_MARK: GUARD_MARK,
        NODE_OPTIONS: `--import=${GUARD}`,
      },
    },
  );
  closeSync(log);
  let killed = false;
  const killGroup = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    killed = true;
    killGroup();
  }, settings.fileTimeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  clearTimeout(timer);
  // Anything the tests left running in the group goes with them.
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is empty
  }
  const output = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  const refusedNetwork = output
    .split('\n')
    .filter((l) => l.startsWith(GUARD_MARK))
    .map((l) => l.slice(GUARD_MARK.length).trim());
  return {
    ...outcomes(readEvents(eventsFile), killed),
    killed,
    exitCode,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    refusedNetwork,
    logFile,
  };
}
