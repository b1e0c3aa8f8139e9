/**
 * The runtime dir's fallback (`$TMPDIR/smcp-<uid>` when XDG_RUNTIME_DIR is unset) sits where any
 * local user can create that name first. smcp uses it only when it is its own, a real directory and
 * mode 700; otherwise `smcp start` refuses with one line and `smcp status` never talks to a socket
 * inside it.
 */
import { expect } from 'chai';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedHome, runSmcp } from '../helpers/cli.js';
import type { IsolatedHome } from '../helpers/cli.js';
import { canSwitchUser, OTHER_UID } from '../helpers/other-user.js';

describe('runtime dir fallback', function () {
  this.timeout(60_000);
  let home: IsolatedHome;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let fallback: string;

  beforeEach(() => {
    home = isolatedHome();
    tmp = mkdtempSync(join(tmpdir(), 'smcp-tmp-'));
    env = { ...home.env, TMPDIR: tmp };
    delete env.XDG_RUNTIME_DIR;
    fallback = join(tmp, `smcp-${process.getuid!()}`);
  });
  afterEach(() => {
    home.remove();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function expectRefused(why: RegExp): Promise<void> {
    for (const args of [['start', '--port', '0'], ['status']]) {
      const run = await runSmcp(args, env);
      expect(run.code, `smcp ${args[0]}: ${run.stderr}`).to.equal(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines, run.stderr).to.have.length(1);
      expect(lines[0]).to.include(`refusing to use ${fallback}`).and.match(why);
      expect(run.stderr).to.not.match(/\n\s+at /);
    }
  }

  it('creates it private (700) and serves when it does not exist', async () => {
    const start = await runSmcp(['start', '--port', '0'], env, 40_000);
    try {
      expect(start.code, start.stderr).to.equal(0);
      expect(statSync(fallback).mode & 0o777).to.equal(0o700);
      const status = await runSmcp(['status'], env);
      expect(status.code, status.stderr).to.equal(0);
    } finally {
      await runSmcp(['stop'], env, 40_000);
    }
  });

  it('refuses a symbolic link planted in its place', async () => {
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, fallback);
    await expectRefused(/symbolic link/);
  });

  it('refuses one that others may write to', async () => {
    mkdirSync(fallback);
    chmodSync(fallback, 0o777);
    await expectRefused(/mode is 777, not 700/);
  });

  it('refuses one that belongs to another user', async function () {
    if (!canSwitchUser()) this.skip(); // chown to another uid needs root
    mkdirSync(fallback, { mode: 0o700 });
    chownSync(fallback, OTHER_UID, OTHER_UID);
    await expectRefused(new RegExp(`belongs to uid ${OTHER_UID}`));
  });
});
