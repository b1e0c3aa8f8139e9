/**
 * Maps whatever snowflake-sdk (or its pool) throws to smcp's error catalogue, keeping Snowflake's
 * own error code, SQLSTATE and query id beside ours.
 */

import { isBuiltinNameFault } from './builtin-names.js';
import { SmcpError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/** Snowflake codes that mean the session (not the credentials) is gone or expired. */
export const SESSION_GONE_CODES: ReadonlySet<string> = new Set(['390104', '390111', '390112', '390114']);

/**
 * Driver codes for "this connection is no longer connected" (405503, 407002), and 401004: Snowflake
 * answered HTTP 401 with 390104, a session token it does not know (the driver keeps the connection
 * up, so smcp must drop it itself).
 */
const DISCONNECTED_DRIVER_CODES: ReadonlySet<string> = new Set(['405503', '407001', '407002', '401004']);

const BY_CODE: Readonly<Record<string, ErrorCode>> = {
  '002003': 'NOT_FOUND',
  '002043': 'NOT_FOUND',
  '003001': 'PERMISSION_DENIED',
  '001003': 'SQL_SYNTAX',
  '000630': 'QUERY_TIMEOUT',
  '000604': 'QUERY_CANCELLED',
  '000606': 'WAREHOUSE_UNAVAILABLE',
  // "Result for query … has expired" (kept 24 h; the emulator also evicts by its byte budget).
  '000612': 'RESULT_EXPIRED',
  '401001': 'NETWORK',
  // 401002 "Request to Snowflake failed." (the driver gave up retrying 5xx answers), 401003 non-JSON answer.
  '401002': 'NETWORK',
  '401003': 'NETWORK',
  '402001': 'NETWORK',
};

const NETWORK_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);

interface DriverErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  sqlState?: unknown;
  data?: { queryId?: unknown; errorCode?: unknown } | null;
  cause?: unknown;
  response?: { statusCode?: unknown; body?: unknown } | null;
}

/** The driver's code for a result chunk download answered with an error status. */
const CHUNK_DOWNLOAD_FAILED = '402002';

/**
 * Snowflake's own failure inside a chunk download the driver reports only as "Request to S3/Blob
 * failed" (the emulator answers a chunk of an expired result with 410 and a JSON failure body).
 */
function chunkFailureOf(
  err: DriverErrorShape,
): { code: string; message: string; sqlState?: string } | undefined {
  const response = err.response;
  if (!response || typeof response !== 'object') return undefined;
  let body = response.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { code, message, data } = body as {
    code?: unknown;
    message?: unknown;
    data?: { sqlState?: unknown };
  };
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return {
    code,
    message,
    ...(typeof data?.sqlState === 'string' ? { sqlState: data.sqlState } : {}),
  };
}

/** What smcp says instead of the driver's TypeError for a column name it cannot read. */
const PROTOTYPE_NAME_MESSAGE =
  'snowflake-sdk cannot read a result with a column named after a JavaScript built-in ' +
  '(constructor, __proto__, toString, valueOf, hasOwnProperty, isPrototypeOf, propertyIsEnumerable, ' +
  'toLocaleString, __defineGetter__, __defineSetter__, __lookupGetter__, __lookupSetter__, exactly in that case); ' +
  'rename the column with AS, e.g. SELECT "constructor" AS "constructor_"';

function shape(err: unknown): DriverErrorShape {
  return typeof err === 'object' && err !== null ? err : {};
}

/** Snowflake's code for an error as a string ("002003"), or undefined when it has none. */
export function snowflakeCodeOf(err: unknown): string | undefined {
  const e = shape(err);
  const code = e.code ?? e.data?.errorCode;
  if (typeof code === 'number') return String(code).padStart(6, '0');
  if (typeof code === 'string' && /^\d+$/.test(code)) return code.padStart(6, '0');
  return undefined;
}

function errnoOf(err: unknown, depth = 0): string | undefined {
  const e = shape(err);
  if (typeof e.code === 'string' && NETWORK_ERRNO.has(e.code)) return e.code;
  return depth < 3 && e.cause !== undefined ? errnoOf(e.cause, depth + 1) : undefined;
}

