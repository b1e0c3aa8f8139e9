/**
 * A DATE column ± a number with a fraction (`d + 1.5` where d is a DATE column): Snowflake adds
 * whole days and answers a DATE, the number rounded half away from zero (date-arithmetic.ts).
 * DuckDB refuses DATE + DECIMAL, and the rewrite sees only the column's name, so before the rewrite
 * the columns the statement's tables (after FROM, JOIN, UPDATE, INTO, USING) hold as DATE are
 * looked up, and such a number after one of them becomes its whole days: `d + 1.5` → `d + 2`.
 * Only statements with a fractional number after + or - pay the one catalog lookup.
 */
import type { StatementContext } from './context.js';
import { isFractionalLiteral } from './date-arithmetic.js';
import { qualifiedName } from './object-names.js';
import { identName, isSignificant, quoteString } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Words after which a table name follows. */
const TABLE_WORDS = new Set(['FROM', 'JOIN', 'UPDATE', 'INTO', 'USING']);

/** Words that cannot be a column standing before + or -. */
const NOT_COLUMNS = new Set([
  'SELECT',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'THEN',
  'ELSE',
  'WHEN',
  'CASE',
  'RETURN',
  'VALUES',
  'BY',
  'ON',
  'SET',
  'AS',
  'IN',
  'IS',
  'LIKE',
  'BETWEEN',
  'NULL',
  'TRUE',
  'FALSE',
]);

/** A `column ± fraction` of the statement: the column's name and the number's token. */
interface Candidate {
  column: string;
  number: Token;
}

/**
 * `tokens` with each fractional number added to or taken from a DATE column written as its whole
 * days; the tokens themselves when there is none.
 */
export async function withDateColumnDays(ctx: StatementContext, tokens: Token[]): Promise<Token[]> {
  const sig = tokens.filter(isSignificant);
  const candidates = findCandidates(sig);
  if (candidates.length === 0) return tokens;
  const dates = await dateColumns(ctx, tablesOf(sig));
  const days = new Map<Token, string>();
  for (const c of candidates) {
    const whole = dates.has(c.column) ? wholeDays(c.number.text) : null;
    if (whole !== null) days.set(c.number, whole);
  }
  if (days.size === 0) return tokens;
  return tokens.map((t) => {
    const text = days.get(t);
    return text === undefined ? t : { ...t, kind: 'number', text };
  });
}

/** The `column ± fraction` places: a name (maybe qualified), a binary + or -, a fractional number. */
function findCandidates(sig: readonly Token[]): Candidate[] {
  const out: Candidate[] = [];
  for (let k = 1; k + 1 < sig.length; k++) {
    const op = sig[k];
    const name = sig[k - 1];
    const number = sig[k + 1];
    if (op?.kind !== 'punct' || (op.text !== '+' && op.text !== '-')) continue;
    if (number?.kind !== 'number' || !isFractionalLiteral(number.text)) continue;
    if (!name || (name.kind !== 'word' && name.kind !== 'quoted')) continue;
    if (name.kind === 'word' && NOT_COLUMNS.has(name.text.toUpperCase())) continue;
    // A name followed by a number, not a call (`f(x) + 1.5` ends in a bracket, never a name).
    out.push({ column: identName(name), number });
  }
  return out;
}

/** The tables (name parts as written) after FROM, JOIN, UPDATE, INTO and USING, lists included. */
function tablesOf(sig: Token[]): string[][] {
  const tables: string[][] = [];
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k];
    if (t?.kind !== 'word' || !TABLE_WORDS.has(t.text.toUpperCase())) continue;
    let at = k + 1;
    for (;;) {
      const { parts, next } = qualifiedName(sig, at);
      if (parts.length === 0) break;
      tables.push(parts);
      // Past an alias (`t AS a`, `t a`) to a comma that lists another table.
      let j = next;
      if (sig[j]?.kind === 'word' && sig[j]?.text.toUpperCase() === 'AS') j++;
      if (sig[j]?.kind === 'word' || sig[j]?.kind === 'quoted') j++;
      if (sig[j]?.text !== ',' || t.text.toUpperCase() !== 'FROM') break;
      at = j + 1;
    }
  }
  return tables;
}

/** The names of the DATE columns of `tables` (a one- or two-part name is in the session's schema). */
async function dateColumns(ctx: StatementContext, tables: readonly string[][]): Promise<Set<string>> {
  const { database, schema } = ctx.session;
  const matches: string[] = [];
  for (const parts of tables) {
    const table = parts.at(-1);
    const sch = parts.length >= 2 ? parts.at(-2) : schema;
    const db = parts.length >= 3 ? parts.at(-3) : database;
    if (table && sch && db)
      matches.push(
        `(database_name = ${quoteString(db)} AND schema_name = ${quoteString(sch)} AND table_name = ${quoteString(table)})`,
      );
    // The session's temporary table of that name, found by its plain or qualified name.
    if (table) matches.push(`(database_name = 'temp' AND table_name = ${quoteString(table)})`);
  }
  if (matches.length === 0) return new Set();
  const rows = await ctx.rows(
    `SELECT DISTINCT column_name FROM duckdb_columns() WHERE data_type = 'DATE' AND (${matches.join(' OR ')})`,
  );
  return new Set(rows.map(([name]) => String(name)));
}

/**
 * `literal` (an unsigned number with a fraction or exponent) as the whole days Snowflake adds:
 * rounded half away from zero; null when it is too large to be a day count.
 */
function wholeDays(literal: string): string | null {
  // A plain decimal rounds by its first fractional digit, exactly, however many digits follow.
  const plain = /^(\d*)\.(\d?)\d*$/.exec(literal);
  const value = plain
    ? Number(plain[1] || '0') + (Number(plain[2] || '0') >= 5 ? 1 : 0)
    : Math.round(Number(literal));
  return Number.isFinite(value) && value <= 2 ** 31 ? String(value) : null;
}
