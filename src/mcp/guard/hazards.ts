/**
 * Scans a statement's tokens, at every depth, for things that make an otherwise harmless statement
 * act: procedure calls, SYSTEM$ functions outside the allow-list, TABLE(<procedure>), dynamic
 * function names, sequence NEXTVAL, FOR UPDATE, (in reads) write keywords anywhere, and anything
 * but a table where a table goes: calls that are not built-in table functions, and string
 * literals (DuckDB, under the emulator, reads `FROM '/etc/passwd'` as a file). One pass, linear in
 * the number of tokens, whatever their nesting.
 */
import {
  FUNCTION_DENY,
  READ_FORBIDDEN_WORDS,
  SYSTEM_FUNCTION_ALLOW,
  SYSTEM_FUNCTION_REASONS,
  isBuiltinTableFunction,
} from './lists.js';
import { Tok } from './tokens.js';
import type { TokenList } from './tokens.js';

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

/** What is scanned: a read, DML, DDL or COPY INTO (a few places differ, see findHazard). */
export type ScanKind = 'read' | 'dml' | 'ddl' | 'copy';

const QUOTE_HINT = ' (if it is an identifier, write it in double quotes)';
const NAME_MAX = 60;

/** A name or literal as shown in a reason: long ones are cut. */
function shown(text: string): string {
  return text.length <= NAME_MAX ? text : `${text.slice(0, NAME_MAX - 1)}…`;
}

function systemFunctionHazard(name: string): Hazard | undefined {
  if (!name.startsWith('SYSTEM$') || SYSTEM_FUNCTION_ALLOW.has(name)) return undefined;
  const why = SYSTEM_FUNCTION_REASONS.find(([re]) => re.test(name))?.[1];
  return {
    reason: why
      ? `calls ${shown(name)}, which ${why}`
      : `calls ${shown(name)}, which is not on smcp's allow-list of read-only SYSTEM$ functions`,
    write: false,
  };
}

const procedureHazard = (what: string): Hazard => ({
  reason: `uses ${what}, which may call a stored procedure; only built-in table functions are allowed there`,
  write: false,
});

const stringTableHazard = (literal: string): Hazard => ({
  reason: `names a string literal where a table goes (${shown(literal)}); Snowflake has no such syntax`,
  write: false,
});

// Words after which the next token is where a table goes.
const TABLE_TRIGGERS = new Set(['FROM', 'JOIN', 'USING', 'LATERAL']);
// Words that end a FROM list, so that a later `,` no longer separates tables. Only words that can
// never be a table alias here (DuckDB takes `FROM t minus, x` as the alias MINUS).
const FROM_LIST_ENDS = new Set([
  'SELECT',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'WINDOW',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'WHEN',
  'THEN',
]);
// Words that may be followed by `(` where a table goes without being a function call.
const NOT_CALLS_AS_TABLES = new Set([
  'VALUES',
  'DIRECTORY',
  'TABLE',
  'IDENTIFIER',
  'LATERAL',
  'SELECT',
  'WITH',
]);
// A name followed by `(` right after these is not a call: a column list or a RETURNS TABLE (…) shape.
const NOT_A_CALL_AFTER = new Set(['INTO', 'TABLE', 'VIEW', 'EXISTS', 'UPDATE', 'RETURNS', 'REPLACE']);
// Where DDL ends its head: after these (at the top level) comes a query.
const DDL_BODY_STARTS = new Set(['AS', 'SELECT', 'WITH']);

// Per parenthesis level: a FROM list is open; the level is EXTRACT's argument list.
const FROM_LIST = 1;
const EXTRACT_ARGS = 2;

