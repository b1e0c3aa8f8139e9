/**
 * Snowflake wire encoding of DuckDB values and types: what goes into `rowtype` and `rowset`.
 * Every value becomes a string (or null) in the shape snowflake-sdk parses; see
 * /work/shared/notes/snowflake-wire.md "Value encoding in rowset".
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
  DuckDBTimeNSValue,
  DuckDBTimeTZValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
} from '@duckdb/node-api';
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { ColumnMeta, SnowflakeType } from '../engine-types.js';
import { STRUCTURED_MARK } from './structured-mark.js';
import { DECFLOAT_KEY, DECFLOAT_MEMBER, decfloatWireText, isDecfloatType } from './decfloat.js';

/** Snowflake's maximum VARCHAR length, reported for every text column. */
export const MAX_TEXT_LENGTH = 16777216;
/** Snowflake's maximum BINARY length. */
export const MAX_BINARY_LENGTH = 8388608;

/** The Snowflake type a column should carry, when the catalogue knows better than DuckDB. */
export interface DeclaredType {
  type: SnowflakeType;
  precision?: number | null;
  scale?: number | null;
  length?: number | null;
}

/** Snowflake column metadata for a DuckDB result column, optionally refined by a declared type. */
export function columnMetaFor(name: string, duck: DuckDBType, declared?: DeclaredType): ColumnMeta {
  const base = baseMeta(duck);
  // The declared type may only refine within the same physical family (e.g. JSON → object/array).
  // A NUMBER column is stored as its own DECIMAL(p,s): a fixed-point result of another scale is
  // an expression that only shares the column's name (`n * n AS n`), whose scale must stand.
  const sameScale = base.type !== 'fixed' || declared?.scale === undefined || declared.scale === base.scale;
  if (declared && sameScale && compatible(base.type, declared.type)) {
    base.type = declared.type;
    if (declared.precision !== undefined) base.precision = declared.precision;
    if (declared.scale !== undefined) base.scale = declared.scale;
    if (declared.length !== undefined) {
      base.length = declared.length;
      base.byteLength =
        declared.length === null ? null : declared.type === 'text' ? declared.length * 4 : declared.length;
    }
  }
  return { name, nullable: true, ...base };
}

function compatible(actual: SnowflakeType, declared: SnowflakeType): boolean {
  if (actual === declared) return true;
  const json = ['variant', 'object', 'array', 'text'];
  if (actual === 'variant' && json.includes(declared)) return true;
  return false;
}

type Meta = Omit<ColumnMeta, 'name' | 'nullable'>;

function meta(
  type: SnowflakeType,
  precision: number | null,
  scale: number | null,
  length: number | null = null,
): Meta {
  const byteLength = length === null ? null : type === 'text' ? length * 4 : length;
  return { type, precision, scale, length, byteLength };
}

function baseMeta(duck: DuckDBType): Meta {
  switch (duck.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return meta('boolean', null, null);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
    case DuckDBTypeId.INTEGER_LITERAL:
      return meta('fixed', 38, 0);
    case DuckDBTypeId.DECIMAL:
      return meta('fixed', duck.width, duck.scale);
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return meta('real', null, null);
    case DuckDBTypeId.VARCHAR:
      return duck.alias === 'JSON' ? meta('variant', null, null) : meta('text', null, null, MAX_TEXT_LENGTH);
    case DuckDBTypeId.BLOB:
      return meta('binary', null, null, MAX_BINARY_LENGTH);
    case DuckDBTypeId.DATE:
      return meta('date', null, null);
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.TIME_TZ:
      return meta('time', null, 9);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
      return meta('timestamp_ntz', null, 9);
    case DuckDBTypeId.TIMESTAMP_NS:
      // The engine's TIMESTAMP_TZ carrier (instant + offset); see macros.ts.
      return meta('timestamp_tz', null, 9);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return meta('timestamp_ltz', null, 9);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return meta('array', null, null);
    case DuckDBTypeId.STRUCT:
      return isDecfloatType(duck) ? meta('decfloat', 38, null) : meta('object', null, null);
    case DuckDBTypeId.MAP:
      return meta('object', null, null);
    case DuckDBTypeId.UNION:
      return meta('variant', null, null);
    case DuckDBTypeId.VARIANT:
      return meta('variant', null, null);
    default:
      // UUID, INTERVAL, ENUM, BIT, SQLNULL and the rest travel as text.
      return meta('text', null, null, MAX_TEXT_LENGTH);
  }
}

