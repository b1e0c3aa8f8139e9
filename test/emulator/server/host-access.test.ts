/**
 * Through the real driver, the emulator refuses every DuckDB statement that would touch the host's
 * files or settings, with Snowflake's errors; nothing is created or leaked, and nothing reaches the
 * process's stdout (checked in a child process whose stdout is captured).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Connection } from 'snowflake-sdk';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { hostFixture, hostStatements, type HostFixture } from '../host-statements.js';
import { connect, destroy, execute } from './driver.js';
import { ALICE_PASSWORD, startTestEmulator } from './harness.js';

const CHILD = fileURLToPath(new URL('./host-access-child.ts', import.meta.url));

describe('emulator wire server: no access to the host', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let conn: Connection;
  let files: HostFixture;

  before(async function () {
    files = hostFixture();
    emulator = await startTestEmulator();
    conn = await connect(emulator, { username: 'alice', password: ALICE_PASSWORD });
  });

  after(async function () {
    if (conn) await destroy(conn);
    await emulator?.close();
    files?.remove();
  });

  it('answers every such statement with a Snowflake error and creates nothing', async function () {
    for (const { sql, code } of hostStatements(files)) {
      const err = await execute(conn, sql).then(
        () => ({ code: 'no error', message: '' }),
        (e: unknown) => e as { code?: unknown; message?: unknown },
      );
      expect(String(err.code), sql).to.equal(code);
      expect(String(err.message), sql).to.not.include(files.secret);
    }
    expect(files.entries()).to.deep.equal(['secret.csv']);
    const { rows } = await execute(conn, 'SELECT 1 AS ONE');
    expect(rows).to.deep.equal([{ ONE: 1 }]);
  });

  it('prints nothing to stdout, whatever is asked', async function () {
    const child = fork(
      CHILD,
      [JSON.stringify({ dir: files.dir, secretFile: files.secretFile, secret: files.secret })],
      {
        execArgv: ['--import', 'tsx'],
        silent: true,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    const report = new Promise<{ codes: { sql: string; code: string }[] }>((resolve) =>
      child.once('message', (m) => resolve(m as { codes: { sql: string; code: string }[] })),
    );
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const { codes } = await report;
      expect(await exit, stderr).to.equal(0);
      expect(stdout.slice(0, 2000)).to.equal('');
      const expected = hostStatements(files);
      expect(codes.map((c) => c.code)).to.deep.equal(expected.map((e) => e.code));
      expect(files.entries()).to.deep.equal(['secret.csv']);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });
});
