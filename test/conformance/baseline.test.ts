import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeScenario, loadBaseline, unusedEntries } from './baseline.js';
import type { BaselineEntry, CheckResult } from './baseline.js';

const ok = (id: string): CheckResult => ({ id, status: 'SUCCESS' });
const bad = (id: string): CheckResult => ({ id, status: 'FAILURE', errorMessage: `${id} broke` });

const BASELINE: BaselineEntry[] = [
  { key: 'tools-call-simple-text', scenario: 'tools-call-simple-text', reason: 'fixture tool' },
  { key: 'caching:prompts-hint', scenario: 'caching', checkId: 'prompts-hint', reason: 'no prompts' },
];

describe('conformance baseline', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'smcp-baseline-test-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function write(text: string): string {
    const file = join(dir, `b${Math.random().toString(36).slice(2)}.toml`);
    writeFileSync(file, text);
    return file;
  }

  it('reads whole-scenario and per-check entries with their reasons', () => {
    const entries = loadBaseline(
      write('[expected-failures]\n"ping" = "why"\n"caching:sep-2549-prompts" = "no prompts"\n'),
    );
    expect(entries).to.deep.equal([
      { key: 'ping', scenario: 'ping', reason: 'why' },
      {
        key: 'caching:sep-2549-prompts',
        scenario: 'caching',
        checkId: 'sep-2549-prompts',
        reason: 'no prompts',
      },
    ]);
  });

  it('refuses an entry without a reason', () => {
    expect(() => loadBaseline(write('[expected-failures]\n"ping" = " "\n'))).to.throw(
      /"ping" needs a reason/,
    );
  });

  it('refuses a per-check entry for a scenario that is listed whole', () => {
    expect(() => loadBaseline(write('[expected-failures]\n"ping" = "a"\n"ping:x" = "b"\n'))).to.throw(
      /redundant/,
    );
  });

  it('refuses a file without the expected-failures table', () => {
    expect(() => loadBaseline(write('ping = "a"\n'))).to.throw(/\[expected-failures\]/);
  });

  it('passes a scenario with no failing check and no entry, warnings included', () => {
    const verdict = judgeScenario(
      { scenario: 'ping', checks: [ok('a'), { id: 'b', status: 'WARNING' }] },
      BASELINE,
    );
    expect(verdict.outcome).to.equal('passed');
  });

  it('fails a scenario outside the baseline that has a failing check', () => {
    const verdict = judgeScenario({ scenario: 'ping', checks: [ok('a'), bad('b')] }, BASELINE);
    expect(verdict.outcome).to.equal('unexpected-failure');
    expect(verdict.unexpected.map((c) => c.id)).to.deep.equal(['b']);
  });

  it('accepts a listed scenario that fails and flags it once it passes', () => {
    const failing = judgeScenario({ scenario: 'tools-call-simple-text', checks: [bad('x')] }, BASELINE);
    expect(failing.outcome).to.equal('expected-failure');
    const passing = judgeScenario({ scenario: 'tools-call-simple-text', checks: [ok('x')] }, BASELINE);
    expect(passing.outcome).to.equal('unexpected-pass');
    expect(passing.stale.map((e) => e.key)).to.deep.equal(['tools-call-simple-text']);
  });

  it('tolerates only the listed check of a per-check entry', () => {
    const expected = judgeScenario(
      { scenario: 'caching', checks: [ok('tools-hint'), bad('prompts-hint')] },
      BASELINE,
    );
    expect(expected.outcome).to.equal('expected-failure');
    const other = judgeScenario(
      { scenario: 'caching', checks: [bad('tools-hint'), bad('prompts-hint')] },
      BASELINE,
    );
    expect(other.outcome).to.equal('unexpected-failure');
    expect(other.unexpected.map((c) => c.id)).to.deep.equal(['tools-hint']);
    const stale = judgeScenario(
      { scenario: 'caching', checks: [ok('tools-hint'), ok('prompts-hint')] },
      BASELINE,
    );
    expect(stale.outcome).to.equal('unexpected-pass');
  });

  it('names entries whose scenario or check never ran', () => {
    const unused = unusedEntries(BASELINE, [{ scenario: 'caching', checks: [ok('tools-hint')] }]);
    expect(unused.map((e) => e.key)).to.deep.equal(['tools-call-simple-text', 'caching:prompts-hint']);
  });
});