/**
 * The first hazard in tokens [from, to) of `ts` (one statement without its top-level ->> steps,
 * or a fragment), or undefined. Always checked: CALL and EXECUTE anywhere, SYSTEM$ functions off
 * the allow-list, denied functions, TABLE(<not a built-in table function>), calls where a table
 * goes, IDENTIFIER(…)(…), `!` methods, nested ->>, NEXTVAL (a write hazard), and a string literal
 * where a table goes (after FROM, JOIN, USING, LATERAL, a `,` of a FROM list, DESCRIBE and SHOW) —
 * except COPY INTO's own `FROM '<location>'` and the head of DDL before its query
 * (`CREATE STREAMLIT … FROM '@stage'`), which are Snowflake syntax. A read (`scan` 'read') is
 * also refused for write keywords anywhere, FOR UPDATE and MERGE/COPY INTO.
 */
export function findHazard(ts: TokenList, from: number, to: number, scan: ScanKind): Hazard | undefined {
  return new HazardScan(ts, from, to, scan).run();
}

/** One scan of one range; a class so that a scan of many short statements allocates little. */
class HazardScan {
  private readonly read: boolean;
  /** Per open parenthesis (and the top level): FROM_LIST and EXTRACT_ARGS flags. */
  private readonly scopes: number[] = [0];
  /** True in DDL until its query starts (AS, SELECT or WITH at the top level). */
  private ddlHead: boolean;

  constructor(
    private readonly ts: TokenList,
    private readonly from: number,
    private readonly to: number,
    private readonly scan: ScanKind,
  ) {
    this.read = scan === 'read';
    this.ddlHead = scan === 'ddl';
  }

  private kind(i: number): number {
    return i >= this.from && i < this.to ? this.ts.kind(i) : Tok.None;
  }

  private name(i: number): string | undefined {
    return i >= this.from && i < this.to ? this.ts.name(i) : undefined;
  }

  private word(i: number): string | undefined {
    return this.kind(i) === Tok.Word ? this.ts.name(i) : undefined;
  }

  private isName(i: number): boolean {
    const k = this.kind(i);
    return k === Tok.Word || k === Tok.Quoted;
  }

  run(): Hazard | undefined {
    const { ts, from, to } = this;
    const first = this.word(from);
    if (this.read && (first === 'DESCRIBE' || first === 'DESC' || first === 'SHOW')) {
      // DESCRIBE '…' and SHOW '…' describe a file under DuckDB; DESCRIBE RESULT '<query id>' is Snowflake.
      const second = this.word(from + 1);
      const at = second !== undefined && second !== 'RESULT' && second !== 'LIKE' ? from + 2 : from + 1;
      const k = this.kind(at);
      if (k === Tok.String || k === Tok.Dollar) return stringTableHazard(ts.text(at));
    }
    for (let i = from; i < to; i++) {
      const k = ts.kind(i);
      if (k === Tok.LParen) {
        this.scopes.push(this.word(i - 1) === 'EXTRACT' ? EXTRACT_ARGS : 0);
        continue;
      }
      if (k === Tok.RParen) {
        if (this.scopes.length > 1) this.scopes.pop();
        continue;
      }
      if (k === Tok.Bang) {
        return { reason: 'calls a class instance method (!), which smcp cannot classify', write: false };
      }
      // Top-level ->> is split off before the scan, so one here is nested (or in a fragment).
      if (k === Tok.Flow) return { reason: 'uses the ->> flow operator inside an expression', write: false };
      if (k === Tok.Comma) {
        if (this.scopes[this.scopes.length - 1] & FROM_LIST) {
          const h = this.tablePositionHazard(i, ',');
          if (h) return h;
        }
        continue;
      }
      if (k !== Tok.Word && k !== Tok.Quoted) continue;
      const h = this.nameHazard(i, k);
      if (h) return h;
    }
    return undefined;
  }

