/**
 * A Snowflake SQL tokenizer for the read-only guard. It only needs to be exact about what is code
 * and what is not (strings, comments, quoted identifiers), so that keywords hidden in text never
 * count and text hidden in comments never escapes. It reads as Snowflake does — a `--` or `//`
 * comment ends only at a line feed — and wherever another reading of the same characters is
 * possible (other line-end characters, control characters, look-alike spaces), it refuses instead
 * of guessing. One pass, linear in the length of the text.
 */
import { Tok, TokenList } from './tokens.js';
import type { TokenKind } from './tokens.js';

export { Tok, TokenList } from './tokens.js';
export type { TokenKind } from './tokens.js';

/** The tokens of a text, or why it cannot be tokenized safely (`offset`: where). */
export type TokenizeResult = { ok: true; tokens: TokenList } | { ok: false; reason: string; offset: number };

// ASCII character classes, as bit flags in one table.
const WORD_START = 1;
const WORD_PART = 2;
const DIGIT = 4;
// Stage paths (@db.schema.stage/dir/file.csv.gz) are one token so that `//` in them is not a comment.
const STAGE_PART = 8;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) CLASS[c] |= WORD_START | WORD_PART | STAGE_PART;
  if (/[0-9]/.test(ch)) CLASS[c] |= DIGIT | WORD_PART | STAGE_PART;
  if (ch === '$') CLASS[c] |= WORD_PART | STAGE_PART;
  if (/[.~%/\-=]/.test(ch)) CLASS[c] |= STAGE_PART;
}
const has = (c: number, flag: number): boolean => c < 128 && (CLASS[c] & flag) !== 0;

const LF = 10;
const CR = 13;
const TAB = 9;

const CHAR_NAMES: ReadonlyMap<number, string> = new Map([
  [0x09, 'tab'],
  [0x0b, 'vertical tab'],
  [0x0c, 'form feed'],
  [0x0d, 'carriage return without a line feed'],
  [0x7f, 'delete'],
  [0x85, 'next line'],
  [0xa0, 'no-break space'],
  [0x1680, 'ogham space mark'],
  [0x180e, 'mongolian vowel separator'],
  [0x200b, 'zero-width space'],
  [0x200c, 'zero-width non-joiner'],
  [0x200d, 'zero-width joiner'],
  [0x2028, 'line separator'],
  [0x2029, 'paragraph separator'],
  [0x202f, 'narrow no-break space'],
  [0x205f, 'medium mathematical space'],
  [0x2060, 'word joiner'],
  [0x3000, 'ideographic space'],
  [0xfeff, 'zero-width no-break space'],
]);

/** `U+XXXX` and, when known, what the character is. */
function describe(cp: number): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name =
    CHAR_NAMES.get(cp) ??
    (cp >= 0x2000 && cp <= 0x200a
      ? 'a Unicode space'
      : cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)
        ? 'a control character'
        : undefined);
  return name ? `${code} (${name})` : code;
}

/** Characters some reader may take for the end of a line (other than \n itself). */
const isLineEndLike = (c: number): boolean =>
  c === CR || c === 0x0b || c === 0x0c || c === 0x85 || c === 0x2028 || c === 0x2029;

/** Control characters: C0, DEL and C1. */
const isControl = (c: number): boolean => c < 0x20 || (c >= 0x7f && c <= 0x9f);

/** Spaces and invisible separators that are not plain ASCII whitespace. */
const isUnusualSpace = (c: number): boolean =>
  c === 0xa0 ||
  c === 0x1680 ||
  c === 0x180e ||
  (c >= 0x2000 && c <= 0x200d) ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x2060 ||
  c === 0x3000 ||
  c === 0xfeff;

/**
 * Tokenizes Snowflake SQL. Never throws; linear in the length of `sql`. Outside string literals
 * only tab, line feed and CRLF may stand between tokens; a `--` or `//` comment runs to the next
 * line feed, as in Snowflake. Refuses (ok: false, with the offset and a reason naming the character
 * as U+XXXX, its line and column):
 * - NUL anywhere; a control character other than tab, line feed and a carriage return that starts
 *   CRLF, or a line separator (U+0085, U+2028, U+2029), outside '…' and $$…$$ strings (so also in
 *   comments and "quoted identifiers") — some reader could end a comment there;
 * - any other character outside ASCII in code (look-alikes, zero-width characters); text in
 *   comments, strings and quoted identifiers may be in any language;
 * - a look-alike space right after a comment opener or right before `*\/`;
 * - unterminated strings, comments and quoted identifiers; `/*` inside a block comment (Snowflake
 *   does not nest them, so the two readings differ);
 * - `$$` inside a word or a stage path, a stage path running into a comment marker, a number whose
 *   exponent has a sign but no digits (`1e-`), a positional reference running into letters or a
 *   dot (`$1e`), and characters Snowflake has no use for (`#`, backtick, `\`, `&`).
 */
