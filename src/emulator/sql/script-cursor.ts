/**
 * A cursor over the tokens of a Snowflake Scripting text: looks past spaces and comments, reads
 * words, names and punctuation, and collects the tokens of a statement or expression up to where
 * it ends (a `;` or a keyword at parenthesis depth 0), spaces included since they are SQL text.
 */
import { syntaxError } from './sql-errors.js';
import { isSignificant, type Token } from './tokenizer.js';

/** Reads tokens for the Snowflake Scripting parser. */
export class TokenCursor {
  protected i = 0;

  constructor(protected readonly tokens: readonly Token[]) {}

  /** Index of the next significant token at or after `from`. */
  protected skip(from: number): number {
    let j = from;
    while (j < this.tokens.length && !isSignificant(this.tokens[j])) j++;
    return j;
  }

  peek(offset = 0): Token | undefined {
    let j = this.skip(this.i);
    for (let k = 0; k < offset; k++) j = this.skip(j + 1);
    return this.tokens[j];
  }

  peekWord(offset = 0): string {
    const t = this.peek(offset);
    return t?.kind === 'word' ? t.text.toUpperCase() : '';
  }

  next(): Token {
    const j = this.skip(this.i);
    const t = this.tokens[j];
    if (!t) throw syntaxError(1, this.tokens.at(-1)?.start ?? 0, '<EOF>');
    this.i = j + 1;
    return t;
  }

  expectWord(word: string): void {
    const t = this.next();
    if (t.kind !== 'word' || t.text.toUpperCase() !== word) throw syntaxError(1, t.start, t.text);
  }

  expectPunct(text: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) throw syntaxError(1, t.start, t.text);
  }

  /** Consumes `;` when it is next (Snowflake wants it, a trailing END may omit it). */
  optionalSemicolon(): void {
    const t = this.peek();
    if (t?.kind === 'punct' && t.text === ';') this.next();
  }

  atEnd(): boolean {
    return this.peek() === undefined;
  }

  name(): string {
    const t = this.next();
    if (t.kind === 'word') return t.text.toUpperCase();
    if (t.kind === 'quoted') return t.text.slice(1, -1).replace(/""/g, '"');
    throw syntaxError(1, t.start, t.text);
  }

  /**
   * Tokens up to (not including) the first significant token at parenthesis depth 0 that `stop`
   * accepts; the stop token is not consumed. Fails at the end of the text.
   */
  until(stop: (t: Token) => boolean, what: string): Token[] {
    const out: Token[] = [];
    let depth = 0;
    for (;;) {
      const t = this.tokens[this.i];
      if (!t) throw syntaxError(1, this.tokens.at(-1)?.start ?? 0, `<EOF> (expected ${what})`);
      if (isSignificant(t) && depth === 0 && stop(t)) return out;
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
      if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
      out.push(t);
      this.i++;
    }
  }

  untilSemicolon(): Token[] {
    const out = this.until((t) => t.kind === 'punct' && t.text === ';', "';'");
    this.next();
    return out;
  }

  untilWord(...words: string[]): Token[] {
    return this.until((t) => t.kind === 'word' && words.includes(t.text.toUpperCase()), words.join(' or '));
  }
}
