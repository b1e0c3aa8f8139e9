/**
 * The serving process's memory as `smcp status` and `GET /status` report it: what the kernel
 * counts (RSS) next to what V8 accounts for, so growth can be told apart as JavaScript heap,
 * buffers, or native memory (DuckDB, allocator arenas).
 */

/** Memory of this process, in bytes. */
export interface ProcessMemory {
  /** Resident set size: everything the kernel holds for the process. */
  readonly rssBytes: number;
  /** V8 heap in use by JavaScript objects. */
  readonly heapUsedBytes: number;
  /** V8 heap reserved. */
  readonly heapTotalBytes: number;
  /** Memory of C++ objects bound to JavaScript objects (Buffers included). */
  readonly externalBytes: number;
  /** ArrayBuffers and Buffers (part of externalBytes). */
  readonly arrayBuffersBytes: number;
  /**
   * RSS that V8 does not account for: native libraries (DuckDB), allocator arenas and code. Its
   * growth with a flat heap points below JavaScript.
   */
  readonly nativeBytes: number;
}

/** A snapshot of this process's memory. */
export function processMemory(): ProcessMemory {
  const m = process.memoryUsage();
  return {
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    heapTotalBytes: m.heapTotal,
    externalBytes: m.external,
    arrayBuffersBytes: m.arrayBuffers,
    nativeBytes: Math.max(0, m.rss - m.heapTotal - m.external),
  };
}
