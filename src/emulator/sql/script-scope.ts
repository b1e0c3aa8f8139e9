/**
 * Snowflake Scripting variables: the scopes of nested blocks, and how variables go into SQL text
 * as typed literals (`:name` and `:row.column` in statements, bare names in expressions), plus
 * `SELECT … INTO :a, :b` split into the query and its targets.
 */
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import { sqlLiteral, type ScalarValue } from './script-values.js';
import { objectNotFound } from './sql-errors.js';
import { isSignificant, type Token } from './tokenizer.js';

/** What a name in a script stands for. */
export type Variable =
  | { kind: 'scalar'; value: ScalarValue; type: string | null }
  | { kind: 'resultset'; result: ResultSet | null }
  | { kind: 'cursor'; query: Token[] }
  | { kind: 'exception'; code: number; message: string }
  | { kind: 'row'; columns: ColumnMeta[]; row: (string | null)[] };

/** Variables of one block, falling back to the enclosing blocks. */
export class Scope {
  private readonly vars = new Map<string, Variable>();

  constructor(private readonly parent: Scope | null = null) {}

  get(name: string): Variable | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }

  declare(name: string, variable: Variable): void {
    this.vars.set(name, variable);
  }

  /** Assigns to the innermost block declaring `name`, or declares it here. */
  assign(name: string, variable: Variable): void {
    if (!this.#assignDeclared(name, variable)) this.vars.set(name, variable);
  }

  #assignDeclared(name: string, variable: Variable): boolean {
    if (this.vars.has(name)) {
      this.vars.set(name, variable);
      return true;
    }
    return this.parent ? this.parent.#assignDeclared(name, variable) : false;
  }

  /** A scalar variable from outside (procedure arguments, SQLCODE …). */
  setScalar(name: string, value: ScalarValue): void {
    this.declare(name, { kind: 'scalar', value, type: null });
  }
}

/** The name a word or quoted identifier token stands for, or null. */
export function nameOf(t: Token): string | null {
  if (t.kind === 'word') return t.text.toUpperCase();
  if (t.kind === 'quoted') return t.text.slice(1, -1).replace(/""/g, '"');
  return null;
}

/**
 * The SQL text of `tokens` with variables as literals: `:name` (and `:row.column`) always, bare
 * names too in expressions (`bare`), where Snowflake lets variables appear without the colon.
 */
export function substitute(tokens: readonly Token[], scope: Scope, bare: boolean): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    const bindable =
      t.kind === 'punct' &&
      t.text === ':' &&
      (!prev ||
        prev.kind === 'space' ||
        prev.kind === 'comment' ||
        (prev.kind === 'punct' && prev.text !== ')' && prev.text !== ']'));
    if (bindable) {
      const name = tokens[i + 1] ? nameOf(tokens[i + 1]) : null;
      const found = name !== null ? reference(tokens, i + 1, name, scope) : null;
      if (found) {
        out += found.literal;
        i = found.end;
        continue;
      }
    }
    if (bare && (t.kind === 'word' || t.kind === 'quoted')) {
      const before = previousSignificant(tokens, i);
      const after = nextSignificant(tokens, i);
      const name = nameOf(t)!;
      if (before?.text !== '.' && after?.text !== '(' && after?.text !== '=>') {
        const found = reference(tokens, i, name, scope);
        if (found) {
          out += found.literal;
          i = found.end;
          continue;
        }
      }
    }
    out += t.text;
  }
  return out;
}

/** The literal of the variable reference starting at `i` (`name` or `row.column`), or null. */
function reference(
  tokens: readonly Token[],
  i: number,
  name: string,
  scope: Scope,
): { literal: string; end: number } | null {
  const variable = scope.get(name);
  if (!variable) return null;
  if (variable.kind === 'scalar') return { literal: sqlLiteral(variable.value), end: i };
  if (variable.kind !== 'row' || tokens[i + 1]?.text !== '.' || !tokens[i + 2]) return null;
  const column = nameOf(tokens[i + 2]);
  const index = variable.columns.findIndex((c) => c.name.toUpperCase() === column?.toUpperCase());
  if (index < 0) throw objectNotFound('Column', `${name}.${column ?? ''}`);
  return {
    literal: sqlLiteral({ column: variable.columns[index], text: variable.row[index] ?? null }),
    end: i + 2,
  };
}

function previousSignificant(tokens: readonly Token[], i: number): Token | undefined {
  for (let k = i - 1; k >= 0; k--) if (isSignificant(tokens[k])) return tokens[k];
  return undefined;
}

function nextSignificant(tokens: readonly Token[], i: number): Token | undefined {
  for (let k = i + 1; k < tokens.length; k++) if (isSignificant(tokens[k])) return tokens[k];
  return undefined;
}

/** Splits `SELECT … INTO :a, :b FROM …` into the query without INTO and the target names. */
export function splitInto(tokens: Token[]): { rest: Token[]; into: string[] } {
  const first = tokens.find(isSignificant);
  if (!first || !/^(SELECT|WITH)$/i.test(first.text)) return { rest: tokens, into: [] };
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth !== 0 || t.kind !== 'word' || t.text.toUpperCase() !== 'INTO') continue;
    const into: string[] = [];
    let j = i + 1;
    for (;;) {
      while (j < tokens.length && !isSignificant(tokens[j])) j++;
      if (tokens[j]?.text === ':') j++;
      const name = tokens[j] ? nameOf(tokens[j]) : null;
      if (!name) break;
      into.push(name);
      j++;
      let k = j;
      while (k < tokens.length && !isSignificant(tokens[k])) k++;
      if (tokens[k]?.text !== ',') break;
      j = k + 1;
    }
    if (into.length > 0) return { rest: [...tokens.slice(0, i), ...tokens.slice(j)], into };
  }
  return { rest: tokens, into: [] };
}
