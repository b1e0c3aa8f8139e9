/**
 * Timestamp text in the forms Snowflake reads beyond ISO 8601 (AUTO detection), turned into the ISO
 * text DuckDB casts: RFC 2822 dates as mail and HTTP headers write them,
 * `Thu, 21 Jan 2016 06:32:44 -0800`, and integer text counting from the epoch.
 */
import { epochTimestampText } from './timestamp-epoch.js';
import { isSignificant, quoteString, stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';

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

const TIMESTAMP_FUNCTIONS = new Set([
  'TO_TIMESTAMP',
  'TO_TIMESTAMP_NTZ',
  'TO_TIMESTAMP_LTZ',
  'TO_TIMESTAMP_TZ',
  'TRY_TO_TIMESTAMP',
  'TRY_TO_TIMESTAMP_NTZ',
  'TRY_TO_TIMESTAMP_LTZ',
  'TRY_TO_TIMESTAMP_TZ',
  'TO_DATE',
  'TRY_TO_DATE',
]);
const TIMESTAMP_TYPES = /^(TIMESTAMP(_NTZ|_LTZ|_TZ)?|DATETIME|DATE)$/i;

/**
 * RFC 2822 string literals converted to timestamps (TO_TIMESTAMP_*('…'), TO_DATE('…'), '…'::TIMESTAMP_*,
 * CAST('…' AS TIMESTAMP_*)) rewritten as ISO text with their offset, and integer text converted to
 * a timestamp (not a date, not with a format) as the ISO text of its instant at UTC
 * (timestamp-epoch.ts), token for token; other tokens are returned as they are.
 */
export function isoTimestampLiterals(tokens: Token[]): Token[] {
  let out: Token[] | null = null;
  const sigAt = (from: number, step: 1 | -1): number => {
    let j = from + step;
    while (j >= 0 && j < tokens.length && !isSignificant(tokens[j])) j += step;
    return j;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'string') continue;
    const parts = rfc2822(stringValue(t));
    const epoch = parts ? null : epochTimestampText(stringValue(t));
    if (!parts && epoch === null) continue;
    const prev = tokens[sigAt(i, -1)];
    const fn = prev?.text === '(' ? tokens[sigAt(sigAt(i, -1), -1)] : undefined;
    const next = tokens[sigAt(i, 1)];
    const after = tokens[sigAt(sigAt(i, 1), 1)];
    const called = fn?.kind === 'word' && TIMESTAMP_FUNCTIONS.has(fn.text.toUpperCase());
    const cast =
      (next?.text === '::' || (next?.kind === 'word' && next.text.toUpperCase() === 'AS')) &&
      after?.kind === 'word' &&
      TIMESTAMP_TYPES.test(after.text);
    if (!called && !cast) continue;
    // Integer text is a timestamp's count since the epoch, not a date's, and a format reads it as written.
    const target = (called ? fn.text : (after?.text ?? '')).toUpperCase();
    if (!parts && (/DATE$/.test(target) || (called && next?.text === ','))) continue;
    out ??= tokens.slice();
    out[i] = { ...t, text: quoteString(parts ? `${parts.wall}${parts.offset}` : (epoch ?? '')) };
  }
  return out ?? tokens;
}