export function tokenize(sql: string): TokenizeResult {
  const n = sql.length;
  const kinds = new Uint8Array(n);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  let count = 0;
  let comments = 0;
  const push = (kind: TokenKind, start: number, end: number): void => {
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    count++;
  };
  // `what` is placed at its line and column; `why` follows after a semicolon.
  const fail = (what: string, offset: number, why?: string): TokenizeResult => ({
    ok: false,
    reason: `${what} at ${lineAndColumn(sql, offset)}${why ? `; ${why}` : ''}`,
    offset,
  });
  const nul = sql.indexOf('\u0000');
  if (nul >= 0) return fail('it contains a NUL character', nul);

  /** Checks comment text [from, to): what is refused, where and why, or undefined. */
  const commentProblem = (from: number, to: number, what: string): [string, number, string] | undefined => {
    for (let k = from; k < to; k++) {
      const c = sql.charCodeAt(k);
      if (c >= 0x20 && c < 0x7f) continue;
      if (c === TAB || c === LF || (c === CR && sql.charCodeAt(k + 1) === LF)) continue;
      if (isControl(c) || isLineEndLike(c)) {
        return [
          `it has ${describe(c)} in ${what}`,
          k,
          'only tab, line feed and CRLF may stand there, since another reader could end the comment at other line-end or control characters',
        ];
      }
    }
    return undefined;
  };

  let i = 0;
  while (i < n) {
    const start = i;
    const c = sql.charCodeAt(i);
    const next = i + 1 < n ? sql.charCodeAt(i + 1) : -1;
    if (c === 32 || c === LF || c === TAB) {
      i++;
      continue;
    }
    if (c === CR && next === LF) {
      i += 2;
      continue;
    }
    // Comments: the text after the opener is checked as a whole.
    if ((c === 45 && next === 45) || (c === 47 && next === 47)) {
      const opener = c === 45 ? '--' : '//';
      if (i + 2 < n && isUnusualSpace(sql.charCodeAt(i + 2))) {
        return fail(
          `it has ${describe(sql.charCodeAt(i + 2))} right after the ${opener} comment opener`,
          i + 2,
        );
      }
      const lf = sql.indexOf('\n', i + 2);
      const stop = lf < 0 ? n : lf;
      const problem = commentProblem(i + 2, stop, `a ${opener} comment`);
      if (problem) return fail(...problem);
      i = stop;
      comments++;
      continue;
    }
    if (c === 47 && next === 42) {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) return fail('it has an unterminated /* comment', start);
      const nested = sql.indexOf('/*', i + 2);
      if (nested >= 0 && nested < close) return fail('it has a /* comment inside a /* comment', start);
      if (close > i + 2 && isUnusualSpace(sql.charCodeAt(i + 2))) {
        return fail(`it has ${describe(sql.charCodeAt(i + 2))} right after the /* comment opener`, i + 2);
      }
      if (close > i + 2 && isUnusualSpace(sql.charCodeAt(close - 1))) {
        return fail(
          `it has ${describe(sql.charCodeAt(close - 1))} right before the */ comment end`,
          close - 1,
        );
      }
      const problem = commentProblem(i + 2, close, 'a /* comment');
      if (problem) return fail(...problem);
      i = close + 2;
      comments++;
      continue;
    }
    if (c === 39) {
      i++;
      let closed = false;
      while (i < n) {
        const ch = sql.charCodeAt(i);
        if (ch === 92) i += 2;
        else if (ch === 39) {
          if (sql.charCodeAt(i + 1) === 39) i += 2;
          else {
            i++;
            closed = true;
            break;
          }
        } else i++;
      }
      if (!closed) return fail('it has an unterminated string', start);
      push(Tok.String, start, i);
      continue;
    }
    if (c === 34) {
      i++;
      let closed = false;
      while (i < n) {
        const ch = sql.charCodeAt(i);
        if (ch === 34) {
          if (sql.charCodeAt(i + 1) === 34) i += 2;
          else {
            i++;
            closed = true;
            break;
          }
        } else if (isLineEndLike(ch) && !(ch === CR && sql.charCodeAt(i + 1) === LF)) {
          return fail(`it has ${describe(ch)} in a quoted identifier`, i);
        } else i++;
      }
      if (!closed) return fail('it has an unterminated quoted identifier', start);
      push(Tok.Quoted, start, i);
      continue;
    }
    if (c === 36) {
      if (next === 36) {
        const close = sql.indexOf('$$', i + 2);
        if (close < 0) return fail('it has an unterminated $$ string', start);
        i = close + 2;
        push(Tok.Dollar, start, i);
        continue;
      }
      if (has(next, DIGIT)) {
        i++;
        while (i < n && has(sql.charCodeAt(i), DIGIT)) i++;
        // `$1e-…`: another reader may lex `$` and then the number `1e-`, which hides a `--`.
        const after = sql.charCodeAt(i);
        if (has(after, WORD_PART) || after === 46) {
          return fail(
            `it has a positional reference running into more characters (${excerpt(sql.slice(start, i + 1))})`,
            start,
          );
        }
        push(Tok.Bind, start, i);
        continue;
      }
      if (has(next, WORD_START)) {
        i++;
        while (i < n && has(sql.charCodeAt(i), WORD_PART)) {
          if (sql.charCodeAt(i) === 36 && sql.charCodeAt(i + 1) === 36) {
            return fail('it has "$$" inside a variable name', start);
          }
          i++;
        }
        push(Tok.Variable, start, i);
        continue;
      }
      return fail('it has a stray "$"', start);
    }
    if (has(c, WORD_START)) {
      while (i < n && has(sql.charCodeAt(i), WORD_PART)) {
        if (sql.charCodeAt(i) === 36 && sql.charCodeAt(i + 1) === 36) {
          return fail(`it has "$$" inside the word ${excerpt(sql.slice(start, i + 2))}`, start);
        }
        i++;
      }
      push(Tok.Word, start, i);
      continue;
    }
    if (has(c, DIGIT) || (c === 46 && has(next, DIGIT))) {
      // Digits and dots run together (`1.2.3` is one token), as other readers take them.
      while (i < n && (has(sql.charCodeAt(i), DIGIT) || sql.charCodeAt(i) === 46)) i++;
      const e = sql.charCodeAt(i);
      if (e === 101 || e === 69) {
        const sign = sql.charCodeAt(i + 1);
        if (has(sign, DIGIT)) i += 1;
        else if (sign === 43 || sign === 45) {
          // `1e-` then a non-digit: a reader might take `1` `e` and then a `--` comment.
          if (!has(sql.charCodeAt(i + 2), DIGIT))
            return fail('it has a number with an incomplete exponent', start);
          i += 2;
        }
        while (i < n && has(sql.charCodeAt(i), DIGIT)) i++;
      }
      push(Tok.Number, start, i);
      continue;
    }
    if (c === 64) {
      i++;
      while (i < n && has(sql.charCodeAt(i), STAGE_PART)) i++;
      // The character after the path counts too: `@s/` then `*` opens a comment for other readers.
      const text = sql.slice(start, Math.min(n, i + 1));
      if (/\/\/|\/\*|--|\$\$/.test(text)) {
        return fail(`it has a stage path running into a comment marker or $$ (${excerpt(text)})`, start);
      }
      push(Tok.Stage, start, i);
      continue;
    }
    const operator = operatorAt(sql, i, c, next);
    if (operator !== 0) {
      i += operator >> 5;
      push((operator & 31) as TokenKind, start, i);
      continue;
    }
    if (c > 0x7e || c < 0x20) {
      const cp = sql.codePointAt(i) ?? c;
      const opener =
        sql.startsWith('--', i + 1) || sql.startsWith('//', i + 1) || sql.startsWith('/*', i + 1);
      return fail(
        `it has the character ${describe(cp)} ${opener ? 'right before a comment opener' : 'outside a string, comment or quoted identifier'}`,
        start,
      );
    }
    return fail(`it has the unexpected character "${sql[i]}"`, start);
  }
  return { ok: true, tokens: new TokenList(sql, kinds, starts, ends, count, comments) };
}

