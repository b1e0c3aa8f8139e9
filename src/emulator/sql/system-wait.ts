/**
 * SYSTEM$WAIT: a statement that really waits (tests use it for timeouts and cancellation).
 */
import type { ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { StaticResultSet } from './result-set.js';
import { statementCancelled, unsupported } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { isSignificant, joinTokens, stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/**
 * SELECT (or CALL) SYSTEM$WAIT(n [, 'SECONDS'|'MILLISECONDS'|'MINUTES']): really waits, abortable
 * by the statement's signal. The column is named `columnName` (CALL names it after the procedure),
 * else after the expression as Snowflake does.
 */
export async function systemWait(
  ctx: StatementContext,
  tokens: Token[],
  columnName?: string,
): Promise<ResultSet> {
  const sig = tokens.filter(isSignificant);
  const amount = Number(sig[3]?.text ?? 'NaN');
  const unitTok = sig[5];
  const unit =
    unitTok && (unitTok.kind === 'string' || unitTok.kind === 'dollar')
      ? stringValue(unitTok).toUpperCase()
      : 'SECONDS';
  if (!Number.isFinite(amount) || amount < 0) throw unsupported('SYSTEM$WAIT argument');
  const factor = unit.startsWith('MILLI')
    ? 1
    : unit.startsWith('MIN')
      ? 60_000
      : unit.startsWith('HOUR')
        ? 3_600_000
        : 1000;
  const ms = amount * factor;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(ctx.signal.reason instanceof Error ? ctx.signal.reason : statementCancelled());
    };
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  const name =
    columnName ??
    joinTokens(tokens.slice(tokens.findIndex((t) => t.text.toUpperCase() === 'SYSTEM$WAIT')))
      .trim()
      .toUpperCase();
  const column = {
    name,
    type: 'text' as const,
    nullable: true,
    precision: null,
    scale: null,
    length: 16777216,
    byteLength: 16777216,
  };
  return new StaticResultSet([column], [[`waited ${amount} ${unit.toLowerCase()}`]], STATEMENT_TYPE.SELECT);
}
