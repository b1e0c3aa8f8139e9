/**
 * Runs a small script as another local OS user, to prove what smcp does with connections from
 * users other than its own. Needs root (to switch uid); `canSwitchUser()` says whether it can,
 * and tests skip with that reason where it cannot.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A uid and gid no real account uses on the test machines. */
export const OTHER_UID = 54321;

/** True when this process may start processes as another user. */
export function canSwitchUser(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0 && process.platform === 'linux';
}

/** True when any user may run `file`: it and every directory above it are open to others. */
function openToOthers(file: string): boolean {
  try {
    if ((statSync(file).mode & 0o001) === 0) return false;
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return false;
      if (dir === dirname(dir)) return true;
    }
  } catch {
    return false;
  }
}

/**
 * A Node binary the other user can run: this process's own, unless it sits under a private
 * directory (a checkout in a 0700 temp dir), else the first one on PATH that is open to others.
 */
function nodeForOtherUser(): string {
  if (openToOthers(process.execPath)) return process.execPath;
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/local/bin', '/usr/bin'])) {
    const candidate = join(dir, 'node');
    if (dir !== '' && openToOthers(candidate)) return candidate;
  }
  throw new Error(
    `no Node binary that uid ${OTHER_UID} may run (${process.execPath} sits in a private directory)`,
  );
}

/**
 * Runs `script` (an ES module body; top-level await is fine) with Node as OTHER_UID and resolves
 * with what it printed on stdout, parsed as JSON. Rejects with its stderr when it fails.
 */
export function runAsOtherUser<T>(script: string, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodeForOtherUser(), ['--input-type=module', '-e', script], {
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
