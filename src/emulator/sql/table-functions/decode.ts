/**
 * Kept results hold rows as the wire sends them (every value a string, see encode.ts). RESULT_SCAN
 * copies those strings into a temporary table of VARCHAR columns; these are the DuckDB expressions
 * that turn each back into the value of its Snowflake type, so the scan has the original types.
 */
import type { ColumnMeta } from '../../engine-types.js';
import { TO_DECFLOAT_MACRO } from '../decfloat.js';

/** Microseconds of a wire "secs.fffffffff" text. */
function micros(c: string): string {
  return `CAST(round(CAST(${c} AS DECIMAL(38,9)) * 1000000) AS BIGINT)`;
}

/** The DuckDB expression decoding wire column `c` (a quoted VARCHAR column name) of type `column`. */
export function decodeColumn(c: string, column: ColumnMeta): string {
  switch (column.type) {
    case 'fixed': {
      const scale = Math.min(Math.max(column.scale ?? 0, 0), 37);
      const precision = Math.min(Math.max(column.precision ?? 38, scale + 1), 38);
      return `CAST(${c} AS DECIMAL(${precision},${scale}))`;
    }
    case 'real':
      return `CAST(${c} AS DOUBLE)`;
    case 'text':
      return c;
    case 'boolean':
      return `CASE ${c} WHEN '1' THEN TRUE WHEN '0' THEN FALSE ELSE CAST(${c} AS BOOLEAN) END`;
    case 'date':
      return `CAST(DATE '1970-01-01' + CAST(${c} AS INTEGER) AS DATE)`;
    case 'time':
      return `CAST(TIME '00:00:00' + to_microseconds(${micros(c)}) AS TIME)`;
    case 'timestamp_ntz':
      return `make_timestamp(${micros(c)})`;
    case 'timestamp_ltz':
      return `CAST(make_timestamp(${micros(c)}) AS TIMESTAMPTZ)`;
    case 'timestamp_tz': {
      // "secs.fffffffff <offset minutes + 1440>": the wall time is the instant plus the offset.
      const offset = `(CAST(split_part(${c}, ' ', 2) AS BIGINT) - 1440)`;
      const instant = micros(`split_part(${c}, ' ', 1)`);
      return `_SMCP_TZ_MAKE(make_timestamp(${instant} + ${offset} * 60000000), ${offset})`;
    }
    case 'binary':
      return `unhex(${c})`;
    case 'variant':
    case 'object':
    case 'array':
    case 'map':
      return `CAST(${c} AS JSON)`;
    case 'decfloat':
      return `${TO_DECFLOAT_MACRO}(${c})`;
  }
}
