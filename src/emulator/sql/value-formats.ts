/**
 * Dates and times as text in a session's output formats (DATE_OUTPUT_FORMAT, TIME_OUTPUT_FORMAT,
 * TIMESTAMP_*_OUTPUT_FORMAT) and time zone (TIMEZONE), as Snowflake writes them inside structured
 * OBJECT, ARRAY and MAP values, where the driver parses them back with the same formats. Top-level
 * date and time columns travel as epoch numbers instead (encode.ts).
 */

/** A session's output formats and time zone. */
export interface ValueFormats {
  readonly date: string;
  readonly time: string;
  readonly ntz: string;
  readonly ltz: string;
  readonly tz: string;
  readonly timeZone: string;
  readonly binary: 'HEX' | 'BASE64';
}

/** Snowflake's defaults (with the emulator's UTC time zone). */
const DEFAULT_TIMESTAMP = 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM';

/** The formats of a session with parameters `params` (upper-case names); '' or AUTO falls back. */
export function valueFormats(params: ReadonlyMap<string, string>): ValueFormats {
  const get = (name: string): string => {
    const v = params.get(name)?.trim() ?? '';
    return v.toUpperCase() === 'AUTO' ? '' : v;
  };
  const timestamp = get('TIMESTAMP_OUTPUT_FORMAT') || DEFAULT_TIMESTAMP;
  return {
    date: get('DATE_OUTPUT_FORMAT') || 'YYYY-MM-DD',
    time: get('TIME_OUTPUT_FORMAT') || 'HH24:MI:SS',
    ntz: get('TIMESTAMP_NTZ_OUTPUT_FORMAT') || 'YYYY-MM-DD HH24:MI:SS.FF3',
    ltz: get('TIMESTAMP_LTZ_OUTPUT_FORMAT') || timestamp,
    tz: get('TIMESTAMP_TZ_OUTPUT_FORMAT') || timestamp,
    timeZone: get('TIMEZONE') || 'UTC',
    binary: get('BINARY_OUTPUT_FORMAT').toUpperCase() === 'BASE64' ? 'BASE64' : 'HEX',
  };
}

/** The account's formats, for values encoded without a session. */
export const DEFAULT_FORMATS: ValueFormats = valueFormats(new Map());

/** A wall clock: calendar fields, nanoseconds of the second, and its UTC offset in minutes. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  offsetMinutes: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Format elements, longest first so that HH24 wins over HH and FF9 over FF. */
const ELEMENT =
  /"[^"]*"|YYYY|YY|MMMM|MON|MM|DD|DY|HH24|HH12|HH|AM|PM|MI|SS|FF[0-9]?|TZH:TZM|TZHTZM|TZH|TZM|./gi;

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** `clock` written in Snowflake format `format` (elements as in Snowflake's documentation). */
export function formatWallClock(clock: WallClock, format: string): string {
  const sign = clock.offsetMinutes < 0 ? '-' : '+';
  const offH = pad(Math.trunc(Math.abs(clock.offsetMinutes) / 60));
  const offM = pad(Math.abs(clock.offsetMinutes) % 60);
  return format.replace(ELEMENT, (el) => {
    const up = el.toUpperCase();
    if (el.startsWith('"')) return el.slice(1, -1);
    switch (up) {
      case 'YYYY':
        return pad(clock.year, 4);
      case 'YY':
        return pad(clock.year % 100);
      case 'MMMM':
      case 'MON':
        return MONTHS[clock.month - 1] ?? '';
      case 'MM':
        return pad(clock.month);
      case 'DD':
        return pad(clock.day);
      case 'DY':
        return DAYS[new Date(Date.UTC(clock.year, clock.month - 1, clock.day)).getUTCDay()] ?? '';
      case 'HH24':
      case 'HH':
        return pad(clock.hour);
      case 'HH12':
        return pad(clock.hour % 12 === 0 ? 12 : clock.hour % 12);
      case 'AM':
      case 'PM':
        return clock.hour < 12 ? 'AM' : 'PM';
      case 'MI':
        return pad(clock.minute);
      case 'SS':
        return pad(clock.second);
      case 'TZH:TZM':
        return `${sign}${offH}:${offM}`;
      case 'TZHTZM':
        return `${sign}${offH}${offM}`;
      case 'TZH':
        return `${sign}${offH}`;
      case 'TZM':
        return offM;
      default:
        if (up.startsWith('FF')) {
          const digits = up.length === 3 ? Number(up[2]) : 9;
          return digits === 0 ? '' : pad(clock.nanos, 9).slice(0, digits);
        }
        return el;
    }
  });
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** The UTC offset in minutes of time zone `timeZone` at `epochMs` (0 for a zone Node does not know). */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  if (timeZone.toUpperCase() === 'UTC') return 0;
  let fmt = zoneFormatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return 0;
    }
    if (zoneFormatters.size > 64) zoneFormatters.clear();
    zoneFormatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(epochMs))) parts[p.type] = Number(p.value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((wall - Math.floor(epochMs / 1000) * 1000) / 60000);
}

/** The wall clock of instant `epochNanos` at `offsetMinutes` from UTC. */
export function wallClockAt(epochNanos: bigint, offsetMinutes: number): WallClock {
  const shifted = epochNanos + BigInt(offsetMinutes) * 60_000_000_000n;
  const nanosOfSecond = ((shifted % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const seconds = (shifted - nanosOfSecond) / 1_000_000_000n;
  const d = new Date(Number(seconds) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos: Number(nanosOfSecond),
    offsetMinutes,
  };
}
