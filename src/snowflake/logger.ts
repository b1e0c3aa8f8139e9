/**
 * The tiny logger interface the client layer writes to. Callers pass their own (the daemon routes
 * it into its log files); the default is silent, because library code never prints.
 */

/** Structured fields attached to a log line. Never put secrets here. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A leveled logger; each method must not throw. */
export interface ClientLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = (): void => {};

/** A logger that drops everything. */
export const silentLogger: ClientLogger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
