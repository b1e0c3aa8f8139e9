/**
 * A semi-structured value cast to text after a bracket path (`v['k']::STRING`, `v[0]::VARCHAR`):
 * Snowflake answers a JSON string's contents without its quotes (and JSON null as NULL), exactly
 * as it does after a `:` path. DuckDB's own `['k']` on JSON answers JSON, whose cast to VARCHAR
 * keeps the quotes; the same brackets on a LIST or STRUCT answer a plain value. The rewriter cannot
 * tell which it has, so the macro asks the value's type at run time.
 */

/** Name of the macro that turns a bracket path's value into Snowflake's text. */
export const JSON_TEXT_MACRO = '_SMCP_JSON_TEXT';

/** `sql` (rewritten) as text when it ends in a bracket path (`v['k']`, `v[0]`), else null. */
export function bracketPathText(sql: string): string | null {
  return /\]\s*$/.test(sql) ? `${JSON_TEXT_MACRO}(${sql})` : null;
}

/** `CREATE MACRO` statements for bracket paths cast to text, run once when the engine starts. */
export const JSON_TEXT_MACROS: readonly string[] = [
  `CREATE MACRO ${JSON_TEXT_MACRO}(x) AS CASE WHEN typeof(x) = 'JSON' THEN json_extract_string(x, '$')
     ELSE CAST(x AS VARCHAR) END`,
];
