/**
 * A Snowflake SQL tokenizer for the read-only guard. It only needs to be exact about what is code
 * and what is not (strings, comments, quoted identifiers), so that keywords hidden in text never
 * count and text hidden in comments never escapes. Wherever Snowflake's own lexer might read the
 * same characters differently, it refuses instead of guessing.
 */

/** What a token is; comments are dropped, but counted. */
export type TokenType =
  | 'word' // unquoted identifier or keyword: letters, digits, _ and $ (SYSTEM$TYPEOF)
  | 'quoted' // "quoted identifier"; value holds the unescaped content
  | 'string' // '…' literal
  | 'dollar' // $$…$$ literal
  | 'number'
  | 'bind' // ? and $1 (positional bind or column)
  | 'variable' // $name session variable
  | 'stage' // @stage/path, @~, @%table
  | 'op' // operators and punctuation, including ( ) , .
  | 'semi';

/** One token with its place in the source text. */
export interface Token {
  readonly type: TokenType;
  /** Words: upper-cased text; quoted identifiers: content with "" unescaped; others: raw text. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** The tokens of a text, or why it cannot be tokenized safely. */
export type TokenizeResult =
  { ok: true; tokens: Token[]; comments: number } | { ok: false; reason: string; offset: number };

const MULTI_OPS = ['->>', '::', '||', '<=', '>=', '<>', '!=', '=>', '->'];
const SINGLE_OPS = new Set('(),.:+-*/%=<>[]{}?^|!~'.split(''));
const SPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);
const LINE_ENDS = new Set(['\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029']);

const isWordStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isWordPart = (c: string): boolean => /[A-Za-z0-9_$]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
// Stage paths (@db.schema.stage/dir/file.csv.gz) are one token so that `//` in them is not a comment.
const isStagePart = (c: string): boolean => /[A-Za-z0-9_$.~%/\-=]/.test(c);

function describeChar(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Tokenizes Snowflake SQL. Never throws. Refuses (ok: false, with the offset) unterminated strings,
 * comments and quoted identifiers; `/*` inside a block comment (Snowflake does not nest them, so the
 * two readings differ); characters outside ASCII or control characters outside strings, comments
 * and quoted identifiers (look-alikes and zero-width characters); `$$` inside a word; stray
 * characters Snowflake has no use for (`#`, backtick, `\`, `&`); NUL anywhere.
 */
export function tokenize(sql: string): TokenizeResult {
  const tokens: Token[] = [];
  let comments = 0;
  let i = 0;
  const n = sql.length;
  const fail = (reason: string, offset: number): TokenizeResult => ({ ok: false, reason, offset });
  if (sql.includes('\u0000')) return fail('it contains a NUL character', sql.indexOf('\u0000'));

  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1] ?? '';
    const start = i;
    if (SPACE.has(c)) {
      i++;
      continue;
    }
    // Line comments end at any character some lexer may take for a line end: that shows more text
    // as code, never less (and a non-ASCII one is then refused below).
    if ((c === '-' && next === '-') || (c === '/' && next === '/')) {
      while (i < n && !LINE_ENDS.has(sql[i])) i++;
      comments++;
      continue;
    }
    if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) return fail('it has an unterminated /* comment', start);
      if (sql.slice(i + 2, close).includes('/*')) {
        return fail('it has a /* comment inside a /* comment', start);
      }
      i = close + 2;
      comments++;
      continue;
    }
    if (c === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const ch = sql[i];
        if (ch === '\\') {
          i += 2;
        } else if (ch === "'") {
          if (sql[i + 1] === "'") i += 2;
          else {
            i++;
            closed = true;
            break;
          }
        } else i++;
      }
      if (!closed) return fail('it has an unterminated string', start);
      tokens.push({ type: 'string', value: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"') {
      i++;
      let content = '';
      let closed = false;
      while (i < n) {
        const ch = sql[i];
        if (ch === '"') {
          if (sql[i + 1] === '"') {
            content += '"';
            i += 2;
          } else {
            i++;
            closed = true;
            break;
          }
        } else {
          content += ch;
          i++;
        }
      }
      if (!closed) return fail('it has an unterminated quoted identifier', start);
      tokens.push({ type: 'quoted', value: content, start, end: i });
      continue;
    }
    if (c === '$') {
      if (next === '$') {
        const close = sql.indexOf('$$', i + 2);
        if (close < 0) return fail('it has an unterminated $$ string', start);
        i = close + 2;
        tokens.push({ type: 'dollar', value: sql.slice(start, i), start, end: i });
        continue;
      }
      if (isDigit(next)) {
        i++;
        while (i < n && isDigit(sql[i])) i++;
        tokens.push({ type: 'bind', value: sql.slice(start, i), start, end: i });
        continue;
      }
      if (isWordStart(next)) {
        i++;
        while (i < n && isWordPart(sql[i])) i++;
        const text = sql.slice(start, i);
        if (text.includes('$$')) return fail('it has "$$" inside a variable name', start);
        tokens.push({ type: 'variable', value: text.toUpperCase(), start, end: i });
        continue;
      }
      return fail('it has a stray "$"', start);
    }
    if (isWordStart(c)) {
      while (i < n && isWordPart(sql[i])) i++;
      const text = sql.slice(start, i);
      if (text.includes('$$')) return fail(`it has "$$" inside the word ${text}`, start);
      tokens.push({ type: 'word', value: text.toUpperCase(), start, end: i });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(next))) {
      while (i < n && isDigit(sql[i])) i++;
      if (sql[i] === '.') {
        i++;
        while (i < n && isDigit(sql[i])) i++;
      }
      if ((sql[i] === 'e' || sql[i] === 'E') && /[0-9+-]/.test(sql[i + 1] ?? '')) {
        i += 2;
        while (i < n && isDigit(sql[i])) i++;
      }
      tokens.push({ type: 'number', value: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '@') {
      i++;
      while (i < n && isStagePart(sql[i])) i++;
      const text = sql.slice(start, i);
      if (/\/\/|\/\*|--/.test(text))
        return fail(`it has a stage path containing comment markers (${text})`, start);
      tokens.push({ type: 'stage', value: text, start, end: i });
      continue;
    }
    if (c === ';') {
      tokens.push({ type: 'semi', value: ';', start, end: i + 1 });
      i++;
      continue;
    }
    const multi = MULTI_OPS.find((op) => sql.startsWith(op, i));
    if (multi) {
      i += multi.length;
      tokens.push({ type: 'op', value: multi, start, end: i });
      continue;
    }
    if (c === '?') {
      tokens.push({ type: 'bind', value: '?', start, end: i + 1 });
      i++;
      continue;
    }
    if (SINGLE_OPS.has(c)) {
      tokens.push({ type: 'op', value: c, start, end: i + 1 });
      i++;
      continue;
    }
    const cp = c.codePointAt(0) ?? 0;
    if (cp > 0x7e || cp < 0x20) {
      return fail(
        `it has the character ${describeChar(c)} outside a string, comment or quoted identifier`,
        start,
      );
    }
    return fail(`it has the unexpected character "${c}"`, start);
  }
  return { ok: true, tokens, comments };
}
