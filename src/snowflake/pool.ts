/**
 * The connection pool: snowflake-sdk's createPool (generic-pool) with bounds that never wait
 * forever. Connections are validated on borrow (a heartbeat: dead or expired sessions are destroyed
 * and replaced), idle ones are evicted, and an acquire that does not get a connection within
 * `acquireTimeoutMs` fails with POOL_EXHAUSTED. Each connection carries its session bookkeeping
 * (baseline and current context) for session isolation.
 */

import type { Connection, ConnectionOptions } from 'snowflake-sdk';
import { SmcpError } from '../errors.js';
import { mapSnowflakeError } from './error-map.js';
import type { ClientLogger } from './logger.js';
import type { SnowflakeSdk } from './sdk.js';
import type { SessionContext } from './session-state.js';

/** Pool bounds and timings. */
export interface PoolOptions {
  /** Connections kept open even when idle (default 0). */
  readonly min?: number;
  /** Most connections open at once (default 8). */
  readonly max?: number;
  /** Longest wait for a free connection, including login (default 10 s). */
  readonly acquireTimeoutMs?: number;
  /** Idle connections older than this are closed by the evictor (default 10 min). */
  readonly idleTimeoutMs?: number;
  /** How often the evictor runs (default 60 s). */
  readonly evictionRunIntervalMs?: number;
  /** Requests allowed to queue for a connection before new ones fail at once (default 1000). */
  readonly maxWaiting?: number;
}

/** Pool counters. */
export interface PoolStats {
  /** Connections open (borrowed + available) or being created. */
  readonly size: number;
  readonly available: number;
  readonly borrowed: number;
  /** Requests waiting for a connection. */
  readonly pending: number;
  readonly max: number;
  readonly min: number;
}

/** Per-connection session bookkeeping (see session-state.ts). */
export interface ConnectionSession {
  /** True once smcp's per-connection session setup has run. */
  ready?: boolean;
  /** The context right after login, or undefined until first observed. */
  baseline?: SessionContext;
  /** The context after the last statement. */
  current?: SessionContext;
}

type GenericPool = ReturnType<SnowflakeSdk['createPool']>;

/** A bounded pool of snowflake-sdk connections. */
export class SnowflakePool {
  private readonly pool: GenericPool;
  private readonly sessions = new WeakMap<Connection, ConnectionSession>();
  /** Connections lent out, so close() can wait for them and then destroy stragglers. */
  private readonly lent = new Set<Connection>();
  private closed = false;

  private constructor(
    pool: GenericPool,
    readonly options: Required<PoolOptions>,
    private readonly logger: ClientLogger,
  ) {
    this.pool = pool;
  }

  /** Creates the pool; no connection is opened until needed (or `min` > 0). */
  static create(
    sdk: SnowflakeSdk,
    driverOptions: ConnectionOptions,
    options: PoolOptions,
    logger: ClientLogger,
  ): SnowflakePool {
    const resolved: Required<PoolOptions> = {
      min: options.min ?? 0,
      max: options.max ?? 8,
      acquireTimeoutMs: options.acquireTimeoutMs ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60_000,
      evictionRunIntervalMs: options.evictionRunIntervalMs ?? 60_000,
      maxWaiting: options.maxWaiting ?? 1000,
    };
    if (!(resolved.max >= 1) || !(resolved.min >= 0) || resolved.min > resolved.max) {
      throw new SmcpError(
        'CONFIG_INVALID',
        `pool bounds are invalid: min ${resolved.min}, max ${resolved.max}`,
        {
          field: 'pool',
        },
      );
    }
    if (!(resolved.acquireTimeoutMs > 0)) {
      throw new SmcpError('CONFIG_INVALID', 'pool acquire timeout must be positive', {
        field: 'acquireTimeoutMs',
      });
    }
    const pool = sdk.createPool(driverOptions, {
      min: resolved.min,
      max: resolved.max,
      acquireTimeoutMillis: resolved.acquireTimeoutMs,
      idleTimeoutMillis: resolved.idleTimeoutMs,
      evictionRunIntervalMillis: resolved.evictionRunIntervalMs,
      maxWaitingClients: resolved.maxWaiting,
      testOnBorrow: true,
      fifo: false,
    });
    const wrapper = new SnowflakePool(pool, resolved, logger);
    pool.on('factoryCreateError', (err: unknown) => {
      logger.warn('snowflake login failed', { error: mapSnowflakeError(err).toJSON() });
    });
    return wrapper;
  }

  /**
   * Borrows a validated connection. Rejects with POOL_EXHAUSTED after the acquire timeout, with the
   * mapped login error (AUTH_FAILED, NETWORK, …) when a new connection cannot log in, and with
   * QUERY_CANCELLED when `signal` aborts while waiting (a connection that arrives later goes back).
   */
  async acquire(signal?: AbortSignal): Promise<Connection> {
    if (this.closed) throw new SmcpError('POOL_EXHAUSTED', 'the Snowflake connection pool is closed');
    if (signal?.aborted)
      throw new SmcpError('QUERY_CANCELLED', 'the request was cancelled before it started');
    const pending = this.pool.acquire().then((conn) => {
      this.lent.add(conn);
      return conn;
    });
    if (!signal) return pending.catch((err: unknown) => Promise.reject(mapSnowflakeError(err)));
    return new Promise<Connection>((resolve, reject) => {
      const onAbort = (): void => {
        reject(new SmcpError('QUERY_CANCELLED', 'the request was cancelled while waiting for a connection'));
        // The acquire cannot be withdrawn: hand the connection straight back when it comes.
        pending.then((conn) => this.release(conn)).catch(() => {});
      };
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (conn) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return;
          resolve(conn);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(mapSnowflakeError(err));
        },
      );
    });
  }

  /** Returns a healthy connection to the pool. */
  async release(conn: Connection): Promise<void> {
    this.lent.delete(conn);
    if (!this.pool.isBorrowedResource(conn)) return;
    await this.pool.release(conn).catch((err: unknown) => {
      this.logger.debug('pool release failed', { error: String(err) });
    });
  }

  /** Closes a connection that must not be reused (state changed, session gone, stuck statement). */
  async destroy(conn: Connection): Promise<void> {
    this.sessions.delete(conn);
    this.lent.delete(conn);
    if (!this.pool.isBorrowedResource(conn)) return;
    await this.pool.destroy(conn).catch((err: unknown) => {
      this.logger.debug('pool destroy failed', { error: String(err) });
    });
  }

  /** The session bookkeeping of a connection (created on first use). */
  session(conn: Connection): ConnectionSession {
    let s = this.sessions.get(conn);
    if (!s) {
      s = {};
      this.sessions.set(conn, s);
    }
    return s;
  }

  /** Current counters. */
  stats(): PoolStats {
    const p = this.pool;
    return {
      size: p.size,
      available: p.available,
      borrowed: p.borrowed,
      pending: p.pending,
      max: p.max,
      min: p.min,
    };
  }

  /**
   * Stops lending, waits for borrowed connections to come back (at most `timeoutMs`), then logs
   * out and closes every connection. Idempotent.
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([this.pool.drain(), expired]);
      // Borrowed connections come back through release()/destroy(); wait for them, bounded.
      while (this.lent.size > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      clearTimeout(timer);
    }
    for (const conn of [...this.lent]) await this.destroy(conn);
    await this.pool.clear().catch((err: unknown) => {
      this.logger.debug('pool clear failed', { error: String(err) });
    });
  }
}
