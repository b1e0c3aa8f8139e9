/**
 * Turns driver row values into JSON without loss. The driver is asked for raw text where its own
 * conversion would lose information (NUMBER beyond 2^53, JSON with big numbers) and for its
 * timestamp objects (epoch seconds + nanoseconds + offset) where text would depend on session
 * output formats; smcp then renders every type one fixed way:
 * NUMBER scale>0 → string; integers → number when |v| ≤ 2^53−1 else string; FLOAT → number
 * (NaN/±Infinity → string); BOOLEAN → boolean; DATE 'YYYY-MM-DD'; TIME 'HH:MM:SS[.f…]';
 * TIMESTAMP_NTZ ISO without offset; TIMESTAMP_LTZ/TZ ISO with offset; BINARY → hex (upper case, as
 * Snowflake prints it) or base64; VARIANT/OBJECT/ARRAY → parsed JSON whose numbers follow the same
 * rule as NUMBER: a number unless a double would change it, then a string of its digits.
 */

import { isSafeNumber, parse as parseLossless } from 'lossless-json';

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Driver native types fetched as raw strings (statement option `fetchAsString`): NUMBER keeps
 * its exact digits, VARIANT/OBJECT/ARRAY keep their JSON text.
 */
export const DRIVER_FETCH_AS_STRING = ['Number', 'JSON', 'Object', 'Array'] as const;

/**
 * Run once on every new connection: makes the driver's TIME text carry every fractional digit
 * (TIME is the one type the driver hands out only as text formatted by TIME_OUTPUT_FORMAT, whose
 * default drops fractions). A session setting, because the driver reads output formats from the
 * session parameters Snowflake returns with each result.
 */
export const SESSION_SETUP_SQL = "ALTER SESSION SET TIME_OUTPUT_FORMAT = 'HH24:MI:SS.FF9'";

/** The subset of the driver's Column this module reads. */
export interface DriverColumn {
  getName(): string;
  getType(): string;
  isNullable(): boolean;
  getScale(): number;
  getPrecision(): number;
}

/** A result column as smcp reports it. */
export interface ColumnInfo {
  readonly name: string;
  /** Snowflake type name: NUMBER, FLOAT, TEXT, BOOLEAN, DATE, TIME, TIMESTAMP_NTZ/LTZ/TZ, BINARY, VARIANT, OBJECT, ARRAY, MAP. */
  readonly type: string;
  readonly nullable: boolean;
  readonly precision: number | null;
  readonly scale: number | null;
}

/** Serialization choices. */
export interface SerializeOptions {
  /** BINARY as upper-case hex (default, as Snowflake shows it) or base64. */
  readonly binaryEncoding?: 'hex' | 'base64';
}

/** Converts one driver value of a column into JSON. */
export type ValueSerializer = (value: unknown) => JsonValue;

const TYPE_NAMES: Readonly<Record<string, string>> = { fixed: 'NUMBER', real: 'FLOAT' };

function num(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Column descriptions for a result. */
export function describeColumns(columns: readonly DriverColumn[]): ColumnInfo[] {
  return columns.map((c) => {
    const wire = c.getType();
    return {
      name: c.getName(),
      type: TYPE_NAMES[wire] ?? wire.toUpperCase(),
      nullable: c.isNullable() !== false,
      precision: num(c.getPrecision()),
      scale: num(c.getScale()),
    };
  });
}

/** SfDate/SfTimestamp shape the driver returns for DATE and TIMESTAMP_* columns. */
interface SfDateLike {
  getEpochSeconds(): number;
  getNanoSeconds(): number;
  getTimezone(): unknown;
}

function isSfDate(value: unknown): value is SfDateLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SfDateLike).getEpochSeconds === 'function' &&
    typeof (value as SfDateLike).getNanoSeconds === 'function'
  );
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function fraction(nanos: number, scale: number): string {
  if (scale <= 0) return '';
  return '.' + pad(Math.trunc(nanos), 9).slice(0, Math.min(scale, 9));
}

