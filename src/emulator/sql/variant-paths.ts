/**
 * Snowflake's semi-structured paths after a `:`: `v:a.b`, `v:a[1]`, `v:a:b`, `v:a['key']`,
 * `v:"Mixed Key".x`, nested to any depth. The whole path becomes one JSON path, so what follows it
 * (a `::` cast, an operator) applies to the extracted VARIANT and not to the path text. Field names
 * keep their case (Snowflake's paths are case-sensitive); every key is written quoted in the
 * JSON path so spaces and other characters in it stay part of the key.
 */
import type { SqlWriter } from './rewrite-context.js';
import type { Token } from './tokenizer.js';
import { quoteString, stringValue, tokenize } from './tokenizer.js';

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

/**
 * GET(v, 'key' | n) and GET_PATH(v, 'a.b[0]') with literal keys and paths, as the same JSON
 * extraction a `:` path makes; null for other calls (and for keys given as expressions).
 */
export function rewritePathCall(w: SqlWriter, name: string, open: number, close: number): string | null {
  if (name !== 'GET' && name !== 'GET_PATH') return null;
  const ranges = w.args(open, close);
  if (ranges.length !== 2) return null;
  const operand = w.emit(ranges[0][0], ranges[0][1]).trim();
  const extract = (jsonPath: string): string => `(${operand} -> ${quoteString(jsonPath)})`;
  const text = w.argString(ranges[1]);
  if (name === 'GET') {
    const index = w.argNumber(ranges[1]);
    if (index !== null && Number.isInteger(index) && index >= 0) return extract(`$[${index}]`);
    const step = text === null ? null : keyStep(text);
    return step === null ? null : extract(`$${step}`);
  }
  if (text === null) return null;
  const toks = tokenize(text);
  const path = variantPathAt(toks, 0, toks.length);
  return path && path.last === toks.length - 1 ? extract(path.jsonPath) : null;
}

/**
 * `sql` (emitted SQL) read as text when it is exactly one path extraction `(<operand> -> '$…')`:
 * a JSON string's contents and JSON null as NULL, as Snowflake's cast of a VARIANT to VARCHAR;
 * null when `sql` is anything else.
 */
export function pathAsTextSql(sql: string): string | null {
  if (!sql.startsWith('(') || !sql.endsWith("')")) return null;
  // The `(` at the start must close at the very end: one extraction, not `(a) || (b)`.
  let depth = 0;
  let quote: string | null = null;
  for (let k = 0; k < sql.length; k++) {
    const c = sql[k];
    if (quote !== null) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && k !== sql.length - 1) return null;
  }
  const arrow = sql.lastIndexOf(" -> '$");
  if (arrow < 0 || quote !== null) return null;
  const literal = sql.slice(arrow + 4, -1);
  if (!/^'\$(?:[^']|'')*'$/.test(literal)) return null;
  return `(${sql.slice(1, arrow)} ->> ${literal})`;
}
