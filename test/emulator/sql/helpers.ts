/**
 * Helpers for the SQL engine tests: a session factory and a `query` that returns columns and all rows.
 */
import { randomUUID } from 'node:crypto';
import type { ColumnMeta, EmulatorSession, ExecuteOptions } from '../../../src/emulator/engine-types.js';
import type { SqlEngine } from '../../../src/emulator/sql/engine.js';

/** A session like the wire server creates at login (SAMPLE_DB.SALES on COMPUTE_WH by default). */
export function makeSession(overrides: Partial<EmulatorSession> = {}): EmulatorSession {
  return {
    id: randomUUID(),
    user: 'TEST_USER',
    grantedRoles: ['PUBLIC', 'SYSADMIN', 'SMCP_READONLY'],
    role: 'SYSADMIN',
    warehouse: 'COMPUTE_WH',
    database: 'SAMPLE_DB',
    schema: 'SALES',
    params: new Map(),
    ...overrides,
  };
}

/** Columns and every encoded row of one statement. */
export interface QueryOutput {
  columns: ColumnMeta[];
  names: string[];
  rows: (string | null)[][];
  statementTypeId: number;
}

/** Runs `sql` and reads every row (keep results small). */
export async function query(
  engine: SqlEngine,
  session: EmulatorSession,
  sql: string,
  options: Partial<ExecuteOptions> = {},
): Promise<QueryOutput> {
  const result = await engine.execute(session, sql, { queryId: randomUUID(), ...options });
  try {
    const rows = await result.readRows(0, result.rowCount);
    return {
      columns: result.columns,
      names: result.columns.map((c) => c.name),
      rows,
      statementTypeId: result.statementTypeId,
    };
  } finally {
    result.close();
  }
}

/** The Snowflake error code a failing statement gives, or 'no error'. */
export async function errorOf(
  engine: SqlEngine,
  session: EmulatorSession,
  sql: string,
  options: Partial<ExecuteOptions> = {},
): Promise<{ code: string; sqlState: string; message: string }> {
  try {
    await query(engine, session, sql, options);
  } catch (err) {
    const e = err as { code?: unknown; sqlState?: unknown; message?: unknown };
    return { code: String(e.code), sqlState: String(e.sqlState), message: String(e.message) };
  }
  return { code: 'no error', sqlState: '', message: '' };
}
