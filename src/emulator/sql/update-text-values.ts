/**
 * Text an UPDATE writes into timestamp columns from columns and expressions
 * (`UPDATE t SET ts = s.v FROM src s WHERE …`, `UPDATE t SET ts = t.text_col`), converted as
 * timestamp-writes.ts converts literals and text binds: an offset kept by TIMESTAMP_TZ, read as an
 * instant by TIMESTAMP_LTZ, ignored by TIMESTAMP_NTZ, the session's time zone when there is none.
 * DuckDB would cast the text with its own parser, which refuses offsets. Which values are text is
 * known only once bound, so the SET values are described over the UPDATE's own row source (the
 * target, then its FROM list):
 *   DESCRIBE SELECT <value>, … FROM <target> [alias], <from list>
 * and each one of type VARCHAR that fills a timestamp column goes through the text conversion.
 * DECFLOAT and VARIANT targets need nothing here: decfloat-writes.ts wraps any SET value, and DuckDB
 * reads text into VARIANT columns the same with or without FROM. An UPDATE that cannot be
 * described (an error DuckDB will report anyway) is left as written.
 */
import type { StatementContext } from './context.js';
import { qualifiedName } from './object-names.js';
import { textToTimestampSql, timestampKinds } from './timestamp-writes.js';
import type { TimestampKind } from './timestamp-writes.js';
import { identName, isSignificant, quoteString, splitTopLevelCommas, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { applyTokenEdits } from './token-edits.js';
import type { TokenEdit } from './token-edits.js';

/** Index in `sig` of the first of `words` at bracket depth 0 from `from`, or sig.length. */
function topLevel(sig: readonly Token[], from: number, words: readonly string[]): number {
  let depth = 0;
  for (let k = from; k < sig.length; k++) {
    const text = sig[k]?.text.toUpperCase() ?? '';
    if (text === '(') depth++;
    else if (text === ')') depth--;
    else if (depth === 0 && (words.includes(text) || text === ';')) return k;
  }
  return sig.length;
}

/** A SET value that fills a timestamp column: its first and last tokens and the column's kind. */
interface TimestampValue {
  first: Token;
  last: Token;
  kind: TimestampKind;
}

/**
 * UPDATE statement `tokens` with each SET value of type text that fills a timestamp column
 * converted; the tokens themselves when there is none. `rewrite` turns Snowflake SQL into the
 * engine's, to describe the values. Costs a catalog lookup and, when a value may be text, a DESCRIBE.
 */
export async function withTimestampUpdateValues(
  ctx: StatementContext,
  tokens: Token[],
  rewrite: (tokens: Token[]) => string,
): Promise<Token[]> {
  const sig = tokens.filter(isSignificant);
  if (sig[0]?.text.toUpperCase() !== 'UPDATE') return tokens;
  const { parts, next } = qualifiedName(sig, 1);
  const set = topLevel(sig, next, ['SET']);
  if (parts.length === 0 || set >= sig.length) return tokens;
  const end = topLevel(sig, set + 1, ['FROM', 'WHERE']);
  const { kinds } = await timestampKinds(ctx, parts);
  if (kinds.size === 0) return tokens;
  const values: TimestampValue[] = [];
  for (const item of splitTopLevelCommas(sig.slice(set + 1, end))) {
    const eq = item.findIndex((t) => t.text === '=');
    const column = eq > 0 ? item[eq - 1] : undefined;
    const kind = column ? kinds.get(identName(column)) : undefined;
    const first = item[eq + 1];
    const last = item.at(-1);
    // A literal was converted already (timestamp-writes.ts); DEFAULT and NULL need nothing.
    const plain =
      item.length === eq + 2 && (first?.kind === 'string' || /^(DEFAULT|NULL)$/i.test(first?.text ?? ''));
    if (kind && first && last && !plain) values.push({ first, last, kind });
  }
  if (values.length === 0) return tokens;
  const text = (from: Token, to: Token): string =>
    tokens
      .slice(tokens.indexOf(from), tokens.indexOf(to) + 1)
      .map((t) => t.text)
      .join('');
  const target = text(sig[1] ?? sig[0], sig[set - 1] ?? sig[0]);
  let source = target;
  if (sig[end]?.text.toUpperCase() === 'FROM') {
    const stop = topLevel(sig, end + 1, ['WHERE']);
    const fromFirst = sig[end + 1];
    const fromLast = sig[stop - 1];
    if (fromFirst && fromLast && stop > end + 1) source += `, ${text(fromFirst, fromLast)}`;
  }
  let types: string[];
  try {
    const query = `SELECT ${values.map((v) => text(v.first, v.last)).join(', ')} FROM ${source}`;
    types = (await ctx.rows(`DESCRIBE ${rewrite(tokenize(query))}`)).map((row) => String(row[1]));
  } catch {
    return tokens;
  }
  const zone = quoteString(ctx.session.params.get('TIMEZONE') ?? 'UTC');
  const edits = new Map<Token, TokenEdit>();
  values.forEach((v, n) => {
    if (types[n] !== 'VARCHAR') return;
    edits.set(v.first, { last: v.last, sql: textToTimestampSql(v.kind, `(${text(v.first, v.last)})`, zone) });
  });
  if (edits.size === 0) return tokens;
  return tokenize(applyTokenEdits(tokens, edits));
}
