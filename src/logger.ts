/**
 * The one logger contract every layer writes to: leveled methods taking a message and structured
 * fields. The daemon routes it into its JSON-line log (daemon/json-logger.ts); library code gets
 * the silent one by default, because only `src/cli/` prints.
 */

/** Structured fields attached to a log line. Never put secrets here. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A leveled logger; each method must not throw. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = (): void => {};

/** A logger that drops everything. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
