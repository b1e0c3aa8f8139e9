/**
 * Scans a statement's tokens, at every depth, for things that make an otherwise harmless statement
 * act: procedure calls, SYSTEM$ functions outside the allow-list, TABLE(<procedure>), dynamic
 * function names, sequence NEXTVAL, FOR UPDATE, and (in reads) write keywords anywhere.
 */
import {
  FUNCTION_DENY,
  READ_FORBIDDEN_WORDS,
  SYSTEM_FUNCTION_ALLOW,
  SYSTEM_FUNCTION_REASONS,
  TABLE_FUNCTION_ALLOW,
} from './lists.js';
import type { Token } from './tokenizer.js';

/**
 * A problem found in a statement. `write: true` means it writes (NEXTVAL, FOR UPDATE) and is fine
 * when writes are allowed; otherwise it is refused under every policy.
 */
export interface Hazard {
  readonly reason: string;
  readonly write: boolean;
  /** For write hazards: the construct, e.g. `NEXTVAL`, `FOR UPDATE`. */
  readonly label?: string;
}

const QUOTE_HINT = ' (if it is an identifier, write it in double quotes)';

/** The identifier text of a word or quoted identifier, upper-cased for comparison; else undefined. */
function nameOf(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  if (t.type === 'word') return t.value;
  if (t.type === 'quoted') return t.value.toUpperCase();
  return undefined;
}

const isOp = (t: Token | undefined, op: string): boolean => t?.type === 'op' && t.value === op;

