/**
 * A statement's result as the engine keeps it: every row it has produced sits in a RowSpool
 * (memory, spilled to disk under the store's budget), and a big result may still have an open
 * DuckDB stream for the rows not produced yet. The stream runs in its own connection and
 * transaction, so everything it yields comes from the one snapshot the statement started on.
 *
 * - Rows are produced once, in order, as reads need them (a read far ahead produces and keeps
 *   everything before it); a look back reads the spool. Nothing is ever run a second time.
 * - Production is serialised; reads of produced rows run side by side.
 * - The result can be asked to give up its stream (too many open at once): it then produces the
 *   rest into the spool in the background when that fits the disk budget, else it keeps only the
 *   rows produced so far and reads past them fail with 000612 naming why.
 * - Expired (evicted by the budget) or closed, every later read fails with 000612 naming why.
 *   Reads already under way finish first, then rows, file and connection go.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import type { ChunkSink, ColumnMeta, ResultSet, SizeHint } from '../engine-types.js';
import { resultExpiredError } from '../engine-types.js';
import { encodeChunk } from './row-encoder.js';
import type { ProductionGate } from './production-gate.js';
import { size, type Evictable, type ResultAccount, type ResultStore } from './result-store.js';
import { RowSpool } from './row-spool.js';
import { mapDuckError, resultChanged } from './sql-errors.js';

/** An open DuckDB stream positioned after the rows already produced. */
export interface OpenStream {
  /** The connection it runs on; the result owns it from now on and gives it back through `recycle`. */
  readonly conn: DuckDBConnection;
  readonly stream: DuckDBResult;
  /** Its DuckDB SQL, for error messages. */
  readonly sql: string;
  /** Takes the connection back (no DuckDB call is running on it then). */
  recycle(conn: DuckDBConnection): void;
}

/** How a result holding a stream reports to whoever caps open streams. */
export interface StreamHooks {
  /** The result is being read: most recently used now. */
  touched(result: SpooledResult): void;
  /** The result gave its connection up (all rows produced, closed or expired). */
  released(result: SpooledResult): void;
}

/** What a new result needs. */
export interface SpooledInit {
  readonly queryId: string;
  readonly columns: ColumnMeta[];
  readonly statementTypeId: number;
  readonly store: ResultStore;
  /** Its spill file (created on first spill). */
  readonly file: string;
  /** Heap bytes charged for the statement around the rows (its text, bookkeeping). */
  readonly overheadBytes: number;
  /** Bounds how many results produce rows lazily at once. */
  readonly gate: ProductionGate;
}

/** A result giving its stream up may take at most this share of the disk budget for its rest. */
const YIELD_SHARE = 8;
/**
 * What an open DuckDB stream costs the process beyond the spool, in data chunks of 2,048 rows: the
 * chunk it read ahead and its operators' chunks (about five for a plain projection), plus what
 * DuckDB's allocator keeps of what the stream's work freed (measured 10-17 MB per stream of 1 KB
 * rows). Charged to the memory budget while the stream is open.
 */
const STREAM_CHUNKS = 8;
const CHUNK_ROWS = 2048;
/** Shared by every result that never held a stream (most): one promise less each. */
const SETTLED: Promise<void> = Promise.resolve();

/** A ResultSet whose rows are produced once and kept. */
export class SpooledResult implements ResultSet, Evictable {
  readonly queryId: string;
  readonly columns: ColumnMeta[];
  readonly statementTypeId: number;
  readonly account: ResultAccount;
  readonly #spool: RowSpool;
  readonly #store: ResultStore;
  readonly #gate: ProductionGate;
  #rowCount = -1;
  #source: OpenStream | null = null;
  #hooks: StreamHooks | null = null;
  /** Bytes charged for the open stream's own buffers. */
  #streamCharge = 0;
  /** The production under way; later productions queue behind it. */
  #producing: Promise<void> = SETTLED;
  /** The DuckDB call in flight on the stream; the connection goes only after it settles. */
  #inflight: Promise<unknown> | null = null;
  /** Reads under way. */
  #active = 0;
  /** True until its statement has made it complete or streaming (complete() / streamRest()). */
  #building = true;
  #expired: string | null = null;
  #closed = false;
  /** Set when the stream failed or yielded other rows than counted: every later read fails with it. */
  #failure: Error | null = null;
  /** Why rows not produced yet never will be (the stream had to go): reads of them fail naming it. */
  #restGone: string | null = null;
  #released: Promise<void> = SETTLED;
  #resolveReleased: () => void = () => {};

