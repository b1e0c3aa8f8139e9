/**
 * Session isolation on pooled connections. Each connection remembers the state it had when it was
 * created (its baseline: database, schema, role, warehouse, as Snowflake reports them in every
 * response's final* fields) and its current state. A request's database/schema are applied with
 * USE only when they differ from the current state; after the request the connection goes back to
 * its baseline, or is destroyed when the statement may have changed state smcp cannot see or undo
 * (ALTER SESSION, SET variables, transactions, temporary objects, procedures).
 */

/** The session context Snowflake reports after each statement. */
export interface SessionContext {
  readonly database: string | null;
  readonly schema: string | null;
  readonly role: string | null;
  readonly warehouse: string | null;
}

/** What the driver's statement.getSessionState() returns. */
interface DriverSessionState {
  getCurrentDatabase?(): unknown;
  getCurrentSchema?(): unknown;
  getCurrentRole?(): unknown;
  getCurrentWarehouse?(): unknown;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Reads the final* fields of a finished statement (`statement.getSessionState()`); undefined when
 * the response carried none (then smcp cannot verify isolation and destroys instead of resetting).
 */
export function sessionContextOf(state: unknown): SessionContext | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const s = state as DriverSessionState;
  const ctx = {
    database: text(s.getCurrentDatabase?.()),
    schema: text(s.getCurrentSchema?.()),
    role: text(s.getCurrentRole?.()),
    warehouse: text(s.getCurrentWarehouse?.()),
  };
  return ctx.database === null && ctx.schema === null && ctx.role === null && ctx.warehouse === null
    ? undefined
    : ctx;
}

/** True when two contexts name the same database, schema, role and warehouse. */
export function sameContext(a: SessionContext | undefined, b: SessionContext | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return (
    a.database === b.database && a.schema === b.schema && a.role === b.role && a.warehouse === b.warehouse
  );
}

/** Strips leading whitespace and comments (`--`, `//`, `/* *\/`) from SQL text. */
export function stripLeadingComments(sql: string): string {
  let rest = sql;
  for (let i = 0; i < 1000; i++) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith('--') || trimmed.startsWith('//')) {
      const nl = trimmed.indexOf('\n');
      rest = nl < 0 ? '' : trimmed.slice(nl + 1);
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/');
      rest = end < 0 ? '' : trimmed.slice(end + 2);
    } else {
      return trimmed;
    }
  }
  return rest;
}

const STATE_CHANGING =
  /^(ALTER\s+SESSION|USE\b|SET\b|UNSET\b|BEGIN\b|START\s+TRANSACTION|COMMIT\b|ROLLBACK\b|CALL\b|EXECUTE\s+IMMEDIATE|DECLARE\b|CREATE\s+(OR\s+REPLACE\s+)?(LOCAL\s+|GLOBAL\s+)?(TEMP|TEMPORARY|VOLATILE)\b)/i;

/**
 * True when a statement may change session state that final* fields do not show: session
 * parameters, variables, transactions, temporary objects, or anything a procedure might do.
 * A connection that ran one is destroyed rather than returned to the pool. (Snowflake blocks
 * a second statement in the same text through MULTI_STATEMENT_COUNT=1, so the first keyword
 * decides.)
 */
export function mayChangeSessionState(sql: string): boolean {
  return STATE_CHANGING.test(stripLeadingComments(sql));
}

/**
 * Quotes an identifier for USE: a plain identifier (letters, digits, _ and $, not starting with a
 * digit) is passed as written, so Snowflake folds it to upper case like any unquoted name; anything
 * else, or anything already quoted, is used as a quoted identifier.
 */
export function quoteUseName(name: string): string {
  if (/^"(?:[^"]|"")+"$/.test(name)) return name;
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) return name;
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Folds an identifier the way Snowflake resolves it, for comparison with final* names. */
export function resolvedName(name: string): string {
  if (/^"(?:[^"]|"")+"$/.test(name)) return name.slice(1, -1).replace(/""/g, '"');
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name.toUpperCase() : name;
}

/**
 * The USE statements that bring `current` to the requested database/schema, in order; empty when
 * nothing needs to change. `schema` without `database` is used within the current database.
 */
export function useStatementsFor(
  current: SessionContext | undefined,
  want: { database?: string; schema?: string },
): string[] {
  const out: string[] = [];
  const db = want.database;
  const dbChanges = db !== undefined && resolvedName(db) !== current?.database;
  if (db !== undefined && dbChanges) out.push(`USE DATABASE ${quoteUseName(db)}`);
  if (want.schema !== undefined) {
    const schemaChanges = dbChanges || resolvedName(want.schema) !== current?.schema;
    if (schemaChanges) {
      const qualified =
        db !== undefined ? `${quoteUseName(db)}.${quoteUseName(want.schema)}` : quoteUseName(want.schema);
      out.push(`USE SCHEMA ${qualified}`);
    }
  }
  return out;
}

/**
 * The statements that take a connection from `current` back to `baseline`, or undefined when
 * that is impossible with USE alone (e.g. the baseline had no database: Snowflake cannot "unuse"
 * one), in which case the connection must be destroyed.
 */
export function resetStatementsFor(current: SessionContext, baseline: SessionContext): string[] | undefined {
  const out: string[] = [];
  const quoted = (name: string): string => '"' + name.replace(/"/g, '""') + '"';
  if (current.role !== baseline.role) {
    if (baseline.role === null) return undefined;
    out.push(`USE ROLE ${quoted(baseline.role)}`);
  }
  if (current.warehouse !== baseline.warehouse) {
    if (baseline.warehouse === null) return undefined;
    out.push(`USE WAREHOUSE ${quoted(baseline.warehouse)}`);
  }
  if (current.database !== baseline.database || current.schema !== baseline.schema) {
    // USE DATABASE also selects PUBLIC, so a baseline without a schema cannot be restored.
    if (baseline.database === null || baseline.schema === null) return undefined;
    out.push(`USE SCHEMA ${quoted(baseline.database)}.${quoted(baseline.schema)}`);
  }
  return out;
}
