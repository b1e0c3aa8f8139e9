/**
 * Comments on databases and schemas. DuckDB keeps none ("Adding comments to schemas/databases is
 * not implemented"), so the emulator keeps them in `_SMCP.main.CONTAINER_COMMENTS` (schema NULL for
 * a database's) and SHOW DATABASES / SHOW SCHEMAS read them from there. Set by `CREATE DATABASE |
 * SCHEMA … COMMENT = '…'` and `COMMENT ON DATABASE | SCHEMA … IS '…'`; a CREATE without a comment
 * clears what an earlier object of that name had.
 */
import type { ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { statusResult } from './result-set.js';
import { noCurrentDatabase, objectNotFound } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { identName, stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** The side table's DDL (part of the `_SMCP` setup). */
export const CONTAINER_COMMENTS_DDL = `CREATE TABLE _SMCP.main.CONTAINER_COMMENTS (db VARCHAR, sch VARCHAR, comment VARCHAR)`;

/** Sets (or with null clears) the comment of database `db` (`sch` null) or schema `db.sch`. */
export async function setContainerComment(
  ctx: StatementContext,
  db: string,
  sch: string | null,
  comment: string | null,
): Promise<void> {
  await ctx.run(
    sch === null
      ? 'DELETE FROM _SMCP.main.CONTAINER_COMMENTS WHERE db = $1 AND sch IS NULL'
      : 'DELETE FROM _SMCP.main.CONTAINER_COMMENTS WHERE db = $1 AND sch = $2',
    sch === null ? [db] : [db, sch],
  );
  if (comment !== null) {
    await ctx.run('INSERT INTO _SMCP.main.CONTAINER_COMMENTS VALUES ($1, $2, $3)', [db, sch, comment]);
  }
}

/** `COMMENT [IF EXISTS] ON DATABASE | SCHEMA name IS '…'`; null for any other statement. */
export async function runContainerComment(ctx: StatementContext, sig: Token[]): Promise<ResultSet | null> {
  const words = sig.map((t) => t.text.toUpperCase());
  let i = 1;
  const ifExists = words[i] === 'IF' && words[i + 1] === 'EXISTS';
  if (ifExists) i += 2;
  if (words[i] !== 'ON') return null;
  const kind = words[i + 1];
  if (kind !== 'DATABASE' && kind !== 'SCHEMA') return null;
  const parts: string[] = [];
  let k = i + 2;
  while (sig[k] && (sig[k].kind === 'word' || sig[k].kind === 'quoted')) {
    parts.push(identName(sig[k]));
    k++;
    if (sig[k]?.text !== '.') break;
    k++;
  }
  const value = sig[k + 1];
  if (
    parts.length === 0 ||
    words[k] !== 'IS' ||
    !value ||
    (value.kind !== 'string' && value.kind !== 'dollar')
  ) {
    return null;
  }
  const db = kind === 'DATABASE' || parts.length >= 2 ? (parts[0] ?? '') : ctx.session.database;
  if (!db) throw noCurrentDatabase();
  const sch = kind === 'DATABASE' ? null : (parts[parts.length - 1] ?? '');
  const found =
    sch === null
      ? await ctx.rows('SELECT 1 FROM duckdb_databases() WHERE database_name = $1', [db])
      : await ctx.rows('SELECT 1 FROM duckdb_schemas() WHERE database_name = $1 AND schema_name = $2', [
          db,
          sch,
        ]);
  if (found.length === 0) {
    if (ifExists) return statusResult('Statement executed successfully.', STATEMENT_TYPE.DDL);
    throw objectNotFound(sch === null ? 'Database' : 'Schema', sch === null ? db : `${db}.${sch}`);
  }
  await setContainerComment(ctx, db, sch, stringValue(value));
  return statusResult('Statement executed successfully.', STATEMENT_TYPE.DDL);
}
