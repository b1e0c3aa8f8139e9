/**
 * Values of Snowflake Scripting variables: a wire-encoded value with its column type, as a
 * statement left it, and the SQL literal that puts it back into a statement with the same type.
 */
import type { ColumnMeta } from '../engine-types.js';
import { dateTextOf, nanosOf, offsetTextOf, tzPartsOf, wallTextOf } from '../wire-values.js';
import { textColumn } from './result-set.js';
import { quoteString } from './tokenizer.js';

/** A scalar variable: its type as a column, and its value in the wire encoding (null for NULL). */
export interface ScalarValue {
  readonly column: ColumnMeta;
  readonly text: string | null;
}

/** A VARCHAR value (SQLERRM and the like). */
export function textValue(text: string | null): ScalarValue {
  return {
    column: textColumn('V'),
    text,
  };
}

/** A NUMBER(38,0) value (SQLROWCOUNT, loop counters). */
export function integerValue(n: number | bigint | null): ScalarValue {
  return {
    column: {
      name: 'V',
      type: 'fixed',
      nullable: true,
      precision: 38,
      scale: 0,
      length: null,
      byteLength: null,
    },
    text: n === null ? null : String(n),
  };
}

/** A BOOLEAN value. */
export function booleanValue(b: boolean): ScalarValue {
  return {
    column: {
      name: 'V',
      type: 'boolean',
      nullable: true,
      precision: null,
      scale: null,
      length: null,
      byteLength: null,
    },
    text: b ? '1' : '0',
  };
}

function cast(literal: string, type: string): string {
  return `CAST(${literal} AS ${type})`;
}

/** Snowflake SQL for the value, typed as its column (NULL keeps the type too). */
export function sqlLiteral(value: ScalarValue): string {
  const { column, text } = value;
  const nullOf = (type: string): string => cast('NULL', type);
  switch (column.type) {
    case 'fixed': {
      const type = `NUMBER(${column.precision ?? 38},${column.scale ?? 0})`;
      return text === null ? nullOf(type) : cast(text, type);
    }
    case 'real':
      return text === null ? nullOf('DOUBLE') : cast(quoteString(text), 'DOUBLE');
    case 'boolean':
      return text === null ? nullOf('BOOLEAN') : text === '1' ? 'TRUE' : 'FALSE';
    case 'date':
      return text === null ? nullOf('DATE') : cast(quoteString(dateTextOf(Number(text))), 'DATE');
    case 'time': {
      if (text === null) return nullOf('TIME');
      return cast(quoteString(wallTextOf(nanosOf(text)).slice(11)), 'TIME');
    }
    case 'timestamp_ntz':
      return text === null
        ? nullOf('TIMESTAMP_NTZ')
        : cast(quoteString(wallTextOf(nanosOf(text))), 'TIMESTAMP_NTZ');
    case 'timestamp_ltz':
      return text === null
        ? nullOf('TIMESTAMP_LTZ')
        : cast(quoteString(`${wallTextOf(nanosOf(text))} +00:00`), 'TIMESTAMP_LTZ');
    case 'timestamp_tz': {
      if (text === null) return nullOf('TIMESTAMP_TZ');
      const { nanos, offsetMinutes } = tzPartsOf(text);
      const wall = wallTextOf(nanos + BigInt(offsetMinutes) * 60_000_000_000n);
      return cast(quoteString(`${wall} ${offsetTextOf(offsetMinutes)}`), 'TIMESTAMP_TZ');
    }
    case 'binary':
      return text === null ? nullOf('BINARY') : `TO_BINARY(${quoteString(text)}, 'HEX')`;
    case 'variant':
    case 'object':
    case 'array':
    case 'map': {
      const type = column.type === 'map' ? 'OBJECT' : column.type.toUpperCase();
      return text === null ? nullOf(type) : cast(`PARSE_JSON(${quoteString(text)})`, type);
    }
    case 'text':
      return text === null ? nullOf('VARCHAR') : quoteString(text);
    case 'decfloat':
      return text === null ? nullOf('DECFLOAT') : `TO_DECFLOAT(${quoteString(text)})`;
  }
}

/** True when the value is a true BOOLEAN (conditions of IF, WHILE, …). */
export function isTrue(value: ScalarValue): boolean {
  if (value.text === null) return false;
  if (value.column.type === 'boolean') return value.text === '1';
  if (value.column.type === 'fixed' || value.column.type === 'real') return Number(value.text) !== 0;
  return /^(true|t|yes|y|on|1)$/i.test(value.text);
}