  /** Hazards at a word or quoted identifier. */
  private nameHazard(i: number, k: number): Hazard | undefined {
    const { ts } = this;
    const before = this.kind(i - 1);
    const afterPathDot = before === Tok.Dot || before === Tok.Colon;
    const call = this.kind(i + 1) === Tok.LParen;
    // A name inside a path (`a.b.c`, `v:x`) that is not called needs no look at all; except NEXTVAL.
    if (afterPathDot && !call) {
      const length = ts.end(i) - ts.start(i);
      if (k === Tok.Word && length !== 7 && length !== 10) return undefined;
    }
    const n = ts.name(i)!;
    if ((n === 'NEXTVAL' || n === 'GETNEXTVAL') && (afterPathDot || call)) {
      return { reason: `advances a sequence (${n})`, write: true, label: n };
    }
    if (k === Tok.Word && !afterPathDot) {
      const h = this.wordHazard(i, n);
      if (h) return h;
    }
    if (!call) return undefined;
    const sys = systemFunctionHazard(n);
    if (sys) return sys;
    const denied = FUNCTION_DENY.get(n);
    if (denied) return { reason: denied.reason, write: denied.write, label: n };
    const notACall = NOT_A_CALL_AFTER.has(this.word(i - 1) ?? '');
    if (k !== Tok.Word || notACall) return undefined;
    if (n === 'TABLE') return tableCallHazard(ts, i + 1, this.to);
    if (n === 'IDENTIFIER') {
      const close = ts.partner(i + 1);
      if (close > 0 && this.kind(close + 1) === Tok.LParen) {
        return { reason: 'calls a function named by IDENTIFIER(…), which smcp cannot check', write: false };
      }
    }
    return undefined;
  }

  /** Hazards of a keyword (a word not after `.` or `:`), and the FROM-list bookkeeping. */
  private wordHazard(i: number, w: string): Hazard | undefined {
    const top = this.scopes.length - 1;
    if (this.ddlHead && top === 0 && DDL_BODY_STARTS.has(w)) this.ddlHead = false;
    if (TABLE_TRIGGERS.has(w)) {
      // `a IS [NOT] DISTINCT FROM x` compares; `EXTRACT(part FROM x)` takes a value.
      const distinctFrom =
        w === 'FROM' &&
        this.word(i - 1) === 'DISTINCT' &&
        (this.word(i - 2) === 'IS' || (this.word(i - 2) === 'NOT' && this.word(i - 3) === 'IS'));
      const extractFrom = w === 'FROM' && (this.scopes[top] & EXTRACT_ARGS) !== 0;
      if (!distinctFrom && !extractFrom) {
        this.scopes[top] |= FROM_LIST;
        const h = this.tablePositionHazard(i, w);
        if (h) return h;
      }
    } else if (FROM_LIST_ENDS.has(w)) this.scopes[top] &= ~FROM_LIST;
    if (w === 'CALL') return { reason: 'calls a procedure (CALL)', write: false };
    // EXECUTE AS CALLER/OWNER is a clause of CREATE PROCEDURE; any other EXECUTE runs something.
    if (w === 'EXECUTE' && this.name(i + 1) !== 'AS') return { reason: 'contains EXECUTE', write: false };
    if (!this.read) return undefined;
    if (w === 'UPDATE' && this.name(i - 1) === 'FOR') {
      return { reason: 'locks rows (SELECT … FOR UPDATE)', write: true, label: 'FOR UPDATE' };
    }
    const forbidden = READ_FORBIDDEN_WORDS.get(w);
    if (forbidden) return { reason: `${forbidden}${QUOTE_HINT}`, write: false };
    if ((w === 'MERGE' || w === 'COPY') && this.name(i + 1) === 'INTO') {
      return { reason: `contains ${w} INTO`, write: false };
    }
    return undefined;
  }

