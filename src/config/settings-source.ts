/**
 * Values that remember where they came from. Every layer of smcp's settings (flags, environment,
 * files, built-in defaults) produces `Sourced` values, so `smcp config show` can tell the user which
 * file, variable or flag set each one, and errors can name the exact place of a bad value.
 */

import { homedir } from 'node:os';
import { sep } from 'node:path';

/** Where a setting came from, highest precedence first: flag > env > file > default. */
export type SettingSource = 'flag' | 'env' | 'file' | 'default';

/** Precedence rank of each source; a lower number wins. */
export const SOURCE_PRECEDENCE: Readonly<Record<SettingSource, number>> = {
  flag: 0,
  env: 1,
  file: 2,
  default: 3,
};

/**
 * A value with its provenance. `origin` is human-readable and precise: `--user`, `SNOWFLAKE_USER`,
 * `~/.snowflake/connections.toml [prod] user`, or `default`.
 */
export interface Sourced<T> {
  readonly value: T;
  readonly source: SettingSource;
  readonly origin: string;
}

/** Builds a frozen Sourced value. */
export function sourced<T>(value: T, source: SettingSource, origin: string): Sourced<T> {
  return Object.freeze({ value, source, origin });
}

/**
 * Returns the candidate with the highest precedence (flag before env before file before default),
 * ignoring undefined ones; among candidates of the same source the first given wins.
 */
export function pickSourced<T>(...candidates: (Sourced<T> | undefined)[]): Sourced<T> | undefined {
  let best: Sourced<T> | undefined;
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    if (best === undefined || SOURCE_PRECEDENCE[candidate.source] < SOURCE_PRECEDENCE[best.source]) {
      best = candidate;
    }
  }
  return best;
}

/** Maps a Sourced value to another value while keeping its provenance. */
export function mapSourced<T, U>(input: Sourced<T>, fn: (value: T) => U): Sourced<U> {
  return sourced(fn(input.value), input.source, input.origin);
}

/**
 * Shortens a path under the home directory to `~/…` for display. Paths elsewhere are returned
 * unchanged. `home` defaults to the current user's home directory.
 */
export function displayPath(path: string, home: string = homedir()): string {
  if (home && (path === home || path.startsWith(home + sep))) return '~' + path.slice(home.length);
  return path;
}

/** The text shown in place of a secret value. */
export const REDACTED = '••••••';
