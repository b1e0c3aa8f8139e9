/**
 * The guard on the real server: the smcp runtime (HTTP server, tool registry, embedded emulator
 * through the real driver) gets ~1 MB statements shaped to find super-linear paths in the guard
 * through `POST /mcp/tools/call`, while `GET /healthz` is asked over and over on other
 * connections. Nothing here measures time: the server must answer /healthz while the call is
 * still running (the call waits in the emulator until the test ends it), and every answer must be
 * the right one. Timing lives in bench/guard.ts.
 */
import { expect } from 'chai';
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { startRuntime } from '../../../src/daemon/runtime.js';
import type { Runtime } from '../../../src/daemon/runtime.js';
import { defineMcpSettings } from '../../../src/mcp/settings.js';
import { resolveConnectionSettings } from '../../../src/snowflake/settings.js';
import { readResponse } from '../../helpers/read-response.js';
import type { ReadResponse } from '../../helpers/read-response.js';

// execute_query takes at most 1,000,000 characters of SQL.
const SIZE = 990_000;

/** `head`, then `unit` repeated, then `tail`: about SIZE characters. */
const fill = (head: string, unit: string, tail: string): string =>
  head + unit.repeat(Math.floor((SIZE - head.length - tail.length) / unit.length)) + tail;

/** Starts a tools/call; `done` settles when the answer has been read (or the request failed). */
function callTool(base: string, sql: string): { req: ClientRequest; done: Promise<ReadResponse> } {
  const body = JSON.stringify({ name: 'execute_query', arguments: { sql } });
  let req!: ClientRequest;
  const done = new Promise<ReadResponse>((resolve, reject) => {
    req = request(
      `${base}/mcp/tools/call`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => void readResponse(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(body);
  });
  return { req, done };
}

function healthz(base: string): Promise<ReadResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/healthz`, { agent: false }, (res) => {
      readResponse(res).then(resolve, reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The error code and message of a tool result, or undefined for a success. */
function toolError(answer: ReadResponse): { code: string; message: string } | undefined {
  // The tool API puts a failed call's error object beside the result.
  const result = JSON.parse(answer.text) as { isError?: boolean; error?: { code: string; message: string } };
  return result.isError ? result.error : undefined;
}

describe('SQL guard on the running server', function () {
  this.timeout(120_000);
  let runtime: Runtime | undefined;
  let base = '';

  before(async () => {
    runtime = await startRuntime({
      resolved: resolveConnectionSettings({ env: {}, home: '/nonexistent-home-for-guard-tests' }),
      mcp: defineMcpSettings({}),
      http: { host: '127.0.0.1', port: 0 },
      healthIntervalMs: 3_600_000,
    });
    base = runtime.http.url;
  });

  after(async () => {
    await runtime?.close();
  });

  it('answers /healthz again and again while a 1 MB adversarial read is running', async () => {
    // A scalar call with a long dotted name (the old guard walked it back in quadratic time); the
    // emulator runs SELECT SYSTEM$WAIT(…) by waiting, so the call stays in flight until aborted.
    const sql = fill('SELECT SYSTEM$WAIT(90) AS w, ', 'a.', 'f(1)');
    expect(sql.length).to.be.within(SIZE - 10, 1_000_000);
    const emulator = runtime!.dataPath.emulator!;
    const statementsBefore = emulator.stats().statements;
    const call = callTool(base, sql);
    let callSettled = false;
    const settled = call.done.then(
      () => (callSettled = true),
      () => (callSettled = true),
    );
    // Ordering, not timing: /healthz is asked from the moment the call is sent, each time after
    // the last answer, until the statement has passed the guard and reached the emulator and
    // three more answers came after that; every answer must come while the call is unanswered.
    const answers: number[] = [];
    let afterGuard = 0;
    while (afterGuard < 3) {
      const reached = emulator.stats().statements > statementsBefore;
      const health = await healthz(base);
      expect(callSettled, 'the adversarial call ended before /healthz answered').to.equal(false);
      answers.push(health.status);
      if (reached) afterGuard++;
    }
    expect(
      answers.every((status) => status === 200),
      `statuses ${answers.join(', ')}`,
    ).to.equal(true);
    // End the waiting statement by going away; the server cancels it and frees the request.
    call.req.destroy();
    await settled;
    await waitUntil(() => runtime!.tracker.activeCount === 0);
  });

  const refused: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['a long dotted name called where a table goes', fill('SELECT * FROM ', 'a.', 'a()'), /as a table/],
    ['deep parentheses that never close', fill('SELECT ', '(', '1'), /unbalanced parentheses/],
    ['many small statements', fill('', 'SELECT 1;', ''), /statement 2 .* follows another one/],
    [
      'a comment hiding a second statement behind a carriage return',
      fill("SELECT 1 -- x\r'\n; DELETE FROM t; -- '", ' ', ''),
      /U\+000D/,
    ],
  ];
  for (const [what, sql, reason] of refused) {
    it(`refuses ${what} (1 MB) with one clear reason while /healthz answers`, async () => {
      const call = callTool(base, sql);
      const health = await Promise.all([healthz(base), healthz(base), healthz(base)]);
      const answer = await call.done;
      expect(health.map((h) => h.status)).to.deep.equal([200, 200, 200]);
      expect(answer.status).to.equal(200);
      const error = toolError(answer);
      expect(error?.code).to.equal('STATEMENT_REFUSED');
      expect(error?.message).to.match(reason);
      expect(error?.message.length).to.be.below(600);
      // And it still answers afterwards.
      expect((await healthz(base)).status).to.equal(200);
    });
  }
});

/** Polls `check` every 10 ms until it holds (the test's own timeout bounds it). */
async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}
