/**
 * What a statement handler gets: the session, one DuckDB connection held for the statement, the
 * catalog, and an interruptible `run`. Shared by the engine, the command handlers and DDL.
 */
import type { DuckDBMaterializedResult, DuckDBValue } from '@duckdb/node-api';
import type { EmulatorSession } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { Catalog } from './catalog.js';
import type { PooledConnection } from './pool.js';
import { mapDuckError, statementCancelled } from './sql-errors.js';

/** Warehouses the emulator knows; UNAVAILABLE_WH always fails with 000606. */
export const WAREHOUSES: readonly { name: string; size: string; state: string }[] = [
  { name: 'COMPUTE_WH', size: 'X-Small', state: 'STARTED' },
  { name: 'UNAVAILABLE_WH', size: 'X-Small', state: 'SUSPENDED' },
];

/** The state one statement runs with. */
export class StatementContext {
  constructor(
    readonly session: EmulatorSession,
    readonly pooled: PooledConnection,
    readonly catalog: Catalog,
    readonly signal: AbortSignal,
    readonly account: string,
    readonly sqlText: string,
  ) {}

  /** Runs DuckDB SQL; an abort interrupts it and rejects with the abort's reason. */
  async run(sql: string, values?: DuckDBValue[]): Promise<DuckDBMaterializedResult> {
    this.throwIfAborted();
    const conn = this.pooled.conn;
    const onAbort = (): void => conn.interrupt();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return values && values.length > 0 ? await conn.run(sql, values) : await conn.run(sql);
    } catch (err) {
      this.throwIfAborted();
      throw mapDuckError(err, this.sqlText);
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Runs DuckDB SQL and returns all rows (for small internal queries). */
  async rows(sql: string, values?: DuckDBValue[]): Promise<DuckDBValue[][]> {
    const r = await this.run(sql, values);
    return r.getRows();
  }

  /** Throws the abort reason (000604 or 000630) when the statement was aborted. */
  throwIfAborted(): void {
    if (!this.signal.aborted) return;
    const reason: unknown = this.signal.reason;
    throw reason instanceof EmulatorSqlError ? reason : statementCancelled();
  }

  /** Sets the DuckDB search path to the session's database and schema (skipped when unchanged). */
  async applySearchPath(): Promise<void> {
    const { database, schema } = this.session;
    const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
    const first = database ? (schema ? `${q(database)}.${q(schema)}` : `${q(database)}.main`) : '';
    const path = first ? `${first},memory.main` : 'memory.main';
    if (this.pooled.searchPath === path) return;
    await this.run(`SET search_path = '${path.replace(/'/g, "''")}'`);
    this.pooled.searchPath = path;
  }
}
