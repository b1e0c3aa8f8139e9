/**
 * A small pool of DuckDB connections. One statement holds one connection for its whole run, so
 * statements of different sessions run side by side without sharing connection state.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PreparedCache } from './prepared-cache.js';

/**
 * One pooled connection, the search path last set on it (to skip redundant SETs) and its prepared
 * statements. `conn` changes when the pool hands the current connection over to a streaming result
 * (see detach); `prepared` always belongs to the current `conn`.
 */
export interface PooledConnection {
  conn: DuckDBConnection;
  searchPath: string;
  prepared: PreparedCache;
}

/** Hands out connections; grows up to `max`, then makes callers wait in FIFO order. */
export class ConnectionPool {
  private readonly idle: PooledConnection[] = [];
  private readonly all: PooledConnection[] = [];
  private readonly waiters: ((c: PooledConnection) => void)[] = [];
  private creating = 0;
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly max: number,
  ) {}

  /** A free connection; waits when `max` are busy. Rejects once the pool is closed. */
  async acquire(): Promise<PooledConnection> {
    if (this.closed) throw new Error('engine is closed');
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.length + this.creating < this.max) {
      this.creating++;
      try {
        const pooled: PooledConnection = {
          conn: await this.instance.connect(),
          searchPath: '',
          prepared: new PreparedCache(),
        };
        this.all.push(pooled);
        return pooled;
      } finally {
        this.creating--;
      }
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Returns a connection to the pool (or to the longest waiter). */
  release(pooled: PooledConnection): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(pooled);
    else this.idle.push(pooled);
  }

  /**
   * Hands `pooled`'s current DuckDB connection over to the caller (who must disconnect it) and puts
   * a fresh connection into the slot, with an empty search path. Used when a statement's open
   * stream outlives the statement: the stream keeps its connection, the pool keeps its size.
   */
  async detach(pooled: PooledConnection): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('engine is closed');
    const fresh = await this.instance.connect();
    const old = pooled.conn;
    pooled.conn = fresh;
    pooled.searchPath = '';
    // The old connection's statements go with it (a stream of one of them may still be open).
    pooled.prepared.clear();
    pooled.prepared = new PreparedCache();
    return old;
  }

  /** Disconnects every connection. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.all) {
      try {
        p.conn.disconnectSync();
      } catch {
        // already gone
      }
    }
    this.all.length = 0;
    this.idle.length = 0;
  }
}
