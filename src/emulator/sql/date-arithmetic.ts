/**
 * DATE ± a number with a fraction (`d + 1.5`): Snowflake adds whole days and answers a DATE, the
 * number converted to an integer as its implicit NUMBER → INTEGER cast does (rounded half away
 * from zero: + 1.5 adds 2 days). DuckDB has `DATE + INTEGER` only and refuses a DECIMAL or DOUBLE.
 * The rewrite cannot know every operand's type, so it converts the number where the DATE is plain
 * from the text: a `::DATE` or `CAST(… AS DATE)`, a DATE literal, CURRENT_DATE, TO_DATE(…)/DATE(…);
 * a DATE column of a table the statement names is found before the rewrite (date-columns.ts).
 */

/** True when the operand at `start` of `out` (rewritten SQL so far) is a DATE by its form. */
export function isDateOperand(out: string, start: number): boolean {
  const s = out.slice(start).trim();
  // A typed literal's DATE keyword comes before the operand's string.
  const literal = /^'[^']*'$/.test(s) && /\bDATE\s*$/i.test(out.slice(0, start));
  return (
    literal || /::\s*DATE$/i.test(s) || /\bAS\s+DATE\s*\)$/i.test(s) || /^CURRENT_DATE(\s*\(\s*\))?$/i.test(s)
  );
}

/** True for a number literal with a fraction or an exponent (one DuckDB cannot add to a DATE). */
export function isFractionalLiteral(text: string): boolean {
  return /^(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][+-]?\d+)$/.test(text);
}

/** The day count `literal` as Snowflake adds it to a DATE: a rounded INTEGER. */
export function wholeDaysSql(literal: string): string {
  return `CAST(round(${literal}) AS INTEGER)`;
}
