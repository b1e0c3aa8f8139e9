/**
 * A mocha reporter for bench/driver-suite.ts (CommonJS: the suite's own mocha loads it with
 * require). It appends one JSON line per event to the file named by SMCP_DRIVER_SUITE_EVENTS as the
 * event happens, so a file stopped at its time limit still leaves what it did:
 *   {event:'start', total}            tests mocha found in the file
 *   {event:'pass'|'pending', test}
 *   {event:'fail', test, hook, message, code, sql, queryId}   hook: true when a hook failed (test is its suite)
 *   {event:'notrun', test, blockedBy}  at the end, per test skipped because a hook of blockedBy failed
 *   {event:'end'}
 */
'use strict';
const { appendFileSync } = require('node:fs');

/** The statement text a driver error or the test's statement carries, when any. */
function sqlOf(err) {
  if (!err || typeof err !== 'object') return undefined;
  if (typeof err.sqlText === 'string') return err.sqlText;
  const statement = err.statement;
  if (statement && typeof statement.getSqlText === 'function') {
    try {
      return statement.getSqlText();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The Snowflake query id a driver error names, when any. */
function queryIdOf(err) {
  if (!err || typeof err !== 'object') return undefined;
  const data = err.data;
  if (data && typeof data === 'object' && typeof data.queryId === 'string') return data.queryId;
  return typeof err.queryId === 'string' ? err.queryId : undefined;
}

function messageOf(err) {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && typeof err.message === 'string') return err.message;
  try {
    return typeof err === 'string' ? err : JSON.stringify(err);
  } catch {
    return String(err);
  }
}

function DriverSuiteReporter(runner) {
  const out = process.env.SMCP_DRIVER_SUITE_EVENTS;
  const write = (event) => {
    if (out) appendFileSync(out, `${JSON.stringify(event)}\n`);
  };
  /** Suites whose hook failed, by fullTitle, in order. */
  const failedHooks = new Map();

  runner.once('start', () => write({ event: 'start', total: runner.total }));
  runner.on('pass', (test) => write({ event: 'pass', test: test.fullTitle() }));
  runner.on('pending', (test) => write({ event: 'pending', test: test.fullTitle() }));
  runner.on('fail', (runnable, err) => {
    const hook = runnable.type === 'hook';
    const suite = hook && runnable.parent ? runnable.parent.fullTitle() : null;
    if (hook && suite !== null && !failedHooks.has(suite)) failedHooks.set(suite, runnable.title);
    write({
      event: 'fail',
      test: hook ? (suite ?? '') : runnable.fullTitle(),
      hook,
      hookTitle: hook ? runnable.title : undefined,
      message: messageOf(err),
      code: err && typeof err === 'object' && err.code !== undefined ? String(err.code) : undefined,
      sql: sqlOf(err),
      queryId: queryIdOf(err),
    });
  });
  runner.once('end', () => {
    const visit = (suite, blockedBy) => {
      const here = failedHooks.has(suite.fullTitle()) ? suite.fullTitle() : blockedBy;
      for (const test of suite.tests) {
        if (test.state === undefined && !test.pending && !test.isPending()) {
          write({ event: 'notrun', test: test.fullTitle(), blockedBy: here });
        }
      }
      for (const child of suite.suites) visit(child, here);
    };
    visit(runner.suite, null);
    write({ event: 'end' });
  });
}

module.exports = DriverSuiteReporter;
