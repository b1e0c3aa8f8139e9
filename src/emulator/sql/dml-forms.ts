/**
 * Snowflake DDL/DML forms DuckDB lacks or answers differently:
 * - TRUNCATE [TABLE] IF EXISTS t: nothing to do when t does not exist;
 * - CREATE [OR REPLACE] TABLE t CLONE s: a copy of s's columns and rows (no time travel: AT/BEFORE
 *   are ignored);
 * - MERGE: Snowflake's counts per action ("number of rows inserted" / "updated" / "deleted", one
 *   column for each kind of WHEN clause the statement has), SET columns named with the target's
 *   name or alias (merge-clauses.ts);
 * - INSERT [OVERWRITE] ALL | FIRST (multi-table insert): the source query runs once, each INTO
 *   takes its rows (FIRST: only the first WHEN a row meets), all or nothing, answering
 *   "number of rows inserted into <table>" per target.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { runDdl } from './ddl.js';
import type { Rewrite } from './ddl-table.js';
import { withUnqualifiedSets } from './merge-clauses.js';
import { StaticResultSet, statusResult } from './result-set.js';
import { syntaxError } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { identName, isSignificant, joinTokens, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** What the forms need beyond the statement. */
export interface FormDeps {
  /** Snowflake tokens → DuckDB SQL (the engine's rewrite). */
  readonly rewrite: Rewrite;
  /** The statement's bind values (DuckDB parameter order). */
  readonly values: DuckDBValue[] | undefined;
  /** The session's own transaction is open (a multi-table insert then joins it). */
  readonly inTransaction: boolean;
}

/** Runs the statement when it is one of the forms above; null otherwise. */
export async function runDmlForm(
  ctx: StatementContext,
  tokens: Token[],
  words: readonly string[],
  deps: FormDeps,
): Promise<ResultSet | null> {
  const first = words[0];
  if (first === 'TRUNCATE') return truncateIfExists(ctx, tokens, deps);
  if (first === 'CREATE' && words.includes('CLONE')) return cloneTable(ctx, tokens, words, deps);
  if (first === 'MERGE') return merge(ctx, tokens, deps);
  if (first === 'INSERT') {
    let i = 1;
    if (words[i] === 'OVERWRITE') i++;
    if (words[i] === 'ALL' || words[i] === 'FIRST')
      return multiInsert(ctx, tokens, words[i] === 'FIRST', deps);
  }
  return null;
}

function fixed(name: string): ColumnMeta {
  return { name, type: 'fixed', nullable: false, precision: 19, scale: 0, length: null, byteLength: null };
}

function countOf(value: DuckDBValue | undefined): bigint {
  return typeof value === 'bigint' ? value : BigInt(Number(value ?? 0));
}

async function truncateIfExists(
  ctx: StatementContext,
  tokens: Token[],
  deps: FormDeps,
): Promise<ResultSet | null> {
  const sig = tokens.filter(isSignificant);
  const at = sig.findIndex(
    (t, i) => t.text.toUpperCase() === 'IF' && sig[i + 1]?.text.toUpperCase() === 'EXISTS',
  );
  if (at < 0) return null;
  const drop = new Set([sig[at], sig[at + 1]]);
  const sql = deps.rewrite(tokens.filter((t) => !drop.has(t)));
  try {
    await ctx.run(sql);
  } catch (err) {
    if (err instanceof EmulatorSqlError && err.code === '002003') {
      return statusResult('Statement executed successfully.', STATEMENT_TYPE.DDL);
    }
    throw err;
  }
  return statusResult('Statement executed successfully.', STATEMENT_TYPE.DDL);
}

/** CREATE … TABLE t CLONE s [AT | BEFORE (…)] as CREATE … TABLE t AS SELECT * FROM s. */
async function cloneTable(
  ctx: StatementContext,
  tokens: Token[],
  words: readonly string[],
  deps: FormDeps,
): Promise<ResultSet | null> {
  const tableAt = words.indexOf('TABLE');
  const cloneAt = words.indexOf('CLONE');
  if (tableAt < 0 || cloneAt < tableAt) return null;
  const sig = tokens.filter(isSignificant);
  const clone = sig[cloneAt];
  if (!clone) return null;
  const head = tokens.filter((t) => t.start < clone.start);
  const source: Token[] = [];
  for (const t of sig.slice(cloneAt + 1)) {
    if (t.kind !== 'word' && t.kind !== 'quoted' && t.text !== '.') break;
    if (t.kind === 'word' && ['AT', 'BEFORE', 'COPY'].includes(t.text.toUpperCase())) break;
    source.push(t);
  }
  if (source.length === 0) throw syntaxError(1, clone.start, 'CLONE');
  const text = `${joinTokens(head).trimEnd()} AS SELECT * FROM ${joinTokens(source)}`;
  const copy = tokenize(text);
  const copyWords = copy
    .filter(isSignificant)
    .map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text));
  return runDdl(ctx, copy, copyWords, deps.rewrite);
}

