/**
 * Per-connection settings from config.toml, for a daemon serving several connections:
 *
 * ```toml
 * connections = ["prod", "dev"]
 * [connection_options.dev]
 * allow_write = true
 * max_rows = 5000
 * ```
 *
 * Each section overrides, for calls on that connection only, the server-wide write switches and
 * limits. Failures name the file, the connection and the key.
 */
import { z } from 'zod';
import { SmcpError } from '../errors.js';
import { displayPath } from './settings-source.js';

/** What one connection may set differently from the server-wide settings. */
export interface ConnectionOverrides {
  readonly allowWrite?: boolean;
  readonly allowDdl?: boolean;
  readonly maxRows?: number;
  readonly maxBytes?: number;
  /** Statement timeout in seconds when a call names none. */
  readonly defaultTimeoutSeconds?: number;
}

const sectionSchema = z.strictObject({
  allow_write: z.boolean().optional(),
  allow_ddl: z.boolean().optional(),
  max_rows: z.int().min(1).max(10_000).optional(),
  max_bytes: z
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .optional(),
  timeout: z.int().min(1).max(86_400).optional(),
});

function fail(file: string, field: string, message: string): SmcpError {
  return new SmcpError('CONFIG_INVALID', `${displayPath(file)} ${field}: ${message}`, { file, field });
}

/**
 * The `[connection_options.<name>]` sections of `file` (`raw` is the table under `key`). Throws
 * CONFIG_INVALID naming the file, connection and key for anything malformed.
 */
export function parseConnectionOptions(
  file: string,
  key: string,
  raw: unknown,
): Readonly<Record<string, ConnectionOverrides>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw fail(file, key, 'expected a table of connections ([connection_options.<name>] sections)');
  }
  const out: Record<string, ConnectionOverrides> = {};
  for (const [name, body] of Object.entries(raw)) {
    const parsed = sectionSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = [key, name, ...(issue?.path ?? []).map(String)].join('.');
      const message =
        issue?.code === 'unrecognized_keys'
          ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')} (keys: allow_write, allow_ddl, max_rows, max_bytes, timeout)`
          : (issue?.message ?? 'invalid');
      throw fail(file, at, message);
    }
    const o = parsed.data;
    if (o.allow_ddl === true && o.allow_write !== true) {
      throw fail(file, `${key}.${name}.allow_ddl`, 'allow_ddl needs allow_write = true as well');
    }
    out[name] = {
      ...(o.allow_write !== undefined ? { allowWrite: o.allow_write } : {}),
      ...(o.allow_ddl !== undefined ? { allowDdl: o.allow_ddl } : {}),
      ...(o.max_rows !== undefined ? { maxRows: o.max_rows } : {}),
      ...(o.max_bytes !== undefined ? { maxBytes: o.max_bytes } : {}),
      ...(o.timeout !== undefined ? { defaultTimeoutSeconds: o.timeout } : {}),
    };
  }
  return Object.freeze(out);
}
