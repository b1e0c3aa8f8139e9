/**
 * Runs a small script as another local OS user, to prove what smcp does with connections from
 * users other than its own. Needs root (to switch uid); `canSwitchUser()` says whether it can,
 * and tests skip with that reason where it cannot.
 */
import { spawn } from 'node:child_process';

/** A uid and gid no real account uses on the test machines. */
export const OTHER_UID = 54321;

/** True when this process may start processes as another user. */
export function canSwitchUser(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0 && process.platform === 'linux';
}

/**
 * Runs `script` (an ES module body; top-level await is fine) with Node as OTHER_UID and resolves
 * with what it printed on stdout, parsed as JSON. Rejects with its stderr when it fails.
 */
export function runAsOtherUser<T>(script: string, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      uid: OTHER_UID,
      gid: OTHER_UID,
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`script as uid ${OTHER_UID} failed (${code}): ${err}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`script as uid ${OTHER_UID} printed no JSON: ${out}${err}`));
      }
    });
  });
}
