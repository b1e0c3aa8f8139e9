/**
 * smcp's read-only guard: a Snowflake SQL classifier that denies on doubt. It tokenizes the text
 * as Snowflake does (comments, '…' and $$…$$ strings, "quoted identifiers" never count as code; a
 * `--` or `//` comment ends only at a line feed) and refuses text that another lexer could split
 * differently (control characters other than tab, line feed and CRLF outside strings, line-end
 * look-alikes such as U+2028 even in comments, look-alike spaces next to comment markers). It
 * splits the text on every `;`, classifies each statement by what actually runs (through WITH,
 * EXPLAIN and ->> pipelines) and scans each one, at every depth, for calls that act and for
 * anything but a table where a table goes. All of it is linear in the length of the text (1 MB at
 * most). One layer of three: smcp also sets MULTI_STATEMENT_COUNT=1 on every session, and the
 * README shows a read-only role.
 *
 * Policy (✓ allowed, ✗ refused):
 *
 * | kind          | examples                                              | default | --allow-write | + --allow-ddl |
 * | ------------- | ----------------------------------------------------- | ------- | ------------- | ------------- |
 * | select        | SELECT, WITH … SELECT, (SELECT …) UNION …, ->> chains | ✓       | ✓             | ✓             |
 * | show/describe | SHOW …, DESCRIBE/DESC …                               | ✓       | ✓             | ✓             |
 * | explain       | EXPLAIN of a select (EXPLAIN of anything else takes   | ✓       | ✓             | ✓             |
 * |               | that statement's kind)                                |         |               |               |
 * | dml           | INSERT [OVERWRITE] [ALL/FIRST], UPDATE, DELETE, MERGE, | ✗       | ✓             | ✓             |
 * |               | TRUNCATE, WITH … DML, reads using NEXTVAL / FOR UPDATE |         |               |               |
 * | copy          | COPY INTO <table> (load)                              | ✗       | ✓             | ✓             |
 * | ddl           | CREATE, ALTER, DROP, UNDROP, COMMENT ON, CTAS         | ✗       | ✗             | ✓             |
 * | dcl           | GRANT, REVOKE, CREATE/ALTER/DROP USER, ROLE, ACCOUNT, | ✗       | ✗             | ✗             |
 * |               | INTEGRATION, NETWORK/PASSWORD/SESSION POLICY, SHARE … |         |               |               |
 * | session       | USE …, ALTER SESSION, SET/UNSET variables             | ✗       | ✗             | ✗             |
 * | transaction   | BEGIN, START TRANSACTION, COMMIT, ROLLBACK            | ✗       | ✗             | ✗             |
 * | procedural    | CALL, EXECUTE IMMEDIATE/TASK, BEGIN … END, DECLARE    | ✗       | ✗             | ✗             |
 * | file          | PUT, GET, LIST/LS, REMOVE/RM                          | ✗       | ✗             | ✗             |
 * | unknown       | anything else                                         | ✗       | ✗             | ✗             |
 *
 * Why the always-refused rows: sessions are pooled and shared between clients, so USE, ALTER
 * SESSION, variables and open transactions would leak into other clients' calls (the tools take
 * database/schema arguments instead); procedures, scripting and EXECUTE IMMEDIATE run SQL the guard
 * cannot see; PUT/GET read and write files on the smcp host; access control and account
 * administration are beyond what a data tool should do; COPY INTO <location> unloads data out of
 * Snowflake. Under every policy a statement is also refused when it calls a SYSTEM$ function
 * outside the read-only allow-list, TABLE(<not a built-in table function>) (it may be a procedure),
 * a function named by IDENTIFIER(…), a class method (`model!PREDICT`), CALL or EXECUTE anywhere,
 * TO_QUERY (SQL given as text), or a string literal where a table goes (`FROM '/etc/passwd'`: no
 * Snowflake syntax, but DuckDB reads it as a file under the emulator).
 *
 * Read-only mode runs one statement per call; with writes allowed several are accepted when each
 * one is. Known limit: user-defined and external functions cannot be told apart from built-ins by
 * name; the read-only role is the layer that covers them.
 */
import { classifyStatement, isReadKind } from './classify.js';
import type { Classification } from './classify.js';
import { Tok, tokenize } from './tokenizer.js';
import type { TokenList } from './tokenizer.js';
import type { ClassifiedStatement, GuardPolicy, GuardVerdict } from './verdicts.js';

export type {
  ClassifiedStatement,
  FragmentVerdict,
  GuardPolicy,
  GuardVerdict,
  StatementKind,
} from './verdicts.js';
export { checkFragment } from './fragment.js';

// Snowflake refuses statement text over 1 MB; refusing it here keeps the guard's work bounded.
const SQL_MAX = 1024 * 1024;
const TEXT_MAX = 200;
const QUOTE_MAX = 80;

