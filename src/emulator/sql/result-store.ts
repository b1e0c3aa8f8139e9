/**
 * The byte budgets of kept results. Every result the engine hands out has an account here that
 * counts the bytes it holds in memory (encoded rows plus a fixed overhead) and in its spill file.
 * Over the memory budget, results spill their rows to disk, the least recently used first; results
 * too small to be worth a file are evicted instead. Over the disk budget, results are evicted, the
 * least recently used first. Results being built or read right now go only when no idle one can. An evicted result frees everything and names why in every later read.
 * Nothing is ever recomputed: a result is either kept as first produced, or gone with a reason.
 */

/** Default bytes of result rows kept in memory. */
export const DEFAULT_RESULT_MEMORY_BYTES = 256 * 2 ** 20;
/** Default bytes of result rows kept in spill files. */
export const DEFAULT_RESULT_DISK_BYTES = 4 * 2 ** 30;
/** Results holding fewer heap bytes than this are evicted rather than given a spill file. */
export const SPILL_MIN_BYTES = 64 * 1024;
/** Once over the memory budget, results spill until memory is down to this share of it. */
const SPILL_DOWN_TO = 0.75;

/** What the store can do to a result. */
export interface Evictable {
  /** Heap bytes that spill() would move to disk. */
  readonly spillableBytes: number;
  /** True while rows are still produced from an open stream: not evicted to make memory room. */
  readonly streaming: boolean;
  /** True while its statement runs or a read of it is under way: evicted only when no idle result can be. */
  readonly busy: boolean;
  /** Moves the rows it holds in memory to its spill file. */
  spill(): Promise<void>;
  /** Frees the result for good (its account closes); later reads fail naming `reason`. */
  expire(reason: string): void;
}

/** One result's bytes, as charged to the store. */
export class ResultAccount {
  #memory = 0;
  #disk = 0;
  #open = true;
  /** Set while the store waits for this result to spill. */
  spilling = false;

  constructor(
    private readonly store: ResultStore,
    readonly owner: Evictable,
  ) {}

  /** Heap bytes charged now. */
  get memory(): number {
    return this.#memory;
  }

  /** Spill-file bytes charged now. */
  get disk(): number {
    return this.#disk;
  }

  /** False once closed (freed or evicted). */
  get open(): boolean {
    return this.#open;
  }

