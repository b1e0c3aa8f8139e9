/**
 * What a statement handler gets: the session, one DuckDB connection held for the statement, the
 * catalog, and an interruptible `run`. Shared by the engine, the command handlers and DDL.
 */
import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import type { EmulatorSession } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { Catalog } from './catalog.js';
import type { PooledConnection } from './pool.js';
import type { DataGeneration } from './prepared-cache.js';
import { mapDuckError, statementCancelled } from './sql-errors.js';

/** Warehouses the emulator knows; UNAVAILABLE_WH always fails with 000606. */
export const WAREHOUSES: readonly { name: string; size: string; state: string }[] = [
  { name: 'COMPUTE_WH', size: 'X-Small', state: 'STARTED' },
  { name: 'UNAVAILABLE_WH', size: 'X-Small', state: 'SUSPENDED' },
];

/** The DuckDB statement that sets a connection's search path to `path`. */
export function searchPathSql(path: string): string {
  return `SET search_path = '${path.replace(/'/g, "''")}'`;
}

/** The state one statement runs with. */
export class StatementContext {
  /** Set when the statement turned out to be one that may write (see streamQuery). */
  wrote = false;

  constructor(
    readonly session: EmulatorSession,
    readonly pooled: PooledConnection,
    readonly catalog: Catalog,
    readonly signal: AbortSignal,
    readonly account: string,
    readonly sqlText: string,
  ) {}

  /** Runs DuckDB SQL; an abort interrupts it and rejects with the abort's reason. */
  run(sql: string, values?: DuckDBValue[]): Promise<DuckDBMaterializedResult> {
    const conn = this.pooled.conn;
    return this.guard(conn, () => (values && values.length > 0 ? conn.run(sql, values) : conn.run(sql)));
  }

  /**
   * Starts a query as a DuckDB stream on the statement's connection (rows are pulled with
   * fetchChunk); an abort interrupts it and rejects with the abort's reason. Goes through the
   * connection's prepared statements: a text run before (same search path, no write since) skips
   * DuckDB's parse and plan. Only statements DuckDB itself calls SELECT are kept, and only when
   * `cacheable`; any other kind bumps `generation` before it runs and sets `wrote`. Text DuckDB
   * cannot prepare on its own (several statements) or at all runs through `conn.stream`, so its
   * errors read as before, and counts as a possible write.
   */
  streamQuery(
    sql: string,
    values: DuckDBValue[] | undefined,
    generation: DataGeneration,
    cacheable: boolean,
  ): Promise<DuckDBResult> {
    const pooled = this.pooled;
    const conn = pooled.conn;
    return this.guard(conn, async () => {
      let entry: Awaited<ReturnType<typeof pooled.prepared.get>>;
      try {
        entry = await pooled.prepared.get(conn, pooled.searchPath, sql, generation, cacheable);
      } catch {
        this.throwIfAborted();
        generation.bump();
        this.wrote = true;
        return values && values.length > 0 ? conn.stream(sql, values) : conn.stream(sql);
      }
      const { prepared, owned, select } = entry;
      try {
        if (!select) {
          generation.bump();
          this.wrote = true;
        }
        if (!owned) prepared.clearBindings();
        if (values && values.length > 0) prepared.bind(values);
        return await prepared.stream();
      } catch (err) {
        if (!owned) pooled.prepared.forget(prepared);
        throw err;
      } finally {
        if (owned) prepared.destroySync();
      }
    });
  }

  /**
   * Runs `work` on `conn` so that an abort of the statement interrupts it: rejects with the abort's
   * reason (000604 or 000630), or with the DuckDB error mapped to Snowflake's.
   */
  async guard<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
    this.throwIfAborted();
    const onAbort = (): void => conn.interrupt();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await work();
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
    await this.run(searchPathSql(path));
    this.pooled.searchPath = path;
  }
}
