/**
 * A MERGE that writes a text column of its source into a timestamp column
 * (`MERGE INTO t USING (SELECT '2024-01-01 10:00 +02:00' AS v) s … INSERT (a) VALUES (s.v)`),
 * converted as timestamp-writes.ts converts literals. The source (`USING <table>` or
 * `USING (<query>)`) is described to learn which of its columns are text; a value that is such a
 * column (`s.v` or `v`) and fills a timestamp column goes through the text conversion. A source that
 * cannot be described is left as written.
 */
import type { StatementContext } from './context.js';
import { qualifiedName } from './object-names.js';
import { mergeWrites, textToTimestampSql, timestampKinds } from './timestamp-writes.js';
import { identName, isSignificant, quoteString, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { applyTokenEdits } from './token-edits.js';
import type { TokenEdit } from './token-edits.js';

/** The source of a MERGE as a query, and the alias it is named by (null: none). */
function mergeSource(
  tokens: readonly Token[],
  sig: readonly Token[],
): { query: string; alias: string | null } | null {
  const using = sig.findIndex((t) => t.kind === 'word' && t.text.toUpperCase() === 'USING');
  if (using < 0) return null;
  let after: number;
  let query: string;
  if (sig[using + 1]?.text === '(') {
    let depth = 0;
    let close = -1;
    for (let k = using + 1; k < sig.length && close < 0; k++) {
      if (sig[k]?.text === '(') depth++;
      if (sig[k]?.text === ')' && --depth === 0) close = k;
    }
    if (close < 0) return null;
    const from = tokens.indexOf(sig[using + 2]);
    const to = tokens.indexOf(sig[close]);
    query = tokens
      .slice(from, to)
      .map((t) => t.text)
      .join('');
    after = close + 1;
  } else {
    const { parts, next } = qualifiedName([...sig], using + 1);
    if (parts.length === 0) return null;
    query = `SELECT * FROM ${parts.map((p) => `"${p.replace(/"/g, '""')}"`).join('.')}`;
    after = next;
  }
  if (sig[after]?.text.toUpperCase() === 'AS') after++;
  const word = sig[after];
  const alias = word && word.text.toUpperCase() !== 'ON' && word.kind !== 'punct' ? identName(word) : null;
  return { query, alias };
}

/**
 * MERGE statement `tokens` with each source text column it writes into a timestamp column
 * converted; the tokens themselves when there is none. `rewrite` turns Snowflake SQL into the
 * engine's, to describe the source. Costs a catalog lookup and a DESCRIBE.
 */
export async function withTimestampMergeSource(
  ctx: StatementContext,
  tokens: Token[],
  rewrite: (tokens: Token[]) => string,
): Promise<Token[]> {
  const sig = tokens.filter(isSignificant);
  if (sig[1]?.text.toUpperCase() !== 'INTO') return tokens;
  const { parts, next } = qualifiedName(sig, 2);
  const { kinds, order } = await timestampKinds(ctx, parts);
  if (kinds.size === 0) return tokens;
  const source = mergeSource(tokens, sig);
  if (!source) return tokens;
  let text: Set<string>;
  try {
    const described = await ctx.rows(`DESCRIBE ${rewrite(tokenize(source.query))}`);
    text = new Set(described.filter((row) => String(row[1]) === 'VARCHAR').map((row) => String(row[0])));
  } catch {
    return tokens;
  }
  const zone = quoteString(ctx.session.params.get('TIMEZONE') ?? 'UTC');
  const edits = new Map<Token, TokenEdit>();
  for (const [column, value] of mergeWrites(sig, next)) {
    const name = column?.startsWith('#') ? order[Number(column.slice(1))] : column;
    const kind = name === undefined ? undefined : kinds.get(name);
    const first = value[0];
    const last = value.at(-1);
    if (!kind || !first || !last) continue;
    const qualified = value.length === 3 && value[1]?.text === '.' && identName(first) === source.alias;
    const sourceColumn = qualified ? value[2] : value.length === 1 ? first : undefined;
    if (sourceColumn?.kind !== 'word' || !text.has(identName(sourceColumn))) continue;
    const sql = value.map((t) => t.text).join('');
    edits.set(first, { last, sql: textToTimestampSql(kind, sql, zone) });
  }
  if (edits.size === 0) return tokens;
  return tokenize(applyTokenEdits(tokens, edits));
}
