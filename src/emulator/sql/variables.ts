/**
 * Snowflake session variables: `SET v = expr`, `SET (a, b) = (e1, e2)`, `UNSET v` / `UNSET (a, b)`,
 * `$v` and `IDENTIFIER($v | '<name>')` in later statements of the same session, and SHOW VARIABLES.
 * Variables live beside the session object (a WeakMap, so they end with it); `$v` is replaced at
 * the token level before a statement is dispatched, so commands, DDL and queries all see values.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { EmulatorSession, ResultSet } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { statusResult } from './result-set.js';
import { STATEMENT_TYPE } from './statement-types.js';
import {
  identName,
  isSignificant,
  quoteIdent,
  quoteString,
  splitTopLevelCommas,
  stringValue,
  tokenize,
} from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { sfTypeFromDuck } from './types.js';

/** One session variable: its value as text (null for NULL) and the DuckDB type it had. */
export interface SessionVariable {
  name: string;
  text: string | null;
  duckType: string;
  created: Date;
  updated: Date;
}

const VARIABLES = new WeakMap<EmulatorSession, Map<string, SessionVariable>>();
/** Snowflake allows at most this many bytes of variables per session (256 by default). */
const MAX_VARIABLE_BYTES = 256;

/** The variables of a session, by upper-case name (created empty on first use). */
export function sessionVariables(session: EmulatorSession): Map<string, SessionVariable> {
  let vars = VARIABLES.get(session);
  if (!vars) VARIABLES.set(session, (vars = new Map<string, SessionVariable>()));
  return vars;
}

function variableMissing(name: string, at: number): EmulatorSqlError {
  return new EmulatorSqlError(
    '002211',
    '02000',
    `SQL compilation error: error line 1 at position ${at}\nSession variable '$${name}' does not exist`,
  );
}

function syntax(t: Token | undefined): EmulatorSqlError {
  return new EmulatorSqlError(
    '001003',
    '42000',
    `SQL compilation error:\nsyntax error line 1 at position ${t?.start ?? 0} unexpected '${t?.text ?? '<EOF>'}'.`,
  );
}

/** The value of a variable as tokens of DuckDB-compatible SQL (a literal). */
function literalTokens(v: SessionVariable, at: number): Token[] {
  const origin = `$${v.name}`;
  const mark = (tokens: Token[]): Token[] => tokens.map((t) => ({ ...t, start: at, origin }));
  if (v.text === null) return mark([{ kind: 'word', text: 'NULL', start: at }]);
  const type = v.duckType.toUpperCase();
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DOUBLE|FLOAT|DECIMAL)/.test(
      type,
    )
  ) {
    return mark(tokenize(v.text.startsWith('-') ? `(${v.text})` : v.text));
  }
  if (type === 'BOOLEAN') return mark([{ kind: 'word', text: v.text.toUpperCase(), start: at }]);
  if (type === 'VARCHAR') return mark([{ kind: 'string', text: quoteString(v.text), start: at }]);
  return mark(tokenize(`CAST(${quoteString(v.text)} AS ${v.duckType})`));
}

/** An IDENTIFIER('a.b."c"') argument as identifier tokens. */
function identifierTokens(text: string, at: number): Token[] {
  const out: Token[] = [];
  for (const t of tokenize(text).filter(isSignificant)) {
    if (t.kind === 'punct' && t.text === '.') out.push({ kind: 'punct', text: '.', start: at });
    else if (t.kind === 'word' || t.kind === 'quoted')
      out.push({ kind: 'quoted', text: quoteIdent(identName(t)), start: at });
    else
      throw new EmulatorSqlError('002025', '42601', `SQL compilation error:\ninvalid identifier '${text}'`);
  }
  if (out.length === 0)
    throw new EmulatorSqlError('002025', '42601', "SQL compilation error:\ninvalid identifier ''");
  return out;
}

/**
 * Replaces `$name` with the variable's literal, `IDENTIFIER(<string | $name>)` with the name it
 * holds, and a positional column reference `$n` (Snowflake's, e.g. over RESULT_SCAN or VALUES)
 * with DuckDB's `#n`, which DuckDB would otherwise take for a prepared-statement parameter. Returns the tokens unchanged (same array) when there is nothing to replace, so the common
 * path costs one scan. Throws 002211 for an unknown variable.
 */
export function substituteVariables(tokens: Token[], session: EmulatorSession): Token[] {
  if (!tokens.some((t) => t.kind === 'punct' && t.text === '$') && !tokens.some(isIdentifierWord))
    return tokens;
  const vars = VARIABLES.get(session);
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.kind === 'punct' && t.text === '$' && next?.kind === 'number' && next.start === t.start + 1) {
      if (/^[1-9][0-9]*$/.test(next.text)) {
        out.push({ kind: 'punct', text: '#', start: t.start }, next);
        i++;
        continue;
      }
    }
    if (t.kind === 'punct' && t.text === '$' && next?.kind === 'word' && next.start === t.start + 1) {
      const name = next.text.toUpperCase();
      const v = vars?.get(name);
      if (!v) throw variableMissing(name, t.start);
      out.push(...literalTokens(v, t.start));
      i++;
      continue;
    }
    if (isIdentifierWord(t)) {
      const sig: number[] = [];
      for (let j = i + 1; j < tokens.length && sig.length < 4; j++) if (isSignificant(tokens[j])) sig.push(j);
      const [open, a, b, c] = sig.map((j) => tokens[j]);
      if (open?.text === '(') {
        let name: string | null = null;
        let close = -1;
        if ((a?.kind === 'string' || a?.kind === 'dollar') && b?.text === ')') {
          name = stringValue(a);
          close = sig[2] ?? -1;
        } else if (a?.text === '$' && b?.kind === 'word' && c?.text === ')') {
          const v = vars?.get(b.text.toUpperCase());
          if (!v) throw variableMissing(b.text.toUpperCase(), a.start);
          name = v.text ?? '';
          close = sig[3] ?? -1;
        }
        if (name !== null && close > 0) {
          out.push(...identifierTokens(name, t.start));
          i = close;
          continue;
        }
      }
    }
    out.push(t);
  }
  return out;
}

