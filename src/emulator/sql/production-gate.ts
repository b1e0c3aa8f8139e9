/**
 * Lets a few lazy productions of big results work at once (a DuckDB fetch, encoding, spilling),
 * first come first served. Dozens of results produced side by side would not finish sooner on a
 * few cores, but each would keep DuckDB data chunks and encoded rows in flight, and the allocators
 * keep what they once held: the gate bounds the memory outside the result budget.
 */
import { availableParallelism } from 'node:os';

/** Productions working at once by default: the cores, within 2…8. */
export function defaultProductionSlots(): number {
  return Math.min(8, Math.max(2, availableParallelism()));
}

/** A FIFO semaphore for production steps. */
export class ProductionGate {
  #free: number;
  readonly #waiters: (() => void)[] = [];

  constructor(slots: number = defaultProductionSlots()) {
    this.#free = Math.max(1, slots);
  }

  /** Runs `work` once a slot is free, and frees the slot when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiters.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
