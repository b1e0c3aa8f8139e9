/**
 * A small tokenizer for Snowflake SQL: enough to split statements, fold unquoted identifiers and
 * spot the commands the engine handles itself. It understands `--`, `//` and `/* *\/` comments,
 * '…' strings (with '' and backslash escapes), $$…$$ strings and "quoted identifiers".
 */

/** What a token is. `word` covers keywords and unquoted identifiers. */
export type TokenKind = 'word' | 'quoted' | 'string' | 'dollar' | 'number' | 'punct' | 'space' | 'comment';

/** One token with its exact source text and start offset. */
export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  /** Set on tokens that replaced a session variable: the `$NAME` they stand for (column naming). */
  origin?: string;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits SQL text into tokens; never throws (an unterminated string runs to the end). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const start = i;
    const ch = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (/\s/.test(ch)) {
      while (i < n && /\s/.test(sql[i] ?? '')) i++;
      tokens.push({ kind: 'space', text: sql.slice(start, i), start });
    } else if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
      while (i < n && sql[i] !== '\n') i++;
      tokens.push({ kind: 'comment', text: sql.slice(start, i), start });
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      tokens.push({ kind: 'comment', text: sql.slice(start, i), start });
    } else if (ch === "'") {
      i++;
      while (i < n) {
        const c = sql[i];
        if (c === '\\') i += 2;
        else if (c === "'" && sql[i + 1] === "'") i += 2;
        else if (c === "'") {
          i++;
          break;
        } else i++;
      }
      tokens.push({ kind: 'string', text: sql.slice(start, Math.min(i, n)), start });
    } else if (ch === '$' && next === '$') {
      const end = sql.indexOf('$$', i + 2);
      i = end < 0 ? n : end + 2;
      tokens.push({ kind: 'dollar', text: sql.slice(start, i), start });
    } else if (ch === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') {
          i++;
          break;
        } else i++;
      }
      tokens.push({ kind: 'quoted', text: sql.slice(start, i), start });
    } else if (WORD_START.test(ch)) {
      while (i < n && WORD_PART.test(sql[i] ?? '')) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i), start });
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(next))) {
      while (i < n && /[0-9.]/.test(sql[i] ?? '')) i++;
      if (/[eE]/.test(sql[i] ?? '') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        i += 2;
        while (i < n && /[0-9]/.test(sql[i] ?? '')) i++;
      }
      tokens.push({ kind: 'number', text: sql.slice(start, i), start });
    } else {
      const two = ch + next;
      const len = ['::', '<=', '>=', '<>', '!=', '||', '=>', '->'].includes(two) ? 2 : 1;
      i += len;
      tokens.push({ kind: 'punct', text: sql.slice(start, i), start });
    }
  }
  return tokens;
}

/** True for tokens that carry meaning (not whitespace or comments). */
export function isSignificant(t: Token): boolean {
  return t.kind !== 'space' && t.kind !== 'comment';
}

/** Splits tokens into statements at top-level `;`, dropping empty ones (only space/comments). */
export function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === ';') {
      if (current.some(isSignificant)) statements.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.some(isSignificant)) statements.push(current);
  return statements;
}

/** Splits tokens at commas outside parentheses (column definitions, argument lists). */
export function splitTopLevelCommas(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let depth = 0;
  let cur: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      out.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The source text of a token list. */
export function joinTokens(tokens: Token[]): string {
  return tokens.map((t) => t.text).join('');
}

/** The value of a '…' string literal (escapes undone), or of a $$…$$ string. */
export function stringValue(t: Token): string {
  if (t.kind === 'dollar') return t.text.slice(2, -2);
  const body = t.text.slice(1, t.text.endsWith("'") && t.text.length > 1 ? -1 : undefined);
  return body.replace(/''|\\(.)/g, (m, esc: string | undefined) => {
    if (m === "''") return "'";
    switch (esc) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      default:
        return esc ?? '';
    }
  });
}

/** An identifier token as the name Snowflake stores: unquoted → upper case, quoted → as written. */
export function identName(t: Token): string {
  if (t.kind === 'quoted') return t.text.slice(1, -1).replace(/""/g, '"');
  if (t.kind === 'string' || t.kind === 'dollar') return stringValue(t);
  return t.text.toUpperCase();
}

/** Renders a name as a DuckDB double-quoted identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Renders a value as a DuckDB single-quoted string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
