/**
 * A DATE column ± a number with a fraction (`d + 1.5` where d is a DATE column): Snowflake adds
 * whole days and answers a DATE, the number rounded half away from zero (date-arithmetic.ts).
 * DuckDB refuses DATE + DECIMAL, and the rewrite sees only the column's name, so before the rewrite
 * the columns of the statement's tables (after FROM, JOIN, UPDATE, INTO, USING) are looked up,
 * and such a number after a DATE column becomes its whole days: `d + 1.5` → `d + 2`. A qualified
 * column (`t.d`) is looked for in the table its alias names; a plain one must be a DATE in every
 * named table that has it. Only statements with a fractional number after + or - pay the one
 * catalog lookup.
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

/** A `[qualifier.]column ± fraction` of the statement: the names and the number's token. */
interface Candidate {
  qualifier: string | null;
  column: string;
  number: Token;
}

/** A table the statement names, with the alias it gives it. */
interface NamedTable {
  parts: string[];
  alias: string | null;
}

/** Words after a table name that are no alias of it. */
const CLAUSE_WORDS = new Set([
  'WHERE',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'NATURAL',
  'ASOF',
  'LATERAL',
  'ON',
  'USING',
  'SET',
  'GROUP',
  'ORDER',
  'HAVING',
  'QUALIFY',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'UNION',
  'EXCEPT',
  'MINUS',
  'INTERSECT',
  'WINDOW',
  'VALUES',
  'SELECT',
  'SAMPLE',
  'TABLESAMPLE',
  'AT',
  'BEFORE',
  'CHANGES',
  'PIVOT',
  'UNPIVOT',
  'MATCH_RECOGNIZE',
  'WHEN',
]);

/**
 * `tokens` with each fractional number added to or taken from a DATE column written as its whole
 * days; the tokens themselves when there is none.
 */
export async function withDateColumnDays(ctx: StatementContext, tokens: Token[]): Promise<Token[]> {
  const sig = tokens.filter(isSignificant);
  const candidates = findCandidates(sig);
  if (candidates.length === 0) return tokens;
  const tables = tablesOf(sig);
  const types = await columnTypes(ctx, tables);
  const days = new Map<Token, string>();
  for (const c of candidates) {
    const whole = isDateColumn(c, tables, types) ? wholeDays(c.number.text) : null;
    if (whole !== null) days.set(c.number, whole);
  }
  if (days.size === 0) return tokens;
  return tokens.map((t) => {
    const text = days.get(t);
    return text === undefined ? t : { ...t, kind: 'number', text };
  });
}

/**
 * Whether the candidate's column is a DATE: in the table its qualifier names (by alias or name);
 * else (no qualifier, or one naming a subquery or CTE) in every named table that has a column of
 * that name, so that a name a non-DATE column also has is never taken for a DATE.
 */
function isDateColumn(
  c: Candidate,
  tables: readonly NamedTable[],
  types: ReadonlyMap<string, ReadonlyMap<string, string>>,
): boolean {
  const typeIn = (t: NamedTable): string | undefined => types.get(t.parts.at(-1) ?? '')?.get(c.column);
  const named =
    c.qualifier === null
      ? []
      : tables.filter((t) => t.alias === c.qualifier || t.parts.at(-1) === c.qualifier);
  const holders = (named.length > 0 ? named : tables).filter((t) => typeIn(t) !== undefined);
  return holders.length > 0 && holders.every((t) => typeIn(t) === 'DATE');
}

/** The `column ± fraction` places: a name (maybe qualified), a binary + or -, a fractional number. */
function findCandidates(sig: readonly Token[]): Candidate[] {
  const out: Candidate[] = [];
  const isName = (t: Token | undefined): t is Token => t?.kind === 'word' || t?.kind === 'quoted';
  for (let k = 1; k + 1 < sig.length; k++) {
    const op = sig[k];
    const name = sig[k - 1];
    const number = sig[k + 1];
    if (op?.kind !== 'punct' || (op.text !== '+' && op.text !== '-')) continue;
    if (number?.kind !== 'number' || !isFractionalLiteral(number.text)) continue;
    if (!isName(name)) continue;
    if (name.kind === 'word' && NOT_COLUMNS.has(name.text.toUpperCase())) continue;
    // A name followed by a number, not a call (`f(x) + 1.5` ends in a bracket, never a name).
    const owner = sig[k - 3];
    const qualifier = sig[k - 2]?.text === '.' && isName(owner) ? identName(owner) : null;
    out.push({ qualifier, column: identName(name), number });
  }
  return out;
}

/** The tables after FROM, JOIN, UPDATE, INTO and USING (lists after FROM too), with their aliases. */
function tablesOf(sig: Token[]): NamedTable[] {
  const tables: NamedTable[] = [];
  const word = (j: number): string => (sig[j]?.kind === 'word' ? (sig[j]?.text.toUpperCase() ?? '') : '');
  for (let k = 0; k < sig.length; k++) {
    if (!TABLE_WORDS.has(word(k))) continue;
    let at = k + 1;
    for (;;) {
      const { parts, next } = qualifiedName(sig, at);
      if (parts.length === 0) break;
      let j = next;
      if (word(j) === 'AS') j++;
      const after = sig[j];
      const isAlias = (after?.kind === 'word' && !CLAUSE_WORDS.has(word(j))) || after?.kind === 'quoted';
      tables.push({ parts, alias: isAlias && after ? identName(after) : null });
      if (isAlias) j++;
      // A comma after FROM lists another table.
      if (sig[j]?.text !== ',' || word(k) !== 'FROM') break;
      at = j + 1;
    }
  }
  return tables;
}

/**
 * The DuckDB type of each column of `tables` by table name, then column name (a one- or two-part
 * name is in the session's schema; the session's temporary table of that name counts too).
 */
async function columnTypes(
  ctx: StatementContext,
  tables: readonly NamedTable[],
): Promise<Map<string, Map<string, string>>> {
  const { database, schema } = ctx.session;
  const matches: string[] = [];
  for (const { parts } of tables) {
    const table = parts.at(-1);
    const sch = parts.length >= 2 ? parts.at(-2) : schema;
    const db = parts.length >= 3 ? parts.at(-3) : database;
    if (table && sch && db)
      matches.push(
        `(database_name = ${quoteString(db)} AND schema_name = ${quoteString(sch)} AND table_name = ${quoteString(table)})`,
      );
    if (table) matches.push(`(database_name = 'temp' AND table_name = ${quoteString(table)})`);
  }
  const types = new Map<string, Map<string, string>>();
  if (matches.length === 0) return types;
  const rows = await ctx.rows(
    `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE ${matches.join(' OR ')}`,
  );
  for (const [table, column, type] of rows) {
    const key = String(table);
    if (!types.has(key)) types.set(key, new Map());
    types.get(key)?.set(String(column), String(type));
  }
  return types;
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