function excerpt(text: string, max: number): string {
  const flat = text.trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function quoteOf(text: string): string {
  return `"${excerpt(text.replace(/\s+/g, ' '), QUOTE_MAX)}"`;
}

const KIND_LABEL: Record<string, string> = {
  dml: 'DML',
  ddl: 'DDL',
  copy: 'a data load (COPY INTO)',
};

/** Why a statement of this class is refused under this policy, or undefined when it is allowed. */
function refusal(c: Classification, policy: GuardPolicy): string | undefined {
  if (c.problem) return `${c.problem}; smcp refuses it under every setting`;
  const k = `(${c.keyword})`;
  switch (c.kind) {
    case 'select':
    case 'show':
    case 'describe':
    case 'explain':
      return undefined;
    case 'dml':
    case 'copy':
      return policy.allowWrite
        ? undefined
        : `is ${KIND_LABEL[c.kind]} ${k}; smcp is read-only (start it with --allow-write to permit writes)`;
    case 'ddl':
      if (policy.allowWrite && policy.allowDdl) return undefined;
      return policy.allowWrite
        ? `is DDL ${k}; DDL is not allowed (start smcp with --allow-ddl as well to permit DDL)`
        : `is DDL ${k}; smcp is read-only (start it with --allow-write --allow-ddl to permit DDL)`;
    case 'dcl':
      return `is access control or account administration ${k}; smcp never runs these`;
    case 'session':
      return `changes session state ${k}; smcp shares sessions between clients and never runs it (use the database and schema arguments instead)`;
    case 'transaction':
      return `is transaction control ${k}; smcp runs every statement on its own and never runs it`;
    case 'procedural':
      return `runs code smcp cannot inspect ${k}; procedures, scripting blocks and EXECUTE are never run`;
    case 'file':
      return `is a stage file command ${k}; smcp never runs PUT, GET, LIST or REMOVE`;
    case 'unknown':
      return `is not a statement smcp recognises ${k}; it is refused to be safe`;
  }
}

/** One statement's tokens: [from, to) of the token list. */
interface TokenRange {
  readonly from: number;
  readonly to: number;
}

/** Splits tokens into statements on every `;`, dropping empty ones. */
function splitStatements(ts: TokenList): TokenRange[] {
  const out: TokenRange[] = [];
  let from = 0;
  for (let i = 0; i <= ts.count; i++) {
    if (i < ts.count && ts.kind(i) !== Tok.Semi) continue;
    if (i > from) out.push({ from, to: i });
    from = i + 1;
  }
  return out;
}

/** A statement's place in the text: from its first token's start to its last token's end. */
export interface StatementSpan {
  readonly start: number;
  readonly end: number;
}

/** How the guard splits a text into statements, or why it will not read it. */
export type SqlSplit =
  { ok: true; statements: StatementSpan[]; semicolons: number[] } | { ok: false; reason: string };

/**
 * The guard's own reading of where statements begin and end (for checking it against other
 * lexers): the offsets of every `;` that separates statements, and the span of every non-empty
 * statement (comments around it excluded). Refuses, with the tokenizer's reason, exactly the texts
 * checkSql refuses as not parseable safely. Never throws.
 */
export function splitSqlStatements(sql: string): SqlSplit {
  const lexed = tokenize(sql);
  if (!lexed.ok) return { ok: false, reason: lexed.reason };
  const ts = lexed.tokens;
  const semicolons: number[] = [];
  for (let i = 0; i < ts.count; i++) if (ts.kind(i) === Tok.Semi) semicolons.push(ts.start(i));
  const statements = splitStatements(ts).map((r) => ({ start: ts.start(r.from), end: ts.end(r.to - 1) }));
  return { ok: true, statements, semicolons };
}

/** A statement's text for verdicts: at most TEXT_MAX characters, without copying a long one. */
function statementText(sql: string, start: number, end: number): string {
  return end - start <= TEXT_MAX ? sql.slice(start, end) : `${sql.slice(start, start + TEXT_MAX - 1)}…`;
}

/**
 * Classifies every statement of `sql` and decides whether smcp may run it under `policy`. Never
 * throws. Refuses text that cannot be tokenized safely, empty text, any refused statement (the
 * first one is named, with its 1-based index, excerpt and reason) and, in read-only mode, more
 * than one statement. `readOnly` is true when every statement is a read.
 */
export function checkSql(sql: string, policy: GuardPolicy): GuardVerdict {
  if (sql.length > SQL_MAX) {
    return {
      allowed: false,
      statements: [],
      index: 0,
      reason: `the SQL is longer than ${SQL_MAX} characters`,
    };
  }
  try {
    return checkSqlUnsafe(sql, policy);
  } catch {
    // Nothing below should throw; if it does, the answer is still a refusal, never a crash.
    return { allowed: false, statements: [], index: 0, reason: 'the SQL cannot be parsed safely' };
  }
}

function checkSqlUnsafe(sql: string, policy: GuardPolicy): GuardVerdict {
  const lexed = tokenize(sql);
  if (!lexed.ok) {
    const near = quoteOf(sql.slice(Math.max(0, lexed.offset - 20), lexed.offset + 40));
    return {
      allowed: false,
      statements: [],
      index: 0,
      reason: `the SQL cannot be parsed safely: ${lexed.reason} (near ${near})`,
    };
  }
  const ts = lexed.tokens;
  const parts = splitStatements(ts);
  if (parts.length === 0)
    return { allowed: false, statements: [], index: 0, reason: 'the SQL contains no statement' };

  const classes: Classification[] = [];
  const statements: ClassifiedStatement[] = [];
  for (const r of parts) {
    const c = classifyStatement(ts, r.from, r.to);
    classes.push(c);
    statements.push({
      index: statements.length + 1,
      text: statementText(sql, ts.start(r.from), ts.end(r.to - 1)),
      kind: c.kind,
      keyword: c.keyword,
    });
  }
  for (let i = 0; i < classes.length; i++) {
    const why = refusal(classes[i], policy);
    if (why) {
      const s = statements[i];
      return {
        allowed: false,
        statements,
        index: s.index,
        reason: `statement ${s.index} (${quoteOf(s.text)}) ${why}`,
      };
    }
  }
  if (statements.length > 1 && !policy.allowWrite) {
    const s = statements[1];
    return {
      allowed: false,
      statements,
      index: s.index,
      reason: `statement ${s.index} (${quoteOf(s.text)}) follows another one; smcp runs one statement per call (send them separately)`,
    };
  }
  return { allowed: true, statements, readOnly: statements.every((s) => isReadKind(s.kind)) };
}
