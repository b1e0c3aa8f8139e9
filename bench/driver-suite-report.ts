/**
 * The driver suite's results (bench/results/driver-suite.json) and their section of
 * bench/REPORT.md (between `<!-- driver-suite:start -->` and `<!-- driver-suite:end -->`).
 */
import { GAP_GROUPS } from './driver-suite-causes.js';

/** One failed test, classified. */
export interface ClassifiedFailure {
  test: string;
  cause: string;
  group: string | null;
  message: string;
  /** For tests a failed hook kept from running: that hook. */
  blockedBy?: string;
  sql?: string;
}

/** Statements the emulator failed while a file ran, grouped by error. */
export interface EmulatorError {
  code: string;
  message: string;
  count: number;
  example: string;
}

/** One file's figures. */
export interface FileResult {
  file: string;
  /** Tests that apply (the file's tests but those counted apart as not applicable). */
  total: number;
  /** Tests of the file that cannot apply offline (see driver-suite-files.ts), whatever their outcome. */
  notApplicable: number;
  notApplicableTests: { test: string; why: string }[];
  passed: number;
  failed: number;
  pending: number;
  seconds: number;
  killed: boolean;
  refusedNetwork: string[];
  failures: ClassifiedFailure[];
  /** Hook failures and load errors that belong to no single test. */
  otherFailures: { title: string; message: string }[];
  emulatorErrors: EmulatorError[];
}

/** Counts over all files. */
export interface Totals {
  files: number;
  /** Applicable tests. */
  tests: number;
  /** Tests of runnable files counted apart as not applicable. */
  notApplicable: number;
  passed: number;
  failed: number;
  pending: number;
  /** passed / (passed + failed), in per cent with one decimal. */
  passRate: number;
}

/** One run's headline, kept across runs. */
export interface HistoryEntry extends Totals {
  label: string;
  generatedAt: string;
  sdk: string;
}

/** What bench/driver-suite.ts writes. */
export interface DriverSuiteResults {
  generatedAt: string;
  label: string;
  suite: { version: string; sdk: string; sdkNote: string };
  node: string;
  settings: { testTimeoutMs: number; fileTimeoutMs: number; freshEmulatorPerFile: true };
  totals: Totals;
  files: FileResult[];
  notApplicable: { file: string; reason: string }[];
  causes: { cause: string; group: string | null; count: number; files: string[] }[];
  groups: { group: string; label: string; count: number }[];
  history: HistoryEntry[];
}

/** Totals of `files`. */
export function totalsOf(files: readonly FileResult[]): Totals {
  const sum = (k: 'total' | 'passed' | 'failed' | 'pending'): number => files.reduce((a, f) => a + f[k], 0);
  const passed = sum('passed');
  const failed = sum('failed');
  return {
    files: files.length,
    tests: sum('total'),
    notApplicable: files.reduce((a, f) => a + f.notApplicable, 0),
    passed,
    failed,
    pending: sum('pending'),
    passRate: passed + failed === 0 ? 0 : Math.round((passed / (passed + failed)) * 1000) / 10,
  };
}

