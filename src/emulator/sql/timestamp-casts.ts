/**
 * Casts of text to TIMESTAMP_TZ and TIMESTAMP_LTZ (`::`, CAST, TO_TIMESTAMP_TZ/LTZ) in a session
 * whose time zone is not UTC. Snowflake reads text without an offset as a wall time in the session
 * time zone; DuckDB's casts and _SMCP_TO_TZ (macros.ts) read it as UTC. So these casts convert text
 * as writes into timestamp columns do (timestamp-writes.ts, timestamp-literals.ts): a string
 * literal becomes a constant at once, other text goes through the write macros per value, and
 * values that are no text (timestamps, dates) are cast as before. Text with an offset keeps it.
 */
import { timestampLiteralSql } from './timestamp-literals.js';
import { textToTimestampSql } from './timestamp-writes.js';
import { quoteString } from './tokenizer.js';

/** `CREATE MACRO` statements for the casts, run once per instance (after timestamp-writes.ts's). */
export const TIMESTAMP_CAST_MACROS: readonly string[] = [
  // typeof() is known when DuckDB binds, so only one branch runs; the text branch's CAST keeps the
  // other types bindable.
  `CREATE MACRO _SMCP_TO_TZ_IN(x, tz) AS CASE WHEN typeof(x) = 'VARCHAR'
     THEN _SMCP_TEXT_TO_TZ(CAST(x AS VARCHAR), tz) ELSE _SMCP_TO_TZ(x) END`,
  `CREATE MACRO _SMCP_TO_LTZ_IN(x, tz) AS CASE WHEN typeof(x) = 'VARCHAR'
     THEN _SMCP_TEXT_TO_LTZ(CAST(x AS VARCHAR), tz) ELSE CAST(x AS TIMESTAMPTZ) END`,
];

/** A single-quoted SQL string literal, as the rewrite writes one. */
const LITERAL = /^'((?:[^']|'')*)'$/;

/**
 * The conversion a cast of an operand's SQL to TIMESTAMP_TZ (`TZ`) or TIMESTAMP_LTZ (`LTZ`) wraps
 * it in, in a session of time zone `timeZone`; undefined in a UTC session, where DuckDB's reading
 * of text without an offset is already Snowflake's. Throws 100035 naming a literal in a timestamp
 * form with no such day or time.
 */
export function sessionCast(kind: 'TZ' | 'LTZ', timeZone: string): ((operand: string) => string) | undefined {
  if (timeZone.toUpperCase() === 'UTC') return undefined;
  return (operand) => sessionTimestampCastSql(kind, operand, timeZone);
}

/** SQL casting `operand`, text without an offset read in time zone `timeZone` (unquoted). */
function sessionTimestampCastSql(kind: 'TZ' | 'LTZ', operand: string, timeZone: string): string {
  const zone = quoteString(timeZone);
  const literal = LITERAL.exec(operand.trim());
  if (literal) {
    const text = (literal[1] ?? '').replaceAll("''", "'");
    return timestampLiteralSql(kind, text, zone) ?? textToTimestampSql(kind, operand.trim(), zone);
  }
  return `_SMCP_TO_${kind}_IN(${operand}, ${zone})`;
}
