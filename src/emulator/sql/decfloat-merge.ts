/**
 * Text and numbers a MERGE writes into DECFLOAT columns, converted as Snowflake converts them:
 *   WHEN MATCHED THEN UPDATE SET d = '1.5'            → SET "D" = TO_DECFLOAT('1.5')
 *   WHEN NOT MATCHED THEN INSERT (id, d) VALUES (…)   → each DECFLOAT column's value in TO_DECFLOAT
 * DuckDB has no cast from text or numbers to the engine's DECFLOAT carrier (decfloat.ts), so
 * without this a MERGE from a source of text or numbers fails with DuckDB's cast error. An INSERT
 * without a column list fills the table's columns in order; DEFAULT stays DEFAULT.
 */
import type { StatementContext } from './context.js';
import { decfloatColumns } from './decfloat-writes.js';
import { mergeActions } from './merge-clauses.js';
import { qualifiedName } from './object-names.js';
import { identName, isSignificant, quoteIdent, splitTopLevelCommas, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { applyTokenEdits } from './token-edits.js';

/** Tokens from `first` to `last` (both in the statement) written anew as `text`. */
interface Edit {
  first: Token;
  last: Token;
  text: string;
}

/**
 * The tokens of MERGE statement `tokens` with the values its clauses write into DECFLOAT columns
 * converted by TO_DECFLOAT; the tokens themselves when it writes none. Costs one catalog lookup.
 */
export async function withDecfloatMerge(ctx: StatementContext, tokens: Token[]): Promise<Token[]> {
  const sig = tokens.filter(isSignificant);
  if (sig[1]?.text.toUpperCase() !== 'INTO') return tokens;
  const { parts, next } = qualifiedName(sig, 2);
  const decfloat = await decfloatColumns(ctx, parts);
  if (![...decfloat.values()].some(Boolean)) return tokens;
  const isDecfloat = (column: string | undefined): boolean =>
    column !== undefined && decfloat.get(column) === true;
  const edits: Edit[] = [];
  for (const action of mergeActions(sig, next)) {
    if (action.kind === 'UPDATE') edits.push(...setEdits(action.sets, isDecfloat));
    const edit = action.kind === 'INSERT' ? insertEdit(action.body, [...decfloat.keys()], isDecfloat) : null;
    if (edit) edits.push(edit);
  }
  if (edits.length === 0) return tokens;
  return tokenize(
    applyTokenEdits(tokens, new Map(edits.map((e) => [e.first, { last: e.last, sql: e.text }]))),
  );
}

/** `col = value` items of an UPDATE SET: a DECFLOAT column's value goes through TO_DECFLOAT. */
function setEdits(items: readonly Token[], isDecfloat: (column: string | undefined) => boolean): Edit[] {
  const edits: Edit[] = [];
  for (const item of splitTopLevelCommas(items)) {
    const eq = item.findIndex((t) => t.text === '=');
    const column = eq > 0 ? item[eq - 1] : undefined;
    const first = item[0];
    const last = item.at(-1);
    if (!column || !first || !last || !isDecfloat(identName(column))) continue;
    const value = item.slice(eq + 1);
    // DuckDB takes no qualified column (t.d) in SET: the name alone names the target's column.
    edits.push({ first, last, text: `${quoteIdent(identName(column))} = ${converted(value)}` });
  }
  return edits;
}

/** `[(cols)] VALUES (…)` of a MERGE's INSERT: the DECFLOAT columns' values through TO_DECFLOAT. */
function insertEdit(
  clause: readonly Token[],
  tableColumns: readonly string[],
  isDecfloat: (column: string | undefined) => boolean,
): Edit | null {
  let k = 0;
  let columns = tableColumns;
  if (clause[0]?.text === '(') {
    const close = clause.findIndex((t) => t.text === ')');
    if (close < 0) return null;
    columns = splitTopLevelCommas(clause.slice(1, close)).map((c) => (c.at(-1) ? identName(c.at(-1)!) : ''));
    k = close + 1;
  }
  const valuesWord = clause[k];
  const open = clause[k + 1];
  const last = clause.at(-1);
  if (valuesWord?.text.toUpperCase() !== 'VALUES' || open?.text !== '(' || last?.text !== ')') return null;
  const values = splitTopLevelCommas(clause.slice(k + 2, -1)).map((value, n) => {
    const keep =
      !isDecfloat(columns[n]) || (value.length === 1 && value[0]?.text.toUpperCase() === 'DEFAULT');
    return keep ? sqlOf(value) : converted(value);
  });
  return { first: open, last, text: `(${values.join(', ')})` };
}

function sqlOf(tokens: readonly Token[]): string {
  return tokens.map((t) => t.text).join(' ');
}

function converted(value: readonly Token[]): string {
  return `TO_DECFLOAT(${sqlOf(value)})`;
}