/** Encodes one DuckDB value for a column of the given Snowflake type. */
export function encodeValue(value: DuckDBValue, column: ColumnMeta): string | null {
  if (value === null) return null;
  switch (column.type) {
    case 'boolean':
      return value === true ? '1' : value === false ? '0' : String(value);
    case 'fixed':
      return encodeFixed(value);
    case 'real':
      return encodeReal(value);
    case 'text':
      return typeof value === 'string' ? value : String(value);
    case 'binary':
      return value instanceof DuckDBBlobValue
        ? Buffer.from(value.bytes).toString('hex').toUpperCase()
        : String(value);
    case 'date':
      return value instanceof DuckDBDateValue ? String(value.days) : String(value);
    case 'time':
      return encodeTime(value);
    case 'timestamp_ntz':
    case 'timestamp_ltz':
      return encodeEpoch(value);
    case 'timestamp_tz':
      return encodeTz(value);
    case 'variant':
    case 'object':
    case 'array':
    case 'map':
      return typeof value === 'string' ? value : toJsonText(value);
    case 'decfloat':
      return decfloatWireText(value);
  }
}

function encodeFixed(value: DuckDBValue): string {
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  if (value instanceof DuckDBDecimalValue) return decimalText(value.value, value.scale);
  return String(value);
}

/** Exact decimal text of `unscaled / 10^scale` (no exponent, no float rounding). */
export function decimalText(unscaled: bigint, scale: number): string {
  if (scale === 0) return unscaled.toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

function encodeReal(value: DuckDBValue): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
    return String(value);
  }
  return String(value);
}

/** Nanoseconds since epoch (or midnight) as Snowflake's "secs.fffffffff" text. */
export function nanosText(nanos: bigint): string {
  return decimalText(nanos, 9);
}

function encodeTime(value: DuckDBValue): string {
  if (value instanceof DuckDBTimeValue) return nanosText(value.micros * 1000n);
  if (value instanceof DuckDBTimeNSValue) return nanosText(value.nanos);
  if (value instanceof DuckDBTimeTZValue) return nanosText(value.micros * 1000n);
  return String(value);
}

/**
 * Splits a TIMESTAMP_TZ carrier (TIMESTAMP_NS: UTC microseconds * 1000 + offset in quarter hours,
 * see macros.ts) into its instant in nanoseconds and its offset in minutes.
 */
export function splitTz(nanos: bigint): { instantNanos: bigint; offsetMinutes: number } {
  const micros = (nanos + 500n) / 1000n - ((nanos + 500n) % 1000n < 0n ? 1n : 0n);
  return { instantNanos: micros * 1000n, offsetMinutes: Number(nanos - micros * 1000n) * 15 };
}

/** Snowflake's TIMESTAMP_TZ text: "epochSecs.fffffffff <offsetMinutes + 1440>". */
function encodeTz(value: DuckDBValue): string | null {
  if (value instanceof DuckDBTimestampNanosecondsValue) {
    const { instantNanos, offsetMinutes } = splitTz(value.nanos);
    return `${nanosText(instantNanos)} ${offsetMinutes + 1440}`;
  }
  const epoch = encodeEpoch(value);
  return epoch === null ? null : `${epoch} 1440`;
}

function encodeEpoch(value: DuckDBValue): string | null {
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    if (!value.isFinite) return null;
    return nanosText(value.micros * 1000n);
  }
  if (value instanceof DuckDBTimestampNanosecondsValue) return nanosText(value.nanos);
  if (value instanceof DuckDBTimestampMillisecondsValue) return nanosText(value.millis * 1000000n);
  if (value instanceof DuckDBTimestampSecondsValue) return nanosText(value.seconds * 1000000000n);
  if (value instanceof DuckDBDateValue) return nanosText(BigInt(value.days) * 86400n * 1000000000n);
  return String(value);
}

/**
 * The JSON text of a DuckDB value (for ARRAY/OBJECT/VARIANT columns). A DECFLOAT in it is its
 * number, written exactly (JSON.stringify would round it to a double's 17 digits).
 */
export function toJsonText(value: DuckDBValue): string {
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue)
    return `[${value.items.map(toJsonText).join(',')}]`;
  if (value instanceof DuckDBStructValue) {
    if (isDecfloatValue(value)) return decfloatWireText(value) ?? 'null';
    const entries = Object.entries(value.entries);
    // A structured value's wrapper (structured-mark.ts) is not part of the value.
    if (entries.length === 1 && entries[0]?.[0] === STRUCTURED_MARK) return toJsonText(entries[0][1]);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  if (value instanceof DuckDBMapValue) {
    const entries = value.entries.map((e) => `${JSON.stringify(String(e.key))}:${toJsonText(e.value)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(scalarJson(value));
}

/** Whether a STRUCT value is a DECFLOAT's carrier (decfloat.ts). */
function isDecfloatValue(value: DuckDBStructValue): boolean {
  const keys = Object.keys(value.entries);
  return keys.length === 2 && keys[0] === DECFLOAT_KEY && keys[1] === DECFLOAT_MEMBER;
}

/** The JSON value of a DuckDB value that holds no other values (no list, struct or map). */
function scalarJson(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof DuckDBDecimalValue) return Number(decimalText(value.value, value.scale));
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('hex').toUpperCase();
  return value.toString();
}
