/**
 * What a caller (most often a model) should do about each kind of failed tool call: one sentence
 * per error code, appended to the error result's text as `Hint: …`. The message says what went
 * wrong; the hint says whether to retry, rewrite, or stop. Tool names go through `publicName` so
 * the hint names the tools as the client sees them (with the configured prefix).
 */
import type { ErrorCode } from '../errors.js';

type Hint = (publicName: (tool: string) => string) => string;

const CREDENTIALS: Hint = () =>
  "The server's own Snowflake login failed; retrying will not help until its operator fixes the credentials.";

const HINTS: Readonly<Record<ErrorCode, Hint>> = {
  USAGE: () =>
    "Call the tool again with arguments that fit its input schema (tools/list shows each tool's arguments).",
  CONFIG_INVALID: () => "The server's settings are wrong; its operator must correct them.",
  CONNECTION_UNKNOWN: () => "The server's connection settings are wrong; its operator must correct them.",
  KEY_FILE: CREDENTIALS,
  AUTH_FAILED: CREDENTIALS,
  SESSION_EXPIRED: () => 'The Snowflake session expired; call again, and ask the operator if it persists.',
  NOT_FOUND: (name) =>
    `Check the name with ${name('list_databases')}, ${name('list_schemas')} and ${name('list_tables')} or ` +
    `${name('list_views')}: unquoted names resolve upper-case; double-quote a case-sensitive name.`,
  PERMISSION_DENIED: () =>
    "The server's role lacks a privilege on this object; use objects the role can read (retrying will not help).",
  STATEMENT_REFUSED: () =>
    'smcp refused the statement before it reached Snowflake and will refuse it again unchanged: send one ' +
    'statement per call, and only reads (SELECT, WITH … SELECT, SHOW, DESCRIBE, EXPLAIN) unless the ' +
    'server allows writes.',
  SCAN_BUDGET_EXCEEDED: () =>
    'Read less: filter on clustering or date columns so Snowflake prunes more partitions, or query a ' +
    "smaller or pre-aggregated table; the budget itself is the operator's to raise (the message names the setting).",
  SCAN_NOT_CONFIRMED: () =>
    'The user did not approve this scan; do not repeat it unchanged — ask the user, or read less.',
  SCAN_ESTIMATE_FAILED: () =>
    'Snowflake gave no usable scan estimate; try again, and ask the operator if it persists.',
  SQL_SYNTAX: () => 'Fix the SQL where the message points (Snowflake dialect) and run it again.',
  SQL_ERROR: () => "Correct the statement as Snowflake's message says and run it again.",
  QUERY_TIMEOUT: () =>
    'Narrow the query (filters, aggregates, LIMIT) or pass a larger timeout_s (the server caps it).',
  QUERY_CANCELLED: () =>
    'The call was cancelled before it finished; call again if the answer is still needed.',
  WAREHOUSE_UNAVAILABLE: () =>
    'No warehouse can run the statement now; try again later or ask the operator to resume or grant one.',
  NETWORK: () => 'Snowflake could not be reached; try again in a little while.',
  POOL_EXHAUSTED: () => 'The server is busy with other calls; try again in a few seconds.',
  RESULT_NOT_FOUND: (name) =>
    `A query id is valid only for the client that ran it, while its result is kept; run the query again ` +
    `with ${name('execute_query')} for a fresh id.`,
  RESULT_EXPIRED: (name) =>
    `The result is no longer kept (the message says why); run the query again with ${name('execute_query')}.`,
  RESULT_UNREADABLE: () =>
    'Give the columns the message names other names with AS (e.g. SELECT "constructor" AS ctor), or return fewer bytes per row.',
  DAEMON_RUNNING: () => 'Another smcp daemon already runs; use it.',
  DAEMON_NOT_RUNNING: () => 'No smcp daemon runs; start one with `smcp start`.',
  DAEMON_UNRESPONSIVE: () => 'The smcp daemon does not answer; its operator should check `smcp status`.',
  DAEMON_RESTARTED: () =>
    'The smcp daemon restarted during the call; call again (a write may or may not have run).',
  DRAINING: () => 'The server is shutting down; call again once it is back.',
  PARSE_ERROR: () => 'Send the request body as valid JSON.',
  INVALID_REQUEST: () => 'Send one JSON-RPC 2.0 message with the headers the transport needs.',
  PAYLOAD_TOO_LARGE: () => 'Send less at once: the request is over the size limit.',
  UNSUPPORTED_MEDIA_TYPE: () =>
    'Send JSON as uncompressed UTF-8 (Content-Type: application/json; text frames).',
  METHOD_NOT_ALLOWED: () => 'Use the HTTP method the route names in its Allow header.',
  ROUTE_NOT_FOUND: () => 'MCP is served at /mcp; the plain tool API at /mcp/tools.',
  SESSION_NOT_FOUND: () => 'Initialize a new MCP session and call again.',
  REQUEST_ID_IN_USE: () => 'Give each request in flight its own id.',
  OVERLOADED: () => 'The server is full; try again in a few seconds.',
  SHUTTING_DOWN: () => 'The server is stopping; reconnect once it is back.',
  UNAUTHORIZED: () => 'Send the bearer token the server was started with (Authorization: Bearer …).',
  FORBIDDEN: () =>
    'The server does not serve this Host, Origin or local user; its operator decides who may connect.',
  RATE_LIMITED: () =>
    'This client has too much open at once; wait for calls to finish or close sessions, then retry.',
  INTERNAL: () => 'This is a fault inside smcp, not in the call; try again, and report it if it repeats.',
};

/** The hint for an error of `code`, naming tools by their public names. */
export function errorHint(code: ErrorCode, publicName: (tool: string) => string = (tool) => tool): string {
  return HINTS[code](publicName);
}