const MERGE_COLUMNS: readonly [string, string][] = [
  ['INSERT', 'number of rows inserted'],
  ['UPDATE', 'number of rows updated'],
  ['DELETE', 'number of rows deleted'],
];

async function merge(ctx: StatementContext, tokens: Token[], deps: FormDeps): Promise<ResultSet> {
  const sig = tokens.filter(isSignificant);
  const actions = new Set<string>();
  for (let i = 0; i + 1 < sig.length; i++) {
    if (sig[i]?.text.toUpperCase() === 'THEN') actions.add((sig[i + 1]?.text ?? '').toUpperCase());
  }
  const sql = `${deps.rewrite(withUnqualifiedSets(tokens)).replace(/[\s;]+$/, '')}\nRETURNING merge_action`;
  const counts = new Map<string, bigint>();
  // One row per row merged: counted chunk by chunk, never held all at once.
  const conn = ctx.pooled.conn;
  await ctx.guard(conn, async () => {
    const values = deps.values;
    const stream = values && values.length > 0 ? await conn.stream(sql, values) : await conn.stream(sql);
    for (
      let chunk = await stream.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await stream.fetchChunk()
    ) {
      for (const [action] of chunk.getRows())
        counts.set(String(action), (counts.get(String(action)) ?? 0n) + 1n);
    }
  });
  const present = MERGE_COLUMNS.filter(([action]) => actions.has(action));
  return new StaticResultSet(
    present.map(([, name]) => fixed(name)),
    [present.map(([action]) => String(counts.get(action) ?? 0n))],
    STATEMENT_TYPE.MERGE,
  );
}

interface Into {
  /** The target's tokens as written. */
  readonly target: Token[];
  readonly columns: Token[] | null;
  readonly values: Token[] | null;
}

interface Branch {
  /** null: unconditional (INSERT ALL INTO …); 'ELSE': rows no WHEN took. */
  readonly condition: Token[] | null | 'ELSE';
  readonly intos: Into[];
}

/** The tokens from `i` to the `)` closing the `(` at `i` (exclusive of both), and the index after. */
function group(sig: Token[], i: number): [Token[], number] {
  let depth = 0;
  for (let j = i; j < sig.length; j++) {
    if (sig[j]?.text === '(') depth++;
    else if (sig[j]?.text === ')' && --depth === 0) return [sig.slice(i + 1, j), j + 1];
  }
  throw syntaxError(1, sig[i]?.start ?? 0, '(');
}

function upper(t: Token | undefined): string {
  return t?.kind === 'word' ? t.text.toUpperCase() : (t?.text ?? '');
}

