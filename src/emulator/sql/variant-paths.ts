/**
 * Snowflake's semi-structured paths after a `:`: `v:a.b`, `v:a[1]`, `v:a:b`, `v:a['key']`,
 * `v:"Mixed Key".x`, nested to any depth. The whole path becomes one JSON path, so what follows it
 * (a `::` cast, an operator) applies to the extracted VARIANT and not to the path text. Field names
 * keep their case (Snowflake's paths are case-sensitive); every key is written quoted in the
 * JSON path so spaces and other characters in it stay part of the key.
 */
import type { Token } from './tokenizer.js';
import { stringValue } from './tokenizer.js';

/** A parsed path: its JSON path text (`$."a"[1]."b"`) and the index of its last token. */
export interface VariantPath {
  jsonPath: string;
  last: number;
}

/** A key as written: a bare word keeps its case, a quoted one loses its quotes. */
function keyOf(t: Token | undefined): string | null {
  if (t?.kind === 'word') return t.text;
  if (t?.kind === 'quoted') return t.text.slice(1, -1).replace(/""/g, '"');
  return null;
}

/** `."key"` for the JSON path, or null for a key DuckDB's path syntax cannot quote. */
function keyStep(key: string): string | null {
  return key.includes('"') || key.includes('\\') ? null : `."${key}"`;
}

/**
 * The path whose first key is at `first` (the token after `:`), extended over adjacent `.key`,
 * `:key`, `[n]` and `['key']` steps before `to`; null when it is no path the emulator can write.
 */
export function variantPathAt(toks: Token[], first: number, to: number): VariantPath | null {
  const head = keyOf(toks[first]);
  if (head === null) return null;
  let jsonPath = '$';
  const firstStep = keyStep(head);
  if (firstStep === null) return null;
  jsonPath += firstStep;
  let last = first;
  for (;;) {
    const sep = toks[last + 1];
    if (sep?.kind !== 'punct' || last + 1 >= to) break;
    if ((sep.text === '.' || sep.text === ':') && last + 2 < to) {
      const key = keyOf(toks[last + 2]);
      const step = key === null ? null : keyStep(key);
      if (step === null) break;
      jsonPath += step;
      last += 2;
    } else if (sep.text === '[' && last + 3 < to && toks[last + 3]?.text === ']') {
      const inner = toks[last + 2];
      if (inner?.kind === 'number' && /^\d+$/.test(inner.text)) jsonPath += `[${inner.text}]`;
      else if (inner?.kind === 'string') {
        const step = keyStep(stringValue(inner));
        if (step === null) break;
        jsonPath += step;
      } else break;
      last += 3;
    } else break;
  }
  return { jsonPath, last };
}
