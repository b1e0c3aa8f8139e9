/**
 * The connection pool: snowflake-sdk's createPool (generic-pool) behind smcp's own FIFO gate, with
 * bounds that never wait forever. Connections idle past a threshold are validated on borrow (a
 * heartbeat: dead or expired sessions are destroyed and replaced), idle ones are evicted, an
 * acquire that does not get a connection within `acquireTimeoutMs` fails with POOL_EXHAUSTED, and
 * a caller that gives up (abort, timeout) never leaves a slot or a queued request behind. Each connection carries its session bookkeeping
 * (baseline and current context) for session isolation.
 */

import type { Connection, ConnectionOptions } from 'snowflake-sdk';
import { numberDefault } from '../config/options/table.js';
import { SmcpError, isSmcpError } from '../errors.js';
import { mapSnowflakeError } from './error-map.js';
import type { Logger } from '../logger.js';
import type { SnowflakeSdk } from './sdk.js';
import type { SessionContext } from './session-state.js';
import type { Deadline } from './deadline.js';
import { SlotGate } from './slot-gate.js';

/** Pool bounds and timings. */
export interface PoolOptions {
  /** Connections kept open even when idle (default 0). */
  readonly min?: number;
  /** Most connections open at once (default 8). */
  readonly max?: number;
  /** Longest wait for a free connection, including login and validation (default 10 s). */
  readonly acquireTimeoutMs?: number;
  /** Idle connections older than this are closed by the evictor (default 10 min). */
  readonly idleTimeoutMs?: number;
  /** How often the evictor runs (default 60 s). */
  readonly evictionRunIntervalMs?: number;
  /** Requests allowed to queue for a connection before new ones fail at once (default 1000). */
  readonly maxWaiting?: number;
  /**
   * Connections one client (an MCP session, or a sessionless caller) may hold at once, so its long
   * statements cannot take every connection (default: half of `max`, at least 1).
   */
  readonly maxPerClient?: number;
  /**
   * A connection that sat idle in the pool longer than this gets a heartbeat round trip before it
   * is lent (default 30 s; 0 validates every borrow). Fresher ones are lent without one: a session
   * that died anyway fails its statement with SESSION_EXPIRED, the connection is destroyed, and
   * read-only statements are retried once on a new connection.
   */
  readonly validateIdleMs?: number;
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
  /** Connections lent since start. */
  readonly acquires: number;
  /** Seconds callers waited for the connections they were lent (queue and login included). */
  readonly acquireSeconds: number;
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

/** Bound on one validation heartbeat when little of the acquire time is left. */
const MIN_VALIDATION_MS = 1000;

/** A bounded pool of snowflake-sdk connections. */
export class SnowflakePool {
  private readonly pool: GenericPool;
  private readonly gate: SlotGate;
  private readonly sessions = new WeakMap<Connection, ConnectionSession>();
  /**
   * When each connection last went back to the pool (absent: just logged in for this borrow;
   * -Infinity: idle for an unknown time).
   */
  private readonly idleSince = new WeakMap<Connection, number>();
  /** Connections lent out, so close() can wait for them and then destroy stragglers. */
  private readonly lent = new Set<Connection>();
  /** The client each borrowed connection's slot belongs to (for the gate's per-client share). */
  private readonly slotOwners = new Map<Connection, string>();
  /** Connections idle since before this instant are validated whatever their idle time. */
  private distrustedAt = -Infinity;
  private closed = false;
  private acquires = 0;
  private acquireSeconds = 0;

  private constructor(
    pool: GenericPool,
    readonly options: Required<PoolOptions>,
    private readonly logger: Logger,
  ) {
    this.pool = pool;
    this.gate = new SlotGate(options.max, options.maxWaiting, options.maxPerClient);
  }

