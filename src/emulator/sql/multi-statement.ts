/**
 * Texts of several statements (MULTI_STATEMENT_COUNT = 0 or n), as Snowflake runs them: the binds
 * of the whole text are shared out among its statements, and the request answers a one-row summary
 * whose `statements` carry each statement's own result under its own query id (the driver then
 * fetches them one by one from /queries/<id>/result).
 */
import type { ColumnMeta, StatementOutcome, WireBinding } from '../engine-types.js';
import { StaticResultSet } from './result-set.js';
import { startsBlock } from './script-parse.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { isSignificant, splitStatements, type Token } from './tokenizer.js';

/**
 * The statements of a request text: split at top-level `;`, except that a text opening a Snowflake
 * Scripting block (DECLARE …, BEGIN … END) is one statement, as Snowflake parses it.
 */
export function splitRequest(tokens: Token[]): Token[][] {
  if (!startsBlock(tokens)) return splitStatements(tokens);
  let end = tokens.length;
  while (end > 0 && (!isSignificant(tokens[end - 1]) || tokens[end - 1].text === ';')) end--;
  return [tokens.slice(0, end)];
}

type Bindings = Record<string, WireBinding>;

/** True when the statement numbers its binds itself (`:1`, `:2`), rather than by `?` order. */
function numbersBinds(tokens: readonly Token[]): boolean {
  return tokens.some(
    (t, i) =>
      t.kind === 'punct' &&
      t.text === ':' &&
      tokens[i + 1]?.kind === 'number' &&
      /^\d+$/.test(tokens[i + 1].text),
  );
}

/**
 * The binds of each statement. `?` placeholders count across the whole text, so statement k takes
 * the binds after those of the statements before it, renumbered from 1. A statement using numbered
 * binds (`:n`) sees all of them, as the numbers refer to the whole request.
 */
export function bindingsPerStatement(
  statements: readonly (readonly Token[])[],
  bindings: Bindings | undefined,
): (Bindings | undefined)[] {
  if (!bindings || statements.length <= 1) return statements.map(() => bindings);
  const ordered = Object.keys(bindings)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => bindings[k]);
  let next = 0;
  return statements.map((tokens) => {
    if (numbersBinds(tokens)) return bindings;
    const count = tokens.filter((t) => t.kind === 'punct' && t.text === '?').length;
    if (count === 0) return undefined;
    const own: Bindings = {};
    for (let i = 0; i < count && next < ordered.length; i++) own[String(i + 1)] = ordered[next++]!;
    return own;
  });
}

/** The summary result of a multi-statement text; it owns nothing of the statements' results. */
export class MultiStatementResult extends StaticResultSet {
  constructor(readonly statements: readonly StatementOutcome[]) {
    super([SUMMARY_COLUMN], [['Multiple statements executed successfully.']], STATEMENT_TYPE.SELECT);
  }
}

const SUMMARY_COLUMN: ColumnMeta = {
  name: 'multiple statement execution',
  type: 'text',
  nullable: false,
  precision: null,
  scale: null,
  length: 16777216,
  byteLength: 16777216,
};

/** Snowflake's answer to a text of several statements, carrying each one's outcome. */
export function multiStatementResult(outcomes: readonly StatementOutcome[]): MultiStatementResult {
  return new MultiStatementResult([...outcomes]);
}