/** Index of the `)` matching the `(` at `open`, or -1. Linear in the distance; see pairParens for many lookups. */
export function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], '(')) depth++;
    else if (isOp(tokens[i], ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** For every `(` the index of its `)` (-1 when unmatched), in one pass: deep nesting stays linear. */
export function pairParens(tokens: readonly Token[]): Int32Array {
  const pairs = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (isOp(tokens[i], '(')) stack.push(i);
    else if (isOp(tokens[i], ')')) {
      const open = stack.pop();
      if (open !== undefined) pairs[open] = i;
    }
  }
  return pairs;
}

/** Reads a dotted name ending at `end` (inclusive) backwards: `a.b.c` → ['A','B','C']. */
function dottedNameEndingAt(tokens: readonly Token[], end: number): string[] {
  const parts: string[] = [];
  let i = end;
  for (;;) {
    const name = nameOf(tokens[i]);
    if (name === undefined) break;
    parts.unshift(name);
    if (!isOp(tokens[i - 1], '.')) break;
    i -= 2;
  }
  return parts;
}

function systemFunctionHazard(name: string): Hazard | undefined {
  if (!name.startsWith('SYSTEM$') || SYSTEM_FUNCTION_ALLOW.has(name)) return undefined;
  const why = SYSTEM_FUNCTION_REASONS.find(([re]) => re.test(name))?.[1];
  return {
    reason: why
      ? `calls ${name}, which ${why}`
      : `calls ${name}, which is not on smcp's allow-list of read-only SYSTEM$ functions`,
    write: false,
  };
}

/** Whether a dotted name may be called where a table goes: a built-in table function, unqualified or in INFORMATION_SCHEMA. */
function builtinTableFunction(parts: readonly string[]): boolean {
  const name = parts[parts.length - 1];
  const qualifier = parts.slice(0, -1);
  const qualifiedOk = qualifier.length === 0 || qualifier[qualifier.length - 1] === 'INFORMATION_SCHEMA';
  return name !== undefined && TABLE_FUNCTION_ALLOW.has(name) && qualifiedOk;
}

const procedureHazard = (what: string): Hazard => ({
  reason: `uses ${what}, which may call a stored procedure; only built-in table functions are allowed there`,
  write: false,
});

/** Checks what TABLE( … ) wraps: a built-in table function, a table name literal, or nothing else. */
function tableCallHazard(tokens: readonly Token[], open: number, pairs: Int32Array): Hazard | undefined {
  const close = pairs[open] < 0 ? tokens.length : pairs[open];
  const first = tokens[open + 1];
  const length = close - open - 1;
  // TABLE('db.s.t'), TABLE($var), TABLE(?), TABLE(:1): a table named by a literal or bind.
  if (length === 1 && first && ['string', 'variable', 'bind'].includes(first.type)) return undefined;
  if (length === 2 && isOp(first, ':')) return undefined;
  // A dotted name followed by `(`.
  let j = open + 1;
  while (j < close && nameOf(tokens[j]) !== undefined && isOp(tokens[j + 1], '.')) j += 2;
  const callOpen = j + 1;
  if (j < close && nameOf(tokens[j]) !== undefined && callOpen < close && isOp(tokens[callOpen], '(')) {
    const parts = dottedNameEndingAt(tokens, j);
    // TABLE(IDENTIFIER('db.s.t')) names a table.
    if (parts.join('.') === 'IDENTIFIER' && pairs[callOpen] === close - 1) return undefined;
    if (builtinTableFunction(parts)) return undefined;
    return procedureHazard(`TABLE(${parts.join('.')}(…))`);
  }
  return { reason: 'uses TABLE(…) with something other than a built-in table function', write: false };
}

// Words that start a clause; tracked per parenthesis depth to know when a name sits where a table goes.
const CLAUSE_WORDS = new Set([
  'SELECT',
  'FROM',
  'JOIN',
  'ON',
  'USING',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
  'WINDOW',
  'SET',
  'VALUES',
  'WHEN',
  'THEN',
]);
// Tokens after which, inside FROM or JOIN, a name is a table (or a table function when called).
const TABLE_POSITION_WORDS = new Set(['FROM', 'JOIN', 'LATERAL']);
// A name followed by `(` right after these is not a call: a column list or a RETURNS TABLE (…) shape.
const NOT_A_CALL_AFTER = new Set(['INTO', 'TABLE', 'VIEW', 'EXISTS', 'UPDATE', 'RETURNS', 'REPLACE']);

/**
 * The first hazard in the tokens (one statement without its top-level ->> steps), or undefined.
 * Always checked: CALL and EXECUTE anywhere, SYSTEM$ functions off the allow-list, denied functions,
 * TABLE(<not a built-in table function>), calls where a table goes, IDENTIFIER(…)(…), `!` methods,
 * nested ->>, NEXTVAL (a write hazard). `read` adds: write keywords anywhere, FOR UPDATE, MERGE/COPY INTO.
 */
export function findHazard(tokens: readonly Token[], read: boolean): Hazard | undefined {
  const clauses: string[] = [''];
  const pairs = pairParens(tokens);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const name = nameOf(t);
    const afterPathDot = isOp(prev, '.') || isOp(prev, ':');
    if (isOp(t, '(')) clauses.push('');
    else if (isOp(t, ')')) clauses.pop();
    if (t.type === 'op' && t.value === '!') {
      return { reason: 'calls a class instance method (!), which smcp cannot classify', write: false };
    }
    // Top-level ->> is split off before the scan, so one here is nested (or in a fragment).
    if (t.type === 'op' && t.value === '->>') {
      return { reason: 'uses the ->> flow operator inside an expression', write: false };
    }
    if (
      name !== undefined &&
      (name === 'NEXTVAL' || name === 'GETNEXTVAL') &&
      (afterPathDot || isOp(next, '('))
    ) {
      return { reason: `advances a sequence (${name})`, write: true, label: name };
    }
    if (t.type === 'word' && !afterPathDot) {
      const w = t.value;
      if (CLAUSE_WORDS.has(w)) clauses[clauses.length - 1] = w;
      if (w === 'CALL') return { reason: 'calls a procedure (CALL)', write: false };
      // EXECUTE AS CALLER/OWNER is a clause of CREATE PROCEDURE; any other EXECUTE runs something.
      if (w === 'EXECUTE' && nameOf(next) !== 'AS') return { reason: 'contains EXECUTE', write: false };
      if (read && w === 'UPDATE' && nameOf(prev) === 'FOR') {
        return { reason: 'locks rows (SELECT … FOR UPDATE)', write: true, label: 'FOR UPDATE' };
      }
      if (read && READ_FORBIDDEN_WORDS.has(w)) {
        return { reason: `${READ_FORBIDDEN_WORDS.get(w)!}${QUOTE_HINT}`, write: false };
      }
      if (read && (w === 'MERGE' || w === 'COPY') && nameOf(next) === 'INTO') {
        return { reason: `contains ${w} INTO`, write: false };
      }
    }
    if (name === undefined || !isOp(next, '(')) continue;
    const notACall = prev?.type === 'word' && NOT_A_CALL_AFTER.has(prev.value);
    const sys = systemFunctionHazard(name);
    if (sys) return sys;
    const denied = FUNCTION_DENY.get(name);
    if (denied) return { reason: denied.reason, write: denied.write, label: name };
    if (name === 'TABLE' && t.type === 'word' && !notACall) {
      const h = tableCallHazard(tokens, i + 1, pairs);
      if (h) return h;
      continue;
    }
    if (name === 'IDENTIFIER' && t.type === 'word' && !notACall) {
      const close = pairs[i + 1];
      if (close > 0 && isOp(tokens[close + 1], '(')) {
        return { reason: 'calls a function named by IDENTIFIER(…), which smcp cannot check', write: false };
      }
      continue;
    }
    // A call where a table goes (FROM f(…), JOIN f(…), `, f(…)` in FROM) may be a procedure or UDTF.
    const parts = dottedNameEndingAt(tokens, i);
    const before = tokens[i - (parts.length * 2 - 1)];
    const clause = clauses[clauses.length - 1];
    const tablePosition =
      (clause === 'FROM' || clause === 'JOIN') &&
      (isOp(before, ',') || (before?.type === 'word' && TABLE_POSITION_WORDS.has(before.value)));
    if (tablePosition && !['VALUES', 'DIRECTORY'].includes(name) && !builtinTableFunction(parts)) {
      return procedureHazard(`${parts.join('.')}(…) as a table`);
    }
  }
  return undefined;
}
