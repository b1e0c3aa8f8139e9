/**
 * Small pieces of statement handling around DuckDB: statement type ids, Snowflake's DML result
 * shape and qualified-name splitting (wire binds: binds.ts).
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { ResultSet } from '../engine-types.js';
import { StaticResultSet } from './result-set.js';
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
