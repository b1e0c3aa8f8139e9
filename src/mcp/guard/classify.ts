/**
 * Classifies one statement (its tokens, comments already gone) by its leading keywords, looking
 * through WITH clauses, EXPLAIN and ->> flow pipelines to the statement that actually runs, then
 * scans it for hazards. Anything it does not recognise is `unknown`, which is always refused.
 */
import { findHazard, matchingParen } from './hazards.js';
import { ADMIN_OBJECT_WORDS, DDL_MODIFIERS } from './lists.js';
import type { Token } from './tokenizer.js';
import type { StatementKind } from './types.js';

/** A statement's class; `problem` is a refusal that holds under every policy. */
export interface Classification {
  kind: StatementKind;
  keyword: string;
  problem?: string;
}

const READ_KINDS: ReadonlySet<StatementKind> = new Set(['select', 'show', 'describe', 'explain']);

// Kinds some policy may allow, so their whole text is scanned; the rest are refused as they stand.
const SCANNED_KINDS: ReadonlySet<StatementKind> = new Set([...READ_KINDS, 'dml', 'ddl', 'copy']);

/** True for the kinds a read-only smcp runs. */
export const isReadKind = (kind: StatementKind): boolean => READ_KINDS.has(kind);

const word = (t: Token | undefined): string | undefined => (t?.type === 'word' ? t.value : undefined);
const isOp = (t: Token | undefined, op: string): boolean => t?.type === 'op' && t.value === op;

/** Skips `WITH [RECURSIVE] name [(cols)] AS (…) [, …]`; returns the index after it, or -1. */
function skipCtes(tokens: readonly Token[]): number {
  let i = 1;
  if (word(tokens[i]) === 'RECURSIVE') i++;
  for (;;) {
    const name = tokens[i];
    if (!name || (name.type !== 'word' && name.type !== 'quoted')) return -1;
    i++;
    if (isOp(tokens[i], '(')) {
      const close = matchingParen(tokens, i);
      if (close < 0) return -1;
      i = close + 1;
    }
    if (word(tokens[i]) !== 'AS') return -1;
    i++;
    // A CTE body must be parenthesised; `WITH p AS PROCEDURE … CALL p()` is not a CTE.
    if (!isOp(tokens[i], '(')) return -1;
    const close = matchingParen(tokens, i);
    if (close < 0) return -1;
    i = close + 1;
    if (!isOp(tokens[i], ',')) return i;
    i++;
  }
}

// Second words of two-word object types (DATABASE ROLE, NETWORK POLICY, STORAGE INTEGRATION …).
const SECOND_TYPE_WORDS = new Set([
  'ROLE',
  'INTEGRATION',
  'POLICY',
  'RULE',
  'ACCOUNT',
  'MONITOR',
  'GROUP',
  'ACCESS',
  'FORMAT',
  'VIEW',
  'TABLE',
  'TASK',
]);

/** CREATE/ALTER/DROP/UNDROP: the object words after the modifiers, and whether it is administration. */
function ddlShape(tokens: readonly Token[]): { keyword: string; admin: boolean } {
  const verb = word(tokens[0])!;
  let i = 1;
  while (word(tokens[i]) !== undefined && DDL_MODIFIERS.has(word(tokens[i])!)) i++;
  const object = word(tokens[i]);
  if (object === undefined) return { keyword: verb, admin: false };
  const second = word(tokens[i + 1]);
  const admin =
    ADMIN_OBJECT_WORDS.has(object) ||
    (object === 'DATABASE' && second === 'ROLE') ||
    second === 'INTEGRATION' ||
    (object === 'EXTERNAL' && second === 'ACCESS');
  const typeWord = second !== undefined && SECOND_TYPE_WORDS.has(second) ? ` ${second}` : '';
  return { keyword: `${verb} ${object}${typeWord}`, admin };
}

