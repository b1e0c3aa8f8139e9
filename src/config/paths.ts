/**
 * Where smcp keeps its files, the XDG way (env-paths): settings in the config dir, lowdb state
 * and emulator data in the data dir, JSON-line logs in the state dir, pidfile and admin socket in
 * the runtime dir. XDG_* variables and HOME move every one of them, which is how tests isolate.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { SmcpError } from '../errors.js';
import { checkPrivateDir } from './private-dir.js';

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
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const runtime = env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'smcp')
    : join(env.TMPDIR ?? tmpdir(), `smcp-${uid}`);
  if (process.platform === 'darwin' || process.platform === 'win32') {
    const base = envPaths('smcp', { suffix: '' });
    return { config: base.config, data: base.data, cache: base.cache, log: base.log, runtime };
  }
  // The XDG rules env-paths applies, but read from `env` (env-paths only reads process.env).
  const home = env.HOME || homedir();
  const xdg = (name: string, fallback: string): string => join(env[name] || join(home, fallback), 'smcp');
  return {
    config: xdg('XDG_CONFIG_HOME', '.config'),
    data: xdg('XDG_DATA_HOME', '.local/share'),
    cache: xdg('XDG_CACHE_HOME', '.cache'),
    log: xdg('XDG_STATE_HOME', '.local/state'),
    runtime,
  };
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

/** The files of one daemon, all derived from {@link SmcpPaths}. */
export interface DaemonFiles {
  /** Pidfile, created exclusively by the daemon (runtime dir). */
  readonly pidfile: string;
  /** The admin API's Unix socket, 0600 (runtime dir). */
  readonly socket: string;
  /** Where the daemon serves MCP and its token, for `smcp stdio` bridges; 0600 (runtime dir). */
  readonly endpoint: string;
  /** JSON-line log written by the daemon, rotated by size to `smcp.log.1` … (log dir). */
  readonly logFile: string;
  /** The detached daemon's raw stdout/stderr: crash output that never reached the logger (log dir). */
  readonly outFile: string;
  /** lowdb state: daemon history and small state; the daemon is its only writer (data dir). */
  readonly stateFile: string;
  /** smcp's own settings (config dir); values act as defaults under command-line flags. */
  readonly configFile: string;
}

/** Where the daemon's files live for `paths`. */
export function daemonFiles(paths: SmcpPaths): DaemonFiles {
  return {
    pidfile: join(paths.runtime, 'smcp.pid'),
    socket: join(paths.runtime, 'admin.sock'),
    endpoint: join(paths.runtime, 'endpoint.json'),
    logFile: join(paths.log, 'smcp.log'),
    outFile: join(paths.log, 'daemon.out'),
    stateFile: join(paths.data, 'state.json'),
    configFile: join(paths.config, 'config.toml'),
  };
}

/**
 * Creates the runtime dir (pidfile, admin socket) if needed and checks it is private. Under
 * `$XDG_RUNTIME_DIR` (the user's own by spec) loose permissions are fixed; the shared temp-dir
 * fallback (`/tmp/smcp-<uid>`) is used only when it is ours, a real directory and mode 700, since
 * anyone can create that name first. Throws CONFIG_INVALID naming the directory.
 */
export function ensureRuntimeDir(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  const underXdg = Boolean(env.XDG_RUNTIME_DIR);
  try {
    // Not recursive under /tmp: the fallback's parent is the shared temp dir, never created here.
    mkdirSync(dir, { recursive: underXdg, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      const reason = err instanceof Error ? err.message : String(err);
      throw new SmcpError('CONFIG_INVALID', `cannot use directory ${dir}: ${reason}`, { file: dir });
    }
  }
  checkPrivateDir(dir, { fixMode: underXdg });
  return dir;
}