  /** What follows a word or `,` after which a table goes (`trigger`: that word, or ','). */
  private tablePositionHazard(i: number, trigger: string): Hazard | undefined {
    const next = this.kind(i + 1);
    if (next === Tok.String || next === Tok.Dollar) {
      const top = this.scopes.length === 1;
      const exempt =
        (this.scan === 'copy' && top && trigger === 'FROM') ||
        (this.ddlHead && top && (trigger === 'FROM' || trigger === 'USING'));
      return exempt ? undefined : stringTableHazard(this.ts.text(i + 1));
    }
    // A dotted name followed by `(`: a call where a table goes may be a procedure or UDTF.
    if (!this.isName(i + 1)) return undefined;
    let j = i + 1;
    while (this.kind(j + 1) === Tok.Dot && this.isName(j + 2)) j += 2;
    if (this.kind(j + 1) !== Tok.LParen) return undefined;
    if (j === i + 1 && next === Tok.Word && NOT_CALLS_AS_TABLES.has(this.word(j)!)) return undefined;
    // Snowflake names have at most three parts; longer ones are never built-in.
    if (j - i <= 5) {
      const parts: string[] = [];
      for (let k = i + 1; k <= j; k += 2) parts.push(this.name(k)!);
      if (isBuiltinTableFunction(parts)) return undefined;
    }
    const fn = this.name(j)!;
    const denied = FUNCTION_DENY.get(fn);
    if (denied) return { reason: denied.reason, write: denied.write, label: fn };
    const start = this.ts.start(i + 1);
    const text = this.ts.sql.slice(start, Math.min(this.ts.end(j), start + NAME_MAX + 1));
    return systemFunctionHazard(fn) ?? procedureHazard(`${shown(text.toUpperCase())}(…) as a table`);
  }
}

const TABLE_HAZARD: Hazard = {
  reason: 'uses TABLE(…) with something other than a built-in table function',
  write: false,
};

/** True when token `j` (before `close`) is a word or quoted identifier. */
function isNameBefore(ts: TokenList, j: number, close: number): boolean {
  const k = j < close ? ts.kind(j) : Tok.None;
  return k === Tok.Word || k === Tok.Quoted;
}

/** Checks what TABLE( … ) wraps: a built-in table function, a table name literal, or nothing else. */
function tableCallHazard(ts: TokenList, open: number, to: number): Hazard | undefined {
  const pair = ts.partner(open);
  const close = pair < 0 || pair > to ? to : pair;
  const first = ts.kind(open + 1);
  const length = close - open - 1;
  // TABLE('db.s.t'), TABLE($$db.s.t$$), TABLE($var), TABLE(?), TABLE(:1): a table named by a literal or bind.
  if (
    length === 1 &&
    (first === Tok.String || first === Tok.Dollar || first === Tok.Variable || first === Tok.Bind)
  )
    return undefined;
  if (length === 2 && first === Tok.Colon) return undefined;
  // A dotted name followed by `(`.
  if (!isNameBefore(ts, open + 1, close)) return TABLE_HAZARD;
  let last = open + 1;
  while (ts.kind(last + 1) === Tok.Dot && isNameBefore(ts, last + 2, close)) last += 2;
  const callOpen = last + 1;
  if (callOpen >= close || ts.kind(callOpen) !== Tok.LParen) return TABLE_HAZARD;
  // Snowflake names have at most three parts; longer ones are never built-in.
  const parts: string[] = [];
  if (last - open <= 5) for (let j = open + 1; j <= last; j += 2) parts.push(ts.name(j)!);
  // TABLE(IDENTIFIER('db.s.t')) names a table.
  if (parts.length === 1 && parts[0] === 'IDENTIFIER' && ts.partner(callOpen) === close - 1) return undefined;
  if (parts.length > 0 && isBuiltinTableFunction(parts)) return undefined;
  const fn = ts.name(last)!;
  const denied = FUNCTION_DENY.get(fn);
  if (denied) return { reason: denied.reason, write: denied.write, label: fn };
  const text = ts.sql.slice(ts.start(open + 1), Math.min(ts.end(last), ts.start(open + 1) + NAME_MAX + 1));
  return systemFunctionHazard(fn) ?? procedureHazard(`TABLE(${shown(text.toUpperCase())}(…))`);
}
