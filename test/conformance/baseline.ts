/**
 * The expected-failures baseline of the MCP conformance run and the verdict on a run's results.
 *
 * The baseline (expected-failures.toml) maps an entry to the reason it fails against smcp. An
 * entry is a scenario (`tools-call-simple-text`: the whole scenario is expected to fail) or one
 * check of a scenario (`caching:sep-2549-prompts-list-caching-hints`: that check may fail, every
 * other check of the scenario must pass). The verdict keeps the baseline honest both ways: a
 * failure outside it fails the run, and so does an entry that now passes or never ran.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';

/** One check of a scenario as the conformance CLI writes it to checks.json. */
export interface CheckResult {
  readonly id: string;
  /** SUCCESS, FAILURE, WARNING, SKIPPED or INFO; only FAILURE fails a scenario. */
  readonly status: string;
  readonly errorMessage?: string;
}

/** The checks one scenario produced in one pass (a scenario may legitimately have none). */
export interface ScenarioResult {
  readonly scenario: string;
  readonly checks: readonly CheckResult[];
}

/** One baseline entry. */
export interface BaselineEntry {
  /** As written: `scenario` or `scenario:check-id`. */
  readonly key: string;
  readonly scenario: string;
  readonly checkId?: string;
  readonly reason: string;
}

/** How one scenario run came out against the baseline. */
export type Outcome = 'passed' | 'expected-failure' | 'unexpected-failure' | 'unexpected-pass';

/** The verdict on one scenario run. */
export interface ScenarioVerdict {
  readonly scenario: string;
  readonly outcome: Outcome;
  /** Failing checks that no entry covers. */
  readonly unexpected: readonly CheckResult[];
  /** Entries for this scenario that did not fail. */
  readonly stale: readonly BaselineEntry[];
}

/**
 * Reads a baseline: a TOML table `[expected-failures]` of entry → non-empty reason. Throws naming
 * the problem for a malformed file, an empty reason, or a scenario listed both whole and per check.
 */
export function loadBaseline(file: string): BaselineEntry[] {
  const doc = parse(readFileSync(file, 'utf8'));
  const table = doc['expected-failures'];
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw new Error(
      `${file}: expected a table [expected-failures] of "scenario" or "scenario:check" = "reason"`,
    );
  }
  const entries = Object.entries(table).map(([key, reason]): BaselineEntry => {
    if (typeof reason !== 'string' || reason.trim() === '')
      throw new Error(`${file}: "${key}" needs a reason`);
    const colon = key.indexOf(':');
    if (colon === -1) return { key, scenario: key, reason };
    const scenario = key.slice(0, colon);
    const checkId = key.slice(colon + 1);
    if (!scenario || !checkId) throw new Error(`${file}: "${key}" is not "scenario" or "scenario:check"`);
    return { key, scenario, checkId, reason };
  });
  const whole = new Set(entries.filter((e) => e.checkId === undefined).map((e) => e.scenario));
  const redundant = entries.find((e) => e.checkId !== undefined && whole.has(e.scenario));
  if (redundant) throw new Error(`${file}: "${redundant.key}" is redundant: the whole scenario is listed`);
  return entries;
}

/** Judges one scenario run against the baseline. */
export function judgeScenario(result: ScenarioResult, baseline: readonly BaselineEntry[]): ScenarioVerdict {
  const failing = result.checks.filter((check) => check.status === 'FAILURE');
  const entries = baseline.filter((e) => e.scenario === result.scenario);
  const whole = entries.find((e) => e.checkId === undefined);
  const base = { scenario: result.scenario };
  if (whole) {
    return failing.length > 0
      ? { ...base, outcome: 'expected-failure', unexpected: [], stale: [] }
      : { ...base, outcome: 'unexpected-pass', unexpected: [], stale: [whole] };
  }
  const covered = new Set(entries.map((e) => e.checkId));
  const unexpected = failing.filter((check) => !covered.has(check.id));
  // A per-check entry is stale once its check succeeds; a check the run skipped proves nothing.
  const stale = entries.filter((e) =>
    result.checks.some((c) => c.id === e.checkId && c.status === 'SUCCESS'),
  );
  let outcome: Outcome = 'passed';
  if (unexpected.length > 0) outcome = 'unexpected-failure';
  else if (stale.length > 0) outcome = 'unexpected-pass';
  else if (failing.length > 0) outcome = 'expected-failure';
  return { ...base, outcome, unexpected, stale };
}

/** Baseline entries whose scenario (and check, for per-check entries) appears in none of `results`. */
export function unusedEntries(
  baseline: readonly BaselineEntry[],
  results: readonly ScenarioResult[],
): BaselineEntry[] {
  return baseline.filter(
    (entry) =>
      !results.some(
        (r) =>
          r.scenario === entry.scenario &&
          (entry.checkId === undefined || r.checks.some((c) => c.id === entry.checkId)),
      ),
  );
}
