/**
 * Snowflake's table functions and table syntax in FROM, as the rewrite meets them:
 * TABLE(GENERATOR|FLATTEN|SPLIT_TO_TABLE|STRTOK_SPLIT_TO_TABLE|RESULT_SCAN(…)), LATERAL FLATTEN(…)
 * and LATERAL SPLIT_TO_TABLE(…), VALUES (…), (…) as a table, DUAL; and the scalar functions that go
 * with them (SEQn, UNIFORM, RANDOM, RANDSTR, LAST_QUERY_ID(n)). The rewrite calls the two entry
 * points below; everything else lives in this folder.
 */
import { quoteString } from '../tokenizer.js';
import { lastQueryIdIndex, queryIdAt } from './args.js';
import { flattenTable } from './flatten.js';
import { generatorCall, generatorTable } from './generator.js';
import { resultScanTable } from './result-scan.js';
import { splitTable } from './split-to-table.js';
import type { Rewrite, TokenWriter } from './types.js';
import { dualTable, valuesTable } from './values-dual.js';

export type { TableSources, ScanTable } from './types.js';
export { prepareTableSources, withScanTypes } from './result-scan.js';
export type { PreparedSources } from './result-scan.js';
export { describeResult, isDescribeResult } from './describe-result.js';
export { SessionQueryIds } from './query-ids.js';

/** Table functions that may follow LATERAL without TABLE(…). */
const LATERAL_FUNCTIONS = new Set(['FLATTEN', 'SPLIT_TO_TABLE', 'STRTOK_SPLIT_TO_TABLE']);

/** The DuckDB subquery of table function `name` called with parentheses at open/close, or null. */
function tableFunction(w: TokenWriter, name: string, open: number, close: number): string | null {
  switch (name) {
    case 'GENERATOR':
      return generatorTable(w, open, close);
    case 'FLATTEN':
      return flattenTable(w, open, close);
    case 'SPLIT_TO_TABLE':
    case 'STRTOK_SPLIT_TO_TABLE':
      return splitTable(w, name, open, close);
    case 'RESULT_SCAN':
      return resultScanTable(w, open, close);
    default:
      return null;
  }
}

/** ` AS <name>` unless an alias follows the token at `last`. */
function defaultAlias(w: TokenWriter, last: number, name: string): string {
  return w.aliasFollows(last) ? '' : ` AS ${name}`;
}

/**
 * Table syntax starting at word `i` (not after a dot): TABLE(fn(…)), LATERAL fn(…), VALUES in a
 * table position, DUAL. Returns the DuckDB SQL and the index after what it replaced, or null.
 * Throws EmulatorSqlError for arguments the function cannot take.
 */
export function rewriteTableSyntax(w: TokenWriter, i: number, to: number): Rewrite | null {
  const word = w.upper(i);
  if (word === 'TABLE' || word === 'LATERAL') {
    const open = w.nextSig(i);
    const nameAt = word === 'TABLE' ? w.nextSig(open) : open;
    if (word === 'TABLE' && (w.text(open) !== '(' || open >= to)) return null;
    const name = w.upper(nameAt);
    const inner = w.nextSig(nameAt);
    if (w.text(inner) !== '(' || inner >= to) return null;
    if (word === 'LATERAL' && !LATERAL_FUNCTIONS.has(name)) return null;
    const innerClose = w.closeOf(inner);
    const last = word === 'TABLE' ? w.nextSig(innerClose) : innerClose;
    if (word === 'TABLE' && w.text(last) !== ')') return null;
    const sql = tableFunction(w, name, inner, innerClose);
    if (sql === null) return null;
    return [`${word === 'LATERAL' ? 'LATERAL ' : ''}${sql}${defaultAlias(w, last, name)}`, last + 1];
  }
  if (word === 'VALUES') return valuesTable(w, i);
  if (word === 'DUAL') return dualTable(w, i);
  return null;
}

/**
 * Scalar functions of this folder (SEQ1/2/4/8, UNIFORM, RANDOM, RANDSTR, LAST_QUERY_ID with an
 * index) → DuckDB SQL, or null to leave the call to the rest of the rewrite.
 */
export function rewriteTableCall(w: TokenWriter, name: string, open: number, close: number): string | null {
  if (name === 'LAST_QUERY_ID') {
    const tables = w.ctx.tables;
    const index = lastQueryIdIndex(w, w.prevSig(open));
    if (!tables || index === null) return null;
    const id = queryIdAt(tables.queryIds, index);
    return id === null ? 'CAST(NULL AS VARCHAR)' : quoteString(id);
  }
  return generatorCall(w, name, open, close);
}
