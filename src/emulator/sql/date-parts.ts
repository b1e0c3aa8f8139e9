/**
 * Snowflake date and time parts (DATEADD(day, …), DATEDIFF(mm, …)) and format strings
 * ('YYYY-MM-DD HH24:MI') translated to DuckDB's part names and strftime patterns.
 */

/** Snowflake date/time part names and abbreviations → DuckDB part names. */
export const DATE_PARTS: Record<string, string> = {
  YEAR: 'year',
  Y: 'year',
  YY: 'year',
  YYY: 'year',
  YYYY: 'year',
  YR: 'year',
  YEARS: 'year',
  YRS: 'year',
  QUARTER: 'quarter',
  Q: 'quarter',
  QTR: 'quarter',
  QTRS: 'quarter',
  QUARTERS: 'quarter',
  MONTH: 'month',
  MM: 'month',
  MON: 'month',
  MONS: 'month',
  MONTHS: 'month',
  WEEK: 'week',
  W: 'week',
  WK: 'week',
  WEEKOFYEAR: 'week',
  WOY: 'week',
  WY: 'week',
  WEEKS: 'week',
  DAY: 'day',
  D: 'day',
  DD: 'day',
  DAYS: 'day',
  DAYOFMONTH: 'day',
  HOUR: 'hour',
  H: 'hour',
  HH: 'hour',
  HR: 'hour',
  HOURS: 'hour',
  HRS: 'hour',
  MINUTE: 'minute',
  M: 'minute',
  MI: 'minute',
  MIN: 'minute',
  MINUTES: 'minute',
  MINS: 'minute',
  SECOND: 'second',
  S: 'second',
  SEC: 'second',
  SECONDS: 'second',
  SECS: 'second',
  MILLISECOND: 'millisecond',
  MS: 'millisecond',
  MSEC: 'millisecond',
  MILLISECONDS: 'millisecond',
  MICROSECOND: 'microsecond',
  US: 'microsecond',
  USEC: 'microsecond',
  MICROSECONDS: 'microsecond',
  NANOSECOND: 'microsecond',
  NS: 'microsecond',
  NSEC: 'microsecond',
  NANOSECONDS: 'microsecond',
  DAYOFWEEK: 'dayofweek',
  DOW: 'dayofweek',
  DAYOFYEAR: 'dayofyear',
  DOY: 'dayofyear',
  EPOCH_SECOND: 'epoch',
};

/** Snowflake format elements → strftime, longest first. */
const FORMAT_ELEMENTS: [string, string][] = [
  ['YYYY', '%Y'],
  ['YY', '%y'],
  ['MMMM', '%B'],
  ['MON', '%b'],
  ['MM', '%m'],
  ['DD', '%d'],
  ['DY', '%a'],
  ['HH24', '%H'],
  ['HH12', '%I'],
  ['HH', '%H'],
  ['MI', '%M'],
  ['SS', '%S'],
  ['FF9', '%n'],
  ['FF6', '%f'],
  ['FF3', '%g'],
  ['FF', '%f'],
  ['AM', '%p'],
  ['PM', '%p'],
  ['TZH:TZM', '%z'],
];

/** Converts a Snowflake date/time format string to strftime. */
export function toStrftime(format: string): string {
  let out = '';
  let i = 0;
  outer: while (i < format.length) {
    if (format[i] === '"') {
      const end = format.indexOf('"', i + 1);
      out += format.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    for (const [el, rep] of FORMAT_ELEMENTS) {
      if (format.slice(i, i + el.length).toUpperCase() === el) {
        out += rep;
        i += el.length;
        continue outer;
      }
    }
    out += format[i] === '%' ? '%%' : format[i];
    i++;
  }
  return out;
}