/** Failures by cause, most frequent first, and by gap group. */
export function groupFailures(files: readonly FileResult[]): Pick<DriverSuiteResults, 'causes' | 'groups'> {
  // Keyed by cause and group: the same message may come from different gaps.
  const causes = new Map<
    string,
    { cause: string; group: string | null; count: number; files: Set<string> }
  >();
  const groups = new Map<string, number>();
  for (const f of files) {
    for (const failure of f.failures) {
      const key = `${failure.group ?? ''}\u0000${failure.cause}`;
      const entry = causes.get(key) ?? {
        cause: failure.cause,
        group: failure.group,
        count: 0,
        files: new Set<string>(),
      };
      entry.count++;
      entry.files.add(f.file);
      causes.set(key, entry);
      const g = failure.group ?? 'unclassified';
      groups.set(g, (groups.get(g) ?? 0) + 1);
    }
  }
  return {
    causes: [...causes.values()]
      .sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause))
      .map((c) => ({ ...c, files: [...c.files].sort() })),
    groups: [...groups.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([group, count]) => ({ group, label: GAP_GROUPS[group] ?? 'not matched by any rule', count })),
  };
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The section's Markdown (without its markers). */
export function renderDriverSuiteSection(r: DriverSuiteResults): string {
  const md: string[] = [
    "## snowflake-sdk's own integration suite against the emulator",
    '',
    `snowflake-connector-nodejs ${r.suite.version}, \`test/integration\`, run by \`npm run bench:driver-suite -- --suite <checkout>\` ` +
      `(bench/driver-suite.ts) on Node ${r.node}. Driver: ${r.suite.sdkNote}. Each file runs alone with the suite's ` +
      `own mocha and .mocharc.js (ts-node), retries off, ${r.settings.testTimeoutMs / 1000} s per test and ` +
      `${r.settings.fileTimeoutMs / 1000} s per file, against a fresh emulator (127.0.0.1, password user, ` +
      'a writable database and schema named by SNOWFLAKE_TEST_DATABASE/SCHEMA), offline: a preload refuses every ' +
      'connection and DNS lookup beyond loopback. Pass rate = passed / (passed + failed) over the applicable ' +
      'tests; tests a failed hook or the file time limit kept from running count as failed; tests of runnable ' +
      'files that need stages (n/a) are counted apart. Latest run: ' +
      `${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC (${r.label}).`,
    '',
    '| run | date | sdk | files | tests | passed | failed | pending | n/a | pass rate |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.history.map(
      (h) =>
        `| ${cell(h.label)} | ${h.generatedAt.slice(0, 10)} | ${h.sdk} | ${h.files} | ${h.tests} | ${h.passed} | ${h.failed} | ${h.pending} | ${h.notApplicable ?? 0} | ${h.passRate} % |`,
    ),
    '',
    '### Per file',
    '',
    '| file | tests | passed | failed | pending | n/a | s | notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...r.files.map((f) => {
      const notes = [
        f.killed ? 'stopped at the file time limit' : '',
        f.refusedNetwork.length > 0 ? `${f.refusedNetwork.length} off-loopback attempts refused` : '',
        f.total === 0 && f.otherFailures.length > 0
          ? cell(f.otherFailures[0]?.message.slice(0, 80) ?? '')
          : '',
        f.notApplicable > 0
          ? `n/a: ${cell([...new Set(f.notApplicableTests.map((t) => t.why))].join(', '))}`
          : '',
      ].filter(Boolean);
      return `| ${f.file} | ${f.total} | ${f.passed} | ${f.failed} | ${f.pending} | ${f.notApplicable} | ${f.seconds} | ${notes.join('; ')} |`;
    }),
    '',
    '### Failures by likely gap group',
    '',
    'The group is a hint from the failing statement, message and test title (bench/driver-suite-causes.ts).',
    '',
    '| group | failures |',
    '| --- | ---: |',
    ...r.groups.map((g) => `| ${g.group}: ${cell(g.label)} | ${g.count} |`),
    '',
    '### Failures by cause',
    '',
    'First line of the error message, ids and numbers masked, with the driver error code when there is one.',
    '',
    '| cause | group | failures | files |',
    '| --- | --- | ---: | --- |',
    ...r.causes.map(
      (c) =>
        `| ${cell(c.cause)} | ${c.group ?? '?'} | ${c.count} | ${c.files.map((f) => f.replace(/\.(js|ts)$/, '')).join(', ')} |`,
    ),
    '',
    '### Not applicable',
    '',
    '| file | needs |',
    '| --- | --- |',
    ...r.notApplicable.map((n) => `| ${n.file} | ${cell(n.reason)} |`),
  ];
  return md.join('\n');
}
