/**
 * Which format a statement's rows travel in: JSON (`rowset`, the default) or Arrow IPC
 * (`rowsetBase64` and Arrow chunks). Snowflake picks by the client's own result-format parameter
 * (PYTHON_CONNECTOR_QUERY_RESULT_FORMAT for the Python connector, JDBC_… for JDBC, and so on), set
 * at login, by ALTER SESSION or on the statement. snowflake-sdk (CLIENT_APP_ID JavaScript) reads
 * JSON only, so it always gets JSON. The emulator answers JSON unless such a parameter asks for
 * ARROW: a client that does not ask gets the format every connector reads.
 */
import type { EmulatorSession } from '../engine-types.js';

/** How rows are sent. */
export type ResultFormat = 'json' | 'arrow';

/** Each client's own parameter, by CLIENT_APP_ID. */
const PARAMETER_OF: Readonly<Record<string, string>> = {
  PythonConnector: 'PYTHON_CONNECTOR_QUERY_RESULT_FORMAT',
  PythonSnowpark: 'PYTHON_CONNECTOR_QUERY_RESULT_FORMAT',
  SnowSQL: 'PYTHON_CONNECTOR_QUERY_RESULT_FORMAT',
  JDBC: 'JDBC_QUERY_RESULT_FORMAT',
  ODBC: 'ODBC_QUERY_RESULT_FORMAT',
  Go: 'GO_QUERY_RESULT_FORMAT',
};

/** Parameters a client that does not say who it is may use (raw HTTP clients, other languages). */
const ANY_PARAMETER = [
  'PYTHON_CONNECTOR_QUERY_RESULT_FORMAT',
  'JDBC_QUERY_RESULT_FORMAT',
  'ODBC_QUERY_RESULT_FORMAT',
  'GO_QUERY_RESULT_FORMAT',
];

/** Clients that cannot read Arrow results. */
const JSON_ONLY = new Set(['JavaScript']);

/**
 * The format for a statement of `session` run by client `clientApp` with statement-level
 * `parameters` (upper-case names); statement parameters win over session parameters.
 */
export function resultFormat(
  clientApp: string,
  session: EmulatorSession,
  parameters: Readonly<Record<string, string | number | boolean>> | undefined,
): ResultFormat {
  if (JSON_ONLY.has(clientApp)) return 'json';
  const own = PARAMETER_OF[clientApp];
  const names = own ? [own] : ANY_PARAMETER;
  for (const name of names) {
    const value = parameters?.[name] ?? session.params.get(name);
    if (value !== undefined) return /^arrow/i.test(String(value)) ? 'arrow' : 'json';
  }
  return 'json';
}
