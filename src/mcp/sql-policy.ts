/**
 * Applies the SQL guard (src/mcp/guard/) for tools: one place that turns a refusal into the
 * error every transport reports the same way ("STATEMENT_REFUSED: statement 1: … "), so no tool
 * can forget a check or word a refusal differently.
 */
import { SmcpError } from '../errors.js';
import { checkFragment, checkSql } from './guard/index.js';
import { resultScanIds } from './guard/result-scan.js';

/** What kind of statement was refused, in words that never quote the SQL (safe for info logs). */
export interface RefusedStatement {
  /** The guard's class: dml, ddl, dcl, session, procedural, unknown, … or `unparsable`. */
  readonly kind: string;
  /** Its leading keywords as the guard read them, e.g. `DELETE`, `CREATE USER`. */
  readonly keyword: string;
}

/** A statement or fragment the guard refused; `statementIndex` is 1-based (0: the text as a whole). */
export class StatementRefusedError extends SmcpError {
  readonly statementIndex: number | undefined;
  readonly statement: RefusedStatement | undefined;

  constructor(message: string, statementIndex?: number, field?: string, statement?: RefusedStatement) {
    super('STATEMENT_REFUSED', message, field ? { field } : {});
    this.statementIndex = statementIndex;
    this.statement = statement;
  }
}

/** What the guard allowed. */
export interface AllowedSql {
  /** True when every statement only reads (a read-only statement may be retried). */
  readonly readOnly: boolean;
  readonly statementCount: number;
  /** The guard's class of the (one) statement: `select` reads table data. */
  readonly kind: string;
}

/**
 * Checks `sql` against the write switches. Throws StatementRefusedError with the guard's reason
 * (and which statement) when refused; smcp runs one statement per call, so more are refused too,
 * even when writes are allowed.
 */
export function assertSqlAllowed(
  sql: string,
  switches: { allowWrite: boolean; allowDdl: boolean },
): AllowedSql {
  const verdict = checkSql(sql, { allowWrite: switches.allowWrite, allowDdl: switches.allowDdl });
  if (!verdict.allowed) {
    const refused = verdict.statements[verdict.index - 1];
    throw new StatementRefusedError(
      verdict.reason,
      verdict.index,
      undefined,
      refused ? { kind: refused.kind, keyword: refused.keyword } : { kind: 'unparsable', keyword: '' },
    );
  }
  const statementCount = verdict.statements.length;
  // Every session runs with MULTI_STATEMENT_COUNT=1: say so now rather than let Snowflake fail.
  if (statementCount !== 1) {
    throw new StatementRefusedError(
      `the SQL holds ${statementCount} statements; smcp runs one statement per call (send them separately)`,
      2,
    );
  }
  return { readOnly: verdict.readOnly, statementCount, kind: verdict.statements[0]?.kind ?? 'unknown' };
}

/** Checks a WHERE or ORDER BY fragment of query_view; throws StatementRefusedError naming `field`. */
export function assertFragmentAllowed(fragment: string, kind: 'where' | 'order_by', field: string): void {
  const verdict = checkFragment(fragment, kind);
  if (!verdict.allowed) throw new StatementRefusedError(`${field}: ${verdict.reason}`, undefined, field);
}

/**
 * Checks that every query id `sql` reads with RESULT_SCAN belongs to the caller (`assertOwns`
 * throws RESULT_NOT_FOUND otherwise, as for an unknown id); an argument that is not one id
 * literal cannot be checked and is refused.
 */
export function assertResultScansOwned(sql: string, assertOwns: (queryId: string) => void): void {
  const scans = resultScanIds(sql);
  if ('dynamic' in scans) {
    throw new StatementRefusedError(
      'statement 1 calls RESULT_SCAN with something other than a query id literal; smcp can only check ' +
        "ids it returned to you (write RESULT_SCAN('<query id>'))",
      1,
    );
  }
  for (const id of scans.ids) assertOwns(id);
}
