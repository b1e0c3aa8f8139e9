/**
 * Snowflake's date and time functions with Snowflake's result types. DuckDB turns `DATE + INTERVAL`
 * and DATE_TRUNC of a DATE into TIMESTAMP; Snowflake keeps a DATE a DATE unless a time part is
 * added. The macros here are overloaded by argument type (DATE, TIMESTAMP, TIMESTAMP_NS = the
 * engine's TIMESTAMP_TZ, TIMESTAMPTZ = TIMESTAMP_LTZ, TIME), so the type is chosen when DuckDB binds
 * the statement. String literals are cast as Snowflake casts them implicitly (to TIMESTAMP, or to
 * DATE where the function takes a date) before the call, as DuckDB cannot choose an overload for them.
 */
import { DATE_PARTS } from './date-parts.js';
import type { SqlWriter, TokenRange } from './rewrite-context.js';
import { isSignificant } from './tokenizer.js';

/** Parts that move a date by whole days or more: a DATE stays a DATE. */
const DATE_LEVEL = new Set(['year', 'quarter', 'month', 'week', 'day']);

/** Adds an interval to a TIMESTAMP_TZ carrier, keeping the offset in its last nanosecond digits. */
const TZ_SHIFT = `make_timestamp_ns(epoch_ns(CAST(x AS TIMESTAMP) + i) + (epoch_ns(x) - epoch_us(x) * 1000))`;

/**
 * The offset of a TIMESTAMP_TZ carrier `x` in quarter hours (-56..56), from its last three
 * nanosecond digits (encode.ts splitTz reads them the same way).
 */
const TZ_QUARTERS = `((epoch_ns(x) % 1000 + 1500) % 1000 - 500)`;

/** The wall time of a TIMESTAMP_TZ carrier `x` in its own offset, as a TIMESTAMP. */
const TZ_WALL = `make_timestamp((epoch_ns(x) - ${TZ_QUARTERS}) // 1000 + ${TZ_QUARTERS} * 900000000)`;

/** ADD_MONTHS of the DATE `d`; the end of a month stays the end of a month (Jan 31 → Feb 29 → Mar 31). */
function monthsOnDate(d: string): string {
  const moved = `CAST(${d} + to_months(CAST(n AS INTEGER)) AS DATE)`;
  return `CASE WHEN ${d} = last_day(${d}) THEN last_day(${moved}) ELSE ${moved} END`;
}

/** `CREATE MACRO` statements for the typed date functions, run once per instance. */
export const DATE_MACROS: readonly string[] = [
  // Text (a VARCHAR column) becomes a TIMESTAMP_NTZ; date and time values pass as they are.
  `CREATE MACRO _SMCP_TEMPORAL(x VARCHAR) AS CAST(x AS TIMESTAMP), (x DATE) AS x, (x TIMESTAMP) AS x,
     (x TIMESTAMP_NS) AS x, (x TIMESTAMPTZ) AS x, (x TIME) AS x`,
  // A date-level interval: DATE stays DATE.
  `CREATE MACRO _SMCP_DATEADD_D(x DATE, i INTERVAL) AS CAST(x + i AS DATE),
     (x TIMESTAMP, i INTERVAL) AS x + i,
     (x TIMESTAMP_NS, i INTERVAL) AS ${TZ_SHIFT},
     (x TIMESTAMPTZ, i INTERVAL) AS x + i,
     (x TIME, i INTERVAL) AS x + i,
     (x VARCHAR, i INTERVAL) AS CAST(x AS TIMESTAMP) + i`,
  // A time-level interval: a DATE becomes a TIMESTAMP_NTZ.
  `CREATE MACRO _SMCP_DATEADD_T(x DATE, i INTERVAL) AS CAST(x AS TIMESTAMP) + i,
     (x TIMESTAMP, i INTERVAL) AS x + i,
     (x TIMESTAMP_NS, i INTERVAL) AS ${TZ_SHIFT},
     (x TIMESTAMPTZ, i INTERVAL) AS x + i,
     (x TIME, i INTERVAL) AS x + i,
     (x VARCHAR, i INTERVAL) AS CAST(x AS TIMESTAMP) + i`,
  `CREATE MACRO _SMCP_DATE_TRUNC(p VARCHAR, x DATE) AS CAST(date_trunc(p, x) AS DATE),
     (p VARCHAR, x TIMESTAMP) AS date_trunc(p, x),
     (p VARCHAR, x TIMESTAMP_NS) AS _SMCP_TZ_MAKE(date_trunc(p, ${TZ_WALL}), ${TZ_QUARTERS} * 15),
     (p VARCHAR, x TIMESTAMPTZ) AS date_trunc(p, x),
     (p VARCHAR, x TIME) AS CAST(date_trunc(p, DATE '1970-01-01' + x) AS TIME),
     (p VARCHAR, x VARCHAR) AS date_trunc(p, CAST(x AS TIMESTAMP))`,
  `CREATE MACRO _SMCP_ADD_MONTHS(x DATE, n) AS ${monthsOnDate('x')},
     (x TIMESTAMP, n) AS CASE WHEN CAST(x AS DATE) = last_day(x)
       THEN CAST(last_day(x + to_months(CAST(n AS INTEGER))) AS TIMESTAMP) + (x - date_trunc('day', x))
       ELSE x + to_months(CAST(n AS INTEGER)) END,
     (x VARCHAR, n) AS ${monthsOnDate('CAST(x AS DATE)')}`,
];

