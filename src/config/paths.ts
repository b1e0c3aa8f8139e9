/**
 * Where smcp keeps its files, the XDG way (env-paths): settings in the config dir, lowdb state
 * and emulator data in the data dir, JSON-line logs in the state dir, pidfile and admin socket in
 * the runtime dir. XDG_* variables and HOME move every one of them, which is how tests isolate.
 */
import { mkdirSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { SmcpError } from '../errors.js';

/** The directories smcp uses. Nothing is created until {@link ensurePrivateDir} is called. */
export interface SmcpPaths {
  config: string;
  data: string;
  cache: string;
  log: string;
  runtime: string;
}

/** Longest Unix socket path Linux accepts; Node silently truncates longer ones. */
export const MAX_SOCKET_PATH_BYTES = 107;

/**
 * Resolves smcp's directories from the environment (default: `process.env`). The runtime dir is
 * `$XDG_RUNTIME_DIR/smcp`, else a per-user dir under the system temp dir.
 */
export function resolvePaths(env: NodeJS.ProcessEnv = process.env): SmcpPaths {
  const base = envPaths('smcp', { suffix: '' });
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const runtime = env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'smcp')
    : join(env.TMPDIR ?? tmpdir(), `smcp-${uid}`);
  return { config: base.config, data: base.data, cache: base.cache, log: base.log, runtime };
}

/**
 * Creates `dir` (and parents) if needed and makes it private (0700). Throws CONFIG_INVALID naming
 * the directory when it cannot be created or is not a directory.
 */
export function ensurePrivateDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    if (!stat.isDirectory()) throw new Error('not a directory');
    if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return dir;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new SmcpError('CONFIG_INVALID', `cannot use directory ${dir}: ${reason}`, { file: dir });
  }
}