/** Classifies a statement without the ->> split; `tokens` is non-empty. */
function classifyOne(tokens: readonly Token[]): Classification {
  const first = tokens[0];
  if (isOp(first, '(')) {
    let i = 0;
    while (isOp(tokens[i], '(')) i++;
    // `(SELECT …) UNION (…)`: what runs is what the parentheses open with.
    const inner = i < tokens.length ? classifyOne(tokens.slice(i)) : unknown(tokens);
    return inner.kind === 'select' ? inner : { ...inner, kind: 'unknown', keyword: `(${inner.keyword}` };
  }
  const w = word(first);
  const w2 = word(tokens[1]);
  switch (w) {
    case 'SELECT':
      return { kind: 'select', keyword: 'SELECT' };
    case 'WITH': {
      const after = skipCtes(tokens);
      if (after < 0)
        return { kind: 'unknown', keyword: 'WITH', problem: 'has a WITH clause smcp cannot parse' };
      const main = word(tokens[after]);
      if (main === 'SELECT' || isOp(tokens[after], '(')) return { kind: 'select', keyword: 'WITH … SELECT' };
      if (main && ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(main)) {
        return { kind: 'dml', keyword: `WITH … ${main}` };
      }
      return { kind: 'unknown', keyword: `WITH … ${main ?? ''}`.trim() };
    }
    case 'SHOW':
      return { kind: 'show', keyword: w2 ? `SHOW ${w2}` : 'SHOW' };
    case 'DESCRIBE':
    case 'DESC':
      return { kind: 'describe', keyword: w2 ? `${w} ${w2}` : w };
    case 'EXPLAIN': {
      let i = 1;
      if (word(tokens[i]) === 'USING') i += 2;
      const rest = tokens.slice(i);
      let k = 0;
      while (isOp(rest[k], '(')) k++;
      // EXPLAIN EXPLAIN … is not Snowflake; refusing it also bounds the recursion.
      if (rest.length === 0 || word(rest[k]) === 'EXPLAIN') return unknown(tokens);
      const inner = classifyOne(rest);
      if (inner.kind === 'select') return { kind: 'explain', keyword: `EXPLAIN ${inner.keyword}` };
      return { ...inner, keyword: `EXPLAIN ${inner.keyword}` };
    }
    case 'INSERT': {
      const mod = w2 === 'OVERWRITE' ? word(tokens[2]) : w2;
      const parts = [
        'INSERT',
        w2 === 'OVERWRITE' ? 'OVERWRITE' : '',
        mod === 'ALL' || mod === 'FIRST' ? mod : '',
      ];
      return { kind: 'dml', keyword: parts.filter(Boolean).join(' ') };
    }
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'TRUNCATE':
      return { kind: 'dml', keyword: w };
    case 'ALTER':
    case 'CREATE':
    case 'DROP':
    case 'UNDROP': {
      if (w === 'ALTER' && w2 === 'SESSION') return { kind: 'session', keyword: 'ALTER SESSION' };
      const shape = ddlShape(tokens);
      return { kind: shape.admin ? 'dcl' : 'ddl', keyword: shape.keyword };
    }
    case 'COMMENT':
    case 'RENAME':
      return { kind: 'ddl', keyword: w };
    case 'GRANT':
    case 'REVOKE':
      return { kind: 'dcl', keyword: w };
    case 'USE':
      if (w2 === 'SECONDARY') return { kind: 'session', keyword: 'USE SECONDARY ROLES' };
      return {
        kind: 'session',
        keyword: w2 && ['ROLE', 'DATABASE', 'SCHEMA', 'WAREHOUSE'].includes(w2) ? `USE ${w2}` : 'USE',
      };
    case 'SET':
    case 'UNSET':
      return { kind: 'session', keyword: w };
    case 'BEGIN':
      if (!w2 || w2 === 'TRANSACTION' || w2 === 'WORK' || w2 === 'NAME')
        return { kind: 'transaction', keyword: 'BEGIN' };
      return { kind: 'procedural', keyword: 'BEGIN … END' };
    case 'START':
      return w2 === 'TRANSACTION' ? { kind: 'transaction', keyword: 'START TRANSACTION' } : unknown(tokens);
    case 'COMMIT':
    case 'ROLLBACK':
      return { kind: 'transaction', keyword: w };
    case 'DECLARE':
      return { kind: 'procedural', keyword: 'DECLARE' };
    case 'CALL':
      return { kind: 'procedural', keyword: 'CALL' };
    case 'EXECUTE':
      return { kind: 'procedural', keyword: w2 ? `EXECUTE ${w2}` : 'EXECUTE' };
    case 'COPY': {
      const target = tokens[2];
      if (
        w2 !== 'INTO' ||
        !target ||
        (target.type !== 'word' &&
          target.type !== 'quoted' &&
          target.type !== 'stage' &&
          target.type !== 'string')
      ) {
        return {
          kind: 'copy',
          keyword: w2 ? `COPY ${w2}` : 'COPY',
          problem: 'is a COPY form smcp does not run (only COPY INTO <table>)',
        };
      }
      if (target.type === 'stage' || target.type === 'string') {
        return {
          kind: 'copy',
          keyword: 'COPY INTO',
          problem: 'unloads data to a stage or external location (COPY INTO <location>)',
        };
      }
      return { kind: 'copy', keyword: 'COPY INTO' };
    }
    case 'PUT':
    case 'GET':
    case 'REMOVE':
    case 'RM':
    case 'LIST':
    case 'LS':
      return { kind: 'file', keyword: w };
    default:
      return unknown(tokens);
  }
}

