/**
 * Parses Snowflake Scripting blocks (the bodies of LANGUAGE SQL procedures, anonymous blocks,
 * EXECUTE IMMEDIATE) into a small tree: DECLARE (variables, RESULTSETs, cursors, exceptions),
 * BEGIN … END with SQL statements, LET and `:=`, IF/ELSEIF/ELSE, FOR (ranges, cursors and
 * RESULTSETs), WHILE, REPEAT, LOOP, BREAK, CONTINUE, RETURN [TABLE(…)], RAISE, nested blocks and
 * EXCEPTION handlers. Anything else of Snowflake Scripting fails to parse with a 0A000 error
 * naming it, so a procedure is refused when it is created rather than half-run when called.
 */
import type { Token } from './tokenizer.js';
import { TokenCursor } from './script-cursor.js';
import { isSignificant, stringValue } from './tokenizer.js';
import { syntaxError, unsupported } from './sql-errors.js';

/** One statement of a block. Token lists keep spaces and comments (they are SQL text). */
export type ScriptStatement =
  | { kind: 'sql'; tokens: Token[] }
  | { kind: 'assign'; name: string; type: string | null; expr: Token[] | null }
  | { kind: 'resultset'; name: string; query: Token[] | null }
  | { kind: 'cursor'; name: string; query: Token[] }
  | { kind: 'exception'; name: string; code: number; message: string }
  | { kind: 'if'; branches: { cond: Token[]; body: ScriptStatement[] }[]; otherwise: ScriptStatement[] }
  | { kind: 'for-range'; name: string; reverse: boolean; from: Token[]; to: Token[]; body: ScriptStatement[] }
  | { kind: 'for-rows'; name: string; source: string; body: ScriptStatement[] }
  | { kind: 'while'; cond: Token[]; body: ScriptStatement[] }
  | { kind: 'repeat'; cond: Token[]; body: ScriptStatement[] }
  | { kind: 'loop'; body: ScriptStatement[] }
  | { kind: 'break' }
  | { kind: 'continue' }
  | { kind: 'return'; expr: Token[] | null; table: string | null }
  | { kind: 'raise'; name: string | null }
  | { kind: 'block'; block: ScriptBlock }
  | { kind: 'null' };

/** `WHEN a OR b THEN …` of an EXCEPTION section; `OTHER` catches everything. */
export interface ScriptHandler {
  names: string[];
  body: ScriptStatement[];
}

/** DECLARE … BEGIN … EXCEPTION … END. */
export interface ScriptBlock {
  declarations: ScriptStatement[];
  body: ScriptStatement[];
  handlers: ScriptHandler[];
}

/** Words that end a list of statements (they belong to the construct around it). */
const LIST_END = new Set(['END', 'ELSE', 'ELSEIF', 'EXCEPTION', 'WHEN', 'UNTIL']);
/** Words that open a block when a statement starts with BEGIN, unless a transaction follows. */
const TRANSACTION_WORDS = new Set(['TRANSACTION', 'WORK', 'NAME']);
/** Snowflake Scripting constructs the emulator does not run. */
const UNSUPPORTED_STARTS = new Set(['CASE', 'OPEN', 'FETCH', 'CLOSE', 'AWAIT', 'ASYNC', 'CANCEL']);

/** True when `tokens` (significant or not) start a Snowflake Scripting block rather than a statement. */
export function startsBlock(tokens: readonly Token[]): boolean {
  const sig = tokens.filter(isSignificant);
  const first = sig[0];
  if (!first || first.kind !== 'word') return false;
  const word = first.text.toUpperCase();
  if (word === 'DECLARE') return true;
  if (word !== 'BEGIN') return false;
  const next = sig[1];
  if (!next || (next.kind === 'punct' && next.text === ';')) return false;
  return !(next.kind === 'word' && TRANSACTION_WORDS.has(next.text.toUpperCase()));
}

class Parser extends TokenCursor {
  block(): ScriptBlock {
    const declarations: ScriptStatement[] = [];
    if (this.peekWord() === 'DECLARE') {
      this.next();
      while (this.peekWord() !== 'BEGIN') {
        if (this.atEnd()) throw syntaxError(1, 0, '<EOF> (expected BEGIN)');
        declarations.push(this.declaration());
      }
    }
    this.expectWord('BEGIN');
    const body = this.statements();
    const handlers: ScriptHandler[] = [];
    if (this.peekWord() === 'EXCEPTION') {
      this.next();
      while (this.peekWord() === 'WHEN') {
        this.next();
        const names = [this.name()];
        while (this.peekWord() === 'OR') {
          this.next();
          names.push(this.name());
        }
        this.expectWord('THEN');
        handlers.push({ names, body: this.statements() });
      }
    }
    this.expectWord('END');
    this.optionalSemicolon();
    return { declarations, body, handlers };
  }

