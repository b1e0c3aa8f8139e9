/**
 * Presentation of resolved connection settings for `smcp config show` and logs: one row per
 * setting with its value and provenance, secrets redacted (their source still shown). Also builds
 * the settings for smcp's embedded emulator, so the daemon has one shape for both backends.
 */

import { REDACTED, sourced } from '../config/settings-source.js';
import type { SettingSource, Sourced } from '../config/settings-source.js';
import { SETTING_SPECS } from './settings-keys.js';
import type { ConfiguredConnection, ResolvedConnection } from './settings.js';

/** One displayed setting. */
export interface SettingRow {
  /** The snake_case name used in connections.toml (`connection` for the connection name). */
  readonly key: string;
  /** The value, or REDACTED for secrets. */
  readonly value: string | number;
  readonly source: SettingSource;
  readonly origin: string;
}

/**
 * Rows for every setting that has a value, starting with the connection name. Secrets (password,
 * passphrase, token) show as REDACTED unless `reveal` is true.
 */
export function describeConnection(
  resolved: ResolvedConnection,
  options: { reveal?: boolean } = {},
): SettingRow[] {
  const rows: SettingRow[] = [row('connection', resolved.connectionName)];
  if (!resolved.configured) return rows;
  const settings = resolved.settings as Record<string, Sourced<string | number> | undefined>;
  for (const spec of SETTING_SPECS) {
    const value = settings[spec.key];
    if (value === undefined) continue;
    rows.push(row(spec.fileKeys[0] ?? spec.key, value, spec.secret && !options.reveal));
  }
  return rows;
}

function row(key: string, value: Sourced<string | number>, redact = false): SettingRow {
  return { key, value: redact ? REDACTED : value.value, source: value.source, origin: value.origin };
}

/** Where the embedded emulator listens and whom it lets in. */
export interface EmulatorEndpoint {
  readonly host: string;
  readonly port: number;
  readonly account: string;
  readonly user: string;
  readonly password: string;
  readonly warehouse?: string;
  readonly database?: string;
  readonly schema?: string;
  readonly role?: string;
}

/** Settings that point the client layer at smcp's own emulator (plain http on loopback). */
export function emulatorConnection(endpoint: EmulatorEndpoint): ConfiguredConnection {
  const d = <T>(value: T): Sourced<T> => sourced(value, 'default', 'embedded emulator');
  return {
    configured: true,
    connectionName: d('emulator'),
    filesRead: [],
    settings: {
      account: d(endpoint.account),
      authenticator: d('SNOWFLAKE'),
      user: d(endpoint.user),
      password: d(endpoint.password),
      host: d(endpoint.host),
      port: d(endpoint.port),
      protocol: d('http'),
      ...(endpoint.warehouse ? { warehouse: d(endpoint.warehouse) } : {}),
      ...(endpoint.database ? { database: d(endpoint.database) } : {}),
      ...(endpoint.schema ? { schema: d(endpoint.schema) } : {}),
      ...(endpoint.role ? { role: d(endpoint.role) } : {}),
    },
  };
}
