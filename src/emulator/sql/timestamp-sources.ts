/**
 * Text a query writes into timestamp columns (`INSERT INTO t SELECT '2024-01-01 10:00 +02:00'`,
 * `INSERT INTO t SELECT * FROM VALUES (…)`, `INSERT INTO t SELECT s FROM texts`), converted as
 * timestamp-writes.ts converts literals. Which source columns are text is known only once the
 * query is bound, so the source is described first, then read as a subquery with its text
 * columns converted where they fill a timestamp column:
 *   INSERT INTO t (a, n) SELECT _SMCP_TEXT_TO_TZ(CAST("_SMCP_C1" AS VARCHAR), '<zone>'), "_SMCP_C2"
 *     FROM (<source>) AS "_SMCP_SRC"("_SMCP_C1", "_SMCP_C2")
 * A source that cannot be described (binds in it, an error DuckDB will report anyway) is left as
 * written.
 */
import type { StatementContext } from './context.js';
import { qualifiedName } from './object-names.js';
import { textToTimestampSql, timestampKinds } from './timestamp-writes.js';
import { identName, isSignificant, quoteString, splitTopLevelCommas, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Whether statement words are an INSERT whose source is a query: SELECT, WITH or a bracket. */
export function isInsertFromQuery(tokens: readonly Token[]): boolean {
  const sig = tokens.filter(isSignificant);
  const word = (k: number): string => sig[k]?.text.toUpperCase() ?? '';
  if (word(0) !== 'INSERT') return false;
  const k = word(1) === 'OVERWRITE' ? 2 : 1;
  if (word(k) !== 'INTO') return false;
  return sourceAt(sig, qualifiedName(sig, k + 1).next) !== null;
}

/** Index in `sig` of the query after the target (and its column list), or null when none. */
function sourceAt(sig: readonly Token[], from: number): number | null {
  let k = from;
  if (sig[k]?.text === '(' && !['SELECT', 'WITH'].includes(sig[k + 1]?.text.toUpperCase() ?? '')) {
    const close = sig.findIndex((t, j) => j > k && t.text === ')');
    if (close < 0) return null;
    k = close + 1;
  }
  const start = sig[k]?.text.toUpperCase() ?? '';
  return ['SELECT', 'WITH', '('].includes(start) ? k : null;
}

/**
 * INSERT … <query> statement `tokens` with the source's text columns that fill timestamp columns
 * converted; the tokens themselves when there are none. `rewrite` turns Snowflake SQL into the
 * engine's, to describe the source. Costs a catalog lookup and a DESCRIBE.
 */
export async function withTimestampSource(
  ctx: StatementContext,
  tokens: Token[],
  rewrite: (tokens: Token[]) => string,
): Promise<Token[]> {
  const at = tokens.flatMap((t, k) => (isSignificant(t) ? [k] : []));
  const sig = at.map((k) => tokens[k]);
  const k = sig[1]?.text.toUpperCase() === 'OVERWRITE' ? 2 : 1;
  const { parts, next } = qualifiedName(sig, k + 1);
  const source = sourceAt(sig, next);
  if (source === null) return tokens;
  const { kinds, order } = await timestampKinds(ctx, parts);
  if (kinds.size === 0) return tokens;
  const targets =
    sig[next]?.text === '(' && next < source
      ? splitTopLevelCommas(sig.slice(next + 1, source - 1)).map((c) =>
          c.at(-1) ? identName(c.at(-1)!) : '',
        )
      : order;
  if (!targets.some((c) => kinds.has(c))) return tokens;
  const text = (from: number, to: number): string =>
    tokens
      .slice(from, to)
      .map((t) => t.text)
      .join('');
  const query = text(at[source] ?? tokens.length, tokens.length).replace(/;\s*$/, '');
  let types: string[];
  try {
    types = (await ctx.rows(`DESCRIBE ${rewrite(tokenize(query))}`)).map((row) => String(row[1]));
  } catch {
    return tokens;
  }
  if (types.length !== targets.length) return tokens;
  const zone = quoteString(ctx.session.params.get('TIMEZONE') ?? 'UTC');
  const cols = targets.map((_, n) => `"_SMCP_C${n + 1}"`);
  let converted = false;
  const items = targets.map((c, n) => {
    const kind = kinds.get(c);
    if (!kind || types[n] !== 'VARCHAR') return cols[n];
    converted = true;
    return textToTimestampSql(kind, cols[n] ?? '', zone);
  });
  if (!converted) return tokens;
  const columnList = targets.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  return tokenize(
    `${text(0, at[next] ?? 0)} (${columnList}) SELECT ${items.join(', ')} FROM (${query}) AS "_SMCP_SRC"(${cols.join(', ')})`,
  );
}
