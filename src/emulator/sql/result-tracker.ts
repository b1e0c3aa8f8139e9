/**
 * Caps the DuckDB streams big results keep open (each holds a connection, a transaction and the
 * operator state of its query). Beyond the cap the least recently read one gives its stream up:
 * it produces the rest of its rows into its spool in the background when they fit the free disk
 * budget, or else keeps only the rows produced so far (SpooledResult.yieldStream). Never is a
 * statement run again.
 */
import type { SpooledResult, StreamHooks } from './spooled-result.js';

/** Default most big results holding a DuckDB stream at once. */
export const DEFAULT_MAX_OPEN_STREAMS = 16;

/** Tracks results holding a stream; a result leaves when it releases its stream. */
export class ResultTracker {
  /** Results holding a stream and not yet asked to give it up, least recently read first. */
  readonly #open = new Set<SpooledResult>();
  /** Every result still holding a stream (open or producing its rest), for shutdown. */
  readonly #holding = new Set<SpooledResult>();

  constructor(readonly maxStreams: number = DEFAULT_MAX_OPEN_STREAMS) {}

  /** Hooks a streaming result reports through. */
  readonly hooks: StreamHooks = {
    touched: (result) => {
      if (!this.#open.delete(result)) return;
      this.#open.add(result);
    },
    released: (result) => {
      this.#open.delete(result);
      this.#holding.delete(result);
    },
  };

  /** Starts tracking a result that holds a stream; asks the least recently read beyond the cap to give theirs up. */
  add(result: SpooledResult): void {
    if (!result.holdsStream) return;
    this.#open.add(result);
    this.#holding.add(result);
    for (const oldest of this.#open) {
      if (this.#open.size <= this.maxStreams) break;
      if (oldest === result) continue;
      this.#open.delete(oldest);
      oldest.yieldStream(this.maxStreams);
    }
  }

  /** Results holding a DuckDB stream now. */
  get openStreams(): number {
    return this.#holding.size;
  }

  /** Settles when every result has released its connection (after they were expired or closed). */
  async whenReleased(): Promise<void> {
    await Promise.all([...this.#holding].map((r) => r.whenReleased()));
  }
}
