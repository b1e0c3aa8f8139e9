/**
 * Timestamp text in the forms Snowflake reads beyond ISO 8601 (AUTO detection), turned into the ISO
 * text DuckDB casts: RFC 2822 dates as mail and HTTP headers write them,
 * `Thu, 21 Jan 2016 06:32:44 -0800`.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const RFC_2822 =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([+-]\d{4}|GMT|UTC|UT|Z)?$/;

/** ISO parts of an RFC 2822 timestamp: its wall time (`YYYY-MM-DD HH:MM:SS[.f]`) and offset (`±HH:MM`). */
export interface IsoTimestamp {
  readonly date: string;
  readonly wall: string;
  readonly offset: string;
}

const pad = (n: string | number, width = 2): string => String(n).padStart(width, '0');

/** The ISO form of RFC 2822 timestamp text, or null when `text` is not one. */
export function rfc2822(text: string): IsoTimestamp | null {
  const m = RFC_2822.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf((m[2] ?? '').toUpperCase());
  if (month < 0) return null;
  const date = `${m[3]}-${pad(month + 1)}-${pad(m[1] ?? '')}`;
  const zone = m[8];
  const offset = !zone || /^[A-Z]/.test(zone) ? '+00:00' : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const wall = `${date} ${pad(m[4] ?? '')}:${m[5]}:${m[6] ?? '00'}${m[7] ? `.${m[7]}` : ''}`;
  return { date, wall, offset };
}