  /** One entry of a DECLARE section (the same shapes LET takes, plus EXCEPTION). */
  declaration(declared?: string): ScriptStatement {
    const name = declared ?? this.name();
    const kind = this.peekWord();
    if (kind === 'RESULTSET') {
      this.next();
      if (this.isAssignStart()) {
        this.assignOperator();
        return { kind: 'resultset', name, query: unwrap(this.untilSemicolon()) };
      }
      this.expectPunct(';');
      return { kind: 'resultset', name, query: null };
    }
    if (kind === 'CURSOR') {
      this.next();
      this.expectWord('FOR');
      return { kind: 'cursor', name, query: unwrap(this.untilSemicolon()) };
    }
    if (kind === 'EXCEPTION') {
      this.next();
      let code = -20000;
      let message = '';
      if (this.peek()?.text === '(') {
        this.next();
        const minus = this.peek()?.text === '-';
        if (minus) this.next();
        const num = this.next();
        code = (minus ? -1 : 1) * Number(num.text);
        this.expectPunct(',');
        const msg = this.next();
        message = msg.kind === 'string' || msg.kind === 'dollar' ? stringValue(msg) : msg.text;
        this.expectPunct(')');
      }
      this.expectPunct(';');
      return { kind: 'exception', name, code, message };
    }
    return this.variable(name);
  }

  isAssignStart(): boolean {
    const t = this.peek();
    if (t?.kind === 'word' && t.text.toUpperCase() === 'DEFAULT') return true;
    return t?.kind === 'punct' && t.text === ':' && this.peek(1)?.text === '=';
  }

  assignOperator(): void {
    if (this.peekWord() === 'DEFAULT') {
      this.next();
      return;
    }
    this.expectPunct(':');
    this.expectPunct('=');
  }

  /** `name [type] [DEFAULT | := expr];` */
  variable(name: string): ScriptStatement {
    let type: string | null = null;
    if (!this.isAssignStart() && this.peek()?.text !== ';') {
      const typeTokens = this.until(
        (t) =>
          (t.kind === 'punct' && (t.text === ';' || t.text === ':')) ||
          (t.kind === 'word' && t.text.toUpperCase() === 'DEFAULT'),
        'a type',
      );
      type = typeTokens
        .filter(isSignificant)
        .map((t) => t.text)
        .join(' ')
        .replace(/ \( /g, '(')
        .replace(/ , /g, ',')
        .replace(/ \)/g, ')');
    }
    if (this.isAssignStart()) {
      this.assignOperator();
      return { kind: 'assign', name, type, expr: this.untilSemicolon() };
    }
    this.expectPunct(';');
    return { kind: 'assign', name, type, expr: null };
  }

  statements(): ScriptStatement[] {
    const out: ScriptStatement[] = [];
    for (;;) {
      const word = this.peekWord();
      if (this.atEnd() || LIST_END.has(word)) return out;
      out.push(this.statement());
    }
  }

