/**
 * Where the wire answers in Arrow: which results go as Arrow, and their rows as IPC bytes (the
 * encoder, and apache-arrow with it, load on first use, so JSON-only clients never pay for them).
 */
import type { ResultSet } from '../engine-types.js';
import type * as ArrowEncode from './arrow-encode.js';
import type { ResultFormat } from './result-format.js';

/** Snowflake's statement type id of a query. */
const STATEMENT_TYPE_SELECT = 0x1000;

let loading: Promise<typeof ArrowEncode> | null = null;
function encoder(): Promise<typeof ArrowEncode> {
  loading ??= import('./arrow-encode.js');
  return loading;
}

/**
 * Whether a result goes as Arrow: the client asked for it, and it is a query result (Snowflake
 * answers DML counts, DDL and command results as JSON whatever the client asked).
 */
export function isArrowResult(format: ResultFormat, result: ResultSet | null): boolean {
  return format === 'arrow' && result?.statementTypeId === STATEMENT_TYPE_SELECT;
}

/** Rows [offset, offset+count) of `result` as one Arrow IPC stream (a chunk body). */
export async function arrowRows(result: ResultSet, offset: number, count: number): Promise<Buffer> {
  const rows = await result.readRows(offset, count);
  const bytes = (await encoder()).arrowIpc(result.columns, rows);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The first `count` rows as `rowsetBase64` ('' when there are none, as Snowflake sends it). */
export async function arrowRowsetBase64(result: ResultSet, count: number): Promise<string> {
  if (count === 0 || result.rowCount === 0) return '';
  return (await arrowRows(result, 0, count)).toString('base64');
}
