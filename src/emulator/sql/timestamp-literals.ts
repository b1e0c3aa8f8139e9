/**
 * A string literal written into a timestamp column, read here rather than in SQL: the text is
 * known when the statement is rewritten, so it becomes a typed timestamp constant at once. The
 * text macros of timestamp-writes.ts do the same work per value while DuckDB binds the statement,
 * which for a VALUES list of hundreds of rows costs seconds. Text these forms do not cover is
 * left to those macros.
 */
import { EmulatorSqlError } from '../engine-types.js';
import type { TimestampKind } from './timestamp-writes.js';
import { epochTimestampText } from './timestamp-epoch.js';
import { rfc2822 } from './timestamp-text.js';

/** ISO date, optional time (`T` or space) and optional offset (`Z`, `+02`, `+0200`, `+02:00`). */
const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?)?$/i;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Wall time (`YYYY-MM-DD HH:MM:SS.ffffff`) and offset in minutes (null: none written) of `text`. */
interface Parsed {
  wall: string;
  offset: number | null;
}

function offsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = digits.length <= 2 ? Number(digits) : Number(digits.slice(0, -2));
  const minutes = digits.length <= 2 ? 0 : Number(digits.slice(-2));
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * The parts of timestamp text in the ISO or RFC 2822 forms, or of integer text (a count since the
 * epoch, timestamp-epoch.ts); null for other text. Throws 100035 naming the text when it has such a
 * form but no such day or time (`2024-13-01`).
 */
function parse(text: string): Parsed | null {
  const mail = rfc2822(text);
  const m = ISO.exec(epochTimestampText(text) ?? (mail ? `${mail.wall}${mail.offset}` : text.trim()));
  if (!m) return null;
  const part = (g: number): number => Number(m[g] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= lastDay && hour <= 23 && minute <= 59 && second <= 59;
  if (!valid) throw new EmulatorSqlError('100035', '22007', `Timestamp '${text}' is not recognized`);
  const fraction = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  const wall = `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}.${fraction}`;
  return { wall, offset: m[8] ? offsetMinutes(m[8]) : null };
}

/**
 * SQL for string literal text `text` stored into a column of `kind` (`zone`: the session time
 * zone, quoted), or null when the text is not in a form read here.
 */
export function timestampLiteralSql(kind: TimestampKind, text: string, zone: string): string | null {
  const parsed = parse(text);
  if (!parsed) return null;
  // Macros of timestamp-writes.ts: the statement's own rewrite leaves their calls as they are.
  const wall = `'${parsed.wall}'`;
  const { offset } = parsed;
  if (kind === 'NTZ') return `_SMCP_TS_NTZ_LIT(${wall})`;
  if (offset === null) return `_SMCP_TS_${kind}_LIT(${wall}, ${zone})`;
  return `_SMCP_TS_${kind}_LIT_AT(${wall}, ${offset})`;
}
