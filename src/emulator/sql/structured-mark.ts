/**
 * The mark of a structured value (OBJECT(…), ARRAY(…), MAP(…)): DuckDB holds it wrapped in a
 * one-member STRUCT of this name (see structured-types.ts). Kept apart so that the value encoders
 * can recognise it without depending on the type parser.
 */
import { DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBType } from '@duckdb/node-api';

/** Name of the one member of the STRUCT that wraps every structured value. */
export const STRUCTURED_MARK = '__smcp_structured';

/** The structured value's own type when `duck` is the wrapper of one, else null. */
export function structuredInner(duck: DuckDBType): DuckDBType | null {
  if (duck.typeId !== DuckDBTypeId.STRUCT || duck.entryCount !== 1) return null;
  return duck.entryNames[0] === STRUCTURED_MARK ? (duck.entryTypes[0] ?? null) : null;
}
