/**
 * The guard's token list: kinds and offsets in typed arrays rather than one object per token, so a
 * 1 MB statement of single-character tokens costs a few megabytes and no garbage-collector work.
 * Names are upper-cased on first use and kept.
 */

/** Token kinds. Comments and whitespace are not tokens (the list only counts comments). */
export const Tok = {
  None: 0, // past either end
  Word: 1, // unquoted identifier or keyword: letters, digits, _ and $ (SYSTEM$TYPEOF)
  Quoted: 2, // "quoted identifier"
  String: 3, // '…' literal
  Dollar: 4, // $$…$$ literal
  Number: 5,
  Bind: 6, // ? and $1 (positional bind or column)
  Variable: 7, // $name session variable
  Stage: 8, // @stage/path, @~, @%table
  LParen: 9,
  RParen: 10,
  Comma: 11,
  Dot: 12,
  Colon: 13, // a lone ':' (path or bind); '::' is an Op
  Bang: 14, // '!' of a class method call; '!=' is an Op
  Flow: 15, // '->>'
  Op: 16, // every other operator or punctuation
  Semi: 17,
} as const;

/** One of the values of {@link Tok}. */
export type TokenKind = (typeof Tok)[keyof typeof Tok];

/**
 * Tokens of one text, addressed by index. Every accessor takes any integer: an index outside the
 * list reads as kind `Tok.None`, so look-behind and look-ahead need no bounds checks.
 */
export class TokenList {
  /** Comments seen (they are not tokens). */
  readonly comments: number;
  readonly count: number;
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private names: (string | undefined)[] | undefined;
  private partners: Int32Array | undefined;

  constructor(
    readonly sql: string,
    kinds: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    comments: number,
  ) {
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
    this.count = count;
    this.comments = comments;
  }

  kind(i: number): number {
    return i >= 0 && i < this.count ? this.kinds[i] : Tok.None;
  }

  is(i: number, kind: TokenKind): boolean {
    return this.kind(i) === kind;
  }

  /** Offset of the token's first character (0 outside the list). */
  start(i: number): number {
    return i >= 0 && i < this.count ? this.starts[i] : 0;
  }

  /** Offset just past the token (0 outside the list). */
  end(i: number): number {
    return i >= 0 && i < this.count ? this.ends[i] : 0;
  }

  /** The token's source text ('' outside the list). */
  text(i: number): string {
    return i >= 0 && i < this.count ? this.sql.slice(this.starts[i], this.ends[i]) : '';
  }

  /**
   * The upper-cased name of a word or quoted identifier (quoted: content with "" unescaped, then
   * upper-cased, for comparison with built-in names); undefined for every other token.
   */
  name(i: number): string | undefined {
    const k = this.kind(i);
    if (k !== Tok.Word && k !== Tok.Quoted) return undefined;
    this.names ??= new Array<string | undefined>(this.count);
    let name = this.names[i];
    if (name === undefined) {
      const s = this.starts[i];
      const e = this.ends[i];
      name =
        k === Tok.Word
          ? upperWord(this.sql.slice(s, e))
          : this.sql
              .slice(s + 1, e - 1)
              .replaceAll('""', '"')
              .toUpperCase();
      this.names[i] = name;
    }
    return name;
  }

  /** The upper-cased text of a word (keyword or unquoted identifier); undefined otherwise. */
  word(i: number): string | undefined {
    return this.kind(i) === Tok.Word ? this.name(i) : undefined;
  }

  /** True when token `i` is the word `w` (upper case). */
  isWord(i: number, w: string): boolean {
    return this.kind(i) === Tok.Word && this.name(i) === w;
  }

  /**
   * For a `(` the index of its `)`, for a `)` the index of its `(`, else -1; -1 too when unmatched.
   * Pairs never cross a `;`. Computed once for the whole list, in one pass.
   */
  partner(i: number): number {
    if (!this.partners) this.partners = pairParentheses(this.kinds, this.count);
    return i >= 0 && i < this.count ? this.partners[i] : -1;
  }
}

// Upper-cased short words, shared by every token list: a text of many keywords keeps one copy of
// each, not one per token. Bounded, so odd identifiers cannot make it grow without end.
const UPPER_WORDS = new Map<string, string>();
const UPPER_WORDS_MAX = 4096;
const UPPER_WORD_LENGTH_MAX = 32;

function upperWord(raw: string): string {
  if (raw.length > UPPER_WORD_LENGTH_MAX) return raw.toUpperCase();
  let upper = UPPER_WORDS.get(raw);
  if (upper === undefined) {
    upper = raw.toUpperCase();
    if (UPPER_WORDS.size < UPPER_WORDS_MAX) UPPER_WORDS.set(raw, upper);
  }
  return upper;
}

function pairParentheses(kinds: Uint8Array, count: number): Int32Array {
  const partners = new Int32Array(count).fill(-1);
  const stack = new Int32Array(count);
  let depth = 0;
  for (let i = 0; i < count; i++) {
    const k = kinds[i];
    if (k === Tok.LParen) stack[depth++] = i;
    else if (k === Tok.RParen) {
      if (depth > 0) {
        const open = stack[--depth];
        partners[open] = i;
        partners[i] = open;
      }
    } else if (k === Tok.Semi) depth = 0;
  }
  return partners;
}
