/**
 * Maps resolved connection settings to snowflake-sdk connection options, one authenticator at a
 * time: password, key pair (file + optional passphrase), OAuth token, programmatic access token,
 * external browser (with the driver's token cache). Tokens from files are read at connect time so
 * a rotated token file is picked up by new pooled connections.
 */

import type { ConnectionOptions } from 'snowflake-sdk';
import { DRIVER_FETCH_AS_STRING } from './serialize.js';
import { readTokenFile } from './settings.js';
import type { ConfiguredConnection } from './settings.js';

/** Knobs of the driver connection that are not user settings. */
export interface DriverTuning {
  /** Login retries on transient failures; small, because a refused port would retry for 25 s+. */
  readonly loginRetries?: number;
  /** Application name reported to Snowflake (shows in query history and login history). */
  readonly application?: string;
}

/**
 * The driver options for a configured connection. Always sets `account` (without it the driver
 * guesses it from the host) and `accessUrl` when host, port or protocol are given.
 */
export function buildDriverOptions(conn: ConfiguredConnection, tuning: DriverTuning = {}): ConnectionOptions {
  const s = conn.settings;
  const auth = s.authenticator.value;
  const options: Record<string, unknown> = {
    account: s.account.value,
    authenticator: auth,
    application: tuning.application ?? 'smcp',
    sfRetryMaxLoginRetries: tuning.loginRetries ?? 1,
    // Rows are decoded by smcp from these raw forms; see serialize.ts.
    fetchAsString: [...DRIVER_FETCH_AS_STRING],
    rowMode: 'array',
    // Otherwise values fetched as strings come back as the text "NULL" instead of null.
    representNullAsStringNull: false,
  };
  if (s.user) options.username = s.user.value;
  if (s.warehouse) options.warehouse = s.warehouse.value;
  if (s.database) options.database = s.database.value;
  if (s.schema) options.schema = s.schema.value;
  if (s.role) options.role = s.role.value;
  if (s.host || s.port || s.protocol) {
    const host = s.host?.value ?? `${s.account.value}.snowflakecomputing.com`;
    const protocol = s.protocol?.value ?? 'https';
    const port = s.port ? `:${s.port.value}` : '';
    options.accessUrl = `${protocol}://${host}${port}`;
  }

  switch (auth) {
    case 'SNOWFLAKE':
    case 'USERNAME_PASSWORD_MFA':
      options.password = s.password?.value;
      break;
    case 'SNOWFLAKE_JWT':
      options.privateKeyPath = s.privateKeyPath?.value;
      if (s.privateKeyPassphrase) options.privateKeyPass = s.privateKeyPassphrase.value;
      break;
    case 'OAUTH':
    case 'PROGRAMMATIC_ACCESS_TOKEN':
      options.token = s.token?.value ?? (s.tokenFilePath ? readTokenFile(s.tokenFilePath) : undefined);
      break;
    case 'EXTERNALBROWSER':
      // The driver caches the ID token in its credential cache so each pooled connection does not
      // open another browser window.
      options.clientStoreTemporaryCredential = true;
      break;
    default:
      if (s.password) options.password = s.password.value;
      break;
  }
  return options;
}
