/**
 * A small pool of DuckDB connections. One statement holds one connection for its whole run, so
 * statements of different sessions run side by side without sharing connection state.
 *
 * Every connection is made with a small streaming read-ahead (DuckDB's default lets an open stream
 * of wide rows run tens of megabytes ahead of its reader). That is a per-connection setting and
 * DuckDB's configuration is locked once the engine is set up, so connections are made ahead, before
 * the lock, and kept in a spare list: the statement pool and streaming results take from it, and
 * connections whose stream is done come back to it.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PreparedCache } from './prepared-cache.js';

/** DuckDB's read-ahead for a streaming result: about one data chunk. */
const STREAMING_BUFFER = '64KB';

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
  /** Configured connections not in use. */
  private readonly spare: DuckDBConnection[] = [];
  private spareMax = 0;
  private creating = 0;
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly max: number,
  ) {}

  /**
   * Makes `count` configured connections ahead (call before DuckDB's configuration is locked) and
   * keeps up to that many spare from then on.
   */
  async prepare(count: number): Promise<void> {
    this.spareMax = Math.max(this.spareMax, count);
    while (this.spare.length < count) this.spare.push(await this.configured());
  }

  /** A free connection; waits when `max` are busy. Rejects once the pool is closed. */
  async acquire(): Promise<PooledConnection> {
    if (this.closed) throw new Error('engine is closed');
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.length + this.creating < this.max) {
      this.creating++;
      try {
        const pooled: PooledConnection = {
          conn: await this.connect(),
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
   * Hands `pooled`'s current DuckDB connection over to the caller (who gives it back through
   * recycle) and puts another connection into the slot, with an empty search path. Used when a
   * statement's open stream outlives the statement: the stream keeps its connection, the pool
   * keeps its size.
   */
  async detach(pooled: PooledConnection): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('engine is closed');
    const fresh = await this.connect();
    const old = pooled.conn;
    pooled.conn = fresh;
    pooled.searchPath = '';
    // The old connection's statements go with it (a stream of one of them may still be open).
    pooled.prepared.clear();
    pooled.prepared = new PreparedCache();
    return old;
  }

  /**
   * Takes back a connection handed out by detach once its stream is no longer needed. A query
   * first ends whatever stream is still open on it (and its transaction); a connection that
   * cannot be reset, or one too many, is disconnected.
   */
  recycle(conn: DuckDBConnection): void {
    const drop = (): void => {
      try {
        conn.disconnectSync();
      } catch {
        // already gone with the instance
      }
    };
    if (this.closed || this.spare.length >= this.spareMax) {
      drop();
      return;
    }
    conn.run('SELECT 1').then(() => {
      if (this.closed || this.spare.length >= this.spareMax) drop();
      else this.spare.push(conn);
    }, drop);
  }

  /** Disconnects every connection. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const conn of [...this.all.map((p) => p.conn), ...this.spare]) {
      try {
        conn.disconnectSync();
      } catch {
        // already gone
      }
    }
    this.all.length = 0;
    this.idle.length = 0;
    this.spare.length = 0;
  }

  private async connect(): Promise<DuckDBConnection> {
    return this.spare.pop() ?? (await this.configured());
  }

  /** A new connection with the small read-ahead (left at DuckDB's default once settings are locked). */
  private async configured(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    try {
      await conn.run(`SET streaming_buffer_size = '${STREAMING_BUFFER}'`);
    } catch {
      // Locked: a connection made after set-up reads ahead by DuckDB's default.
    }
    return conn;
  }
}
