/**
 * The check that a directory smcp keeps its pidfile and admin socket in is really its own. Light
 * on imports (node:fs only): the CLI runs it before every admin request.
 */
import { chmodSync, lstatSync } from 'node:fs';
import { SmcpError } from '../errors.js';

/** The current user's uid (undefined where the platform has none). */
function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/**
 * Checks that `dir` is smcp's own private directory: a real directory (not a symlink), owned by
 * the current user, not readable or writable by anyone else. Throws CONFIG_INVALID with one line
 * saying what is wrong and how to fix it, as ssh and tmux do. `fixMode` makes a directory of ours
 * with loose permissions private instead of refusing it.
 */
export function checkPrivateDir(dir: string, options: { fixMode?: boolean } = {}): void {
  const refuse = (why: string): never => {
    throw new SmcpError(
      'CONFIG_INVALID',
      `refusing to use ${dir}: ${why}; remove it (or set XDG_RUNTIME_DIR to a private directory) and try again`,
      { file: dir },
    );
  };
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink()) refuse('it is a symbolic link, not a directory');
  if (!stat.isDirectory()) refuse('it is not a directory');
  const uid = currentUid();
  if (uid !== undefined && stat.uid !== uid) refuse(`it belongs to uid ${stat.uid}, not to you (uid ${uid})`);
  if ((stat.mode & 0o077) !== 0) {
    if (!options.fixMode) refuse(`its mode is ${(stat.mode & 0o777).toString(8)}, not 700`);
    chmodSync(dir, 0o700);
  }
}
