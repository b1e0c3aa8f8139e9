/**
 * A new user's first minutes: the README's `npm install -g .` puts `smcp` on PATH (tried in a temp
 * prefix), and a checkout that was never built says so in one line instead of a stack trace.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nestedNpmEnv } from '../helpers/node-lts.js';
import { runProcess, SMCP_BIN } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('installing smcp', function () {
  this.timeout(120_000);

  it('puts smcp on PATH with the README\'s "npm install -g ." (into a temp prefix)', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'smcp-prefix-'));
    try {
      const env = { ...nestedNpmEnv(), npm_config_prefix: prefix };
      const install = spawnSync('npm', ['install', '-g', '--no-audit', '--no-fund', '.'], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 100_000,
      });
      expect(install.status, install.stderr).to.equal(0);
      const path = `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`;
      const found = spawnSync('sh', ['-c', 'command -v smcp && smcp --version'], {
        env: { ...process.env, PATH: path },
        encoding: 'utf8',
      });
      expect(found.status, found.stderr).to.equal(0);
      const [where, version] = found.stdout.trim().split('\n');
      expect(where).to.equal(join(prefix, 'bin', 'smcp'));
      expect(version).to.match(/^\d+\.\d+\.\d+/);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it('says in one line that a checkout is not built yet, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smcp-unbuilt-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(SMCP_BIN, join(dir, 'bin', 'smcp'));
      const run = await runProcess(join(dir, 'bin', 'smcp'), ['status'], { env: process.env });
      expect(run.code).to.equal(2);
      expect(run.stderr.trim().split('\n')).to.have.length(1);
      expect(run.stderr).to.match(/^smcp: not built yet: run "npm install"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
