/**
 * The one catalogue of smcp error codes. Codes are stable: scripts, logs and MCP clients may match
 * on them. Each code carries the CLI exit code and the HTTP status it maps to at the edges; a
 * Snowflake error keeps its own code and SQLSTATE beside ours.
 */

/** Every stable smcp error code, with what it means and how the edges report it. */
export const ERROR_CATALOGUE = {
  USAGE: { exit: 2, http: 400, summary: 'the command line or request is malformed' },
  CONFIG_INVALID: { exit: 2, http: 500, summary: 'a settings file, variable or flag has a bad value' },
  CONNECTION_UNKNOWN: { exit: 2, http: 500, summary: 'the named connection is not configured' },
  KEY_FILE: {
    exit: 2,
    http: 500,
    summary: 'a private key file is missing, unreadable or cannot be decrypted',
  },
  AUTH_FAILED: { exit: 1, http: 502, summary: 'Snowflake refused the credentials' },
  SESSION_EXPIRED: { exit: 1, http: 502, summary: 'the Snowflake session expired and could not be renewed' },
  NOT_FOUND: { exit: 1, http: 404, summary: 'the database object does not exist or is not visible' },
  PERMISSION_DENIED: { exit: 1, http: 403, summary: 'the role lacks a privilege for the statement' },
  STATEMENT_REFUSED: {
    exit: 1,
    http: 403,
    summary: 'smcp refused the statement: writes are off, or the SQL guard found it unsafe',
  },
  SQL_SYNTAX: { exit: 1, http: 400, summary: 'the SQL text does not parse' },
  SQL_ERROR: { exit: 1, http: 400, summary: 'Snowflake rejected the statement' },
  QUERY_TIMEOUT: { exit: 1, http: 504, summary: 'the statement ran past its time limit and was cancelled' },
  QUERY_CANCELLED: { exit: 1, http: 499, summary: 'the statement was cancelled' },
  WAREHOUSE_UNAVAILABLE: { exit: 1, http: 503, summary: 'no usable warehouse for the statement' },
  NETWORK: { exit: 1, http: 502, summary: 'Snowflake could not be reached' },
  POOL_EXHAUSTED: { exit: 1, http: 503, summary: 'no Snowflake connection became free in time' },
  RESULT_NOT_FOUND: { exit: 1, http: 404, summary: 'the query id is unknown' },
  RESULT_EXPIRED: {
    exit: 1,
    http: 410,
    summary: 'the result of the query id is no longer kept (too old, evicted, or the server restarted)',
  },
  DAEMON_RUNNING: { exit: 1, http: 409, summary: 'an smcp daemon already runs for this user' },
  DAEMON_NOT_RUNNING: { exit: 3, http: 503, summary: 'no smcp daemon runs for this user' },
  DAEMON_UNRESPONSIVE: {
    exit: 4,
    http: 504,
    summary: 'the daemon process exists but its admin socket does not answer',
  },
  DRAINING: { exit: 1, http: 503, summary: 'the daemon is draining and takes no new work' },
  INTERNAL: { exit: 70, http: 500, summary: 'an unexpected fault inside smcp' },
} as const satisfies Record<string, { exit: number; http: number; summary: string }>;

/** A stable smcp error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Facts that travel with an error: where bad input was found, and what Snowflake said. */
export interface ErrorDetails {
  /** The settings file the bad value came from. */
  file?: string;
  /** The setting, argument or field that was wrong. */
  field?: string;
  /** Snowflake's own error code, e.g. `002003`. */
  snowflakeCode?: string;
  /** The SQLSTATE Snowflake reported, e.g. `42S02`. */
  sqlState?: string;
  /** The Snowflake query id of the failed statement. */
  queryId?: string;
}

/**
 * An error smcp expects and reports as one clear line (no stack trace). Anything thrown that is
 * not an SmcpError is a fault of smcp itself and maps to INTERNAL.
 */
export class SmcpError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SmcpError';
    this.code = code;
    this.details = details;
  }

  /** The CLI exit code for this error. */
  get exitCode(): number {
    return ERROR_CATALOGUE[this.code].exit;
  }

  /** The HTTP status for this error. */
  get httpStatus(): number {
    return ERROR_CATALOGUE[this.code].http;
  }

  /** A plain object for JSON output (logs, admin API, structured tool errors). */
  toJSON(): { code: ErrorCode; message: string } & ErrorDetails {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/** True when `err` is an SmcpError, optionally with one of the given codes. */
export function isSmcpError(err: unknown, ...codes: ErrorCode[]): err is SmcpError {
  return err instanceof SmcpError && (codes.length === 0 || codes.includes(err.code));
}

/** Wraps anything thrown into an SmcpError; unknown faults become INTERNAL with the original as cause. */
export function toSmcpError(err: unknown): SmcpError {
  if (err instanceof SmcpError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SmcpError('INTERNAL', message, {}, { cause: err });
}