/** Parses INSERT [OVERWRITE] ALL|FIRST …: the branches, the source query and OVERWRITE. */
function parseMulti(sig: Token[]): { branches: Branch[]; source: Token[]; overwrite: boolean } {
  let i = 1;
  const overwrite = upper(sig[i]) === 'OVERWRITE';
  if (overwrite) i++;
  i++; // ALL | FIRST
  const branches: Branch[] = [];
  let current: Branch | null = null;
  while (i < sig.length) {
    const word = upper(sig[i]);
    if (word === 'WHEN') {
      const start = i + 1;
      let depth = 0;
      let j = start;
      for (; j < sig.length; j++) {
        if (sig[j]?.text === '(') depth++;
        else if (sig[j]?.text === ')') depth--;
        else if (depth === 0 && upper(sig[j]) === 'THEN') break;
      }
      current = { condition: sig.slice(start, j), intos: [] };
      branches.push(current);
      i = j + 1;
    } else if (word === 'ELSE') {
      current = { condition: 'ELSE', intos: [] };
      branches.push(current);
      i++;
    } else if (word === 'INTO') {
      if (!current) {
        current = { condition: null, intos: [] };
        branches.push(current);
      }
      i++;
      const target: Token[] = [];
      while (sig[i] && (sig[i]?.kind === 'word' || sig[i]?.kind === 'quoted' || sig[i]?.text === '.')) {
        if (
          sig[i]?.kind === 'word' &&
          ['VALUES', 'INTO', 'WHEN', 'ELSE', 'SELECT', 'WITH'].includes(upper(sig[i]))
        )
          break;
        target.push(sig[i]);
        i++;
      }
      if (target.length === 0) throw syntaxError(1, sig[i]?.start ?? 0, sig[i]?.text ?? '<EOF>');
      let columns: Token[] | null = null;
      let values: Token[] | null = null;
      if (sig[i]?.text === '(' && upper(sig[i + 1]) !== 'SELECT' && upper(sig[i + 1]) !== 'WITH') {
        [columns, i] = group(sig, i);
      }
      if (upper(sig[i]) === 'VALUES') [values, i] = group(sig, i + 1);
      current.intos.push({ target, columns, values });
      // INSERT ALL INTO a INTO b: each unconditional INTO is its own branch of every row.
      if (current.condition === null) current = null;
    } else break;
  }
  const source = sig.slice(i);
  if (branches.length === 0 || source.length === 0)
    throw syntaxError(1, sig[i]?.start ?? 0, sig[i]?.text ?? '<EOF>');
  return { branches, source, overwrite };
}

let multiInserts = 0;

async function multiInsert(
  ctx: StatementContext,
  tokens: Token[],
  first: boolean,
  deps: FormDeps,
): Promise<ResultSet> {
  const { branches, source: sourceSig, overwrite } = parseMulti(tokens.filter(isSignificant));
  // The source query as written (with its spacing and positions, which table functions rely on).
  const from = sourceSig[0]?.start ?? 0;
  const source = tokens.filter((t) => t.start >= from);
  const text = (list: Token[]): string => list.map((t) => t.text).join(' ');
  const staging = `"_SMCP_MULTI_INSERT_${++multiInserts}"`;
  const targets: string[] = [];
  const counts = new Map<string, bigint>();
  const own = !deps.inTransaction;
  if (own) await ctx.run('BEGIN TRANSACTION');
  try {
    await ctx.run(`CREATE TEMP TABLE ${staging} AS ${deps.rewrite(source)}`, deps.values);
    if (overwrite) {
      const seen = new Set<string>();
      for (const b of branches)
        for (const into of b.intos) {
          const name = text(into.target);
          if (seen.has(name)) continue;
          seen.add(name);
          await ctx.run(deps.rewrite(tokenize(`DELETE FROM ${name}`)));
        }
    }
    const taken: string[] = [];
    for (const branch of branches) {
      const when =
        branch.condition === null || branch.condition === 'ELSE' ? null : `(${text(branch.condition)})`;
      const conditions: string[] = [];
      if (branch.condition === 'ELSE') conditions.push(...taken.map((c) => `NOT COALESCE(${c}, FALSE)`));
      else if (when) {
        if (first) conditions.push(...taken.map((c) => `NOT COALESCE(${c}, FALSE)`));
        conditions.push(`COALESCE(${when}, FALSE)`);
      }
      for (const into of branch.intos) {
        const name = text(into.target);
        const label = into.target
          .filter((t) => t.text !== '.')
          .map(identName)
          .join('.');
        const sql = `INSERT INTO ${name}${into.columns ? ` (${text(into.columns)})` : ''} SELECT ${
          into.values ? text(into.values) : '*'
        } FROM ${staging}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
        const rows = await (await ctx.run(deps.rewrite(tokenize(sql)))).getRows();
        if (!counts.has(label)) targets.push(label);
        counts.set(label, (counts.get(label) ?? 0n) + countOf(rows[0]?.[0]));
      }
      if (when) taken.push(when);
    }
    await ctx.run(`DROP TABLE ${staging}`);
    if (own) await ctx.run('COMMIT');
  } catch (err) {
    if (own) await ctx.pooled.conn.run('ROLLBACK').catch(() => undefined);
    else await ctx.pooled.conn.run(`DROP TABLE IF EXISTS ${staging}`).catch(() => undefined);
    throw err;
  }
  return new StaticResultSet(
    targets.map((t) => fixed(`number of rows inserted into ${t}`)),
    [targets.map((t) => String(counts.get(t) ?? 0n))],
    STATEMENT_TYPE.MULTI_INSERT,
  );
}