  statement(): ScriptStatement {
    const t = this.peek()!;
    const word = this.peekWord();
    if (word === 'DECLARE' || (word === 'BEGIN' && startsBlock(this.tokens.slice(this.skip(this.i))))) {
      return { kind: 'block', block: this.block() };
    }
    if (UNSUPPORTED_STARTS.has(word)) throw unsupported(`Snowflake Scripting ${word} statement`);
    switch (word) {
      case 'LET': {
        this.next();
        return this.declaration(this.name());
      }
      case 'IF':
        return this.ifStatement();
      case 'FOR':
        return this.forStatement();
      case 'WHILE': {
        this.next();
        const cond = this.untilWord('DO', 'LOOP');
        const closer = this.next().text.toUpperCase() === 'DO' ? 'WHILE' : 'LOOP';
        const body = this.statements();
        this.endOf(closer);
        return { kind: 'while', cond, body };
      }
      case 'REPEAT': {
        this.next();
        const body = this.statements();
        this.expectWord('UNTIL');
        const cond = this.untilWord('END');
        this.endOf('REPEAT');
        return { kind: 'repeat', cond, body };
      }
      case 'LOOP': {
        this.next();
        const body = this.statements();
        this.endOf('LOOP');
        return { kind: 'loop', body };
      }
      case 'BREAK':
      case 'EXIT':
        this.next();
        this.untilSemicolon();
        return { kind: 'break' };
      case 'CONTINUE':
      case 'ITERATE':
        this.next();
        this.untilSemicolon();
        return { kind: 'continue' };
      case 'RETURN': {
        this.next();
        if (this.peekWord() === 'TABLE' && this.peek(1)?.text === '(') {
          this.next();
          this.expectPunct('(');
          const name = this.name();
          this.expectPunct(')');
          this.expectPunct(';');
          return { kind: 'return', expr: null, table: name };
        }
        const expr = this.untilSemicolon();
        return { kind: 'return', expr: expr.some(isSignificant) ? expr : null, table: null };
      }
      case 'RAISE': {
        this.next();
        if (this.peek()?.text === ';') {
          this.next();
          return { kind: 'raise', name: null };
        }
        const name = this.name();
        this.expectPunct(';');
        return { kind: 'raise', name };
      }
      case 'NULL':
        if (this.peek(1)?.text === ';') {
          this.next();
          this.next();
          return { kind: 'null' };
        }
        break;
    }
    // `name := expr;`
    if (
      (t.kind === 'word' || t.kind === 'quoted') &&
      this.peek(1)?.text === ':' &&
      this.peek(2)?.text === '='
    ) {
      const name = this.name();
      this.assignOperator();
      return { kind: 'assign', name, type: null, expr: this.untilSemicolon() };
    }
    const tokens = this.untilSemicolon();
    return { kind: 'sql', tokens };
  }

  /** `END <word> [label];` */
  endOf(word: string): void {
    this.expectWord('END');
    this.expectWord(word);
    if (this.peek()?.kind === 'word') this.next(); // a label
    this.optionalSemicolon();
  }

  ifStatement(): ScriptStatement {
    this.next();
    const branches: { cond: Token[]; body: ScriptStatement[] }[] = [];
    const cond = this.untilWord('THEN');
    this.next();
    branches.push({ cond, body: this.statements() });
    let otherwise: ScriptStatement[] = [];
    for (;;) {
      const word = this.peekWord();
      if (word === 'ELSEIF') {
        this.next();
        const c = this.untilWord('THEN');
        this.next();
        branches.push({ cond: c, body: this.statements() });
      } else if (word === 'ELSE') {
        this.next();
        otherwise = this.statements();
      } else break;
    }
    this.endOf('IF');
    return { kind: 'if', branches, otherwise };
  }

  forStatement(): ScriptStatement {
    this.next();
    const name = this.name();
    this.expectWord('IN');
    let reverse = false;
    if (this.peekWord() === 'REVERSE') {
      this.next();
      reverse = true;
    }
    // `FOR r IN c DO` (a cursor or RESULTSET) or `FOR i IN a TO b DO`.
    const after = this.peekWord(1);
    if (!reverse && (after === 'DO' || after === 'LOOP')) {
      const source = this.name();
      const closer = this.next().text.toUpperCase() === 'DO' ? 'FOR' : 'LOOP';
      const body = this.statements();
      this.endOf(closer);
      return { kind: 'for-rows', name, source, body };
    }
    const from = this.untilWord('TO');
    this.next();
    const to = this.untilWord('DO', 'LOOP');
    const closer = this.next().text.toUpperCase() === 'DO' ? 'FOR' : 'LOOP';
    const body = this.statements();
    this.endOf(closer);
    return { kind: 'for-range', name, reverse, from, to, body };
  }
}

/** `(query)` → `query`: a RESULTSET's or cursor's query may stand in parentheses. */
function unwrap(tokens: Token[]): Token[] {
  const sig = tokens.filter(isSignificant);
  if (sig[0]?.text !== '(' || sig.at(-1)?.text !== ')') return tokens;
  let depth = 0;
  for (let k = 0; k < sig.length; k++) {
    if (sig[k].text === '(') depth++;
    if (sig[k].text === ')') depth--;
    if (depth === 0 && k < sig.length - 1) return tokens; // `(a) UNION (b)`
  }
  const open = tokens.indexOf(sig[0]);
  const close = tokens.lastIndexOf(sig.at(-1)!);
  return tokens.slice(open + 1, close);
}

/**
 * Parses a whole block (`[DECLARE …] BEGIN … END`). Throws 001003 for a syntax error and 0A000
 * for a construct the emulator does not run.
 */
export function parseBlock(tokens: readonly Token[]): ScriptBlock {
  const parser = new Parser(tokens);
  const block = parser.block();
  if (!parser.atEnd()) {
    const t = parser.next();
    throw syntaxError(1, t.start, t.text);
  }
  return block;
}
