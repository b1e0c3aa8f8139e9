/**
 * What the Snowflake connectors say about the permissions of their settings files, said by smcp
 * too: a file others may write to is refused (snowflake-sdk, the Python connector and gosnowflake
 * all refuse it), and a file holding a secret that others may read, or that another user owns,
 * gets the connectors' "bad owner or permissions" warning. The connectors' variables silence the
 * checks: SKIP_TOKEN_FILE_PERMISSIONS_VERIFICATION (snowflake-sdk: both) and
 * SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE (Python connector, gosnowflake: the warning).
 */
import type { Stats } from 'node:fs';
import { displayPath } from '../config/settings-source.js';
import { SmcpError } from '../errors.js';
import { isSecretKey } from './connection-keys.js';

/** The environment the checks read (passed in; nothing here reads process.env). */
type Env = Readonly<Record<string, string | undefined>>;

const GROUP_OR_OTHERS_WRITE = 0o022;
const GROUP_OR_OTHERS_READ = 0o044;

function skipped(env: Env): boolean {
  return process.platform === 'win32' || Boolean(env.SKIP_TOKEN_FILE_PERMISSIONS_VERIFICATION);
}

/**
 * Throws CONFIG_INVALID when group or others may write to `file`: whoever can edit it can point
 * smcp at another account or switch its key.
 */
export function refuseWritableByOthers(file: string, stats: Stats, env: Env, home: string): void {
  if (skipped(env)) return;
  const mode = stats.mode & 0o777;
  if ((mode & GROUP_OR_OTHERS_WRITE) !== 0) {
    throw new SmcpError(
      'CONFIG_INVALID',
      `${displayPath(file, home)} is writable by group or others (mode ${mode.toString(8)}); run chmod 600 on it`,
      { file },
    );
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The first key holding a secret (`password`, `token`, …) anywhere in `parsed`, if any. */
export function secretKeyIn(parsed: Readonly<Record<string, unknown>>): string | undefined {
  for (const [key, value] of Object.entries(parsed)) {
    if (isTable(value)) {
      const inner = secretKeyIn(value);
      if (inner !== undefined) return inner;
    } else if (isSecretKey(key) && value !== '') {
      return key;
    }
  }
  return undefined;
}

/**
 * One warning line when `file` holds a secret and group or others can read it, or it belongs to
 * another user (root excepted, as the connectors do); undefined otherwise. The line names the file,
 * the secret's key and the command that fixes it.
 */
export function permissionWarning(
  file: string,
  stats: Stats,
  parsed: Readonly<Record<string, unknown>>,
  env: Env,
  home: string,
): string | undefined {
  if (skipped(env)) return undefined;
  const skipWarning = env.SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE ?? '';
  if (['true', '1'].includes(skipWarning.toLowerCase())) return undefined;
  const secret = secretKeyIn(parsed);
  if (secret === undefined) return undefined;
  const shown = displayPath(file, home);
  const mode = stats.mode & 0o777;
  const readable = (mode & GROUP_OR_OTHERS_READ) !== 0;
  const uid = process.getuid?.();
  const foreign = uid !== undefined && stats.uid !== uid && stats.uid !== 0;
  if (!readable && !foreign) return undefined;
  const problems = [
    ...(readable ? [`group or others can read it (mode ${mode.toString(8)})`] : []),
    ...(foreign ? [`it belongs to uid ${stats.uid}, not to you`] : []),
  ];
  const fixes = [...(foreign ? [`chown $USER ${shown}`] : []), ...(readable ? [`chmod 0600 ${shown}`] : [])];
  return `bad owner or permissions on ${shown}: it holds a secret (${secret}) and ${problems.join(' and ')}; run ${fixes.join(' and ')}`;
}
