/**
 * The catalogue of connection settings smcp understands: their names in connections.toml /
 * config.toml (the snake_case keys snowflake-sdk, the Python connector and the Snowflake CLI use),
 * in the environment, on the command line, and how each value is validated (zod).
 */

import { z } from 'zod';
import { normalizeKey } from './connection-keys.js';

/** Authenticators snowflake-sdk 3.x accepts (plus Okta native SSO URLs, checked separately). */
export const AUTHENTICATORS = [
  'SNOWFLAKE',
  'SNOWFLAKE_JWT',
  'OAUTH',
  'PROGRAMMATIC_ACCESS_TOKEN',
  'EXTERNALBROWSER',
  'USERNAME_PASSWORD_MFA',
  'OAUTH_AUTHORIZATION_CODE',
  'OAUTH_CLIENT_CREDENTIALS',
  'WORKLOAD_IDENTITY',
] as const;

/** A Snowflake authenticator name in upper case, or an Okta URL (`https://<org>.okta.com`). */
export type Authenticator = (typeof AUTHENTICATORS)[number] | `https://${string}`;

/** Canonical setting keys (camelCase, as smcp and the driver name them). */
export type SettingKey =
  | 'account'
  | 'user'
  | 'password'
  | 'authenticator'
  | 'privateKeyPath'
  | 'privateKeyPassphrase'
  | 'token'
  | 'tokenFilePath'
  | 'warehouse'
  | 'database'
  | 'schema'
  | 'role'
  | 'host'
  | 'port'
  | 'protocol';

/** How one setting is spelled in each layer and how its value is checked. */
export interface SettingSpec {
  readonly key: SettingKey;
  /** Keys accepted in a TOML connection table; the first is the canonical spelling. */
  readonly fileKeys: readonly string[];
  /** Environment variables, highest priority first. */
  readonly envVars: readonly string[];
  /**
   * The smcp command-line flag, e.g. `--private-key-path`; `--snowflake-host/-port/-protocol` for
   * the endpoint (plain `--host/--port` bind smcp's own servers). Undefined for secrets: they have
   * no flag on purpose, since command lines are visible to every user through `ps`.
   */
  readonly flag: string | undefined;
  /** Secrets are redacted in `smcp config show` and never logged. */
  readonly secret: boolean;
  /** Validates and normalizes a raw value; failure messages read well after "<origin>: ". */
  readonly schema: z.ZodType<string | number>;
}

const text = z.string({ error: 'must be a text value' }).trim().min(1, { error: 'must not be empty' });

const PORT_ERROR = { error: 'must be an integer from 1 to 65535' };
const port = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
  z.number(PORT_ERROR).int(PORT_ERROR).min(1, PORT_ERROR).max(65535, PORT_ERROR),
);

const protocol = z
  .string({ error: 'must be "http" or "https"' })
  .trim()
  .toLowerCase()
  .pipe(z.enum(['http', 'https'], { error: 'must be "http" or "https"' }));

const authenticator = z
  .string({ error: 'must be a text value' })
  .trim()
  .transform((value) => (/^https:\/\//i.test(value) ? value : value.toUpperCase()))
  .refine(
    (value) =>
      (AUTHENTICATORS as readonly string[]).includes(value) || /^https:\/\/[^/]+\.okta\.com\/?$/i.test(value),
    { error: `must be one of ${AUTHENTICATORS.join(', ')} (or an https://<org>.okta.com URL)` },
  );

/** Endpoint settings whose flags carry a `snowflake-` prefix (see src/cli/connection-flags.ts). */
const PREFIXED_FLAGS: ReadonlySet<SettingKey> = new Set(['host', 'port', 'protocol']);

function spec(
  key: SettingKey,
  fileKeys: string[],
  envVars: string[],
  schema: z.ZodType<string | number>,
  secret = false,
): SettingSpec {
  const kebab = key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  const flag = secret ? undefined : PREFIXED_FLAGS.has(key) ? `--snowflake-${kebab}` : `--${kebab}`;
  return Object.freeze({ key, fileKeys, envVars, flag, secret, schema });
}

/** Every setting, in display order. */
export const SETTING_SPECS: readonly SettingSpec[] = Object.freeze([
  spec('account', ['account'], ['SNOWFLAKE_ACCOUNT'], text),
  spec('user', ['user', 'username'], ['SNOWFLAKE_USER', 'SNOWFLAKE_USERNAME'], text),
  spec('authenticator', ['authenticator'], ['SNOWFLAKE_AUTHENTICATOR'], authenticator),
  spec('password', ['password'], ['SNOWFLAKE_PASSWORD'], text, true),
  spec(
    'privateKeyPath',
    ['private_key_file', 'private_key_path'],
    ['SNOWFLAKE_PRIVATE_KEY_PATH', 'SNOWFLAKE_PRIVATE_KEY_FILE'],
    text,
  ),
  spec(
    'privateKeyPassphrase',
    ['private_key_file_pwd', 'private_key_pass', 'private_key_passphrase'],
    [
      'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE',
      'SNOWFLAKE_PRIVATE_KEY_FILE_PWD',
      'PRIVATE_KEY_PASSPHRASE',
      'PRIVATE_KEY_FILE_PWD',
    ],
    text,
    true,
  ),
  spec('token', ['token'], ['SNOWFLAKE_TOKEN'], text, true),
  spec('tokenFilePath', ['token_file_path'], ['SNOWFLAKE_TOKEN_FILE_PATH'], text),
  spec('warehouse', ['warehouse'], ['SNOWFLAKE_WAREHOUSE'], text),
  spec('database', ['database'], ['SNOWFLAKE_DATABASE'], text),
  spec('schema', ['schema'], ['SNOWFLAKE_SCHEMA'], text),
  spec('role', ['role'], ['SNOWFLAKE_ROLE'], text),
  spec('host', ['host'], ['SNOWFLAKE_HOST'], text),
  spec('port', ['port'], ['SNOWFLAKE_PORT'], port),
  spec('protocol', ['protocol'], ['SNOWFLAKE_PROTOCOL'], protocol),
]);

/**
 * Looks up the spec of a TOML key, or undefined for keys smcp does not use. Any accepted spelling
 * matches, in any case and with or without underscores, as the connectors read them
 * (`private_key_file`, `privateKeyFile`, `PRIVATE_KEY_FILE`).
 */
export function specForFileKey(fileKey: string): SettingSpec | undefined {
  const wanted = normalizeKey(fileKey);
  return SETTING_SPECS.find((s) => s.fileKeys.some((k) => normalizeKey(k) === wanted));
}

/** The spec of a canonical key. */
export function specFor(key: SettingKey): SettingSpec {
  const found = SETTING_SPECS.find((s) => s.key === key);
  if (!found) throw new Error(`unknown setting ${key}`);
  return found;
}
