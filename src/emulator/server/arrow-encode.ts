/**
 * Result rows as Snowflake's Arrow IPC streams (what `rowsetBase64` and Arrow chunks carry), built
 * from the wire-encoded rows and their column metadata. Each stream is self-contained: a schema
 * whose fields carry Snowflake's metadata (logicalType, precision, scale, charLength, byteLength,
 * as the Python connector's nanoarrow converters read it), then one record batch. Column layouts
 * follow Snowflake's:
 * - FIXED: int64 of the value scaled by 10^scale (decimal128 when a value does not fit);
 * - REAL: float64; BOOLEAN: bool; DATE: date32 (days); BINARY: binary;
 * - TEXT, VARIANT, OBJECT, ARRAY: utf8 (semi-structured values as JSON text);
 * - TIME: int64 in units of 10^-scale seconds;
 * - TIMESTAMP_NTZ/LTZ: int64 in units of 10^-scale seconds up to scale 7, else a struct of
 *   epoch (int64 seconds) and fraction (int32 nanoseconds);
 * - TIMESTAMP_TZ: a struct of epoch (int64 seconds), fraction (int32 nanoseconds) and timezone
 *   (int32, UTC offset in minutes + 1440), byteLength 16.
 * apache-arrow writes the IPC framing (flatbuffers); the column buffers are filled here directly,
 * which is what keeps a million rows fast.
 */
import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Utf8,
  makeData,
  type Data,
} from 'apache-arrow';
import type { ColumnMeta } from '../engine-types.js';

type Cell = string | null;
type Rows = readonly (readonly Cell[])[];

const TWO_32 = 2 ** 32;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
/** Longest digit string that surely parses exactly as a JS number (< 2^53). */
const SAFE_DIGITS = 15;

/** Validity bitmap and null count of column `c`. */
function validity(rows: Rows, c: number): { bitmap: Uint8Array; nulls: number } {
  const n = rows.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let r = 0; r < n; r++) {
    if (rows[r][c] === null) nulls++;
    else bitmap[r >> 3] |= 1 << (r & 7);
  }
  return { bitmap, nulls };
}

/** Writes a safe integer as little-endian int64 at `index` of an Int32Array view. */
function putInt64(words: Int32Array, index: number, value: number): void {
  const hi = Math.floor(value / TWO_32);
  words[index * 2] = value - hi * TWO_32;
  words[index * 2 + 1] = hi;
}

/** The unscaled integer of a decimal text at `scale` ("12.3", scale 2 → 1230). */
function unscaledText(text: string, scale: number): string {
  if (/e/i.test(text)) {
    // A number printed in exponent form: exact enough for the integers that reach it.
    return BigInt(Math.round(Number(text) * 10 ** scale)).toString();
  }
  const dot = text.indexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  const digits = whole + (frac.length >= scale ? frac.slice(0, scale) : frac.padEnd(scale, '0'));
  return digits === '-' || digits === '' ? '0' : digits;
}

function fixedData(
  rows: Rows,
  c: number,
  column: ColumnMeta,
  nullBitmap: Uint8Array,
  nullCount: number,
): Data {
  const n = rows.length;
  const scale = column.scale ?? 0;
  const words = new Int32Array(n * 2);
  let big: bigint[] | null = null;
  for (let r = 0; r < n; r++) {
    const text = rows[r][c];
    if (text === null || text === undefined) continue;
    const digits = unscaledText(text, scale);
    const length = digits.startsWith('-') ? digits.length - 1 : digits.length;
    if (!big && length <= SAFE_DIGITS) {
      putInt64(words, r, Number(digits));
      continue;
    }
    const value = BigInt(digits);
    if (!big && value >= INT64_MIN && value <= INT64_MAX) {
      new BigInt64Array(words.buffer, r * 8, 1)[0] = value;
      continue;
    }
    // A value beyond int64: the whole column goes as decimal128.
    big ??= [];
    big[r] = value;
  }
  if (!big) {
    return makeData({
      type: new Int64(),
      length: n,
      nullCount,
      nullBitmap,
      data: new BigInt64Array(words.buffer),
    });
  }
  const data = new Uint32Array(n * 4);
  const mask = (1n << 128n) - 1n;
  for (let r = 0; r < n; r++) {
    const text = rows[r][c];
    if (text === null || text === undefined) continue;
    let v = (big[r] ?? BigInt(unscaledText(text, scale))) & mask;
    for (let w = 0; w < 4; w++) {
      data[r * 4 + w] = Number(v & 0xffffffffn);
      v >>= 32n;
    }
  }
  return makeData({
    type: new Decimal(scale, column.precision ?? 38, 128),
    length: n,
    nullCount,
    nullBitmap,
    data,
  });
}

