/**
 * Snowflake's structured types — OBJECT(name TYPE, …), ARRAY(TYPE), MAP(KEY, VALUE), nested — as
 * the rewrite meets them after `::` or in CAST(… AS …), and how they live in DuckDB.
 *
 * A structured value is a DuckDB STRUCT, LIST or MAP wrapped in a one-member STRUCT named
 * STRUCTURED_MARK: the wrapper is what tells a structured OBJECT or ARRAY apart from a
 * semi-structured one (object constants, native lists) when the result's metadata is written
 * (structured-values.ts), and it travels through subqueries, CTAS and kept results with the value.
 * A cast goes through JSON: the operand becomes JSON (a structured operand is unwrapped first) and
 * every member is extracted and converted as Snowflake converts a VARIANT to the member's type
 * (structured-cast.ts).
 */
import { EmulatorSqlError } from '../engine-types.js';
import type { Token } from './tokenizer.js';
import { isSignificant } from './tokenizer.js';
import { duckTypeFor, parseSfType } from './types.js';
import type { SfColumnType } from './types.js';
import { STRUCTURED_MARK } from './structured-mark.js';

export { STRUCTURED_MARK } from './structured-mark.js';

/** A structured type, or a scalar or semi-structured member type inside one. */
export type TypeNode =
  | { kind: 'object'; fields: { name: string; type: TypeNode }[] }
  | { kind: 'array'; element: TypeNode }
  | { kind: 'map'; key: TypeNode; value: TypeNode }
  | { kind: 'leaf'; sf: SfColumnType };

/** A structured type read from tokens: the type and the token index after it. */
export interface ParsedType {
  node: TypeNode;
  end: number;
}

const STRUCTURED_NAMES = new Set(['OBJECT', 'ARRAY', 'MAP']);

/**
 * The structured type whose name is the token at `i` (before `to`), or null when it is not one
 * (OBJECT and ARRAY without parentheses are semi-structured, and anything unparsable is left to
 * the caller).
 */
export function structuredTypeAt(toks: readonly Token[], i: number, to: number): ParsedType | null {
  // Most casts are to other types: decide that before collecting the rest of the statement.
  const first = toks[i];
  if (!first || first.kind !== 'word' || !STRUCTURED_NAMES.has(first.text.toUpperCase())) return null;
  const sig: number[] = [];
  for (let j = i; j < to; j++) if (isSignificant(toks[j])) sig.push(j);
  if (toks[sig[1] ?? -1]?.text !== '(') return null;
  const parser = new TypeParser(toks, sig);
  let parsed: ParsedType | null;
  try {
    const node = parser.type();
    const last = sig[parser.pos - 1];
    parsed = node.kind === 'leaf' || last === undefined ? null : { node, end: last + 1 };
  } catch {
    return null;
  }
  if (parsed) checkMapKeys(parsed.node);
  return parsed;
}

/** Snowflake's MAP keys are VARCHAR or NUMBER; anything else is refused with its type named. */
function checkMapKeys(node: TypeNode): void {
  if (node.kind === 'object') for (const f of node.fields) checkMapKeys(f.type);
  else if (node.kind === 'array') checkMapKeys(node.element);
  else if (node.kind === 'map') {
    const key = node.key;
    if (key.kind !== 'leaf' || (key.sf.wire !== 'text' && key.sf.wire !== 'fixed')) {
      throw new EmulatorSqlError(
        '002141',
        '42601',
        `SQL compilation error:\nUnsupported MAP key type ${typeName(key)}: a MAP key is VARCHAR or NUMBER.`,
      );
    }
    checkMapKeys(node.value);
  }
}

/** Recursive-descent reader over the significant tokens of a type. */
class TypeParser {
  pos = 0;

  constructor(
    private readonly toks: readonly Token[],
    private readonly sig: readonly number[],
  ) {}

  private peek(ahead = 0): Token | undefined {
    return this.toks[this.sig[this.pos + ahead] ?? -1];
  }

  private take(text?: string): Token {
    const t = this.peek();
    if (!t || (text !== undefined && t.text !== text)) throw new Error(`expected ${text ?? 'a token'}`);
    this.pos++;
    return t;
  }

  private word(): string {
    const t = this.take();
    if (t.kind !== 'word') throw new Error('expected a type name');
    return t.text.toUpperCase();
  }

  type(): TypeNode {
    const name = this.word();
    const parens = this.peek()?.text === '(';
    if (name === 'OBJECT' && parens) {
      this.take('(');
      const fields: { name: string; type: TypeNode }[] = [];
      while (this.peek()?.text !== ')') {
        const t = this.take();
        if (t.kind !== 'word' && t.kind !== 'quoted') throw new Error('expected a field name');
        // Field names keep the case they are written in, as Snowflake's keys do.
        const field = t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text;
        fields.push({ name: field, type: this.type() });
        this.skipNotNull();
        if (this.peek()?.text === ',') this.take(',');
      }
      this.take(')');
      return { kind: 'object', fields };
    }
    if (name === 'ARRAY' && parens) {
      this.take('(');
      const element = this.type();
      this.skipNotNull();
      this.take(')');
      return { kind: 'array', element };
    }
    if (name === 'MAP') {
      this.take('(');
      const key = this.type();
      this.take(',');
      const value = this.type();
      this.skipNotNull();
      this.take(')');
      return { kind: 'map', key, value };
    }
    const args: number[] = [];
    if (parens) {
      this.take('(');
      while (this.peek()?.text !== ')') {
        const t = this.take();
        if (t.kind === 'number') args.push(Number(t.text));
        else if (t.text !== ',') throw new Error('expected a type argument');
      }
      this.take(')');
    }
    const sf = parseSfType(name, args);
    if (!sf) throw new Error(`unknown type ${name}`);
    return { kind: 'leaf', sf };
  }

  private skipNotNull(): void {
    if (this.peek()?.text.toUpperCase() === 'NOT' && this.peek(1)?.text.toUpperCase() === 'NULL') {
      this.pos += 2;
    }
  }
}

/** A DuckDB double-quoted identifier. */
function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The DuckDB type of a structured type's value (without the wrapper). */
export function duckTypeOf(node: TypeNode): string {
  switch (node.kind) {
    case 'object':
      return `STRUCT(${node.fields.map((f) => `${quoteName(f.name)} ${duckTypeOf(f.type)}`).join(', ')})`;
    case 'array':
      return `${duckTypeOf(node.element)}[]`;
    case 'map':
      return `MAP(${duckTypeOf(node.key)}, ${duckTypeOf(node.value)})`;
    case 'leaf':
      return duckTypeFor(node.sf);
  }
}

/** The DuckDB type a structured column or cast holds: the value's type in its wrapper. */
export function wrappedDuckType(node: TypeNode): string {
  return `STRUCT(${quoteName(STRUCTURED_MARK)} ${duckTypeOf(node)})`;
}

/** Snowflake's name of a structured type, as DESCRIBE shows it: OBJECT(a NUMBER(38,0), …). */
export function typeName(node: TypeNode): string {
  switch (node.kind) {
    case 'object':
      return `OBJECT(${node.fields.map((f) => `${f.name} ${typeName(f.type)}`).join(', ')})`;
    case 'array':
      return `ARRAY(${typeName(node.element)})`;
    case 'map':
      return `MAP(${typeName(node.key)}, ${typeName(node.value)})`;
    case 'leaf': {
      const t = node.sf;
      if (t.wire === 'fixed') return `NUMBER(${t.precision ?? 38},${t.scale ?? 0})`;
      if (t.wire === 'text') return `VARCHAR(${t.length ?? 16777216})`;
      return t.name;
    }
  }
}