  /** Creates the pool; no connection is opened until needed (or `min` > 0). */
  static create(
    sdk: SnowflakeSdk,
    driverOptions: ConnectionOptions,
    options: PoolOptions,
    logger: Logger,
  ): SnowflakePool {
    const resolved: Required<PoolOptions> = {
      min: options.min ?? 0,
      max: options.max ?? numberDefault('pool-size'),
      acquireTimeoutMs: options.acquireTimeoutMs ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60_000,
      evictionRunIntervalMs: options.evictionRunIntervalMs ?? 60_000,
      maxWaiting: options.maxWaiting ?? 1000,
      validateIdleMs: options.validateIdleMs ?? 30_000,
      maxPerClient:
        options.maxPerClient ?? Math.max(1, Math.ceil((options.max ?? numberDefault('pool-size')) / 2)),
    };
    if (!Number.isInteger(resolved.maxPerClient) || resolved.maxPerClient < 1) {
      throw new SmcpError(
        'CONFIG_INVALID',
        `pool share per client must be at least 1, got ${resolved.maxPerClient}`,
        {
          field: 'maxPerClient',
        },
      );
    }
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
    if (!(resolved.validateIdleMs >= 0)) {
      throw new SmcpError('CONFIG_INVALID', 'pool validation threshold must be 0 or more', {
        field: 'validateIdleMs',
      });
    }
    const pool = sdk.createPool(driverOptions, {
      min: resolved.min,
      max: resolved.max,
      // The gate admits at most `max` borrowers, so the driver's pool only ever waits for a login.
      acquireTimeoutMillis: resolved.acquireTimeoutMs,
      idleTimeoutMillis: resolved.idleTimeoutMs,
      evictionRunIntervalMillis: resolved.evictionRunIntervalMs,
      maxWaitingClients: resolved.maxWaiting,
      // Validation is smcp's (only for connections idle past validateIdleMs): a heartbeat on every
      // borrow costs a round trip per statement.
      testOnBorrow: false,
      fifo: false,
    });
    const wrapper = new SnowflakePool(pool, resolved, logger);
    pool.on('factoryCreateError', (err: unknown) => {
      logger.warn('snowflake login failed', { error: mapSnowflakeError(err).toJSON() });
    });
    return wrapper;
  }