  /** Adds (or with negative numbers, takes back) bytes; ignored once closed. */
  charge(memory: number, disk: number): void {
    if (!this.#open) return;
    this.#memory += memory;
    this.#disk += disk;
    this.store.adjust(memory, disk);
  }

  /** Marks the result used now (the least recently used go first). */
  touch(): void {
    if (this.#open) this.store.touch(this);
  }

  /** Takes back every byte and leaves the store. Idempotent. */
  close(): void {
    if (!this.#open) return;
    this.store.adjust(-this.#memory, -this.#disk);
    this.#memory = 0;
    this.#disk = 0;
    this.#open = false;
    this.store.forget(this);
  }
}

/** Figures of the store. */
export interface StoreStats {
  /** Results with an open account. */
  results: number;
  memoryBytes: number;
  diskBytes: number;
  /** Results with rows in a spill file. */
  spilledResults: number;
  /** Results evicted by the budgets so far. */
  evictions: number;
}

/** A byte count as people read it: 256 KiB, 4 MiB, 4 GiB. */
export function size(bytes: number): string {
  for (const [unit, factor] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
  ] as const) {
    if (bytes >= factor) return `${Math.round((bytes / factor) * 10) / 10} ${unit}`;
  }
  return `${Math.round(bytes / 1024)} KiB`;
}

/** The accounts of one engine, least recently used first. */
export class ResultStore {
  readonly #accounts = new Set<ResultAccount>();
  #memory = 0;
  #disk = 0;
  #evictions = 0;
  /** The enforcement running now; resolves true when it stopped with nothing left to do. */
  #enforcing: Promise<boolean> | null = null;

  constructor(
    readonly memoryBudget: number = DEFAULT_RESULT_MEMORY_BYTES,
    readonly diskBudget: number = DEFAULT_RESULT_DISK_BYTES,
  ) {}

  /** Opens an account for `owner`, most recently used. */
  open(owner: Evictable): ResultAccount {
    const account = new ResultAccount(this, owner);
    this.#accounts.add(account);
    return account;
  }

  /** Spill-file bytes still free under the disk budget. */
  get diskFree(): number {
    return Math.max(0, this.diskBudget - this.#disk);
  }

  /** Current figures. */
  stats(): StoreStats {
    let spilledResults = 0;
    for (const a of this.#accounts) if (a.disk > 0) spilledResults++;
    return {
      results: this.#accounts.size,
      memoryBytes: this.#memory,
      diskBytes: this.#disk,
      spilledResults,
      evictions: this.#evictions,
    };
  }

  /**
   * Brings memory and disk back under their budgets (spilling, then evicting); settles when done or
   * when nothing more can be done. Producers await it after each batch of rows, so a result being
   * produced cannot run far past the budgets.
   */
  async settle(): Promise<void> {
    while (this.#over()) {
      this.#enforcing ??= this.#enforce().finally(() => (this.#enforcing = null));
      // Stuck: nothing left to spill or evict but results already spilling; they finish on their own.
      if (await this.#enforcing) return;
    }
  }

  /** Expires every result (engine shutdown). */
  closeAll(reason: string): void {
    for (const account of [...this.#accounts]) account.owner.expire(reason);
    this.#accounts.clear();
  }

  /** @internal used by ResultAccount */
  adjust(memory: number, disk: number): void {
    this.#memory += memory;
    this.#disk += disk;
  }

  /** @internal used by ResultAccount */
  touch(account: ResultAccount): void {
    // A Set keeps insertion order: re-inserting makes it the most recently used.
    this.#accounts.delete(account);
    this.#accounts.add(account);
  }

  /** @internal used by ResultAccount */
  forget(account: ResultAccount): void {
    this.#accounts.delete(account);
  }

  #over(): boolean {
    return this.#memory > this.memoryBudget || this.#disk > this.diskBudget;
  }

  #oldest(test: (a: ResultAccount) => boolean): ResultAccount | undefined {
    for (const a of this.#accounts) if (test(a)) return a;
    return undefined;
  }

  /** The least recently used account passing `test` that is not busy, else the least recently used busy one. */
  #oldestIdleFirst(test: (a: ResultAccount) => boolean): ResultAccount | undefined {
    return this.#oldest((a) => test(a) && !a.owner.busy) ?? this.#oldest(test);
  }

  #evict(account: ResultAccount, reason: string): void {
    this.#evictions++;
    account.owner.expire(reason);
    // An owner that forgot to close its account must not keep the loop going.
    account.close();
  }

  async #enforce(): Promise<boolean> {
    // Spilling goes on below the budget, so that the next rows do not start it again at once.
    let spillTo = this.memoryBudget;
    // Memory of results still streaming: evicting other results cannot bring it down.
    let streaming = -1;
    for (;;) {
      if (this.#memory > spillTo) {
        spillTo = this.memoryBudget * SPILL_DOWN_TO;
        const big = this.#oldest((a) => !a.spilling && a.owner.spillableBytes >= SPILL_MIN_BYTES);
        if (big) {
          big.spilling = true;
          try {
            await big.owner.spill();
          } catch (err) {
            const why = err instanceof Error ? err.message : String(err);
            this.#evict(big, `it could not be written to the emulator's spill directory (${why})`);
          } finally {
            big.spilling = false;
          }
          continue;
        }
        if (streaming < 0) {
          streaming = 0;
          for (const a of this.#accounts) if (a.owner.streaming) streaming += a.memory;
        }
        const small =
          this.#memory > this.memoryBudget && streaming < this.memoryBudget
            ? this.#oldestIdleFirst((a) => !a.spilling && !a.owner.streaming && a.memory > 0)
            : undefined;
        if (small) {
          this.#evict(
            small,
            `evicted by the emulator's result byte budget (memory ${size(this.memoryBudget)}; the least recently used results go first)`,
          );
          continue;
        }
      }
      if (this.#disk > this.diskBudget) {
        const victim = this.#oldestIdleFirst((a) => a.disk > 0);
        if (victim) {
          const alone = victim.disk + victim.memory > this.diskBudget;
          this.#evict(
            victim,
            alone
              ? `evicted by the emulator's result byte budget: it alone needs more than the ${size(this.diskBudget)} disk budget`
              : `evicted by the emulator's result byte budget (disk ${size(this.diskBudget)}; the least recently used results go first)`,
          );
          continue;
        }
      }
      return this.#over();
    }
  }
}
