/**
 * Classifies one statement (a range of tokens, comments already gone) by its leading keywords,
 * looking through WITH clauses, EXPLAIN and ->> flow pipelines to the statement that actually
 * runs, then scans it for hazards. Anything it does not recognise is `unknown`, which is always
 * refused. Every step is linear in the statement's tokens.
 */
import { findHazard } from './hazards.js';
import type { ScanKind } from './hazards.js';
import { ADMIN_OBJECT_WORDS, DDL_MODIFIERS } from './lists.js';
import { Tok } from './tokens.js';
import type { TokenList } from './tokens.js';
import type { StatementKind } from './verdicts.js';

/** A statement's class; `problem` is a refusal that holds under every policy. */
export interface Classification {
  kind: StatementKind;
  keyword: string;
  problem?: string;
}

const READ_KINDS: ReadonlySet<StatementKind> = new Set(['select', 'show', 'describe', 'explain']);

/** True for the kinds a read-only smcp runs. */
export const isReadKind = (kind: StatementKind): boolean => READ_KINDS.has(kind);

// Kinds some policy may allow, so their whole text is scanned; the rest are refused as they stand.
function scanKind(kind: StatementKind): ScanKind | undefined {
  if (READ_KINDS.has(kind)) return 'read';
  if (kind === 'dml' || kind === 'ddl' || kind === 'copy') return kind;
  return undefined;
}

/** Tokens [from, to) of one statement or ->> step. */
interface Span {
  readonly ts: TokenList;
  readonly from: number;
  readonly to: number;
}

const wordAt = (s: Span, i: number): string | undefined => (i < s.to ? s.ts.word(i) : undefined);
const kindAt = (s: Span, i: number): number => (i < s.to ? s.ts.kind(i) : Tok.None);

const SELECT: Classification = Object.freeze({ kind: 'select', keyword: 'SELECT' });