  /**
   * Borrows a usable connection. Waits in smcp's queue (first come, first served) for a free slot,
   * then takes a connection from the driver's pool (logging in when none is idle) and, when it
   * sat idle longer than `validateIdleMs`, checks it with a heartbeat (a dead one is destroyed and
   * replaced). Rejects with POOL_EXHAUSTED after `acquireTimeoutMs` or when too many wait, with the
   * mapped login error (AUTH_FAILED, NETWORK, …) when a new connection cannot log in, and with
   * QUERY_CANCELLED when `signal` aborts. A caller that gives up holds nothing: it leaves the queue
   * at once, and a connection still being borrowed for it goes back to the pool when it arrives.
   */
  async acquire(signal?: AbortSignal, client = '', callDeadline?: Deadline): Promise<Connection> {
    if (this.closed) throw closedError();
    const askedAt = performance.now();
    // The wait ends at the pool's own limit or the call's deadline, whichever comes first; a call
    // whose deadline cut the wait ran out of time (QUERY_TIMEOUT), it did not find the pool full.
    const waitMs = Math.min(
      this.options.acquireTimeoutMs,
      callDeadline?.remainingMs() ?? Number.POSITIVE_INFINITY,
    );
    const cutByCall = callDeadline !== undefined && waitMs < this.options.acquireTimeoutMs;
    const outOfTime = (err: unknown): never => {
      if (cutByCall && isSmcpError(err, 'POOL_EXHAUSTED')) {
        throw new SmcpError(
          'QUERY_TIMEOUT',
          "the call's time limit passed while it waited for a Snowflake connection (all busy)",
          {},
          { cause: err },
        );
      }
      throw err;
    };
    const deadline = performance.now() + waitMs;
    await this.gate.take(signal, waitMs, client).catch(outOfTime);
    return new Promise<Connection>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = (): void =>
        finish(() =>
          reject(
            new SmcpError('QUERY_CANCELLED', 'the request was cancelled while waiting for a connection'),
          ),
        );
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              cutByCall
                ? new SmcpError(
                    'QUERY_TIMEOUT',
                    "the call's time limit passed while a Snowflake connection was set up",
                  )
                : new SmcpError('POOL_EXHAUSTED', 'no Snowflake connection became free in time'),
            ),
          ),
        Math.max(0, deadline - performance.now()),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      this.borrow(deadline).then(
        (conn) => {
          this.slotOwners.set(conn, client);
          if (settled || this.closed) {
            // Nobody waits for it any more: straight back to the pool, slot freed.
            void this.giveBack(conn, 'release');
            finish(() => reject(closedError()));
            return;
          }
          this.lent.add(conn);
          this.acquires += 1;
          this.acquireSeconds += (performance.now() - askedAt) / 1000;
          finish(() => resolve(conn));
        },
        (err: unknown) => {
          this.gate.give(client);
          finish(() => reject(mapSnowflakeError(err)));
        },
      );
    });
  }

  /**
   * Takes a connection from the driver's pool; one idle past `validateIdleMs` (or no longer up) is
   * checked first and, if dead, destroyed and replaced. Bounded: after `max + 1` dead ones, or
   * past the deadline, it gives up with POOL_EXHAUSTED.
   */
  private async borrow(deadline: number): Promise<Connection> {
    for (let attempt = 0; attempt <= this.options.max; attempt++) {
      let conn: Connection;
      // The driver's pool lends an idle connection before it creates one. An idle one smcp never
      // lent (created for borrowers that gave up, e.g. during a burst of refused logins) is not
      // "just logged in": its age is unknown, so it gets a heartbeat like a long-idle one.
      const hadIdle = this.pool.available > 0;
      try {
        conn = await this.pool.acquire();
      } catch (err) {
        throw mapSnowflakeError(err);
      }
      if (hadIdle && !this.idleSince.has(conn)) this.idleSince.set(conn, Number.NEGATIVE_INFINITY);
      if (await this.usable(conn, deadline)) return conn;
      this.logger.debug('pooled snowflake session is gone; replacing it');
      this.sessions.delete(conn);
      this.idleSince.delete(conn);
      await this.pool.destroy(conn).catch((err: unknown) => {
        this.logger.debug('pool destroy failed', { error: String(err) });
      });
      if (performance.now() >= deadline) break;
    }
    throw new SmcpError('POOL_EXHAUSTED', 'no healthy Snowflake connection became available in time');
  }

  private async usable(conn: Connection, deadline: number): Promise<boolean> {
    if (!conn.isUp()) return false;
    const idleSince = this.idleSince.get(conn);
    // Never lent: it has just logged in.
    if (idleSince === undefined) return true;
    if (idleSince > this.distrustedAt && performance.now() - idleSince < this.options.validateIdleMs) {
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const bound = Math.max(MIN_VALIDATION_MS, deadline - performance.now());
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), bound);
    });
    try {
      return await Promise.race([conn.isValidAsync().catch(() => false), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Returns a borrowed connection to the driver's pool (or destroys it) and frees its slot. */
  private async giveBack(conn: Connection, how: 'release' | 'destroy'): Promise<void> {
    let done: Promise<void> = Promise.resolve();
    if (how === 'destroy') {
      this.sessions.delete(conn);
      this.idleSince.delete(conn);
    } else {
      this.idleSince.set(conn, performance.now());
    }
    if (this.pool.isBorrowedResource(conn)) {
      // The driver's pool updates its counters synchronously, so the next borrower finds room.
      done = how === 'destroy' ? this.pool.destroy(conn) : this.pool.release(conn);
    }
    const client = this.slotOwners.get(conn) ?? '';
    this.slotOwners.delete(conn);
    this.gate.give(client);
    await done.catch((err: unknown) => {
      this.logger.debug(`pool ${how} failed`, { error: String(err) });
    });
  }

  /**
   * Makes every connection now idle in the pool get a heartbeat before it is next lent. Called when
   * a session turned out dead: its siblings (same server restart, same expiry) likely are too, and a
   * retry must land on a live session.
   */
  distrustIdle(): void {
    this.distrustedAt = performance.now();
  }

  /** Returns a healthy connection to the pool. Returning one twice (or one not lent) is a no-op. */
  async release(conn: Connection): Promise<void> {
    if (!this.lent.delete(conn)) return;
    await this.giveBack(conn, 'release');
  }

  /** Closes a connection that must not be reused (state changed, session gone, stuck statement). */
  async destroy(conn: Connection): Promise<void> {
    if (!this.lent.delete(conn)) return;
    await this.giveBack(conn, 'destroy');
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

  /** Current counters; `pending` counts requests queued for a slot and borrows waiting on a login. */
  stats(): PoolStats {
    const p = this.pool;
    return {
      size: p.size,
      available: p.available,
      borrowed: p.borrowed,
      pending: p.pending + this.gate.waiting,
      max: p.max,
      min: p.min,
      acquires: this.acquires,
      acquireSeconds: this.acquireSeconds,
    };
  }

  /**
   * Stops lending (queued requests fail with POOL_EXHAUSTED), waits for borrowed connections to
   * come back (at most `timeoutMs`), then logs out and closes every connection. Idempotent.
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gate.close(closedError());
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

function closedError(): SmcpError {
  return new SmcpError('POOL_EXHAUSTED', 'the Snowflake connection pool is closed');
}
