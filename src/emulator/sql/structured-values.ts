/**
 * Structured columns (OBJECT(…), ARRAY(…), MAP(…) values, see structured-types.ts) on the wire:
 * their rowtype carries `fields` (an OBJECT's members by name, an ARRAY's element, a MAP's key and
 * value, each described like a column and nested likewise), which is what makes snowflake-sdk
 * convert them member by member; their value is JSON text whose dates and times are written in the
 * session's output formats and time zone (the driver parses them back with the same formats),
 * numbers as JSON numbers, binary as hex (or base64) text and a MAP as a JSON object.
 */
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimeValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
} from '@duckdb/node-api';
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { ColumnMeta } from '../engine-types.js';
import { columnMetaFor, decimalText, splitTz, toJsonText } from './encode.js';
import { STRUCTURED_MARK, structuredInner } from './structured-mark.js';
import { DEFAULT_FORMATS, formatWallClock, wallClockAt, zoneOffsetMinutes } from './value-formats.js';
import type { ValueFormats } from './value-formats.js';

/** The metadata of a member of a structured type of DuckDB type `duck`. */
function memberMeta(name: string, duck: DuckDBType): ColumnMeta {
  switch (duck.typeId) {
    case DuckDBTypeId.STRUCT:
      return {
        ...columnMetaFor(name, duck),
        type: 'object',
        fields: duck.entryNames.map((n, k) => memberMeta(n, duck.entryTypes[k])),
      };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return { ...columnMetaFor(name, duck), type: 'array', fields: [memberMeta('', duck.valueType)] };
    case DuckDBTypeId.MAP:
      return {
        ...columnMetaFor(name, duck),
        type: 'map',
        fields: [memberMeta('key', duck.keyType), memberMeta('value', duck.valueType)],
      };
    default:
      return columnMetaFor(name, duck);
  }
}

/**
 * `column` (DuckDB type `duck`) as a structured column when `duck` wraps a structured value:
 * OBJECT, ARRAY or MAP with its `fields`; any other column is returned as it is.
 */
export function structuredColumn(column: ColumnMeta, duck: DuckDBType): ColumnMeta {
  const inner = structuredInner(duck);
  if (!inner) return column;
  const meta = memberMeta(column.name, inner);
  const { database, schema, table } = column;
  return {
    ...meta,
    nullable: column.nullable,
    ...(database !== undefined ? { database } : {}),
    ...(schema !== undefined ? { schema } : {}),
    ...(table !== undefined ? { table } : {}),
  };
}

/** The session formats bound to structured columns of a result (see bindFormats). */
const boundFormats = new WeakMap<ColumnMeta, ValueFormats>();

/** Binds the session's `formats` to the structured columns of `columns`, for their values; returns `columns`. */
export function bindFormats(columns: ColumnMeta[], formats: ValueFormats): ColumnMeta[] {
  for (const c of columns) if (c.fields) boundFormats.set(c, formats);
  return columns;
}

/**
 * The wire text of a structured column's value: JSON as Snowflake writes it, in the formats bound
 * to the column (the account's by default). Text (a value read back from a kept result) passes.
 */
export function structuredText(value: DuckDBValue, column: ColumnMeta): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  const formats = boundFormats.get(column) ?? DEFAULT_FORMATS;
  const inner = value instanceof DuckDBStructValue ? value.entries[STRUCTURED_MARK] : undefined;
  // A wrapper around nothing (a TRY_CAST that failed) is a NULL value.
  if (inner === null) return null;
  return memberJson(inner === undefined ? value : inner, column, formats);
}

function memberJson(value: DuckDBValue | undefined, meta: ColumnMeta, formats: ValueFormats): string {
  if (value === null || value === undefined) return 'null';
  const fields = meta.fields ?? [];
  switch (meta.type) {
    case 'object': {
      if (!(value instanceof DuckDBStructValue)) return toJsonText(value);
      const parts = fields.map(
        (f) => `${JSON.stringify(f.name)}:${memberJson(value.entries[f.name], f, formats)}`,
      );
      return `{${parts.join(',')}}`;
    }
    case 'array': {
      if (!(value instanceof DuckDBListValue || value instanceof DuckDBArrayValue)) return toJsonText(value);
      const element = fields[0] ?? meta;
      return `[${value.items.map((v) => memberJson(v, element, formats)).join(',')}]`;
    }
    case 'map': {
      if (!(value instanceof DuckDBMapValue)) return toJsonText(value);
      const [key, val] = fields;
      if (!key || !val) return toJsonText(value);
      const parts = value.entries.map(
        (e) => `${JSON.stringify(scalarText(e.key, key, formats))}:${memberJson(e.value, val, formats)}`,
      );
      return `{${parts.join(',')}}`;
    }
    case 'fixed':
      return numberJson(value);
    case 'real':
      return typeof value === 'number' && !Number.isFinite(value)
        ? JSON.stringify(String(value))
        : String(value);
    case 'boolean':
      return value === true ? 'true' : value === false ? 'false' : JSON.stringify(String(value));
    case 'variant':
      return typeof value === 'string' ? value : toJsonText(value);
    default:
      return JSON.stringify(scalarText(value, meta, formats));
  }
}

function numberJson(value: DuckDBValue): string {
  if (value instanceof DuckDBDecimalValue) return decimalText(value.value, value.scale);
  return String(value);
}

/** A scalar member as text: a map key, or a date, time, timestamp, binary or text member. */
function scalarText(value: DuckDBValue, meta: ColumnMeta, formats: ValueFormats): string {
  if (value === null) return '';
  switch (meta.type) {
    case 'fixed':
      return numberJson(value);
    case 'date':
      if (value instanceof DuckDBDateValue)
        return formatWallClock(wallClockAt(BigInt(value.days) * 86_400_000_000_000n, 0), formats.date);
      break;
    case 'time':
      if (value instanceof DuckDBTimeValue)
        return formatWallClock(wallClockAt(value.micros * 1000n, 0), formats.time);
      break;
    case 'timestamp_ntz':
      if (value instanceof DuckDBTimestampValue)
        return formatWallClock(wallClockAt(value.micros * 1000n, 0), formats.ntz);
      break;
    case 'timestamp_ltz':
      if (value instanceof DuckDBTimestampTZValue) {
        const offset = zoneOffsetMinutes(formats.timeZone, Number(value.micros / 1000n));
        return formatWallClock(wallClockAt(value.micros * 1000n, offset), formats.ltz);
      }
      break;
    case 'timestamp_tz':
      if (value instanceof DuckDBTimestampNanosecondsValue) {
        const { instantNanos, offsetMinutes } = splitTz(value.nanos);
        return formatWallClock(wallClockAt(instantNanos, offsetMinutes), formats.tz);
      }
      break;
    case 'binary':
      if (value instanceof DuckDBBlobValue) {
        const bytes = Buffer.from(value.bytes);
        return formats.binary === 'BASE64' ? bytes.toString('base64') : bytes.toString('hex').toUpperCase();
      }
      break;
    default:
      break;
  }
  return typeof value === 'string' ? value : String(value);
}
