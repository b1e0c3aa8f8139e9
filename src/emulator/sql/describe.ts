/**
 * DESCRIBE | DESC [TABLE | VIEW] name: Snowflake's column list with Snowflake type names.
 */
import type { ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { qualifiedName } from './object-names.js';
import { shownDefaultSql } from './decfloat-default.js';
import { StaticResultSet } from './result-set.js';
import { assertObject, col, qualify, syntax } from './show-common.js';
import type { Cell } from './show-common.js';
import { STATEMENT_TYPE } from './statement-types.js';
import type { Token } from './tokenizer.js';
import { describeType, sfTypeFromDuck } from './types.js';

/** The columns of DESCRIBE TABLE/VIEW (and DESCRIBE RESULT), in Snowflake's order. */
export const DESCRIBE_COLUMNS = [
  'name',
  'type',
  'kind',
  'null?',
  'default',
  'primary key',
  'unique key',
  'check',
  'expression',
  'comment',
  'policy name',
  'privacy domain',
] as const;

/** DESCRIBE | DESC [TABLE | VIEW] name. */
export async function runDescribe(ctx: StatementContext, sig: Token[]): Promise<ResultSet> {
  let i = 0;
  const kindWord = (sig[0]?.text ?? '').toUpperCase();
  if (kindWord === 'TABLE' || kindWord === 'VIEW') i++;
  else if (
    kindWord === 'RESULT' ||
    kindWord === 'DATABASE' ||
    kindWord === 'SCHEMA' ||
    kindWord === 'WAREHOUSE'
  )
    throw syntax(sig[0]);
  const { parts, next } = qualifiedName(sig, i);
  if (parts.length === 0) throw syntax(sig[i]);
  void next;
  const [db, schema, name] = qualify(ctx, parts);
  const kind = kindWord === 'VIEW' ? 'View' : 'Table';
  const generated = ctx.catalog.generated?.find(db, schema, name) !== undefined;
  if (!generated) await assertObject(ctx, db, schema, name, kind);
  const rows = generated
    ? (ctx.catalog.generated?.columns(db, schema, name) ?? []).map((c) => [
        c[2],
        c[3],
        c[4],
        c[5],
        c[7],
        c[8],
        c[9],
      ])
    : await ctx.rows(
        `SELECT column_name, is_nullable, ${shownDefaultSql('column_default')}, comment, data_type, numeric_precision, numeric_scale FROM duckdb_columns()
     WHERE database_name = $1 AND schema_name = $2 AND table_name = $3 ORDER BY column_index`,
        [db, schema, name],
      );
  const out = rows.map((r): Cell[] => {
    const colName = String(r[0]);
    const t =
      ctx.catalog.columnType(db, schema, name, colName) ??
      sfTypeFromDuck(String(r[4]), r[5] === null ? null : Number(r[5]), r[6] === null ? null : Number(r[6]));
    return [
      colName,
      describeType(t),
      'COLUMN',
      r[1] === true ? 'Y' : 'N',
      r[2] === null ? null : String(r[2]),
      'N',
      'N',
      null,
      null,
      r[3] === null ? null : String(r[3]),
      null,
      null,
    ];
  });
  return new StaticResultSet(
    DESCRIBE_COLUMNS.map((c) => col(c)),
    out,
    STATEMENT_TYPE.DESCRIBE,
  );
}
