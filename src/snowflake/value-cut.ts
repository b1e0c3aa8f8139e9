/**
 * Cutting values so one row fits a byte budget. A row wider than the budget must still come back
 * (otherwise paging would stop at it forever): its longest values are cut to a prefix and marked,
 * so the caller can say which column was cut and how big it is in full. Only values of text-like
 * columns are cut (TEXT, BINARY, VARIANT, OBJECT, ARRAY, MAP, GEOGRAPHY, GEOMETRY): a string keeps
 * a prefix of itself, a JSON document a prefix of its JSON text (then a string). Numbers (even as
 * digit strings), dates, times and booleans are never cut.
 */
import type { JsonValue } from './serialize.js';

/** A value the byte cap cut short, in the rows of one answer. */
export interface CutValue {
  /** Index of the row in the returned rows (not in the whole result). */
  readonly row: number;
  /** Index of the column. */
  readonly column: number;
  /** UTF-8 bytes of the whole value: a string's own text, the JSON text of anything else. */
  readonly bytes: number;
}

/** Snowflake types (as smcp names them, or the driver's wire names upper-cased) whose values may be cut. */
const CUTTABLE_TYPES: ReadonlySet<string> = new Set([
  'TEXT',
  'BINARY',
  'VARIANT',
  'OBJECT',
  'ARRAY',
  'MAP',
  'GEOGRAPHY',
  'GEOMETRY',
]);

/** For each column type, whether its values may be cut. */
export function cuttableColumns(types: readonly string[]): boolean[] {
  return types.map((t) => CUTTABLE_TYPES.has(t.toUpperCase()));
}

/** UTF-8 bytes of the JSON text of `value`. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}

/** The text a cut keeps a prefix of: a string itself, the JSON text of an object or array. */
export function cuttableText(value: JsonValue): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return undefined;
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends on a whole character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off from the middle of a multi-byte sequence (continuation bytes are 10xxxxxx).
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * Sizes a candidate row: `cuts` maps each column cut so far to its full size in bytes (callers
 * that add notes for cut values count them too).
 */
export type RowMeasure = (row: JsonValue[], cuts: ReadonlyMap<number, number>) => number;

/** A row cut to fit, with the full size of each cut column. */
export interface FittedRow {
  readonly row: JsonValue[];
  /** Column index → UTF-8 bytes of the whole value. */
  readonly cuts: ReadonlyMap<number, number>;
}

/**
 * Cuts the longest values of `row` in the columns marked in `cuttable` until `measure` says it
 * fits `budget`; undefined when it cannot fit even with every such value emptied. `known` gives
 * full sizes of values cut earlier (their full size is what a cut reports, not the size of the
 * prefix they arrived as).
 */
export function cutRowToFit(
  row: readonly JsonValue[],
  cuttable: readonly boolean[],
  budget: number,
  measure: RowMeasure,
  known: ReadonlyMap<number, number> = new Map(),
): FittedRow | undefined {
  const current = [...row];
  const cuts = new Map(known);
  // Each round cuts one value to its estimated share; a handful of rounds converge.
  for (let round = 0; round < 64; round++) {
    const total = measure(current, cuts);
    if (total <= budget) return { row: current, cuts };
    let target = -1;
    let targetBytes = 0;
    let targetText = '';
    for (let i = 0; i < current.length; i++) {
      if (!cuttable[i]) continue;
      const text = cuttableText(current[i]);
      if (text === undefined) continue;
      const size = Buffer.byteLength(text);
      if (size > targetBytes) {
        target = i;
        targetBytes = size;
        targetText = text;
      }
    }
    if (target < 0) return undefined;
    if (!cuts.has(target)) cuts.set(target, targetBytes);
    // What the value weighs in the total (escaping can make that more than its own bytes).
    const emptied = [...current];
    emptied[target] = '';
    const without = measure(emptied, cuts);
    if (without > budget) {
      current[target] = '';
      continue;
    }
    const weight = Math.max(1, total - without);
    const keep = Math.min(targetBytes - 1, Math.floor(((budget - without) * targetBytes) / weight));
    current[target] = utf8Prefix(targetText, keep);
  }
  return undefined;
}
