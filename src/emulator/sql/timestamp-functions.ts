/**
 * TO_TIMESTAMP, TO_TIMESTAMP_NTZ/LTZ/TZ and their TRY_ forms, with or without a format. Snowflake
 * reads text without an offset, and the wall time a format parses, in the session time zone for
 * TIMESTAMP_TZ and TIMESTAMP_LTZ; DuckDB's casts and strptime read them as UTC. So in a session
 * whose time zone is not UTC, these calls convert their value through the session casts of
 * timestamp-casts.ts. The TRY_ forms give NULL for text that is no timestamp (or does not match
 * the format) instead of an error; a format with TZH:TZM keeps the offset written for
 * TIMESTAMP_TZ. TO_TIMESTAMP is TO_TIMESTAMP_NTZ (TIMESTAMP_TYPE_MAPPING's default). Integer text
 * reaches these calls already as timestamp text (timestamp-text.ts).
 */
import { formatParseSql } from './date-format-parse.js';
import { toStrftime } from './date-parts.js';
import type { SqlWriter } from './rewrite-context.js';
import { sessionCast } from './timestamp-casts.js';
import type { TimestampKind } from './timestamp-writes.js';
import { quoteString } from './tokenizer.js';

/** The kind each function converts to, by its name without TRY_. */
const KINDS: Readonly<Record<string, TimestampKind>> = {
  TO_TIMESTAMP: 'NTZ',
  TO_TIMESTAMP_NTZ: 'NTZ',
  TO_TIMESTAMP_LTZ: 'LTZ',
  TO_TIMESTAMP_TZ: 'TZ',
};

/**
 * DuckDB SQL for a call of timestamp function `name` whose parens are at open/close, or null when
 * `name` is no such function or the call has a form left to DuckDB (a scale argument).
 */
export function rewriteTimestampCall(w: SqlWriter, name: string, open: number, close: number): string | null {
  const soft = name.startsWith('TRY_');
  const kind = KINDS[soft ? name.slice(4) : name];
  if (!kind) return null;
  const ranges = w.args(open, close);
  const [first, second] = ranges;
  if (!first || ranges.length > 2) return null;
  const value = w.emit(first[0], first[1]).trim();
  const timeZone = w.ctx.session.params.get('TIMEZONE') ?? 'UTC';
  const zone = timeZone.toUpperCase() === 'UTC' ? null : quoteString(timeZone);
  if (second) {
    const format = w.argString(second);
    if (format === null) return null;
    const pattern = toStrftime(format);
    const parsed = soft
      ? `try_strptime(${value}, ${quoteString(pattern)})`
      : formatParseSql(value, format, 'timestamp');
    const converted = convertSql(kind, parsed, zone, soft);
    return kind === 'TZ' && pattern.includes('%z') ? offsetKeptSql(value, parsed, converted) : converted;
  }
  if (w.argNumber(first) !== null) {
    // Seconds since the epoch, an instant: no session zone involved.
    const instant = `CAST(to_timestamp(${value}) AS ${kind === 'LTZ' ? 'TIMESTAMPTZ' : 'TIMESTAMP'})`;
    return kind === 'TZ' ? `_SMCP_TO_TZ(${instant})` : instant;
  }
  // A string literal becomes a constant at once (timestamp-casts.ts).
  const local = !soft && kind !== 'NTZ' ? sessionCast(kind, timeZone) : undefined;
  return local ? local(value) : convertSql(kind, value, zone, soft);
}

/**
 * SQL converting `sql` (text, a timestamp or a date) to `kind` in the session zone `zone` (quoted;
 * null in a UTC session); `soft`: NULL for text that is no timestamp.
 */
function convertSql(kind: TimestampKind, sql: string, zone: string | null, soft: boolean): string {
  if (kind === 'NTZ') return `${soft ? '_SMCP_TRY_TO_NTZ' : '_SMCP_TO_NTZ'}(${sql})`;
  // DuckDB's TRY() refuses the text macros (they may raise an error), so TRY_ has macros of its own.
  if (soft) return `_SMCP_TRY_TO_${kind}_IN(${sql}, ${zone ?? "'UTC'"})`;
  if (zone) return `_SMCP_TO_${kind}_IN(${sql}, ${zone})`;
  return kind === 'TZ' ? `_SMCP_TO_TZ(${sql})` : `_SMCP_TO_LTZ(${sql})`;
}

/** An offset at the end of timestamp text (`Z`, `+02`, `+0200`, `+02:00`). */
const TRAILING_OFFSET = String.raw`'(Z|[+-]\d{1,2}(?::?\d{2})?)\s*$'`;

/**
 * A TIMESTAMP_TZ parsed by a format with TZH:TZM (`parsed`: the instant) that keeps the offset
 * written at the end of the text `value`, as Snowflake keeps it; DuckDB's strptime keeps only the
 * instant. Text whose offset is elsewhere gets `otherwise` (the instant in the session zone).
 */
function offsetKeptSql(value: string, parsed: string, otherwise: string): string {
  const minutes = `_SMCP_TZ_MINUTES(regexp_extract(${value}, ${TRAILING_OFFSET}, 1))`;
  return `CASE WHEN regexp_matches(${value}, ${TRAILING_OFFSET})
    THEN _SMCP_TZ_MAKE(timezone('UTC', ${parsed}) + to_minutes(CAST(${minutes} AS BIGINT)), ${minutes})
    ELSE ${otherwise} END`;
}
