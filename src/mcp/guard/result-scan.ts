/**
 * The query ids a statement reads through RESULT_SCAN. All clients share the pooled Snowflake
 * sessions and the Snowflake user, so RESULT_SCAN('<id>') could read another client's result: the
 * tool layer checks each id against the ids smcp ran for the calling client. Only literal ids can
 * be checked; anything else as RESULT_SCAN's argument (LAST_QUERY_ID(), a variable, a bind, an
 * expression) is reported as `dynamic` and refused.
 */
import { Tok, tokenize } from './tokenizer.js';

/** The literal ids, or `dynamic` when an argument is not one string literal. */
export type ResultScanIds = { readonly ids: readonly string[] } | { readonly dynamic: true };

/** The query ids `sql` passes to RESULT_SCAN (an empty list when it calls none). Never throws. */
export function resultScanIds(sql: string): ResultScanIds {
  const lexed = tokenize(sql);
  if (!lexed.ok) return { ids: [] }; // the guard refuses such text anyway
  const ts = lexed.tokens;
  const ids: string[] = [];
  for (let i = 0; i < ts.count; i++) {
    if (ts.kind(i) !== Tok.Word && ts.kind(i) !== Tok.Quoted) continue;
    if (ts.name(i) !== 'RESULT_SCAN' || ts.kind(i + 1) !== Tok.LParen) continue;
    const literal = ts.kind(i + 2) === Tok.String || ts.kind(i + 2) === Tok.Dollar;
    if (!literal || ts.kind(i + 3) !== Tok.RParen) return { dynamic: true };
    const text = ts.text(i + 2);
    ids.push(ts.kind(i + 2) === Tok.Dollar ? text.slice(2, -2) : text.slice(1, -1).replace(/''/g, "'"));
  }
  return { ids };
}
