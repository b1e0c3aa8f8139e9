/** The guard's public types; see index.ts for the policy they serve. */

/** What smcp was started to permit: `--allow-write` and `--allow-ddl`. */
export interface GuardPolicy {
  allowWrite: boolean;
  allowDdl: boolean;
}

/** The class of one statement, as the guard understood it; `unknown` is always refused. */
export type StatementKind =
  | 'select'
  | 'show'
  | 'describe'
  | 'explain'
  | 'dml'
  | 'ddl'
  | 'dcl'
  | 'session'
  | 'transaction'
  | 'copy'
  | 'file'
  | 'procedural'
  | 'unknown';

/** One statement of the text. */
export interface ClassifiedStatement {
  /** 1-based position in the text, as in the refusal message. */
  index: number;
  /** The statement's text, trimmed; at most 200 characters (longer ones end in `…`). */
  text: string;
  kind: StatementKind;
  /** The leading keyword(s) as understood, e.g. `SELECT`, `WITH … DELETE`, `CREATE TABLE`, `USE ROLE`. */
  keyword: string;
}

/**
 * The guard's answer. `allowed: false` names the 1-based `index` of the first refused statement
 * and gives one sentence saying which statement and why; `index` is 0 when the text as a whole is
 * refused (no statement at all).
 */
export type GuardVerdict =
  | { allowed: true; statements: ClassifiedStatement[]; readOnly: boolean }
  | { allowed: false; statements: ClassifiedStatement[]; index: number; reason: string };

/** The guard's answer for a query_view WHERE or ORDER BY fragment. */
export type FragmentVerdict = { allowed: true } | { allowed: false; reason: string };