function isIdentifierWord(t: Token): boolean {
  return t.kind === 'word' && t.text.length === 10 && t.text.toUpperCase() === 'IDENTIFIER';
}

/** Names of `v` or `(a, b)` starting at sig[0]; returns them and the index after. */
function parseNames(sig: Token[]): { names: string[]; next: number } {
  if (sig[0]?.text !== '(') {
    const t = sig[0];
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) throw syntax(t);
    return { names: [identName(t).toUpperCase()], next: 1 };
  }
  const close = sig.findIndex((t) => t.text === ')');
  if (close < 0) throw syntax(undefined);
  const names = splitTopLevelCommas(sig.slice(1, close)).map((part) => {
    const t = part[0];
    if (part.length !== 1 || !t || (t.kind !== 'word' && t.kind !== 'quoted')) throw syntax(t);
    return identName(t).toUpperCase();
  });
  return { names, next: close + 1 };
}

/**
 * Runs SET / UNSET (`sig` without the keyword). Values are evaluated by DuckDB through `rewrite`
 * (which turns Snowflake SQL tokens into DuckDB SQL). Returns null for anything else.
 */
export async function runVariableCommand(
  ctx: StatementContext,
  keyword: string,
  sig: Token[],
  rewrite: (tokens: Token[]) => string,
): Promise<ResultSet> {
  const vars = sessionVariables(ctx.session);
  const { names, next } = parseNames(sig);
  if (keyword === 'UNSET') {
    if (next < sig.length) throw syntax(sig[next]);
    for (const n of names) vars.delete(n);
    return statusResult('Statement executed successfully.', STATEMENT_TYPE.ALTER_SESSION);
  }
  if (sig[next]?.text !== '=') throw syntax(sig[next]);
  let exprs = sig.slice(next + 1);
  if (exprs.length === 0) throw syntax(undefined);
  const multi = sig[0]?.text === '(';
  let inner: string;
  if (multi) {
    // (e1, e2) or (SELECT a, b): the outer parentheses wrap the list.
    if (exprs[0]?.text !== '(' || exprs[exprs.length - 1]?.text !== ')') throw syntax(exprs[0]);
    exprs = exprs.slice(1, -1);
    const first = exprs[0]?.text.toUpperCase();
    inner =
      first === 'SELECT' || first === 'WITH'
        ? rewrite(spaced(exprs))
        : `SELECT ${splitTopLevelCommas(exprs)
            .map((e) => `(${rewrite(spaced(e))})`)
            .join(', ')}`;
  } else inner = `SELECT (${rewrite(spaced(exprs))})`;
  const result = await ctx.run(inner);
  const types = result.columnTypes().map((t) => t.toString());
  const rows = await result.getRows();
  if (types.length !== names.length) {
    throw new EmulatorSqlError(
      '002020',
      '21S01',
      `SQL compilation error:\nInsert value list does not match column list expecting ${names.length} but got ${types.length}`,
    );
  }
  const row: DuckDBValue[] = rows[0] ?? names.map(() => null);
  const now = new Date();
  const updates = names.map((name, k): SessionVariable => {
    const value = row[k] ?? null;
    return {
      name,
      text: value === null ? null : textOf(value),
      duckType: types[k] ?? 'VARCHAR',
      created: vars.get(name)?.created ?? now,
      updated: now,
    };
  });
  for (const u of updates) {
    if ((u.text?.length ?? 0) > MAX_VARIABLE_BYTES) {
      throw new EmulatorSqlError(
        '002212',
        '22000',
        `Assignment to '${u.name}' not done because value exceeds size limit for variables. Its size is ${u.text?.length ?? 0}; the limit is ${MAX_VARIABLE_BYTES} (internal storage size in bytes).`,
      );
    }
  }
  for (const u of updates) vars.set(u.name, u);
  return statusResult('Statement executed successfully.', STATEMENT_TYPE.ALTER_SESSION);
}

function textOf(value: DuckDBValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** Re-inserts spaces between significant tokens so the writer sees word boundaries. */
function spaced(sig: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of sig) out.push(t, { kind: 'space', text: ' ', start: t.start });
  return out;
}

/** The session's variables sorted by name (for SHOW VARIABLES). */
export function listVariables(session: EmulatorSession): SessionVariable[] {
  return [...sessionVariables(session).values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Snowflake's type name of a variable as SHOW VARIABLES prints it (fixed, text, boolean, …). */
export function variableType(v: SessionVariable): string {
  return sfTypeFromDuck(v.duckType, null, null).wire;
}