  constructor(init: SpooledInit) {
    this.queryId = init.queryId;
    this.columns = init.columns;
    this.statementTypeId = init.statementTypeId;
    this.#store = init.store;
    this.#gate = init.gate;
    this.account = init.store.open(this);
    this.#spool = new RowSpool(init.file, this.account);
    this.account.charge(init.overheadBytes, 0);
  }

  /** Exact total rows (known once complete() or streamRest() was called). */
  get rowCount(): number {
    return this.#rowCount;
  }

  /** Rows produced and kept so far. */
  get produced(): number {
    return this.#spool.rows;
  }

  /** Bytes of the rows produced so far. */
  get producedBytes(): number {
    return this.#spool.bytes;
  }

  /** True while a DuckDB stream (and its connection) is held. */
  get holdsStream(): boolean {
    return this.#source !== null;
  }

  get streaming(): boolean {
    return this.#source !== null;
  }

  get busy(): boolean {
    return this.#building || this.#active > 0;
  }

  get expired(): string | null {
    if (this.#expired) return this.#expired;
    return this.#closed ? 'it was closed' : null;
  }

  /** Heap bytes a spill would move to disk. */
  get spillableBytes(): number {
    return this.#spool.memoryBytes;
  }

  /** Encodes and keeps the rows of a chunk, then lets the store enforce its budgets. */
  async append(chunk: DuckDBDataChunk): Promise<void> {
    this.#check();
    encodeChunk(chunk, this.columns, (text) => this.#spool.append(text));
    // Frees the chunk's buffers (wide strings: megabytes) now rather than whenever V8 collects the
    // small wrapper object, which it cannot tell holds them.
    chunk.reset();
    await this.#store.settle();
    this.#check();
  }

  /** Declares every row produced: the result is complete. */
  complete(): void {
    this.#rowCount = this.#spool.rows;
    this.#building = false;
  }

  /**
   * Declares `total` rows in all, the rest to come from `source` (which this result now owns), and
   * reports to `hooks` while it holds the stream.
   */
  streamRest(source: OpenStream, total: number, hooks: StreamHooks): void {
    this.#rowCount = total;
    this.#building = false;
    this.#source = source;
    this.#hooks = hooks;
    this.#streamCharge = Math.ceil(STREAM_CHUNKS * CHUNK_ROWS * Math.max(16, this.#spool.averageBytes));
    this.account.charge(this.#streamCharge, 0);
    this.#released = new Promise((resolve) => (this.#resolveReleased = resolve));
  }

  readRows(offset: number, count: number): Promise<(string | null)[][]> {
    return this.readRowTexts(offset, count).then((texts) =>
      texts.map((t) => JSON.parse(t) as (string | null)[]),
    );
  }

  readRowTexts(offset: number, count: number): Promise<string[]> {
    return this.#reading(offset, count, (start, end) =>
      start >= end ? Promise.resolve([]) : this.#spool.readTexts(start, end),
    );
  }

  writeChunkBody(offset: number, count: number, sink: ChunkSink): Promise<void> {
    return this.#reading(offset, count, async (start, end) => {
      sink.start();
      if (start < end) await this.#spool.writeBody(start, end, (data) => sink.write(data));
    });
  }

