/**
 * Reading back the Snowflake wire encoding of values (see sql/encode.ts): dates as days since the
 * epoch, times and timestamps as "seconds.fffffffff", TIMESTAMP_TZ with its offset + 1440 after a
 * space. Used where an encoded value must become something else: a SQL literal (scripting
 * variables) or an Arrow column.
 */

/** Nanoseconds of a "seconds.fraction" text (any number of fraction digits, sign allowed). */
export function nanosOf(text: string): bigint {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const whole = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot + 1, dot + 10);
  const nanos = BigInt(whole || '0') * 1_000_000_000n + BigInt(frac.padEnd(9, '0') || '0');
  return negative ? -nanos : nanos;
}

/** A TIMESTAMP_TZ text split into its instant (nanoseconds) and its UTC offset in minutes. */
export function tzPartsOf(text: string): { nanos: bigint; offsetMinutes: number } {
  const space = text.indexOf(' ');
  if (space < 0) return { nanos: nanosOf(text), offsetMinutes: 0 };
  return { nanos: nanosOf(text.slice(0, space)), offsetMinutes: Number(text.slice(space + 1)) - 1440 };
}

/** `YYYY-MM-DD HH:MM:SS.fffffffff` (UTC wall time) of nanoseconds since the epoch. */
export function wallTextOf(nanos: bigint): string {
  const seconds = nanos >= 0n ? nanos / 1_000_000_000n : -((-nanos + 999_999_999n) / 1_000_000_000n);
  const frac = nanos - seconds * 1_000_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${frac.toString().padStart(9, '0')}`;
}

/** `YYYY-MM-DD` of days since the epoch. */
export function dateTextOf(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** `+HH:MM` / `-HH:MM` of an offset in minutes. */
export function offsetTextOf(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
