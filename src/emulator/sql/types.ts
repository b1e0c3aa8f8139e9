/**
 * Snowflake data types on DuckDB: how a declared Snowflake type is stored in DuckDB, and how a
 * column's type is shown back (DESCRIBE's `NUMBER(38,0)`, SHOW COLUMNS' JSON, INFORMATION_SCHEMA's
 * `DATA_TYPE`, the wire's rowtype).
 */
import type { SnowflakeType } from '../engine-types.js';
import { DECFLOAT_DUCK_TYPE, isDecfloatTypeText } from './decfloat.js';
import { MAX_BINARY_LENGTH, MAX_TEXT_LENGTH } from './encode.js';

/** One column type as Snowflake knows it. */
export interface SfColumnType {
  /** Wire type (rowtype `type`). */
  wire: SnowflakeType;
  /** INFORMATION_SCHEMA DATA_TYPE name: NUMBER, FLOAT, TEXT, DATE, TIMESTAMP_NTZ, … */
  name: string;
  precision: number | null;
  scale: number | null;
  length: number | null;
}

/** The DuckDB type that stores a Snowflake type. */
export function duckTypeFor(t: SfColumnType): string {
  switch (t.wire) {
    case 'fixed':
      return `DECIMAL(${t.precision ?? 38},${t.scale ?? 0})`;
    case 'real':
      return 'DOUBLE';
    case 'text':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp_ntz':
      return 'TIMESTAMP';
    case 'timestamp_ltz':
      return 'TIMESTAMPTZ';
    case 'timestamp_tz':
      // The instant plus the offset in the nanosecond digits; see macros.ts (TZ_MACROS).
      return 'TIMESTAMP_NS';
    case 'binary':
      return 'BLOB';
    case 'variant':
    case 'object':
    case 'array':
    case 'map':
      return 'JSON';
    case 'decfloat':
      return DECFLOAT_DUCK_TYPE;
  }
}

/**
 * Parses a Snowflake type name with its arguments (`NUMBER`, `[38, 2]`). Returns null for names
 * Snowflake does not know, so the caller can pass them to DuckDB unchanged.
 */
export function parseSfType(name: string, args: number[]): SfColumnType | null {
  const n = name.toUpperCase();
  const a0 = args[0];
  const a1 = args[1];
  switch (n) {
    case 'NUMBER':
    case 'DECIMAL':
    case 'NUMERIC':
    case 'DEC':
      return { wire: 'fixed', name: 'NUMBER', precision: a0 ?? 38, scale: a1 ?? 0, length: null };
    case 'INT':
    case 'INTEGER':
    case 'BIGINT':
    case 'SMALLINT':
    case 'TINYINT':
    case 'BYTEINT':
      return { wire: 'fixed', name: 'NUMBER', precision: 38, scale: 0, length: null };
    case 'FLOAT':
    case 'FLOAT4':
    case 'FLOAT8':
    case 'DOUBLE':
    case 'REAL':
      return { wire: 'real', name: 'FLOAT', precision: null, scale: null, length: null };
    case 'VARCHAR':
    case 'STRING':
    case 'TEXT':
    case 'CHAR':
    case 'CHARACTER':
    case 'NCHAR':
    case 'NVARCHAR':
    case 'NVARCHAR2':
    case 'CHAR VARYING':
      return {
        wire: 'text',
        name: 'TEXT',
        precision: null,
        scale: null,
        length: a0 ?? (n === 'CHAR' || n === 'CHARACTER' || n === 'NCHAR' ? 1 : MAX_TEXT_LENGTH),
      };
    case 'DECFLOAT':
      return { wire: 'decfloat', name: 'DECFLOAT', precision: 38, scale: null, length: null };
    case 'BOOLEAN':
      return { wire: 'boolean', name: 'BOOLEAN', precision: null, scale: null, length: null };
    case 'DATE':
      return { wire: 'date', name: 'DATE', precision: null, scale: null, length: null };
    case 'TIME':
      return { wire: 'time', name: 'TIME', precision: null, scale: a0 ?? 9, length: null };
    case 'DATETIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_NTZ':
      return { wire: 'timestamp_ntz', name: 'TIMESTAMP_NTZ', precision: null, scale: a0 ?? 9, length: null };
    case 'TIMESTAMP_LTZ':
      return { wire: 'timestamp_ltz', name: 'TIMESTAMP_LTZ', precision: null, scale: a0 ?? 9, length: null };
    case 'TIMESTAMP_TZ':
      return { wire: 'timestamp_tz', name: 'TIMESTAMP_TZ', precision: null, scale: a0 ?? 9, length: null };
    case 'BINARY':
    case 'VARBINARY':
      return {
        wire: 'binary',
        name: 'BINARY',
        precision: null,
        scale: null,
        length: a0 ?? MAX_BINARY_LENGTH,
      };
    case 'VARIANT':
      return { wire: 'variant', name: 'VARIANT', precision: null, scale: null, length: null };
    case 'OBJECT':
      return { wire: 'object', name: 'OBJECT', precision: null, scale: null, length: null };
    case 'ARRAY':
      return { wire: 'array', name: 'ARRAY', precision: null, scale: null, length: null };
    default:
      return null;
  }
}