/** True when the error says the Snowflake session is gone or expired (reconnect may help). */
export function isSessionGone(err: unknown): boolean {
  if (err instanceof SmcpError) return err.code === 'SESSION_EXPIRED';
  const code = snowflakeCodeOf(err);
  if (code !== undefined && (SESSION_GONE_CODES.has(code) || DISCONNECTED_DRIVER_CODES.has(code)))
    return true;
  const raw = shape(err).message;
  const message = typeof raw === 'string' ? raw : '';
  return /session (no longer exists|has expired|token.*expired)|terminated connection|not connected/i.test(
    message,
  );
}

function classify(err: unknown, code: string | undefined, message: string): ErrorCode {
  const e = shape(err);
  if (e.name === 'TimeoutError' && /ResourceRequest timed out/i.test(message)) return 'POOL_EXHAUSTED';
  // Read again under real names by the statement runner; this is only reached without a query id.
  if (isBuiltinNameFault(err)) return 'RESULT_UNREADABLE';
  if (/Result for query \S* ?has expired/i.test(message)) return 'RESULT_EXPIRED';
  if (code !== undefined) {
    const direct = BY_CODE[code];
    if (direct) return direct;
    if (SESSION_GONE_CODES.has(code) || DISCONNECTED_DRIVER_CODES.has(code)) return 'SESSION_EXPIRED';
    if (code.startsWith('390') || code.startsWith('394')) return 'AUTH_FAILED';
    if (code.startsWith('404')) return 'CONFIG_INVALID';
  }
  if (errnoOf(err) !== undefined) return 'NETWORK';
  if (/insufficient privileges/i.test(message)) return 'PERMISSION_DENIED';
  // The driver's pool rethrows login failures as plain Errors (message only): classify by text.
  if (
    /incorrect username or password|JWT token is invalid|invalid OAuth access token|programmatic access token is invalid|authentication failed|user .* (is disabled|locked)/i.test(
      message,
    )
  ) {
    return 'AUTH_FAILED';
  }
  if (
    /could not reach snowflake|network error|ECONNREFUSED|socket hang up|request to snowflake failed\.?$|responded with non-JSON/i.test(
      message,
    )
  ) {
    return 'NETWORK';
  }
  if (code !== undefined || typeof e.sqlState === 'string') return 'SQL_ERROR';
  return 'INTERNAL';
}

/**
 * Turns a driver, pool or network error into an SmcpError. SmcpErrors pass through unchanged.
 * `queryId` fills in the query id when the error itself does not carry one.
 */
export function mapSnowflakeError(err: unknown, context: { queryId?: string } = {}): SmcpError {
  if (err instanceof SmcpError) return err;
  let e = shape(err);
  if (snowflakeCodeOf(err) === CHUNK_DOWNLOAD_FAILED) {
    const inner = chunkFailureOf(e);
    if (inner) e = { ...e, ...inner, name: 'ChunkDownloadError', response: null };
  }
  const rawMessage = typeof e.message === 'string' && e.message !== '' ? e.message : String(err);
  const message = rawMessage.replace(/\s*\n\s*/g, ' ').trim();
  const code = snowflakeCodeOf(e);
  const smcpCode = classify(e, code, message);
  const queryId = typeof e.data?.queryId === 'string' ? e.data.queryId : context.queryId;
  const details = {
    ...(code !== undefined ? { snowflakeCode: code } : {}),
    ...(typeof e.sqlState === 'string' ? { sqlState: e.sqlState } : {}),
    ...(queryId ? { queryId } : {}),
  };
  const text =
    smcpCode === 'POOL_EXHAUSTED'
      ? 'no Snowflake connection became free in time'
      : smcpCode === 'RESULT_UNREADABLE'
        ? PROTOTYPE_NAME_MESSAGE
        : message;
  return new SmcpError(smcpCode, text, details, { cause: err });
}
