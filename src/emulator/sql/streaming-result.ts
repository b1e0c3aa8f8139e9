/**
 * A big result served straight from an open DuckDB stream, so a 1M-row result that a client stops
 * reading after 1,000 rows never sits in memory. The total row count is known up front (counted by
 * the engine); rows are pulled from the stream lazily, in order, as chunk requests arrive, and only
 * a small window of them is kept:
 * - requests are served one at a time, in arrival order (the driver fetches a few chunks at once);
 * - rows of the last two requests served stay held (driver retries), as do rows pulled early for a
 *   request that skipped ahead; everything older is dropped, and at most WINDOW_MAX_ROWS are held;
 * - a request for rows no longer held (a re-fetch) re-executes the statement on the result's own
 *   connection and skips forward. That is only correct for deterministic statements (and for an
 *   order the statement fixes: without ORDER BY, DuckDB may return another order on a second run).
 *   If a run yields fewer or more rows than counted, the request fails with 000603 instead of
 *   padding or hanging, and so does every later read of the result.
 * Each result owns its DuckDB connection (never one of the statement pool), released when the
 * stream is exhausted, when the result is closed, or when the engine evicts it (then reads fail
 * with 000709 "result expired"). */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import { encodeHeldRows, type HeldChunk } from './result-set.js';
import { resultChanged, resultExpired, mapDuckError } from './sql-errors.js';

/** Most rows a streaming result holds in memory (more than two of the wire's largest chunks). */
export const WINDOW_MAX_ROWS = 120_000;
/** Served requests whose rows stay held for retries. */
const KEEP_SERVED = 2;

/** Where a streaming result's rows come from. */
export interface StreamSource {
  /** The statement's DuckDB SQL and binds, for re-execution. */
  readonly sql: string;
  readonly values: DuckDBValue[] | undefined;
  /** The connection the stream runs on; the result owns it from now on. */
  readonly conn: DuckDBConnection;
  /** The open stream, positioned right after `head`. */
  readonly stream: DuckDBResult;
  /** Chunks already pulled from the stream (rows 0…). */
  readonly head: readonly DuckDBDataChunk[];
  /** A fresh connection set up like `conn` (search path), for a re-fetch after release. */
  reconnect(): Promise<DuckDBConnection>;
}

/** How a streaming result reports to whoever caps open streams. */
export interface StreamHooks {
  /** The result is about to use its connection (a read): most recently used now. */
  touched(result: StreamingResultSet): void;
  /** The result holds a connection again after releasing it (a re-fetch). */
  reopened(result: StreamingResultSet): void;
  /** The result released its connection (exhausted, closed or evicted). */
  released(result: StreamingResultSet): void;
}

/** A ResultSet over an open DuckDB stream whose exact row count is known. */
export class StreamingResultSet implements ResultSet {
  readonly memoryRows = WINDOW_MAX_ROWS;
  /** Held chunks: ascending, contiguous, ending at `produced`. */
  private held: HeldChunk[] = [];
  /** Rows pulled from the current stream so far. */
  private produced = 0;
  /** Rows in `held`. */
  private heldRows = 0;
  private conn: DuckDBConnection | null;
  private stream: DuckDBResult | null;
  /** True once the current stream was read to its end (and matched rowCount). */
  private exhausted = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Reads requested and not yet answered. */
  private active = 0;
  /** Offsets of requests waiting in the queue. */
  private readonly pending: number[] = [];
  /** Offsets of the last requests served. */
  private recent: number[] = [];
  /** The DuckDB call in flight on `conn`; the connection is disconnected only after it settles. */
  private inflight: Promise<unknown> | null = null;
  private closed: 'closed' | 'expired' | null = null;
  /** Set when a re-run yielded other rows than counted: every later read fails with it. */
  private failure: Error | null = null;
  /** Settles when the connection has been disconnected. */
  private disconnected!: Promise<void>;
  private resolveDisconnected!: () => void;

  constructor(
    private readonly source: StreamSource,
    readonly rowCount: number,
    readonly columns: ColumnMeta[],
    readonly statementTypeId: number,
    private readonly hooks: StreamHooks,
  ) {
    this.conn = source.conn;
    this.stream = source.stream;
    this.armDisconnected();
    for (const chunk of source.head) this.keep(chunk, 0);
  }

  /** Rows currently held in memory. */
  get bufferedRows(): number {
    return this.heldRows;
  }

  /** True while the result holds a DuckDB connection. */
  get holdsConnection(): boolean {
    return this.conn !== null;
  }

  readRows(offset: number, count: number): Promise<(string | null)[][]> {
    if (this.closed) return Promise.reject(resultExpired());
    const start = Math.max(0, Math.floor(offset));
    const end = Math.min(this.rowCount, start + Math.max(0, Math.floor(count)));
    if (start >= end) return Promise.resolve([]);
    this.hooks.touched(this);
    this.pending.push(start);
    this.active++;
    const served = this.queue.then(() => this.serve(start, end));
    this.queue = served.then(
      () => this.active--,
      () => this.active--,
    );
    return served;
  }

  /**
   * Closes the result: later reads fail; once the reads already requested are answered, held rows
   * are dropped and the stream's connection is disconnected (see whenReleased).
   */
  close(): void {
    this.shut('closed');
  }

  /** Closes the result because the engine needs its slot (as close); later reads fail with "result expired". */
  expire(): void {
    this.shut('expired');
  }