/**
 * The argument at `range` as SQL, with a lone string literal, NULL or bind cast to `type`
 * (Snowflake's implicit cast) so DuckDB can choose among the typed overloads: a literal or a
 * placeholder has no type of its own when DuckDB binds the statement.
 */
function typedArg(w: SqlWriter, range: TokenRange | undefined, type: string): string {
  if (!range) return `CAST(NULL AS ${type})`;
  const sig = w.toks.slice(range[0], range[1]).filter(isSignificant);
  const sql = w.emit(range[0], range[1]).trim();
  const t = sig[0];
  const lone = sig.length === 1 && t !== undefined;
  const literal = lone && (t.kind === 'string' || t.kind === 'dollar' || t.text.toUpperCase() === 'NULL');
  const bind =
    (lone && t.kind === 'punct' && /^(\?|\$\d+)$/.test(t.text)) ||
    (sig.length === 2 && sig[0]?.text === ':' && sig[1]?.kind === 'number');
  // A typed bind keeps its type (a DATE bind in DATEADD stays a DATE, as in Snowflake); a
  // TIMESTAMP_TZ bind becomes the engine's TIMESTAMP_TZ, its offset kept (macros.ts).
  if (bind) {
    const wire = boundWireType(w, sig);
    if (wire === 'TIMESTAMP_TZ') return `_SMCP_TO_TZ(${sql})`;
    return `CAST(${sql} AS ${(wire && BIND_DUCK_TYPES[wire]) ?? type})`;
  }
  if (literal) return `CAST(${sql} AS ${type})`;
  return sql;
}

/** Bind types that choose their own overload of the typed date functions. */
const BIND_DUCK_TYPES: Readonly<Record<string, string>> = {
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP_NTZ: 'TIMESTAMP',
  TIMESTAMP_LTZ: 'TIMESTAMPTZ',
};

/** The wire type (upper case) of the bind `$n` (or `:n`) `sig` stands for, when it has one. */
function boundWireType(w: SqlWriter, sig: readonly { text: string }[]): string | undefined {
  const n = Number((sig[sig.length - 1]?.text ?? '').replace('$', ''));
  return (Number.isInteger(n) && n > 0 ? w.ctx.bindTypes?.[n - 1] : undefined)?.toUpperCase();
}

/**
 * DATEADD/TIMEADD/TIMESTAMPADD, DATEDIFF/TIMEDIFF/TIMESTAMPDIFF, DATE_TRUNC, LAST_DAY and
 * ADD_MONTHS with Snowflake's result types, or null when the call is not one of them (or has a
 * part this emulator does not know, left to DuckDB's own message).
 */
export function rewriteDateCall(w: SqlWriter, name: string, open: number, close: number): string | null {
  const ranges = w.args(open, close);
  const partOf = (k: number): string | undefined => DATE_PARTS[w.argWord(ranges[k] ?? [0, 0])];
  switch (name) {
    case 'DATEADD':
    case 'TIMEADD':
    case 'TIMESTAMPADD': {
      const part = partOf(0);
      if (!part || ranges.length !== 3) return null;
      const n = w.emit(ranges[1][0], ranges[1][1]).trim();
      const x = typedArg(w, ranges[2], 'TIMESTAMP');
      const interval =
        part === 'quarter'
          ? `CAST(${n} AS BIGINT) * 3 * INTERVAL 1 MONTH`
          : `CAST(${n} AS BIGINT) * INTERVAL 1 ${part.toUpperCase()}`;
      return `_SMCP_DATEADD_${DATE_LEVEL.has(part) ? 'D' : 'T'}(${x}, ${interval})`;
    }
    case 'DATEDIFF':
    case 'TIMEDIFF':
    case 'TIMESTAMPDIFF': {
      const part = partOf(0);
      if (!part || ranges.length !== 3) return null;
      const a = typedArg(w, ranges[1], 'TIMESTAMP');
      const b = typedArg(w, ranges[2], 'TIMESTAMP');
      return `date_diff('${part}', _SMCP_TEMPORAL(${a}), _SMCP_TEMPORAL(${b}))`;
    }
    case 'DATE_TRUNC': {
      const part = partOf(0);
      if (!part || ranges.length !== 2) return null;
      return `_SMCP_DATE_TRUNC('${part}', ${typedArg(w, ranges[1], 'TIMESTAMP')})`;
    }
    case 'LAST_DAY': {
      if (ranges.length < 1 || ranges.length > 2) return null;
      const part = ranges[1] ? partOf(1) : 'month';
      const d = `CAST(${typedArg(w, ranges[0], 'DATE')} AS DATE)`;
      if (part === 'month') return `last_day(${d})`;
      if (part === 'week') return `(CAST(date_trunc('week', ${d}) AS DATE) + 6)`;
      if (part === 'year' || part === 'quarter')
        return `CAST(date_trunc('${part}', ${d}) + INTERVAL ${part === 'year' ? '12' : '3'} MONTH - INTERVAL 1 DAY AS DATE)`;
      return null;
    }
    case 'ADD_MONTHS':
      if (ranges.length !== 2) return null;
      return `_SMCP_ADD_MONTHS(${typedArg(w, ranges[0], 'DATE')}, ${w.emit(ranges[1][0], ranges[1][1]).trim()})`;
    default:
      return null;
  }
}
