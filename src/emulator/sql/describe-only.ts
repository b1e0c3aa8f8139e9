/**
 * describeOnly requests: what a statement would answer (columns and statement type) without
 * running it. Queries are only prepared by DuckDB, DML and DDL answer the columns Snowflake gives
 * them, SHOW and DESCRIBE (which only read) run and drop their rows, and nothing that changes the
 * session or data runs at all.
 */
import { VARCHAR, type DuckDBType } from '@duckdb/node-api';
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { resultColumns } from './result-columns.js';
import { StaticResultSet, statusResult } from './result-set.js';
import { startsBlock } from './script-parse.js';
import { dmlResult, statementTypeOf } from './statement-results.js';
import { STATEMENT_TYPE } from './statement-types.js';
import type { Token } from './tokenizer.js';

/** First words of statements DuckDB can prepare to learn their columns. */
const QUERY_WORDS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'FROM', '(']);
/** Commands that only read, so running them to learn their columns is harmless. */
const READ_COMMANDS = new Set(['SHOW', 'DESC', 'DESCRIBE']);

/** What describing needs from the engine. */
export interface DescribeDeps {
  /** The statement's DuckDB text (Snowflake SQL rewritten). */
  rewrite(tokens: Token[]): string;
  /** Runs the statement as a read-only command (SHOW, DESCRIBE), or null when it is none. */
  command(): Promise<ResultSet | null>;
  /** For CALL: a query with the procedure's result columns (`SELECT CAST(NULL AS t) AS "P"`), or null. */
  callShape(): string | null;
}

/** The columns of `sql` as DuckDB plans it, without running it. */
export async function preparedColumns(ctx: StatementContext, sql: string): Promise<ColumnMeta[]> {
  const conn = ctx.pooled.conn;
  const prepared = await ctx.guard(conn, () => conn.prepare(sql));
  try {
    const names: string[] = [];
    const types: DuckDBType[] = [];
    for (let i = 0; i < prepared.columnCount; i++) {
      names.push(prepared.columnName(i));
      types.push(typeOrText(() => prepared.columnType(i)));
    }
    return resultColumns(ctx, { columnNames: () => names, columnTypes: () => types }, sql);
  } finally {
    prepared.destroySync();
  }
}

/**
 * A column's planned type; a column whose type depends on a bind not given yet (`SELECT ? AS X`)
 * has none until it runs, and describes as text.
 */
function typeOrText(planned: () => DuckDBType): DuckDBType {
  try {
    return planned();
  } catch {
    return VARCHAR;
  }
}

function described(columns: ColumnMeta[], statementTypeId: number): ResultSet {
  return new StaticResultSet(columns, [], statementTypeId);
}

/** The statement type Snowflake reports for a statement that is not a query or DML. */
function otherTypeId(words: readonly string[]): number {
  switch (words[0]) {
    case 'USE':
      return STATEMENT_TYPE.USE;
    case 'SET':
    case 'UNSET':
      return STATEMENT_TYPE.SCL;
    case 'ALTER':
      return words[1] === 'SESSION' ? STATEMENT_TYPE.ALTER_SESSION : STATEMENT_TYPE.DDL;
    case 'BEGIN':
    case 'START':
      return STATEMENT_TYPE.BEGIN;
    case 'COMMIT':
      return STATEMENT_TYPE.COMMIT;
    case 'ROLLBACK':
      return STATEMENT_TYPE.ROLLBACK;
    default:
      return statementTypeOf(words[0] ?? '');
  }
}

/**
 * The result a describeOnly request answers for one statement: its columns, its statement type
 * id and no rows. Throws what compiling the statement throws (unknown table, syntax error).
 */
export async function describeStatement(
  ctx: StatementContext,
  tokens: Token[],
  words: readonly string[],
  deps: DescribeDeps,
): Promise<ResultSet> {
  const first = words[0] ?? '';
  if (QUERY_WORDS.has(first)) {
    await ctx.applySearchPath();
    return described(await preparedColumns(ctx, deps.rewrite(tokens)), STATEMENT_TYPE.SELECT);
  }
  if (first === 'CALL') {
    const shape = deps.callShape();
    if (shape) {
      await ctx.applySearchPath();
      return described(await preparedColumns(ctx, shape), STATEMENT_TYPE.SELECT);
    }
  }
  if (startsBlock(tokens)) {
    // An anonymous block answers its RETURN value, whose type is only known once it ran.
    const status = statusResult('', STATEMENT_TYPE.SELECT);
    status.close();
    return described([{ ...status.columns[0], name: 'anonymous block' }], STATEMENT_TYPE.SELECT);
  }
  const typeId = statementTypeOf(first);
  if (typeId >= STATEMENT_TYPE.DML && typeId < STATEMENT_TYPE.SCL) {
    const shape = dmlResult(typeId, [[0]]);
    shape.close();
    return described(shape.columns, typeId);
  }
  if (READ_COMMANDS.has(first)) {
    const ran = await deps.command();
    if (ran) {
      ran.close();
      return described(ran.columns, ran.statementTypeId);
    }
  }
  const status = statusResult('', otherTypeId(words));
  status.close();
  return described(status.columns, status.statementTypeId);
}
