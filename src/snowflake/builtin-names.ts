/**
 * Results with a column named after an Object.prototype member (constructor, __proto__, toString,
 * valueOf, …): snowflake-sdk indexes result columns by name in a plain object and throws while
 * building the result, after the statement has run. smcp reads such a result again from Snowflake's
 * stored copy, `TABLE(RESULT_SCAN('<id>'))`, selecting every column by position under a neutral
 * alias, and puts the real names (from `DESCRIBE RESULT '<id>'`) back on the columns: the same
 * stored rows, under the names the statement gave them, and the statement is never run twice.
 */
import { SmcpError } from '../errors.js';

/** The statement ran but the driver could not build its result object because of a column name. */
export class BuiltinNameFault extends Error {
  /** @param queryId Snowflake's id of the statement whose result needs the detour. */
  constructor(readonly queryId: string) {
    super(`result of ${queryId} has a column named after a JavaScript built-in`);
    this.name = 'BuiltinNameFault';
  }
}

/** snowflake-sdk's TypeError for such a column comes from building this map. */
const DRIVER_FAULT = /mapColumnNameToIndices/;

/** True when `err` is the driver's failure on a column named after a JavaScript built-in. */
export function isBuiltinNameFault(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { message, code } = err as { message?: unknown; code?: unknown };
  return code === undefined && typeof message === 'string' && DRIVER_FAULT.test(message);
}

/** Snowflake query ids are UUID-shaped; anything else never reaches SQL text. */
const QUERY_ID = /^[0-9A-Za-z-]{1,64}$/;

function checkedId(queryId: string): string {
  if (!QUERY_ID.test(queryId)) {
    throw new SmcpError(
      'RESULT_NOT_FOUND',
      `no result with query id ${JSON.stringify(queryId.slice(0, 80))}`,
    );
  }
  return queryId;
}

/** `DESCRIBE RESULT` of the stored result: one row per column, its name in the `name` column. */
export function describeResultSql(queryId: string): string {
  return `DESCRIBE RESULT '${checkedId(queryId)}'`;
}

/** Alias of column `index` (from 0) in the re-read: never a JavaScript built-in's name. */
function alias(index: number): string {
  return `C${index + 1}`;
}

/**
 * The stored result of `queryId` with `count` columns, each selected by position under its alias,
 * in the stored order.
 */
export function aliasedRereadSql(queryId: string, count: number): string {
  const list = Array.from({ length: count }, (_, i) => `$${i + 1} AS "${alias(i)}"`).join(', ');
  return `SELECT ${list} FROM TABLE(RESULT_SCAN('${checkedId(queryId)}'))`;
}

/**
 * The column names in a `DESCRIBE RESULT` answer: `rows` in the driver's array mode, `columns` its
 * column names. Throws INTERNAL when the answer has no `name` column.
 */
export function namesFromDescribe(columns: readonly string[], rows: readonly unknown[][]): string[] {
  const at = columns.findIndex((c) => c.toLowerCase() === 'name');
  if (at < 0) throw new SmcpError('INTERNAL', 'DESCRIBE RESULT answered without a name column');
  return rows.map((row) => String(row[at]));
}
