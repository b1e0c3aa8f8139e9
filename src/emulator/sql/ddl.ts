/**
 * DDL that needs more than a rewrite: CREATE/DROP DATABASE (an attached in-memory catalog with a
 * PUBLIC schema) and CREATE SCHEMA here; CREATE TABLE/VIEW with Snowflake column types and
 * COMMENTs in ddl-table.ts.
 */
import type { ResultSet } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { statusResult } from './result-set.js';
import { noCurrentDatabase, objectNotFound } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { identName, isSignificant, quoteIdent } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { createTable, createView, findComment } from './ddl-table.js';
import type { Rewrite } from './ddl-table.js';
import { runContainerComment, setContainerComment } from './container-comments.js';
import { alterTableAddColumns } from './ddl-alter.js';

const MODIFIERS = new Set([
  'OR',
  'REPLACE',
  'TRANSIENT',
  'TEMPORARY',
  'TEMP',
  'LOCAL',
  'GLOBAL',
  'VOLATILE',
  'SECURE',
  'RECURSIVE',
]);

/**
 * Runs CREATE/DROP DATABASE, CREATE SCHEMA, CREATE TABLE (…), CREATE VIEW and ALTER TABLE … ADD
 * COLUMN; null for other statements.
 */
export async function runDdl(
  ctx: StatementContext,
  tokens: Token[],
  words: string[],
  rewrite: Rewrite,
): Promise<ResultSet | null> {
  const sig = tokens.filter(isSignificant);
  const first = words[0];
  if (first === 'DROP' && words[1] === 'DATABASE') return dropDatabase(ctx, sig);
  if (first === 'COMMENT') return runContainerComment(ctx, sig);
  if (first === 'ALTER' && words[1] === 'TABLE') return alterTableAddColumns(ctx, sig, rewrite);
  if (first !== 'CREATE') return null;
  let i = 1;
  let replace = false;
  let temporary = false;
  while (i < sig.length && MODIFIERS.has((sig[i]?.text ?? '').toUpperCase())) {
    const modifier = (sig[i]?.text ?? '').toUpperCase();
    if (modifier === 'REPLACE') replace = true;
    if (modifier === 'TEMP' || modifier === 'TEMPORARY' || modifier === 'VOLATILE') temporary = true;
    i++;
  }
  const kind = (sig[i]?.text ?? '').toUpperCase();
  i++;
  let ifNotExists = false;
  if ((sig[i]?.text ?? '').toUpperCase() === 'IF') {
    ifNotExists = true;
    i += 3;
  }
  const parts: string[] = [];
  while (i < sig.length) {
    const t = sig[i];
    if (t.kind !== 'word' && t.kind !== 'quoted') break;
    parts.push(identName(t));
    i++;
    if (sig[i]?.text !== '.') break;
    i++;
  }
  if (parts.length === 0) return null;
  switch (kind) {
    case 'DATABASE':
      return createDatabase(ctx, parts[0] ?? '', replace, ifNotExists, sig.slice(i));
    case 'SCHEMA':
      return createSchema(ctx, parts, replace, ifNotExists, sig.slice(i));
    case 'TABLE':
      return createTable(ctx, tokens, sig, i, qualify(ctx, parts), replace, ifNotExists, rewrite, temporary);
    case 'VIEW':
      return createView(ctx, sig, i, qualify(ctx, parts), replace, ifNotExists, rewrite);
    default:
      return null;
  }
}

function qualify(ctx: StatementContext, parts: string[]): [string, string, string] {
  const { database, schema } = ctx.session;
  if (parts.length >= 3) return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
  if (!database) throw noCurrentDatabase();
  if (parts.length === 2) return [database, parts[0] ?? '', parts[1] ?? ''];
  if (!schema) throw noCurrentDatabase();
  return [database, schema, parts[0] ?? ''];
}

async function createDatabase(
  ctx: StatementContext,
  name: string,
  replace: boolean,
  ifNotExists: boolean,
  rest: Token[],
): Promise<ResultSet> {
  const exists =
    (await ctx.rows('SELECT 1 FROM duckdb_databases() WHERE database_name = $1', [name])).length > 0;
  if (['memory', 'system', 'temp', '_SMCP', 'SNOWFLAKE'].includes(name)) {
    throw new EmulatorSqlError(
      '003001',
      '42501',
      `SQL access control error:\nInsufficient privileges to operate on database '${name}'`,
    );
  }
  if (exists && ifNotExists)
    return statusResult(`${name} already exists, statement succeeded.`, STATEMENT_TYPE.DDL);
  if (exists && !replace)
    throw new EmulatorSqlError('002002', '42710', `SQL compilation error:\nObject '${name}' already exists.`);
  if (exists) await ctx.run(`DETACH DATABASE ${quoteIdent(name)}`);
  await ctx.run(`ATTACH ':memory:' AS ${quoteIdent(name)}`);
  await ctx.run(`CREATE SCHEMA ${quoteIdent(name)}.PUBLIC`);
  await setContainerComment(ctx, name, null, findComment(rest));
  ctx.session.database = name;
  ctx.session.schema = 'PUBLIC';
  await ctx.catalog.sync(ctx.pooled.conn);
  return statusResult(`Database ${name} successfully created.`, STATEMENT_TYPE.DDL);
}

async function dropDatabase(ctx: StatementContext, sig: Token[]): Promise<ResultSet> {
  let i = 2;
  let ifExists = false;
  if ((sig[i]?.text ?? '').toUpperCase() === 'IF') {
    ifExists = true;
    i += 2;
  }
  const t = sig[i];
  if (!t)
    throw new EmulatorSqlError(
      '001003',
      '42000',
      "SQL compilation error:\nsyntax error line 1 at position 13 unexpected '<EOF>'.",
    );
  const name = identName(t);
  const exists =
    (await ctx.rows('SELECT 1 FROM duckdb_databases() WHERE database_name = $1', [name])).length > 0;
  if (!exists || ['memory', 'system', 'temp', '_SMCP'].includes(name)) {
    if (ifExists)
      return statusResult(
        `Drop statement executed successfully (${name} already dropped).`,
        STATEMENT_TYPE.DDL,
      );
    throw objectNotFound('Database', name);
  }
  await ctx.run(`DETACH DATABASE ${quoteIdent(name)}`);
  if (ctx.session.database === name) {
    ctx.session.database = null;
    ctx.session.schema = null;
  }
  ctx.pooled.searchPath = '';
  await ctx.catalog.sync(ctx.pooled.conn);
  return statusResult(`${name} successfully dropped.`, STATEMENT_TYPE.DDL);
}

async function createSchema(
  ctx: StatementContext,
  parts: string[],
  replace: boolean,
  ifNotExists: boolean,
  rest: Token[],
): Promise<ResultSet> {
  const db = parts.length >= 2 ? (parts[0] ?? '') : ctx.session.database;
  const name = parts.length >= 2 ? (parts[1] ?? '') : (parts[0] ?? '');
  if (!db) throw noCurrentDatabase();
  const target = `${quoteIdent(db)}.${quoteIdent(name)}`;
  if (replace) await ctx.run(`DROP SCHEMA IF EXISTS ${target} CASCADE`);
  await ctx.run(`CREATE SCHEMA ${ifNotExists ? 'IF NOT EXISTS ' : ''}${target}`);
  await setContainerComment(ctx, db, name, findComment(rest));
  ctx.session.database = db;
  ctx.session.schema = name;
  ctx.pooled.searchPath = '';
  return statusResult(`Schema ${name} successfully created.`, STATEMENT_TYPE.DDL);
}