function realData(rows: Rows, c: number, nullBitmap: Uint8Array, nullCount: number): Data {
  const data = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const text = rows[r][c];
    if (text === null || text === undefined) continue;
    data[r] = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
  }
  return makeData({ type: new Float64(), length: rows.length, nullCount, nullBitmap, data });
}

function boolData(rows: Rows, c: number, nullBitmap: Uint8Array, nullCount: number): Data {
  const data = new Uint8Array((rows.length + 7) >> 3);
  for (let r = 0; r < rows.length; r++) if (rows[r][c] === '1') data[r >> 3] |= 1 << (r & 7);
  return makeData({ type: new Bool(), length: rows.length, nullCount, nullBitmap, data });
}

function dateData(rows: Rows, c: number, nullBitmap: Uint8Array, nullCount: number): Data {
  const data = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const text = rows[r][c];
    if (text !== null && text !== undefined) data[r] = Number(text);
  }
  return makeData({ type: new DateDay(), length: rows.length, nullCount, nullBitmap, data });
}

function utf8Data(rows: Rows, c: number, nullBitmap: Uint8Array, nullCount: number): Data {
  const n = rows.length;
  let total = 0;
  for (let r = 0; r < n; r++) {
    const text = rows[r][c];
    if (text) total += Buffer.byteLength(text, 'utf8');
  }
  const data = Buffer.allocUnsafe(total);
  const offsets = new Int32Array(n + 1);
  let at = 0;
  for (let r = 0; r < n; r++) {
    const text = rows[r][c];
    if (text) at += data.write(text, at, 'utf8');
    offsets[r + 1] = at;
  }
  return makeData({
    type: new Utf8(),
    length: n,
    nullCount,
    nullBitmap,
    valueOffsets: offsets,
    data: new Uint8Array(data.buffer, data.byteOffset, total),
  });
}

function binaryData(rows: Rows, c: number, nullBitmap: Uint8Array, nullCount: number): Data {
  const n = rows.length;
  let total = 0;
  for (let r = 0; r < n; r++) total += (rows[r][c]?.length ?? 0) >> 1;
  const data = Buffer.alloc(total);
  const offsets = new Int32Array(n + 1);
  let at = 0;
  for (let r = 0; r < n; r++) {
    const text = rows[r][c];
    if (text) at += data.write(text, at, 'hex');
    offsets[r + 1] = at;
  }
  return makeData({
    type: new Binary(),
    length: n,
    nullCount,
    nullBitmap,
    valueOffsets: offsets,
    data: new Uint8Array(data.buffer, data.byteOffset, at),
  });
}

/** Seconds (floored) and nanoseconds (0…999999999) of a "secs.fffffffff" text. */
function splitSeconds(text: string): [number, number] {
  const dot = text.indexOf('.');
  const whole = Number(dot < 0 ? text : text.slice(0, dot));
  const nanos = dot < 0 ? 0 : Number(text.slice(dot + 1, dot + 10).padEnd(9, '0'));
  if (text.startsWith('-') && nanos > 0) return [whole - 1, 1_000_000_000 - nanos];
  return [whole, nanos];
}

/** Int64 of a time or timestamp in units of 10^-scale seconds. */
function scaledData(rows: Rows, c: number, scale: number, nullBitmap: Uint8Array, nullCount: number): Data {
  const n = rows.length;
  const data = new BigInt64Array(n);
  const divisor = 10n ** BigInt(9 - scale);
  for (let r = 0; r < n; r++) {
    const text = rows[r][c];
    if (text === null || text === undefined) continue;
    const [seconds, nanos] = splitSeconds(text.split(' ')[0]);
    data[r] = (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)) / divisor;
  }
  return makeData({ type: new Int64(), length: n, nullCount, nullBitmap, data });
}

const EPOCH = new Field('epoch', new Int64(), false);
const FRACTION = new Field('fraction', new Int32(), false);
const TIMEZONE = new Field('timezone', new Int32(), false);