function unknown(tokens: readonly Token[]): Classification {
  const t = tokens[0];
  const keyword = t.type === 'word' ? t.value : t.type === 'op' ? t.value : t.type;
  return { kind: 'unknown', keyword };
}

// How much permission a class needs: reads < writes < DDL < never allowed < unknown < refused outright.
function rank(c: Classification): number {
  if (c.problem) return 5;
  if (c.kind === 'unknown') return 4;
  if (isReadKind(c.kind)) return 0;
  if (c.kind === 'dml' || c.kind === 'copy') return 1;
  if (c.kind === 'ddl') return 2;
  return 3;
}

/** Splits at top-level `->>` (Snowflake's flow operator chains statements). */
function splitFlow(tokens: readonly Token[]): Token[][] {
  const segments: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (isOp(t, '(')) depth++;
    else if (isOp(t, ')')) depth--;
    if (depth === 0 && isOp(t, '->>')) segments.push([]);
    else segments[segments.length - 1].push(t);
  }
  return segments;
}

function parensBalanced(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (const t of tokens) {
    if (isOp(t, '(')) depth++;
    else if (isOp(t, ')') && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Classifies one statement's tokens (non-empty, no `;`). A ->> pipeline is classified by its first
 * segment that is not a read (so `SHOW TABLES ->> SELECT …` is a read). Hazards found in a read
 * that only write (NEXTVAL, FOR UPDATE) turn it into `dml`; other hazards become the `problem`.
 */
export function classifyStatement(tokens: readonly Token[]): Classification {
  if (!parensBalanced(tokens)) {
    return {
      kind: 'unknown',
      keyword: unknown(tokens).keyword,
      problem: 'has unbalanced parentheses and cannot be parsed safely',
    };
  }
  const segments = splitFlow(tokens);
  if (segments.some((s) => s.length === 0)) {
    return { kind: 'unknown', keyword: '->>', problem: 'has an empty step in a ->> pipeline' };
  }
  const classes = segments.map((segment) => {
    const c = classifyOne(segment);
    if (c.problem || !SCANNED_KINDS.has(c.kind)) return c;
    const read = isReadKind(c.kind);
    const hazard = findHazard(segment, read);
    if (!hazard) return c;
    if (hazard.write && read)
      return { kind: 'dml' as const, keyword: `${c.keyword} … ${hazard.label ?? ''}`.trim() };
    if (hazard.write) return c;
    return { ...c, problem: hazard.reason };
  });
  const keyword = classes.map((c) => c.keyword).join(' ->> ');
  // The step that needs the most permission decides for the whole pipeline.
  const worst = classes.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  if (isReadKind(worst.kind) && !worst.problem) return { kind: classes[0].kind, keyword };
  return { ...worst, keyword };
}
