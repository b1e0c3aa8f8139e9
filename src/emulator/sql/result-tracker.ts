/**
 * The engine's open results that hold DuckDB memory or connections: fully held results (their
 * chunks) and streaming results (a connection each). Caps the streaming results that hold a
 * connection at once, expiring the least recently used one beyond the cap, and reports what is
 * held for tests and status.
 */
import type { ResultSet } from '../engine-types.js';
import type { ChunkResultSet } from './result-set.js';
import { StreamingResultSet, type StreamHooks } from './streaming-result.js';

/** Default most streaming results holding a DuckDB connection at once. */
export const DEFAULT_MAX_OPEN_STREAMS = 16;

/** What open results hold right now. */
export interface HeldStats {
  /** Streaming results holding a DuckDB connection (an open stream). */
  openStreams: number;
  /** Rows held in memory by open results (held results in full, streaming results' windows). */
  rowsBuffered: number;
  /** Open results of either kind. */
  openResults: number;
}

/** Tracks open results; results leave when closed. */
export class ResultTracker {
  readonly #held = new Set<ChunkResultSet | StreamingResultSet>();
  /** Streaming results holding a connection, least recently used first. */
  readonly #streams = new Set<StreamingResultSet>();

  constructor(private readonly maxStreams: number = DEFAULT_MAX_OPEN_STREAMS) {}

  /** Hooks a new StreamingResultSet reports through. */
  readonly hooks: StreamHooks = {
    touched: (result) => {
      if (!this.#streams.delete(result)) return;
      this.#streams.add(result);
    },
    reopened: (result) => this.#openStream(result),
    released: (result) => {
      this.#streams.delete(result);
    },
  };

  /** Starts tracking `result` (expiring the least recently used stream when over the cap). */
  add<T extends ChunkResultSet | StreamingResultSet>(result: T): ResultSet {
    this.#held.add(result);
    if (result instanceof StreamingResultSet && result.holdsConnection) this.#openStream(result);
    const close = (): void => {
      this.#held.delete(result);
      result.close();
    };
    return {
      columns: result.columns,
      rowCount: result.rowCount,
      statementTypeId: result.statementTypeId,
      memoryRows: result.memoryRows,
      readRows: (offset, count) => result.readRows(offset, count),
      close,
    };
  }

  /** Current figures. */
  stats(): HeldStats {
    let rowsBuffered = 0;
    for (const r of this.#held) rowsBuffered += r.bufferedRows;
    return { openStreams: this.#streams.size, rowsBuffered, openResults: this.#held.size };
  }

  /** Closes every result; settles when their connections are disconnected. */
  async closeAll(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const r of this.#held) {
      r.close();
      if (r instanceof StreamingResultSet) waits.push(r.whenReleased());
    }
    this.#held.clear();
    this.#streams.clear();
    await Promise.all(waits);
  }

  #openStream(result: StreamingResultSet): void {
    this.#streams.add(result);
    for (const oldest of this.#streams) {
      if (this.#streams.size <= this.maxStreams) break;
      if (oldest === result) continue;
      // Expired results stay tracked until closed, so their owner's close() still arrives here.
      this.#streams.delete(oldest);
      oldest.expire();
    }
  }
}
