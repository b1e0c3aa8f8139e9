/**
 * The one catalogue of smcp error codes. Codes are stable: scripts, logs and MCP clients may match
 * on them. Each code carries how every edge reports it: the CLI exit code, the HTTP status, and
 * where it can happen there the JSON-RPC error code (`rpc`, default -32000) and the WebSocket close
 * code (`ws`). Edges derive statuses from the code; nothing passes a status beside one. A Snowflake
 * error keeps its own code and SQLSTATE beside ours.
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
  SCAN_BUDGET_EXCEEDED: {
    exit: 1,
    http: 403,
    summary:
      "the read would scan more than the cost guard's per-call budget or the client's rolling budget allows",
  },
  SCAN_NOT_CONFIRMED: {
    exit: 1,
    http: 403,
    summary: 'the user declined or cancelled the confirmation the cost guard asked for',
  },
  SCAN_ESTIMATE_FAILED: {
    exit: 1,
    http: 502,
    summary: "the cost guard could not read Snowflake's scan estimate (EXPLAIN), so the read did not run",
  },
  SQL_SYNTAX: { exit: 1, http: 400, summary: 'the SQL text does not parse' },
  SQL_ERROR: { exit: 1, http: 400, summary: 'Snowflake rejected the statement' },
  QUERY_TIMEOUT: { exit: 1, http: 504, summary: 'the statement ran past its time limit and was cancelled' },
  QUERY_CANCELLED: { exit: 1, http: 499, summary: 'the statement was cancelled' },
  WAREHOUSE_UNAVAILABLE: { exit: 1, http: 503, summary: 'no usable warehouse for the statement' },
  NETWORK: { exit: 1, http: 502, summary: 'Snowflake could not be reached' },
  POOL_EXHAUSTED: { exit: 1, http: 503, summary: 'no Snowflake connection became free in time' },
  RESULT_NOT_FOUND: { exit: 1, http: 404, summary: 'the query id is unknown' },
  RESULT_UNREADABLE: {
    exit: 1,
    http: 422,
    summary:
      'the result cannot be returned: a column name the driver cannot read, or a row wider than max_bytes even with its values cut',
  },
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
  DAEMON_RESTARTED: {
    exit: 1,
    http: 503,
    summary: 'the daemon restarted or stopped while the call ran through it; the call did not complete',
  },
  DRAINING: { exit: 1, http: 503, ws: 1013, summary: 'the daemon is draining and takes no new work' },
  OVERLOADED: {
    exit: 1,
    http: 503,
    summary: 'the server has as many sessions open as it allows; retry later',
  },
  SHUTTING_DOWN: {
    exit: 1,
    http: 503,
    ws: 1001,
    summary: 'the server is closing every connection and stopping',
  },
  PARSE_ERROR: { exit: 2, http: 400, rpc: -32700, summary: 'the request body is not valid JSON' },
  INVALID_REQUEST: {
    exit: 2,
    http: 400,
    rpc: -32600,
    summary: 'the request is not one a transport takes (not JSON-RPC, too deep, a header missing)',
  },
  PAYLOAD_TOO_LARGE: {
    exit: 2,
    http: 413,
    rpc: -32600,
    ws: 1009,
    summary: 'the request body or frame is over the size limit',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    exit: 2,
    http: 415,
    rpc: -32600,
    ws: 1003,
    summary: 'the body is not uncompressed UTF-8 JSON (or a WebSocket frame is binary)',
  },
  METHOD_NOT_ALLOWED: { exit: 2, http: 405, summary: 'the HTTP method is not one the route takes' },
  ROUTE_NOT_FOUND: { exit: 2, http: 404, summary: 'no HTTP route or WebSocket endpoint at that path' },
  SESSION_NOT_FOUND: {
    exit: 1,
    http: 404,
    rpc: -32001,
    summary: "the MCP session does not exist (any more) or is not the caller's: open a new one",
  },
  REQUEST_ID_IN_USE: {
    exit: 1,
    http: 409,
    rpc: -32600,
    summary: 'a request with that id is still in flight in the session',
  },
  UNAUTHORIZED: { exit: 1, http: 401, summary: 'a bearer token is required, or the one given is wrong' },
  FORBIDDEN: {
    exit: 1,
    http: 403,
    summary: 'the request came from a Host, Origin or local user smcp does not serve',
  },
  RATE_LIMITED: {
    exit: 1,
    http: 429,
    ws: 1013,
    summary: 'this client has too many requests, sessions or connections open; retry later',
  },
  INTERNAL: { exit: 70, http: 500, rpc: -32603, ws: 1011, summary: 'an unexpected fault inside smcp' },
} as const satisfies Record<
  string,
  { exit: number; http: number; rpc?: number; ws?: number; summary: string }
>;

/** A stable smcp error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** JSON-RPC error code for refusals that have no more specific one. */
const RPC_SERVER_ERROR = -32000;

/** How `code` is reported at the edges: HTTP status, JSON-RPC error code, WebSocket close code. */
export function edgeCodes(code: ErrorCode): { http: number; rpc: number; ws: number } {
  const entry: { http: number; rpc?: number; ws?: number } = ERROR_CATALOGUE[code];
  return { http: entry.http, rpc: entry.rpc ?? RPC_SERVER_ERROR, ws: entry.ws ?? 1008 };
}

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
  /** For a cost guard refusal: Snowflake's estimate, the budget it broke, and the setting to raise. */
  scan?: ScanRefusalDetails;
}

/** What a cost guard refusal carries besides its message. */
export interface ScanRefusalDetails {
  /** Bytes the read would scan, by Snowflake's EXPLAIN (GlobalStats.bytesAssigned). */
  readonly estimatedBytes: number;
  /** The budget in bytes it is over (for the per-client budget: what the client had left). */
  readonly budgetBytes: number;
  /** The option that sets the budget (`max-scan-bytes` or `max-scan-bytes-per-client`). */
  readonly setting: string;
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
