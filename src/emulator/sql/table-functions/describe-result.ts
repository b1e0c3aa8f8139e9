/**
 * DESCRIBE | DESC RESULT { '<query id>' | LAST_QUERY_ID([n]) }: the columns of a kept result, in
 * DESCRIBE TABLE's shape (name, type, kind, null?, default, primary key, unique key, check,
 * expression, comment, policy name, privacy domain) with Snowflake's type texts.
 */
import type { ColumnMeta, ResultSet, SnowflakeType } from '../../engine-types.js';
import type { StatementContext } from '../context.js';
import { StaticResultSet, textColumn } from '../result-set.js';
import { syntaxError } from '../sql-errors.js';
import { STATEMENT_TYPE } from '../statement-types.js';
import { isSignificant } from '../tokenizer.js';
import type { Token } from '../tokenizer.js';
import { describeType } from '../types.js';
import { DESCRIBE_COLUMNS } from '../describe.js';
import { readKept, resolveTarget, scanTarget } from './result-scan.js';
import type { ScanDeps } from './result-scan.js';

/** INFORMATION_SCHEMA names of the wire types (describeType adds lengths and scales). */
const TYPE_NAMES: Record<SnowflakeType, string> = {
  fixed: 'NUMBER',
  real: 'FLOAT',
  text: 'TEXT',
  boolean: 'BOOLEAN',
  date: 'DATE',
  time: 'TIME',
  timestamp_ntz: 'TIMESTAMP_NTZ',
  timestamp_ltz: 'TIMESTAMP_LTZ',
  timestamp_tz: 'TIMESTAMP_TZ',
  binary: 'BINARY',
  variant: 'VARIANT',
  object: 'OBJECT',
  array: 'ARRAY',
  map: 'MAP',
  decfloat: 'DECFLOAT',
};

/** Snowflake's type text of a result column: NUMBER(38,0), VARCHAR(16777216), TIMESTAMP_TZ(9), … */
export function columnTypeText(c: ColumnMeta): string {
  return describeType({
    wire: c.type,
    name: TYPE_NAMES[c.type],
    precision: c.precision,
    scale: c.scale,
    length: c.length,
  });
}

/** True for DESC[RIBE] RESULT …; `words` are the statement's upper-cased significant tokens. */
export function isDescribeResult(words: readonly string[]): boolean {
  return (words[0] === 'DESC' || words[0] === 'DESCRIBE') && words[1] === 'RESULT';
}

/** Runs DESCRIBE RESULT. Throws 000709 / 000612 as RESULT_SCAN does, 001003 for a bad argument. */
export async function describeResult(
  ctx: StatementContext,
  tokens: readonly Token[],
  deps: ScanDeps,
): Promise<ResultSet> {
  const sig = tokens.filter(isSignificant).slice(2);
  const target = scanTarget(sig);
  if (!target || sig.length === 0) {
    const bad = sig[0];
    throw syntaxError(1, bad?.start ?? 0, bad?.text ?? '<EOF>');
  }
  const result = await readKept(ctx, deps, resolveTarget(target, deps.queryIds));
  const rows = result.columns.map((c) => [
    c.name,
    columnTypeText(c),
    'COLUMN',
    c.nullable ? 'Y' : 'N',
    null,
    'N',
    'N',
    null,
    null,
    null,
    null,
    null,
  ]);
  return new StaticResultSet(DESCRIBE_COLUMNS.map(textColumn), rows, STATEMENT_TYPE.DESCRIBE);
}
