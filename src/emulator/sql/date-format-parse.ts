/**
 * Text parsed by a Snowflake format (TO_TIMESTAMP*(text, fmt), TO_DATE(text, fmt)). Where the text
 * does not match, Snowflake fails with 100096 `Can't parse '<text>' as timestamp with format
 * '<fmt>'`; DuckDB's strptime names its own strftime pattern instead. So the parse goes through
 * try_strptime and raises Snowflake's wording itself, which sql-errors.ts maps to that code.
 */
import { EmulatorSqlError } from '../engine-types.js';
import { toStrftime } from './date-parts.js';
import { quoteString } from './tokenizer.js';

/**
 * DuckDB SQL parsing text `value` (SQL) with Snowflake format `format`: a TIMESTAMP, NULL for
 * NULL, and an error naming the text, `target` ('timestamp' or 'date') and the format otherwise.
 */
export function formatParseSql(value: string, format: string, target: 'timestamp' | 'date'): string {
  const parsed = `try_strptime(${value}, ${quoteString(toStrftime(format))})`;
  // The message's own quotes are doubled for error()'s string literal around them.
  const message = `'Can''t parse ''' || ${value} || ''' as ${target} with format ' || ${quoteString(`'${format}'`)}`;
  return `CASE WHEN ${parsed} IS NULL AND ${value} IS NOT NULL THEN error(${message}) ELSE ${parsed} END`;
}

const MISMATCH = /^Can't parse '.*' as (timestamp|date) with format '.*'$/s;

/** Snowflake's 100096 for a format mismatch raised by {@link formatParseSql}; null for other messages. */
export function formatMismatchError(detail: string): EmulatorSqlError | null {
  return MISMATCH.test(detail) ? new EmulatorSqlError('100096', '22007', detail) : null;
}