  /**
   * Runs `read` over rows [start, end) once they are produced, as one read under way: the spool is
   * not freed before it settles, even when the result expires meanwhile.
   */
  async #reading<T>(
    offset: number,
    count: number,
    read: (start: number, end: number) => Promise<T>,
  ): Promise<T> {
    this.#check();
    const start = Math.max(0, Math.floor(offset));
    const end = Math.max(start, Math.min(this.#rowCount, start + Math.max(0, Math.floor(count))));
    this.#active++;
    try {
      this.account.touch();
      if (this.#source) this.#hooks?.touched(this);
      if (end > this.#spool.rows && this.#restGone) throw resultExpiredError(this.queryId, this.#restGone);
      if (end > this.#spool.rows) await this.#produceTo(end);
      this.#check();
      return await read(start, end).catch((err: unknown) => {
        this.#check();
        throw err;
      });
    } finally {
      this.#active--;
      if (this.#active === 0 && (this.#closed || this.#expired)) void this.#spool.free();
    }
  }

  takeSizeHint(): SizeHint {
    return { known: this.#spool.takeSizes(), averageBytes: this.#spool.averageBytes };
  }

  spill(): Promise<void> {
    return this.#spool.spill();
  }

  /**
   * Gives the DuckDB stream up (the caller caps open streams): when the rows still to come are
   * estimated to fit both the free disk budget and an eighth of it (so one yield cannot flood the
   * disk) they are produced into the spool in the background; else the stream goes and only the
   * rows produced so far stay readable, later ones failing with 000612 and why. `maxOpen` is only
   * for the message.
   */
  yieldStream(maxOpen: number): void {
    if (!this.#source) return;
    const produced = this.#spool.rows;
    const estimate = (this.#rowCount - produced) * Math.max(1, this.#spool.averageBytes);
    const room = Math.min(this.#store.diskFree, this.#store.diskBudget / YIELD_SHARE);
    if (estimate > room) {
      this.#restGone = `its rows from ${produced} on were evicted by the emulator's result byte budget: about ${size(estimate)} of them were still to be produced, more than the disk budget had room for, when its DuckDB stream had to close (more than ${maxOpen} big results open at once); rows before ${produced} can still be read`;
      this.#release();
      return;
    }
    this.#produceTo(this.#rowCount).catch(() => undefined);
  }

  /** Evicts the result: later reads fail naming `reason`. Idempotent. */
  expire(reason: string): void {
    if (this.#expired || this.#closed) return;
    this.#expired = reason;
    this.#shut();
  }

  close(): void {
    if (this.#closed || this.#expired) {
      this.#closed = true;
      return;
    }
    this.#closed = true;
    this.#shut();
  }

  /** Settles when the result holds no DuckDB connection any more (for an orderly shutdown). */
  whenReleased(): Promise<void> {
    return this.#released;
  }

  #check(): void {
    if (this.#expired) throw resultExpiredError(this.queryId, this.#expired);
    if (this.#closed) throw resultExpiredError(this.queryId, 'it was closed');
    if (this.#failure) throw this.#failure;
  }

  /** Produces rows until `end` are kept (queued behind any production under way). */
  #produceTo(end: number): Promise<void> {
    const run = this.#producing.then(async () => {
      while (this.#spool.rows < end) {
        await this.#gate.run(async () => {
          this.#check();
          // A stream being read from is in use: the cap on open streams picks idle ones first. (The
          // byte budget goes by reads: a result read long ago goes first, however big it grows.)
          if (this.#source) this.#hooks?.touched(this);
          const chunk = await this.#fetch();
          if (!chunk || chunk.rowCount === 0)
            throw this.#fail(resultChanged(this.#rowCount, this.#spool.rows));
          const after = this.#spool.rows + chunk.rowCount;
          if (after > this.#rowCount) throw this.#fail(resultChanged(this.#rowCount, after));
          await this.append(chunk);
        });
      }
      if (this.#spool.rows === this.#rowCount && this.#source) await this.#checkEnd();
    });
    this.#producing = run.catch(() => undefined);
    return run;
  }

  /** After the last counted row the stream must be at its end; then the connection goes. */
  async #checkEnd(): Promise<void> {
    const extra = await this.#fetch();
    if (extra && extra.rowCount > 0)
      throw this.#fail(resultChanged(this.#rowCount, this.#rowCount + extra.rowCount));
    this.#release();
  }

  async #fetch(): Promise<DuckDBDataChunk | null> {
    const source = this.#source;
    if (!source) {
      // The stream had to go while this production waited: the rows not produced are gone.
      if (this.#restGone) throw resultExpiredError(this.queryId, this.#restGone);
      throw this.#fail(resultChanged(this.#rowCount, this.#spool.rows));
    }
    const call = source.stream.fetchChunk();
    this.#inflight = call;
    try {
      return await call;
    } catch (err) {
      this.#check();
      throw this.#fail(mapDuckError(err, source.sql));
    } finally {
      this.#inflight = null;
    }
  }

  #fail(err: Error): Error {
    this.#failure ??= err;
    this.#release();
    return this.#failure;
  }

  /** Stops everything: account, stream now; rows and file once no read is under way. */
  #shut(): void {
    this.account.close();
    this.#release();
    if (this.#active === 0) void this.#spool.free();
  }

  /** Gives the connection up: handed back once no DuckDB call is in flight on it. */
  #release(): void {
    const source = this.#source;
    if (!source) return;
    this.#source = null;
    this.account.charge(-this.#streamCharge, 0);
    this.#streamCharge = 0;
    this.#hooks?.released(this);
    const done = this.#resolveReleased;
    const giveBack = (): void => {
      source.recycle(source.conn);
      done();
    };
    const inflight = this.#inflight;
    if (!inflight) {
      giveBack();
      return;
    }
    // Reusing or disconnecting under a running fetch could crash DuckDB: interrupt it and wait.
    source.conn.interrupt();
    inflight.then(giveBack, giveBack);
  }
}
