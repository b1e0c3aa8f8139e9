/**
 * Small pieces of statement handling around DuckDB: statement type ids, Snowflake's DML result
 * shape, wire binds as DuckDB values and qualified-name splitting.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { ResultSet, WireBinding } from '../engine-types.js';
import { StaticResultSet } from './result-set.js';
import { unsupported } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';

/** Splits a possibly quoted qualified name (`"a".b.c`) into its parts. */
export function splitQualified(name: string): string[] {
  const parts: string[] = [];
  const re = /"((?:[^"]|"")*)"|([^.]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(name)) !== null)
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? ''));
  return parts;
}

/** Snowflake statement type id of a statement run by DuckDB, by its first keyword. */
export function statementTypeOf(first: string): number {
  switch (first) {
    case 'INSERT':
      return STATEMENT_TYPE.INSERT;
    case 'UPDATE':
      return STATEMENT_TYPE.UPDATE;
    case 'DELETE':
      return STATEMENT_TYPE.DELETE;
    case 'MERGE':
      return STATEMENT_TYPE.MERGE;
    case 'CREATE':
    case 'DROP':
    case 'ALTER':
    case 'COMMENT':
    case 'TRUNCATE':
    case 'GRANT':
    case 'REVOKE':
      return STATEMENT_TYPE.DDL;
    default:
      return STATEMENT_TYPE.SELECT;
  }
}

/** Snowflake's DML answer: one row of counts with Snowflake's column names. */
export function dmlResult(typeId: number, rows: DuckDBValue[][]): ResultSet {
  const count = String(rows[0]?.[0] ?? 0);
  const fixed = (name: string): ResultSet['columns'][number] => ({
    name,
    type: 'fixed',
    nullable: false,
    precision: 19,
    scale: 0,
    length: null,
    byteLength: null,
  });
  if (typeId === STATEMENT_TYPE.UPDATE) {
    return new StaticResultSet(
      [fixed('number of rows updated'), fixed('number of multi-joined rows updated')],
      [[count, '0']],
      typeId,
    );
  }
  const name =
    typeId === STATEMENT_TYPE.DELETE
      ? 'number of rows deleted'
      : typeId === STATEMENT_TYPE.MERGE
        ? 'number of rows merged'
        : 'number of rows inserted';
  return new StaticResultSet([fixed(name)], [[count]], typeId);
}

/** Wire binds → DuckDB values, positional in key order "1", "2", …. */
export function bindValues(bindings: Record<string, WireBinding> | undefined): DuckDBValue[] | undefined {
  if (!bindings) return undefined;
  const keys = Object.keys(bindings).sort((a, b) => Number(a) - Number(b));
  return keys.map((k) => {
    const b = bindings[k];
    if (!b) return null;
    if (Array.isArray(b.value)) throw unsupported('array binds');
    const v = b.value;
    if (v === null) return null;
    switch (b.type.toUpperCase()) {
      case 'FIXED':
        return /^-?\d+$/.test(v) ? BigInt(v) : Number(v);
      case 'REAL':
        return Number(v);
      case 'BOOLEAN':
        return v === '1' || v.toLowerCase() === 'true';
      default:
        return v;
    }
  });
}
