/**
 * Statements about calls and scripts: CALL (of SYSTEM$WAIT, SYSTEM$CANCEL_QUERY and SQL
 * procedures), CREATE / DROP PROCEDURE, anonymous Snowflake Scripting blocks, EXECUTE IMMEDIATE,
 * and `SELECT SYSTEM$CANCEL_QUERY('<id>')`. `runCallCommand` returns null for anything else.
 */
import type { EngineHost, ResultSet, WireBinding } from '../engine-types.js';
import { schemaExists } from './object-names.js';
import type { StatementContext } from './context.js';
import { runAnonymousBlock, type ProcedureStore } from './procedures.js';
import { StaticResultSet } from './result-set.js';
import { startsBlock } from './script-parse.js';
import type { NestedRunner } from './script-run.js';
import { syntaxError, unsupported } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { systemWait } from './system-wait.js';
import { identName, isSignificant, joinTokens, stringValue, tokenize, type Token } from './tokenizer.js';

export type { NestedRunner } from './script-run.js';

/** What these statements need from the engine. */
export interface CallDeps {
  readonly procedures: ProcedureStore;
  readonly host: EngineHost | null;
  /** Runs one statement in the calling statement (procedure bodies, EXECUTE IMMEDIATE). */
  readonly run: NestedRunner;
  /** The statement's own binds (`CALL p(?, ?)`). */
  readonly bindings?: Record<string, WireBinding>;
}

function word(t: Token | undefined): string {
  return t?.kind === 'word' ? t.text.toUpperCase() : '';
}

/** SYSTEM$CANCEL_QUERY('<id>'): cancels a running statement of the caller's user. */
function cancelQuery(
  ctx: StatementContext,
  sig: Token[],
  at: number,
  host: EngineHost | null,
  columnName: string,
): ResultSet {
  const arg = sig[at + 2];
  if (
    sig[at + 1]?.text !== '(' ||
    !arg ||
    (arg.kind !== 'string' && arg.kind !== 'dollar') ||
    sig[at + 3]?.text !== ')'
  ) {
    throw syntaxError(1, arg?.start ?? 0, arg?.text ?? '<EOF>');
  }
  if (!host) throw unsupported('SYSTEM$CANCEL_QUERY outside the wire server');
  const queryId = stringValue(arg).trim();
  host.cancelQuery(queryId, ctx.session);
  const column = {
    name: columnName,
    type: 'text' as const,
    nullable: true,
    precision: null,
    scale: null,
    length: 16777216,
    byteLength: 16777216,
  };
  return new StaticResultSet([column], [[`query [${queryId}] terminated.`]], STATEMENT_TYPE.SELECT);
}

/** `SELECT SYSTEM$CANCEL_QUERY('id') [[AS] alias]` and nothing more, or null. */
function selectCancel(
  ctx: StatementContext,
  tokens: Token[],
  sig: Token[],
  host: EngineHost | null,
): ResultSet | null {
  if (word(sig[1]) !== 'SYSTEM$CANCEL_QUERY' || sig[2]?.text !== '(' || sig[4]?.text !== ')') return null;
  let alias: string | null = null;
  if (sig.length === 7 && word(sig[5]) === 'AS') alias = identName(sig[6]);
  else if (sig.length === 6 && (sig[5].kind === 'word' || sig[5].kind === 'quoted'))
    alias = identName(sig[5]);
  else if (sig.length !== 5) return null;
  const start = tokens.indexOf(sig[1]);
  const end = tokens.indexOf(sig[4]);
  const name =
    alias ??
    joinTokens(tokens.slice(start, end + 1))
      .trim()
      .toUpperCase();
  return cancelQuery(ctx, sig, 1, host, name);
}

/** EXECUTE IMMEDIATE '<statement or block>' | $$…$$. */
async function executeImmediate(ctx: StatementContext, sig: Token[], run: NestedRunner): Promise<ResultSet> {
  const source = sig[2];
  if (!source || (source.kind !== 'string' && source.kind !== 'dollar')) {
    throw syntaxError(1, source?.start ?? 0, source?.text ?? '<EOF>');
  }
  if (sig.length > 3) throw unsupported(`EXECUTE IMMEDIATE … ${sig[3].text.toUpperCase()}`);
  const text = stringValue(source);
  const tokens = tokenize(text);
  if (startsBlock(tokens)) return runAnonymousBlock(ctx, tokens, run);
  return run(text.trim().replace(/;\s*$/, ''));
}

/** First words of the statements handled here (a cheap test before tokens are looked at). */
const FIRST_WORDS = new Set(['CALL', 'EXECUTE', 'CREATE', 'DROP', 'DECLARE', 'BEGIN']);

/** True when `words` may be one of these statements. */
export function isCallCommand(words: readonly string[]): boolean {
  const first = words[0] ?? '';
  if (first === 'SELECT') return words[1] === 'SYSTEM$CANCEL_QUERY';
  if (first === 'CREATE') return words.includes('PROCEDURE');
  if (first === 'DROP') return words[1] === 'PROCEDURE';
  return FIRST_WORDS.has(first);
}

/** Runs the statement when it is one of these; null otherwise. */
export async function runCallCommand(
  ctx: StatementContext,
  tokens: Token[],
  words: readonly string[],
  deps: CallDeps,
): Promise<ResultSet | null> {
  const first = words[0] ?? '';
  if (first === 'DECLARE' || first === 'BEGIN') {
    return startsBlock(tokens) ? runAnonymousBlock(ctx, tokens, deps.run) : null;
  }
  const sig = tokens.filter(isSignificant);
  switch (first) {
    case 'CALL': {
      const callee = word(sig[1]);
      if (callee === 'SYSTEM$WAIT') {
        await ctx.applySearchPath();
        return systemWait(ctx, tokens, 'SYSTEM$WAIT');
      }
      if (callee === 'SYSTEM$CANCEL_QUERY') return cancelQuery(ctx, sig, 1, deps.host, 'SYSTEM$CANCEL_QUERY');
      if (callee.startsWith('SYSTEM$')) throw unsupported(`CALL ${callee}`);
      await ctx.applySearchPath();
      return deps.procedures.call(ctx, sig, deps.run, deps.bindings);
    }
    case 'SELECT':
      return selectCancel(ctx, tokens, sig, deps.host);
    case 'EXECUTE':
      if (words[1] !== 'IMMEDIATE') return null;
      await ctx.applySearchPath();
      return executeImmediate(ctx, sig, deps.run);
    case 'CREATE': {
      const at = words.indexOf('PROCEDURE');
      if (
        at < 0 ||
        at > 5 ||
        words.slice(1, at).some((w) => !['OR', 'REPLACE', 'SECURE', 'TEMP', 'TEMPORARY'].includes(w))
      ) {
        return null;
      }
      return deps.procedures.create(ctx, sig, (db, schema) => schemaExists(ctx, db, schema));
    }
    case 'DROP':
      return words[1] === 'PROCEDURE' ? deps.procedures.drop(ctx, sig) : null;
    default:
      return null;
  }
}