// An operator as one number: its kind in the low 5 bits, its length above (no allocation per token).
const op = (kind: TokenKind, length: number): number => kind | (length << 5);

/** The operator or punctuation at `i` as `op(kind, length)`, or 0. */
function operatorAt(sql: string, i: number, c: number, next: number): number {
  switch (c) {
    case 40:
      return op(Tok.LParen, 1);
    case 41:
      return op(Tok.RParen, 1);
    case 44:
      return op(Tok.Comma, 1);
    case 46:
      return op(Tok.Dot, 1);
    case 59:
      return op(Tok.Semi, 1);
    case 63:
      return op(Tok.Bind, 1);
    case 58: // : ::
      return next === 58 ? op(Tok.Op, 2) : op(Tok.Colon, 1);
    case 33: // ! !=
      return next === 61 ? op(Tok.Op, 2) : op(Tok.Bang, 1);
    case 45: // - -> ->>
      if (next !== 62) return op(Tok.Op, 1);
      return sql.charCodeAt(i + 2) === 62 ? op(Tok.Flow, 3) : op(Tok.Op, 2);
    case 124: // | ||
      return op(Tok.Op, next === 124 ? 2 : 1);
    case 60: // < <= <>
      return op(Tok.Op, next === 61 || next === 62 ? 2 : 1);
    case 62: // > >=
    case 61: // = =>
      return op(Tok.Op, next === 61 || (c === 61 && next === 62) ? 2 : 1);
    case 43:
    case 42:
    case 47:
    case 37:
    case 91:
    case 93:
    case 123:
    case 125:
    case 94:
    case 126:
      return op(Tok.Op, 1);
    default:
      return 0;
  }
}

function excerpt(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}

/** `line L, column C` of an offset (both 1-based, columns in UTF-16 code units). */
function lineAndColumn(sql: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let k = sql.indexOf('\n'); k >= 0 && k < offset; k = sql.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}
