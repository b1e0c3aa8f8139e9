/**
 * Snowflake's REST error codes and message texts as the emulator answers them, and the JSON bodies
 * snowflake-sdk expects for failures. User errors always travel as HTTP 200 with `success:false`
 * (a 5xx would make the driver retry); only transport-level faults use other statuses.
 */

/** Login and session codes (GS codes the driver reacts to are marked). */
export const GS = {
  INCORRECT_USERNAME_PASSWORD: '390100',
  /** User disabled at login; also, on HTTP 401, a request without an Authorization header. */
  USER_DISABLED: '390101',
  NO_AUTHORIZATION: '390101',
  /** Driver drops the session. */
  SESSION_TOKEN_INVALID: '390104',
  /** Driver drops the session. */
  GONE_SESSION: '390111',
  /** Driver renews through /session/token-request and retries. */
  SESSION_TOKEN_EXPIRED: '390112',
  /** Renewal failed: the driver must log in again. */
  MASTER_TOKEN_EXPIRED: '390114',
  JWT_INVALID: '390144',
  ROLE_NOT_GRANTED: '390189',
  OAUTH_TOKEN_INVALID: '390303',
  PAT_INVALID: '394400',
  BAD_REQUEST: '390400',
} as const;

/** Statement codes the wire server itself produces (the engine produces the rest). */
export const SQL = {
  CANCELLED: '000604',
  NOT_EXECUTING: '000605',
  RESULT_NOT_FOUND: '000709',
  UNSUPPORTED: '000002',
  INTERNAL: '000603',
} as const;

/** Async / long-running statement codes understood by statement.js. */
export const QUERY_IN_PROGRESS = '333333';
/** The statement was detached (asyncExec). */
export const QUERY_IN_PROGRESS_ASYNC = '333334';

/** Message texts, worded as Snowflake words them. */
export const MESSAGES = {
  incorrectCredentials: 'Incorrect username or password was specified.',
  userDisabled: 'User access disabled. Contact your local system administrator.',
  sessionInvalid: 'User must login again to access the service.',
  noAuthorization: 'Authorization header not found in the request data.',
  goneSession: 'Session no longer exists.  New login required to access the service.',
  sessionExpired: 'Session token expired. Renew the session with the master token.',
  masterExpired: 'Authentication token has expired.  The user must authenticate again.',
  jwtInvalid: 'JWT token is invalid.',
  oauthInvalid: 'Invalid OAuth access token.',
  patInvalid: 'Programmatic access token is invalid.',
  cancelled: 'SQL execution canceled',
  asyncRunning:
    'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
  running: 'Query execution is still in progress.',
} as const;

/** The JSON body of a failed login, session or transport request. */
export interface FailureBody {
  success: false;
  code: string;
  message: string;
  data: Record<string, unknown> | null;
  headers: null;
}

/** A failure without statement context (login, session, malformed request). */
export function failure(
  code: string,
  message: string,
  data: Record<string, unknown> | null = null,
): FailureBody {
  return { success: false, code, message, data, headers: null };
}

/** A failed statement, carrying the fields OperationFailedError exposes (code, sqlState, data.queryId). */
export function sqlFailure(
  code: string,
  sqlState: string,
  message: string,
  queryId: string | null,
): FailureBody {
  return failure(code, message, {
    internalError: false,
    errorCode: code,
    age: 0,
    sqlState,
    queryId,
    line: -1,
    pos: -1,
    type: 'COMPILATION',
  });
}
