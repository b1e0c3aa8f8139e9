/**
 * Replacing runs of a statement's tokens with new SQL text: how the MERGE rewrites put conversions
 * around the values a MERGE writes (decfloat-merge.ts, timestamp-merge.ts).
 */
import type { Token } from './tokenizer.js';

/** Replaces the tokens from the key token through `last` (inclusive) with `sql`. */
export interface TokenEdit {
  readonly last: Token;
  readonly sql: string;
}

/**
 * The text of `tokens` with each edited run replaced: `edits` maps a run's first token to its
 * edit. Runs must not overlap; tokens outside every run keep their text.
 */
export function applyTokenEdits(tokens: readonly Token[], edits: ReadonlyMap<Token, TokenEdit>): string {
  let out = '';
  let skipTo: Token | null = null;
  for (const t of tokens) {
    if (skipTo) {
      if (t === skipTo) skipTo = null;
      continue;
    }
    const edit = edits.get(t);
    out += edit ? edit.sql : t.text;
    if (edit && edit.last !== t) skipTo = edit.last;
  }
  return out;
}