  /** Settles when the result's connection is gone (for an orderly engine shutdown). */
  whenReleased(): Promise<void> {
    return this.disconnected;
  }

  private async serve(start: number, end: number): Promise<(string | null)[][]> {
    this.pending.splice(this.pending.indexOf(start), 1);
    if (this.failure) throw this.failure;
    const first = this.held[0]?.start ?? this.produced;
    if (start < first) await this.restart();
    while (this.produced < end) await this.pull(Math.min(start, ...this.pending));
    if (end === this.rowCount && !this.exhausted) await this.checkEnd();
    const rows = encodeHeldRows(this.held, this.columns, start, end);
    this.recent = [...this.recent.slice(1 - KEEP_SERVED), start];
    this.trim();
    return rows;
  }

  /** Pulls one chunk; keeps it unless it ends at or before `keepFrom`. */
  private async pull(keepFrom: number): Promise<void> {
    const chunk = await this.fetch();
    if (!chunk || chunk.rowCount === 0) throw this.changed(this.produced);
    if (this.produced + chunk.rowCount > this.rowCount) throw this.changed(this.produced + chunk.rowCount);
    this.keep(chunk, keepFrom);
  }

  /**
   * Appends a pulled chunk to the held window, which stays contiguous: a chunk is skipped only
   * when nothing is held and it ends at or before `keepFrom`. While over the cap, the oldest held
   * rows before `keepFrom` are dropped, so a long skip forward holds at most the cap.
   */
  private keep(chunk: DuckDBDataChunk, keepFrom: number): void {
    const start = this.produced;
    this.produced += chunk.rowCount;
    if (chunk.rowCount === 0 || (this.held.length === 0 && this.produced <= keepFrom)) return;
    this.held.push({ start, chunk });
    this.heldRows += chunk.rowCount;
    this.dropBefore(keepFrom, WINDOW_MAX_ROWS);
  }

  /** Drops held chunks that end at or before `floor`, oldest first, while more than `limit` rows are held. */
  private dropBefore(floor: number, limit: number): void {
    let drop = 0;
    let rows = this.heldRows;
    while (drop < this.held.length && rows > limit) {
      const h = this.held[drop];
      if (!h || h.start + h.chunk.rowCount > floor) break;
      rows -= h.chunk.rowCount;
      drop++;
    }
    if (drop === 0) return;
    this.held = this.held.slice(drop);
    this.heldRows = rows;
  }

  /** After the last row: the stream must be at its end, then its connection is released. */
  private async checkEnd(): Promise<void> {
    const extra = await this.fetch();
    if (extra && extra.rowCount > 0) throw this.changed(this.produced + extra.rowCount);
    this.exhausted = true;
    this.release();
  }

  /** Runs the statement again from its first row (on a new connection if it was released). */
  private async restart(): Promise<void> {
    this.held = [];
    this.heldRows = 0;
    this.produced = 0;
    this.exhausted = false;
    this.stream = null;
    if (!this.conn) {
      const conn = await this.source.reconnect();
      if (this.closed) {
        conn.disconnectSync();
        throw resultExpired();
      }
      this.conn = conn;
      this.armDisconnected();
      this.hooks.reopened(this);
    }
    const { sql, values } = this.source;
    const conn = this.conn;
    this.stream = await this.track(values && values.length > 0 ? conn.stream(sql, values) : conn.stream(sql));
  }

  private async fetch(): Promise<DuckDBDataChunk | null> {
    const stream = this.stream;
    if (!stream) throw resultExpired();
    return this.track(stream.fetchChunk());
  }

  /** Awaits a DuckDB call on the connection, so close() can wait for it before disconnecting. */
  private async track<T>(call: Promise<T>): Promise<T> {
    this.inflight = call;
    try {
      return await call;
    } catch (err) {
      throw mapDuckError(err, this.source.sql);
    } finally {
      this.inflight = null;
    }
  }

  /** Drops rows nobody is expected to ask for again. */
  private trim(): void {
    this.dropBefore(Math.min(this.produced, ...this.recent, ...this.pending), 0);
    this.dropBefore(this.produced, WINDOW_MAX_ROWS);
  }

  private changed(seen: number): Error {
    this.held = [];
    this.heldRows = 0;
    this.failure = resultChanged(this.rowCount, seen);
    this.release();
    return this.failure;
  }

  private armDisconnected(): void {
    this.disconnected = new Promise((resolve) => (this.resolveDisconnected = resolve));
  }

  /**
   * Refuses further reads at once; reads already requested are still answered (a chunk request
   * cut off mid-answer makes the driver retry it for minutes), then rows and connection go.
   */
  private shut(why: 'closed' | 'expired'): void {
    if (this.closed) return;
    this.closed = why;
    const free = (): void => {
      this.held = [];
      this.heldRows = 0;
      this.release();
    };
    if (this.active === 0) free();
    else void this.queue.then(free);
  }

  /** Gives the connection up: disconnected once no DuckDB call is in flight on it. */
  private release(): void {
    const conn = this.conn;
    if (!conn) return;
    this.conn = null;
    this.stream = null;
    this.hooks.released(this);
    const done = this.resolveDisconnected;
    const disconnect = (): void => {
      try {
        conn.disconnectSync();
      } catch {
        // already gone with the instance
      }
      done();
    };
    const inflight = this.inflight;
    if (!inflight) {
      disconnect();
      return;
    }
    // Disconnecting under a running fetch could crash DuckDB: interrupt it and wait.
    conn.interrupt();
    inflight.then(disconnect, disconnect);
  }
}