function civil(epochSeconds: number): { date: string; time: string } {
  const d = new Date(epochSeconds * 1000);
  const year = d.getUTCFullYear();
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
  return {
    date: `${y}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.trunc(abs / 60))}:${pad(abs % 60)}`;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();

/** Offset of an IANA zone at an instant, in minutes; 0 for unknown zones. */
function zoneOffsetMinutes(zone: string, epochSeconds: number): number {
  let fmt = zoneFormatters.get(zone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      fmt = null;
    }
    zoneFormatters.set(zone, fmt);
  }
  if (fmt === null) return 0;
  const name = fmt.formatToParts(new Date(epochSeconds * 1000)).find((p) => p.type === 'timeZoneName');
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name?.value ?? '');
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function timestamp(value: unknown, scale: number, kind: 'ntz' | 'ltz' | 'tz'): JsonValue {
  if (!isSfDate(value)) return value instanceof Date ? value.toISOString() : String(value);
  const secs = value.getEpochSeconds();
  const nanos = value.getNanoSeconds();
  if (kind === 'ntz') {
    const { date, time } = civil(secs);
    return `${date}T${time}${fraction(nanos, scale)}`;
  }
  const zone = value.getTimezone();
  const offset =
    typeof zone === 'number' ? zone : typeof zone === 'string' ? zoneOffsetMinutes(zone, secs) : 0;
  const { date, time } = civil(secs + offset * 60);
  return `${date}T${time}${fraction(nanos, scale)}${offsetText(offset)}`;
}

function fixed(value: unknown, scale: number): JsonValue {
  if (typeof value === 'number') return scale > 0 ? String(value) : value;
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  const text = String(value);
  if (scale > 0) return text;
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

function real(value: unknown): JsonValue {
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isFinite(n)) return n;
  if (Number.isNaN(n)) {
    const text = String(value).toLowerCase();
    if (text === 'inf' || text === 'infinity') return 'Infinity';
    if (text === '-inf' || text === '-infinity') return '-Infinity';
    return 'NaN';
  }
  return n > 0 ? 'Infinity' : '-Infinity';
}

function time(value: unknown, scale: number): JsonValue {
  const text = String(value);
  const m = /(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(text);
  if (!m) return text;
  const frac = scale > 0 ? '.' + (m[4] ?? '').padEnd(9, '0').slice(0, Math.min(scale, 9)) : '';
  return `${m[1]}:${m[2]}:${m[3]}${frac}`;
}

/**
 * A number long enough (16+ digits, dots included) that JSON.parse might round it, or one with an
 * exponent (1e20 is an integer beyond 2^53). Text without either parses exactly with JSON.parse.
 */
const MAYBE_INEXACT_NUMBER = /[\d.]{16}|\d[eE]/;

/** Keeps a JSON number as a number when a double holds it exactly, else as its own digits. */
function jsonNumber(digits: string): number | string {
  return isSafeNumber(digits) ? Number(digits) : digits;
}

/**
 * Parses VARIANT/OBJECT/ARRAY text without loss: numbers a double cannot hold exactly (integers
 * beyond ±(2^53−1) however written, e.g. 1e20; decimals with more significant digits than a double
 * keeps; exponents out of range) become strings of their original text; everything else is what
 * JSON.parse gives (lossless-json does the careful parse).
 * Text that is not JSON is returned as it is.
 */
export function parseJsonLossless(text: string): JsonValue {
  if (!MAYBE_INEXACT_NUMBER.test(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  try {
    return parseLossless(text, null, jsonNumber) as JsonValue;
  } catch {
    // lossless-json refuses duplicate keys; JSON.parse keeps the last, as Snowflake's PARSE_JSON does
    // when told to allow them.
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
}

function json(value: unknown): JsonValue {
  if (typeof value === 'string') return parseJsonLossless(value);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), json(v)]));
  return value as JsonValue;
}

function binary(value: unknown, encoding: 'hex' | 'base64'): JsonValue {
  if (Buffer.isBuffer(value))
    return encoding === 'hex' ? value.toString('hex').toUpperCase() : value.toString('base64');
  const text = String(value);
  return encoding === 'hex' ? text.toUpperCase() : Buffer.from(text, 'hex').toString('base64');
}

function date(value: unknown): JsonValue {
  if (isSfDate(value)) return civil(value.getEpochSeconds()).date;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

function serializerFor(column: DriverColumn, options: SerializeOptions): ValueSerializer {
  const scale = num(column.getScale()) ?? 0;
  const tsScale = num(column.getScale()) ?? 9;
  switch (column.getType()) {
    case 'fixed':
      return (v) => fixed(v, scale);
    case 'real':
      return real;
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : /^(1|true)$/i.test(String(v)));
    case 'date':
      return date;
    case 'time':
      return (v) => time(v, tsScale);
    case 'timestamp_ntz':
      return (v) => timestamp(v, tsScale, 'ntz');
    case 'timestamp_ltz':
      return (v) => timestamp(v, tsScale, 'ltz');
    case 'timestamp_tz':
      return (v) => timestamp(v, tsScale, 'tz');
    case 'binary': {
      const encoding = options.binaryEncoding ?? 'hex';
      return (v) => binary(v, encoding);
    }
    case 'variant':
    case 'object':
    case 'array':
    case 'map':
      return json;
    default:
      return (v) => (typeof v === 'string' ? v : json(v));
  }
}

/** One serializer per column, in column order; each maps null/undefined to null. */
export function columnSerializers(
  columns: readonly DriverColumn[],
  options: SerializeOptions = {},
): ValueSerializer[] {
  return columns.map((c) => {
    const inner = serializerFor(c, options);
    return (v: unknown) => (v === null || v === undefined ? null : inner(v));
  });
}

/** Serializes one row (array row mode) with the serializers from columnSerializers. */
export function serializeRow(row: readonly unknown[], serializers: readonly ValueSerializer[]): JsonValue[] {
  const out = new Array<JsonValue>(serializers.length);
  for (let i = 0; i < serializers.length; i++) out[i] = serializers[i](row[i]);
  return out;
}