/** The Snowflake type of a column DuckDB created on its own (CTAS, views), from duckdb_columns(). */
export function sfTypeFromDuck(
  dataType: string,
  precision: number | null,
  scale: number | null,
): SfColumnType {
  const t = dataType.toUpperCase();
  if (t.startsWith('DECIMAL')) return { wire: 'fixed', name: 'NUMBER', precision, scale, length: null };
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|BIGNUM)$/.test(t)) {
    return { wire: 'fixed', name: 'NUMBER', precision: 38, scale: 0, length: null };
  }
  if (t === 'DOUBLE' || t === 'FLOAT')
    return { wire: 'real', name: 'FLOAT', precision: null, scale: null, length: null };
  if (t === 'BOOLEAN')
    return { wire: 'boolean', name: 'BOOLEAN', precision: null, scale: null, length: null };
  if (t === 'DATE') return { wire: 'date', name: 'DATE', precision: null, scale: null, length: null };
  if (t.startsWith('TIME') && !t.startsWith('TIMESTAMP'))
    return { wire: 'time', name: 'TIME', precision: null, scale: 9, length: null };
  if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') {
    return { wire: 'timestamp_ltz', name: 'TIMESTAMP_LTZ', precision: null, scale: 9, length: null };
  }
  if (t === 'TIMESTAMP_NS')
    return { wire: 'timestamp_tz', name: 'TIMESTAMP_TZ', precision: null, scale: 9, length: null };
  if (t.startsWith('TIMESTAMP'))
    return { wire: 'timestamp_ntz', name: 'TIMESTAMP_NTZ', precision: null, scale: 9, length: null };
  if (t === 'BLOB')
    return { wire: 'binary', name: 'BINARY', precision: null, scale: null, length: MAX_BINARY_LENGTH };
  if (t === 'JSON' || t === 'VARIANT')
    return { wire: 'variant', name: 'VARIANT', precision: null, scale: null, length: null };
  if (t.endsWith('[]') || /\[\d+\]$/.test(t))
    return { wire: 'array', name: 'ARRAY', precision: null, scale: null, length: null };
  if (isDecfloatTypeText(dataType))
    return { wire: 'decfloat', name: 'DECFLOAT', precision: 38, scale: null, length: null };
  if (t.startsWith('STRUCT') || t.startsWith('MAP'))
    return { wire: 'object', name: 'OBJECT', precision: null, scale: null, length: null };
  return { wire: 'text', name: 'TEXT', precision: null, scale: null, length: MAX_TEXT_LENGTH };
}

/** DESCRIBE's type text: NUMBER(38,0), VARCHAR(16777216), TIMESTAMP_NTZ(9), FLOAT, VARIANT, … */
export function describeType(t: SfColumnType): string {
  switch (t.wire) {
    case 'fixed':
      return `NUMBER(${t.precision ?? 38},${t.scale ?? 0})`;
    case 'text':
      return `VARCHAR(${t.length ?? MAX_TEXT_LENGTH})`;
    case 'binary':
      return `BINARY(${t.length ?? MAX_BINARY_LENGTH})`;
    case 'time':
    case 'timestamp_ntz':
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return `${t.name}(${t.scale ?? 9})`;
    default:
      return t.name;
  }
}

/** SHOW COLUMNS' data_type JSON text. */
export function showColumnsType(t: SfColumnType, nullable: boolean): string {
  switch (t.wire) {
    case 'fixed':
      return JSON.stringify({ type: 'FIXED', precision: t.precision ?? 38, scale: t.scale ?? 0, nullable });
    case 'text':
      return JSON.stringify({
        type: 'TEXT',
        length: t.length ?? MAX_TEXT_LENGTH,
        byteLength: Math.min((t.length ?? MAX_TEXT_LENGTH) * 4, MAX_TEXT_LENGTH),
        nullable,
        fixed: false,
      });
    case 'binary':
      return JSON.stringify({
        type: 'BINARY',
        length: t.length,
        byteLength: t.length,
        nullable,
        fixed: false,
      });
    case 'time':
    case 'timestamp_ntz':
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return JSON.stringify({ type: t.name, precision: 0, scale: t.scale ?? 9, nullable });
    default:
      return JSON.stringify({ type: t.wire === 'real' ? 'REAL' : t.name, nullable });
  }
}
