/**
 * What a reload asks the daemon to serve (the settings files read again) and what it answers: the
 * tool host's outcome plus the settings the files changed, those applied to new calls and those
 * that wait for a restart (a listener cannot move to another port under its open sessions).
 */
import type { ReloadAnswer } from '../admin/protocol.js';
import { displayPath } from '../config/settings-source.js';
import { SmcpError } from '../errors.js';
import type { ConnectionsWanted, ReloadOutcome } from './tool-host.js';

/** The connections, settings and SQL tools read again for a reload. */
export interface ReloadRequest extends ConnectionsWanted {
  /** config.toml keys whose values changed and that the reload applies (`max_rows`). */
  readonly settings?: readonly string[];
  /** config.toml keys whose values changed but that only a restart applies (`port`). */
  readonly needsRestart?: readonly string[];
  /** Called once the reload is in place, so the next one compares with what this one applied. */
  applied?(): void;
}

/** The answer to `smcp reload`: `outcome` with what `request` said of the settings. */
export function reloadAnswer(outcome: ReloadOutcome, request: ReloadRequest): ReloadAnswer {
  const settings = [...(request.settings ?? [])];
  return {
    ...outcome,
    changed: outcome.changed || settings.length > 0,
    settings,
    needsRestart: [...(request.needsRestart ?? [])],
  };
}

/**
 * `err` naming config.toml when it is about a SQL tool of that file but does not say which file
 * (the tool host checks a tool's connection against the connections served, knowing no file).
 */
export function inConfigFile(err: unknown, configFile: string): unknown {
  if (!(err instanceof SmcpError) || err.details.file !== undefined) return err;
  const field = err.details.field;
  if (typeof field !== 'string' || !field.startsWith('sql_tools.')) return err;
  return new SmcpError(err.code, `${displayPath(configFile)} ${err.message}`, {
    ...err.details,
    file: configFile,
  });
}