/** Snowflake's struct timestamps: epoch seconds, fraction nanoseconds, and with `tz` the offset. */
function structTimestampData(
  rows: Rows,
  c: number,
  tz: boolean,
  nullBitmap: Uint8Array,
  nullCount: number,
): Data {
  const n = rows.length;
  const epoch = new Int32Array(n * 2);
  const fraction = new Int32Array(n);
  const zone = tz ? new Int32Array(n) : null;
  for (let r = 0; r < n; r++) {
    const text = rows[r][c];
    if (text === null || text === undefined) {
      if (zone) zone[r] = 1440;
      continue;
    }
    const space = text.indexOf(' ');
    const [seconds, nanos] = splitSeconds(space < 0 ? text : text.slice(0, space));
    putInt64(epoch, r, seconds);
    fraction[r] = nanos;
    if (zone) zone[r] = space < 0 ? 1440 : Number(text.slice(space + 1));
  }
  const children: Data[] = [
    makeData({ type: new Int64(), length: n, nullCount: 0, data: new BigInt64Array(epoch.buffer) }),
    makeData({ type: new Int32(), length: n, nullCount: 0, data: fraction }),
  ];
  const fields = [EPOCH, FRACTION];
  if (zone) {
    children.push(makeData({ type: new Int32(), length: n, nullCount: 0, data: zone }));
    fields.push(TIMEZONE);
  }
  return makeData({ type: new Struct(fields), length: n, nullCount, nullBitmap, children });
}

/** The Arrow data of column `c` and the byteLength its metadata announces. */
function columnData(rows: Rows, c: number, column: ColumnMeta): { data: Data; byteLength: number | null } {
  const { bitmap, nulls } = validity(rows, c);
  const scale = column.scale ?? 9;
  switch (column.type) {
    case 'fixed':
      return { data: fixedData(rows, c, column, bitmap, nulls), byteLength: null };
    case 'real':
      return { data: realData(rows, c, bitmap, nulls), byteLength: null };
    case 'boolean':
      return { data: boolData(rows, c, bitmap, nulls), byteLength: null };
    case 'date':
      return { data: dateData(rows, c, bitmap, nulls), byteLength: null };
    case 'binary':
      return { data: binaryData(rows, c, bitmap, nulls), byteLength: column.byteLength };
    case 'time':
      return { data: scaledData(rows, c, scale, bitmap, nulls), byteLength: null };
    case 'timestamp_ntz':
    case 'timestamp_ltz':
      return scale <= 7
        ? { data: scaledData(rows, c, scale, bitmap, nulls), byteLength: 8 }
        : { data: structTimestampData(rows, c, false, bitmap, nulls), byteLength: 16 };
    case 'timestamp_tz':
      return { data: structTimestampData(rows, c, true, bitmap, nulls), byteLength: 16 };
    case 'text':
    case 'decfloat':
    case 'variant':
    case 'object':
    case 'array':
    case 'map':
      return { data: utf8Data(rows, c, bitmap, nulls), byteLength: column.byteLength };
  }
}

/** Snowflake's field metadata for a column (what the connectors read beside the Arrow type). */
function fieldMetadata(column: ColumnMeta, byteLength: number | null): Map<string, string> {
  const meta = new Map<string, string>([
    ['logicalType', column.type.toUpperCase()],
    ['precision', String(column.precision ?? (column.type === 'fixed' ? 38 : 0))],
    ['scale', String(column.scale ?? (column.type.startsWith('t') && column.type !== 'text' ? 9 : 0))],
    ['charLength', String(column.type === 'text' ? (column.length ?? 0) : 0)],
    ['finalType', 'T'],
  ]);
  if (byteLength !== null) meta.set('byteLength', String(byteLength));
  return meta;
}

/**
 * The Arrow IPC stream (schema + one record batch) of `rows` under `columns`. Values are the wire
 * encoding the JSON rowset carries (see sql/encode.ts).
 */
export function arrowIpc(columns: readonly ColumnMeta[], rows: Rows): Uint8Array {
  const fields: Field[] = [];
  const children: Data[] = [];
  columns.forEach((column, c) => {
    const { data, byteLength } = columnData(rows, c, column);
    fields.push(new Field(column.name, data.type, column.nullable, fieldMetadata(column, byteLength)));
    children.push(data);
  });
  const schema = new Schema(fields);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children }),
  );
  return RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
}
