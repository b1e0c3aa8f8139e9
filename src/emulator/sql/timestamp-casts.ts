/**
 * Casts of text to TIMESTAMP_TZ and TIMESTAMP_LTZ (`::`, CAST, TO_TIMESTAMP_TZ/LTZ) in a session
 * whose time zone is not UTC. Snowflake reads text without an offset as a wall time in the session
 * time zone; DuckDB's casts and _SMCP_TO_TZ (macros.ts) read it as UTC. So these casts convert text
 * as writes into timestamp columns do (timestamp-writes.ts, timestamp-literals.ts): a string
 * literal becomes a constant at once, other text goes through the write macros per value. Text
 * with an offset keeps it. TIMESTAMP_NTZ values and dates are wall times there too (DuckDB's cast
 * would read them in UTC), and a TIMESTAMP_LTZ cast to TIMESTAMP_TZ takes the session zone's offset.
 */
import { EPOCH_CAST_MACROS } from './timestamp-epoch.js';
import { timestampLiteralSql } from './timestamp-literals.js';
import { textToTimestampSql } from './timestamp-writes.js';
import { quoteString } from './tokenizer.js';

/** The engine's types of values that hold a wall time: TIMESTAMP_NTZ (types.ts) and DATE. */
const WALL_TYPES = `'TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'DATE'`;

/** `CREATE MACRO` statements for the casts, run once per instance (after timestamp-writes.ts's). */
export const TIMESTAMP_CAST_MACROS: readonly string[] = [
  ...EPOCH_CAST_MACROS,
  // A wall time `w` (TIMESTAMP) in zone `tz` as TIMESTAMP_TZ, with the zone's offset at that time.
  `CREATE MACRO _SMCP_TS_TZ_WALL(w, tz) AS _SMCP_TZ_MAKE(w, (epoch_us(w) - epoch_us(timezone(tz, w))) // 60000000)`,
  // typeof() is known when DuckDB binds, so only one branch runs; the other branches' casts keep
  // them bindable. TIMESTAMP_NTZ values and dates are wall times in the session zone, as Snowflake
  // reads them; a TIMESTAMP_LTZ becomes a TIMESTAMP_TZ with the session zone's offset.
  `CREATE MACRO _SMCP_TO_TZ_IN(x, tz) AS CASE WHEN typeof(x) = 'VARCHAR'
     THEN _SMCP_TEXT_TO_TZ(CAST(x AS VARCHAR), tz)
     WHEN typeof(x) IN (${WALL_TYPES}) THEN _SMCP_TS_TZ_WALL(CAST(x AS TIMESTAMP), tz)
     WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE'
     THEN _SMCP_TS_TZ_WALL(timezone(tz, CAST(x AS TIMESTAMPTZ)), tz)
     ELSE _SMCP_TO_TZ(x) END`,
  `CREATE MACRO _SMCP_TO_LTZ_IN(x, tz) AS CASE WHEN typeof(x) = 'VARCHAR'
     THEN _SMCP_TEXT_TO_LTZ(CAST(x AS VARCHAR), tz)
     WHEN typeof(x) IN (${WALL_TYPES}) THEN timezone(tz, CAST(x AS TIMESTAMP))
     ELSE CAST(x AS TIMESTAMPTZ) END`,
  // TRY_TO_TIMESTAMP_TZ/LTZ: text that is no timestamp is NULL; other values convert as above.
  `CREATE MACRO _SMCP_TRY_TO_TZ_IN(x, tz) AS CASE WHEN typeof(x) = 'VARCHAR'
     THEN _SMCP_TRY_TEXT_TO_TZ(CAST(x AS VARCHAR), tz) ELSE _SMCP_TO_TZ_IN(x, tz) END`,
  `CREATE MACRO _SMCP_TRY_TO_LTZ_IN(x, tz) AS CASE WHEN typeof(x) = 'VARCHAR'
     THEN _SMCP_TRY_TEXT_TO_LTZ(CAST(x AS VARCHAR), tz) ELSE _SMCP_TO_LTZ_IN(x, tz) END`,
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
