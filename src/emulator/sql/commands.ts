/**
 * Commands the engine answers itself instead of DuckDB: USE, ALTER SESSION, SHOW and DESCRIBE.
 * Each returns Snowflake's result shape; `runCommand` returns null for anything else.
 */
import type { ResultSet } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { WAREHOUSES } from './context.js';
import { statusResult } from './result-set.js';
import { runDescribe } from './describe.js';
import { runShow } from './show.js';
import { databaseExists, qualifiedName, schemaExists } from './object-names.js';
import { invalidParameter, useNotFound } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { isSignificant, stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Runs USE / ALTER SESSION / SHOW / DESCRIBE; null when the statement is none of them. */
export async function runCommand(
  ctx: StatementContext,
  tokens: Token[],
  words: string[],
): Promise<ResultSet | null> {
  const sig = tokens.filter(isSignificant);
  switch (words[0]) {
    case 'USE':
      return runUse(ctx, sig.slice(1));
    case 'ALTER':
      return words[1] === 'SESSION' ? alterSession(ctx, sig.slice(2)) : null;
    case 'SHOW':
      return runShow(ctx, sig.slice(1));
    case 'DESC':
    case 'DESCRIBE':
      return runDescribe(ctx, sig.slice(1));
    default:
      return null;
  }
}

async function runUse(ctx: StatementContext, sig: Token[]): Promise<ResultSet> {
  const s = ctx.session;
  let kind = sig[0]?.kind === 'word' ? sig[0].text.toUpperCase() : '';
  let start = 1;
  if (!['DATABASE', 'SCHEMA', 'WAREHOUSE', 'ROLE', 'SECONDARY'].includes(kind)) {
    kind = '';
    start = 0;
  }
  if (kind === 'SECONDARY') return statusResult('Statement executed successfully.', STATEMENT_TYPE.USE);
  const { parts, next } = qualifiedName(sig, start);
  if (parts.length === 0 || next < sig.length) {
    throw new EmulatorSqlError(
      '001003',
      '42000',
      `SQL compilation error:\nsyntax error line 1 at position 4 unexpected '${sig[next]?.text ?? '<EOF>'}'.`,
    );
  }
  if (kind === 'WAREHOUSE') {
    const wh = WAREHOUSES.find((w) => w.name === parts[0]);
    if (!wh || parts.length > 1) throw useNotFound();
    s.warehouse = wh.name;
  } else if (kind === 'ROLE') {
    const role = s.grantedRoles.find((r) => r.toUpperCase() === (parts[0] ?? '').toUpperCase());
    if (!role || parts.length > 1) {
      throw new EmulatorSqlError(
        '002003',
        '02000',
        `SQL compilation error:\nRole '${parts[0] ?? ''}' does not exist or not authorized.`,
      );
    }
    s.role = role;
  } else if (kind === 'DATABASE' || (kind === '' && parts.length === 1)) {
    const db = parts[0] ?? '';
    if (parts.length > 1 || !(await databaseExists(ctx, db))) throw useNotFound();
    s.database = db;
    s.schema = (await schemaExists(ctx, db, 'PUBLIC')) ? 'PUBLIC' : null;
  } else {
    const [db, schema] = parts.length === 1 ? [s.database, parts[0] ?? ''] : [parts[0] ?? '', parts[1] ?? ''];
    if (parts.length > 2 || db === null || !(await schemaExists(ctx, db, schema))) throw useNotFound();
    s.database = db;
    s.schema = schema;
  }
  return statusResult('Statement executed successfully.', STATEMENT_TYPE.USE);
}

const INTEGER_PARAMS = new Set([
  'STATEMENT_TIMEOUT_IN_SECONDS',
  'MULTI_STATEMENT_COUNT',
  'ROWS_PER_RESULTSET',
  'LOCK_TIMEOUT',
  'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS',
  'JSON_INDENT',
  'WEEK_START',
]);

function alterSession(ctx: StatementContext, sig: Token[]): ResultSet {
  const action = sig[0]?.kind === 'word' ? sig[0].text.toUpperCase() : '';
  const params = ctx.session.params;
  const syntax = (t: Token | undefined): EmulatorSqlError =>
    new EmulatorSqlError(
      '001003',
      '42000',
      `SQL compilation error:\nsyntax error line 1 at position ${t?.start ?? 0} unexpected '${t?.text ?? '<EOF>'}'.`,
    );
  if (action === 'UNSET') {
    let i = 1;
    if (!sig[i]) throw syntax(undefined);
    while (i < sig.length) {
      const t = sig[i];
      if (!t || t.kind !== 'word') throw syntax(t);
      params.delete(t.text.toUpperCase());
      i++;
      if (sig[i]?.text === ',') i++;
    }
    return statusResult('Statement executed successfully.', STATEMENT_TYPE.ALTER_SESSION);
  }
  if (action !== 'SET') throw syntax(sig[0]);
  const updates: [string, string][] = [];
  let i = 1;
  if (!sig[i]) throw syntax(undefined);
  while (i < sig.length) {
    const key = sig[i];
    const eq = sig[i + 1];
    const value = sig[i + 2];
    if (!key || key.kind !== 'word' || eq?.text !== '=' || !value) throw syntax(value ?? eq ?? key);
    let text: string;
    let used = 3;
    if (value.kind === 'string' || value.kind === 'dollar') text = stringValue(value);
    else if (value.text === '-' && sig[i + 3]?.kind === 'number') {
      text = `-${sig[i + 3]?.text ?? ''}`;
      used = 4;
    } else text = value.kind === 'word' ? value.text.toUpperCase() : value.text;
    const name = key.text.toUpperCase();
    if (INTEGER_PARAMS.has(name) && !/^\d+$/.test(text)) throw invalidParameter(name, text);
    updates.push([name, text]);
    i += used;
    if (sig[i]?.text === ',') i++;
  }
  for (const [k, v] of updates) params.set(k, v);
  return statusResult('Statement executed successfully.', STATEMENT_TYPE.ALTER_SESSION);
}