/** Skips `WITH [RECURSIVE] name [(cols)] AS (…) [, …]`; returns the index after it, or -1. */
function skipCtes(s: Span): number {
  let i = s.from + 1;
  if (wordAt(s, i) === 'RECURSIVE') i++;
  for (;;) {
    const k = kindAt(s, i);
    if (k !== Tok.Word && k !== Tok.Quoted) return -1;
    i++;
    if (kindAt(s, i) === Tok.LParen) {
      const close = s.ts.partner(i);
      if (close < 0 || close >= s.to) return -1;
      i = close + 1;
    }
    if (wordAt(s, i) !== 'AS') return -1;
    i++;
    // A CTE body must be parenthesised; `WITH p AS PROCEDURE … CALL p()` is not a CTE.
    if (kindAt(s, i) !== Tok.LParen) return -1;
    const close = s.ts.partner(i);
    if (close < 0 || close >= s.to) return -1;
    i = close + 1;
    if (kindAt(s, i) !== Tok.Comma) return i;
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
function ddlShape(s: Span): { keyword: string; admin: boolean } {
  const verb = wordAt(s, s.from)!;
  let i = s.from + 1;
  while (wordAt(s, i) !== undefined && DDL_MODIFIERS.has(wordAt(s, i)!)) i++;
  const object = wordAt(s, i);
  if (object === undefined) return { keyword: verb, admin: false };
  const second = wordAt(s, i + 1);
  const admin =
    ADMIN_OBJECT_WORDS.has(object) ||
    (object === 'DATABASE' && second === 'ROLE') ||
    second === 'INTEGRATION' ||
    (object === 'EXTERNAL' && second === 'ACCESS');
  const typeWord = second !== undefined && SECOND_TYPE_WORDS.has(second) ? ` ${second}` : '';
  return { keyword: `${verb} ${object}${typeWord}`, admin };
}

function unknown(s: Span): Classification {
  const k = kindAt(s, s.from);
  const keyword =
    k === Tok.Word ? wordAt(s, s.from)! : k === Tok.Quoted ? 'quoted' : s.ts.text(s.from).slice(0, 20);
  return { kind: 'unknown', keyword };
}

/** Classifies a statement without the ->> split; the span is non-empty. */
function classifyOne(s: Span): Classification {
  if (kindAt(s, s.from) === Tok.LParen) {
    let i = s.from;
    while (kindAt(s, i) === Tok.LParen) i++;
    // `(SELECT …) UNION (…)`: what runs is what the parentheses open with.
    const inner = i < s.to ? classifyOne({ ...s, from: i }) : unknown(s);
    return inner.kind === 'select' ? inner : { ...inner, kind: 'unknown', keyword: `(${inner.keyword}` };
  }
  const w = wordAt(s, s.from);
  const w2 = wordAt(s, s.from + 1);
  switch (w) {
    case 'SELECT':
      return SELECT;
    case 'WITH': {
      const after = skipCtes(s);
      if (after < 0)
        return { kind: 'unknown', keyword: 'WITH', problem: 'has a WITH clause smcp cannot parse' };
      const main = wordAt(s, after);
      if (main === 'SELECT' || kindAt(s, after) === Tok.LParen)
        return { kind: 'select', keyword: 'WITH … SELECT' };
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
      let i = s.from + 1;
      if (w2 === 'USING') i += 2;
      let k = i;
      while (kindAt(s, k) === Tok.LParen) k++;
      // EXPLAIN EXPLAIN … is not Snowflake; refusing it also bounds the recursion.
      if (i >= s.to || wordAt(s, k) === 'EXPLAIN') return unknown(s);
      const inner = classifyOne({ ...s, from: i });
      if (inner.kind === 'select') return { kind: 'explain', keyword: `EXPLAIN ${inner.keyword}` };
      return { ...inner, keyword: `EXPLAIN ${inner.keyword}` };
    }
    case 'INSERT': {
      const mod = w2 === 'OVERWRITE' ? wordAt(s, s.from + 2) : w2;
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
      const shape = ddlShape(s);
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
      return w2 === 'TRANSACTION' ? { kind: 'transaction', keyword: 'START TRANSACTION' } : unknown(s);
    case 'COMMIT':
    case 'ROLLBACK':
      return { kind: 'transaction', keyword: w };
    case 'DECLARE':
      return { kind: 'procedural', keyword: 'DECLARE' };
    case 'CALL':
      return { kind: 'procedural', keyword: 'CALL' };
    case 'EXECUTE':
      return { kind: 'procedural', keyword: w2 ? `EXECUTE ${w2}` : 'EXECUTE' };
    case 'COPY':
      return classifyCopy(s, w2);
    case 'PUT':
    case 'GET':
    case 'REMOVE':
    case 'RM':
    case 'LIST':
    case 'LS':
      return { kind: 'file', keyword: w };
    default:
      return unknown(s);
  }
}

function classifyCopy(s: Span, w2: string | undefined): Classification {
  const target = kindAt(s, s.from + 2);
  const known = [Tok.Word, Tok.Quoted, Tok.Stage, Tok.String] as number[];
  if (w2 !== 'INTO' || !known.includes(target)) {
    return {
      kind: 'copy',
      keyword: w2 ? `COPY ${w2}` : 'COPY',
      problem: 'is a COPY form smcp does not run (only COPY INTO <table>)',
    };
  }
  if (target === Tok.Stage || target === Tok.String) {
    return {
      kind: 'copy',
      keyword: 'COPY INTO',
      problem: 'unloads data to a stage or external location (COPY INTO <location>)',
    };
  }
  return { kind: 'copy', keyword: 'COPY INTO' };
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
function splitFlow(s: Span): Span[] {
  const segments: Span[] = [];
  let depth = 0;
  let from = s.from;
  for (let i = s.from; i < s.to; i++) {
    const k = s.ts.kind(i);
    if (k === Tok.LParen) depth++;
    else if (k === Tok.RParen) depth--;
    else if (depth === 0 && k === Tok.Flow) {
      segments.push({ ts: s.ts, from, to: i });
      from = i + 1;
    }
  }
  segments.push({ ts: s.ts, from, to: s.to });
  return segments;
}

const UNBALANCED = 0;
const PLAIN = 1;
const PIPELINE = 2;

/** UNBALANCED parentheses, a PIPELINE (a ->> at the top level), or PLAIN; one pass. */
function shape(s: Span): number {
  let depth = 0;
  let flow = false;
  for (let i = s.from; i < s.to; i++) {
    const k = s.ts.kind(i);
    if (k === Tok.LParen) depth++;
    else if (k === Tok.RParen && --depth < 0) return UNBALANCED;
    else if (k === Tok.Flow && depth === 0) flow = true;
  }
  return depth !== 0 ? UNBALANCED : flow ? PIPELINE : PLAIN;
}

// A pipeline's keyword names at most this many steps, so a long chain keeps a short label.
const KEYWORD_STEPS = 4;

function pipelineKeyword(classes: readonly Classification[], worst: number): string {
  if (classes.length <= KEYWORD_STEPS) return classes.map((c) => c.keyword).join(' ->> ');
  const head = classes.slice(0, KEYWORD_STEPS - 1).map((c) => c.keyword);
  const tail = worst >= KEYWORD_STEPS - 1 ? classes[worst].keyword : classes[classes.length - 1].keyword;
  return `${head.join(' ->> ')} ->> … ->> ${tail}`;
}

/** Classifies one statement or ->> step and scans it for hazards. */
function classifySegment(segment: Span): Classification {
  const c = classifyOne(segment);
  const scan = scanKind(c.kind);
  if (c.problem || !scan) return c;
  const hazard = findHazard(segment.ts, segment.from, segment.to, scan);
  if (!hazard) return c;
  if (hazard.write && scan === 'read')
    return { kind: 'dml', keyword: `${c.keyword} … ${hazard.label ?? ''}`.trim() };
  if (hazard.write) return c;
  return { ...c, problem: hazard.reason };
}

/**
 * Classifies one statement: tokens [from, to) of `ts`, non-empty, no `;`. A ->> pipeline is
 * classified by its step that needs the most permission (so `SHOW TABLES ->> SELECT …` is a read).
 * Hazards found in a read that only write (NEXTVAL, FOR UPDATE) turn it into `dml`; other hazards
 * become the `problem`.
 */
export function classifyStatement(ts: TokenList, from: number, to: number): Classification {
  const statement: Span = { ts, from, to };
  const form = shape(statement);
  if (form === UNBALANCED) {
    return {
      kind: 'unknown',
      keyword: unknown(statement).keyword,
      problem: 'has unbalanced parentheses and cannot be parsed safely',
    };
  }
  if (form === PLAIN) return classifySegment(statement);
  const segments = splitFlow(statement);
  if (segments.some((s) => s.from >= s.to)) {
    return { kind: 'unknown', keyword: '->>', problem: 'has an empty step in a ->> pipeline' };
  }
  const classes = segments.map(classifySegment);
  // The step that needs the most permission decides for the whole pipeline.
  let worst = 0;
  for (let k = 1; k < classes.length; k++) if (rank(classes[k]) > rank(classes[worst])) worst = k;
  const keyword = pipelineKeyword(classes, worst);
  const decisive = classes[worst];
  if (isReadKind(decisive.kind) && !decisive.problem) return { kind: classes[0].kind, keyword };
  return { ...decisive, keyword };
}
