/**
 * A home for one background daemon driven through the real CLI: isolated XDG dirs, HOME and
 * PM2_HOME, the daemon's files, `smcp` bound to the home, and a cleanup that stops the daemon (by
 * PID when the CLI cannot) and removes the home. Shared by the daemon and stdio-bridge tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { DaemonStatus } from '../../src/admin/protocol.js';
import { daemonFiles, resolvePaths } from '../../src/config/paths.js';
import type { DaemonFiles } from '../../src/config/paths.js';
import { isolatedHome, pidAlive, runSmcp } from '../helpers/cli.js';
import type { CliRun, IsolatedHome } from '../helpers/cli.js';

/** A home with the CLI bound to it, and maybe a daemon. */
export interface DaemonHome {
  readonly home: IsolatedHome;
  readonly env: Record<string, string>;
  readonly files: DaemonFiles;
  smcp(args: string[], timeoutMs?: number): Promise<CliRun>;
  status(): Promise<DaemonStatus>;
  /** Stops the daemon (by pid if the CLI cannot) and removes the home. */
  cleanup(): Promise<void>;
}

/** A fresh isolated home named `prefix…`; `extraEnv` adds variables (SMCP_TOKEN). */
export function daemonHome(prefix = 'smcp-test-home-', extraEnv: Record<string, string> = {}): DaemonHome {
  const home = isolatedHome({ prefix });
  const env: Record<string, string> = { PM2_HOME: join(home.home, 'pm2'), ...extraEnv };
  for (const [key, value] of Object.entries(home.env)) if (value !== undefined) env[key] ??= value;
  const files = daemonFiles(resolvePaths(env));
  const smcp = (args: string[], timeoutMs?: number): Promise<CliRun> => runSmcp(args, env, timeoutMs);
  return {
    home,
    env,
    files,
    smcp,
    status: async () => {
      const run = await smcp(['status', '--json']);
      expect(run.code, run.stderr).to.equal(0);
      return JSON.parse(run.stdout) as DaemonStatus;
    },
    cleanup: async () => {
      const pidText = existsSync(files.pidfile) ? readFileSync(files.pidfile, 'utf8') : '';
      await smcp(['stop', '--force', '--timeout', '0']).catch(() => undefined);
      const pid = Number.parseInt(pidText, 10);
      if (pid > 0 && pidAlive(pid)) process.kill(pid, 'SIGKILL');
      home.remove();
    },
  };
}
