/**
 * Reading SHOW and DESCRIBE output: rows as records keyed by lower-case column name (so column
 * order changes in Snowflake do no harm) and the cell conversions the catalog readers share.
 */
import type { QueryResult } from '../snowflake/client.js';
import type { JsonValue } from '../snowflake/serialize.js';

/** Rows of a SHOW or DESCRIBE result as records keyed by lower-case column name. */
export function records(result: Pick<QueryResult, 'columns' | 'rows'>): Record<string, JsonValue>[] {
  const names = result.columns.map((c) => c.name.toLowerCase());
  return result.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])));
}

/** A cell as text ('' for NULL). */
export function text(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A cell as a flag (true, 'true', 'Y', 'yes'). */
export function flag(value: JsonValue | undefined): boolean {
  return value === true || (typeof value === 'string' && /^(true|y|yes)$/i.test(value));
}

/** A count cell (rows, bytes) as Snowflake gave it, or null. */
export function count(value: JsonValue | undefined): number | string | null {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

/** Snowflake's type name from SHOW COLUMNS' data_type JSON (`{"type":"FIXED","precision":38,…}`). */
export function columnTypeText(value: JsonValue | undefined): string {
  const raw = text(value);
  let t: { type?: unknown; precision?: unknown; scale?: unknown; length?: unknown };
  try {
    t = JSON.parse(raw) as typeof t;
  } catch {
    return raw;
  }
  if (typeof t !== 'object' || t === null || typeof t.type !== 'string') return raw;
  switch (t.type) {
    case 'FIXED':
      return `NUMBER(${typeof t.precision === 'number' ? t.precision : 38},${typeof t.scale === 'number' ? t.scale : 0})`;
    case 'REAL':
      return 'FLOAT';
    case 'TEXT':
      return typeof t.length === 'number' ? `VARCHAR(${t.length})` : 'VARCHAR';
    case 'BINARY':
      return typeof t.length === 'number' ? `BINARY(${t.length})` : 'BINARY';
    default:
      return t.type;
  }
}
