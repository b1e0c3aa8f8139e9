/**
 * smcp's logger: one JSON object per line (time, level, msg, fields), written to a sink the caller
 * owns (a log file in the daemon, stderr in the foreground — never stdout, which belongs to the
 * stdio transport). Fields whose names say they hold secrets are redacted before anything is written.
 */
import type { Logger, LogFields } from '../logger.js';

/** Log levels, quietest last. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

const SECRET_FIELD = /pass(word|phrase)?|secret|token|authorization|private_?key|cookie/i;
const REDACTED = '[redacted]';

/** Copies `value`, replacing the values of secret-named keys at any depth (cycles cut). */
export function redactFields(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactFields(v, seen));
  if (value instanceof Error) return { name: value.name, message: value.message };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = SECRET_FIELD.test(key) ? REDACTED : redactFields(v, seen);
  return out;
}

/**
 * A logger that writes JSON lines at or above `level` to `write` (which also learns each line's
 * level, so a sink can file warnings apart). `write` must not throw.
 */
export function createJsonLogger(
  write: (line: string, level: LogLevel) => void,
  level: LogLevel = 'info',
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const emit =
    (lvl: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      if (LOG_LEVELS.indexOf(lvl) < threshold) return;
      const record = {
        time: new Date().toISOString(),
        level: lvl,
        msg,
        ...(fields ? (redactFields(fields) as object) : {}),
      };
      try {
        write(`${JSON.stringify(record)}\n`, lvl);
      } catch {
        // A logger never takes the daemon down.
      }
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
