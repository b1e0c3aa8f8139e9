/**
 * What createEngine takes and what the engine offers beyond the wire server's contract (history,
 * kept-result figures), with the checks of the options.
 */
import type { Engine } from '../engine-types.js';
import { SmcpError } from '../../errors.js';
import type { QueryRecord } from './history.js';
import { DEFAULT_RESULT_DISK_BYTES, DEFAULT_RESULT_MEMORY_BYTES } from './result-store.js';

/** Options of createEngine. */
export interface EngineOptions {
  /** Load the deterministic sample databases (SAMPLE_DB, ANALYTICS, …). Default false. */
  sampleData?: boolean;
  /** Tables of a generated catalog (GEN_DB_01, …; metadata only, see generated-catalog.ts). Default 0. */
  catalogSize?: number;
  /** Account name CURRENT_ACCOUNT() reports. Default 'EMULATOR'. */
  account?: string;
  /** Most DuckDB connections used at once by running statements. Default 8. */
  maxConnections?: number;
  /**
   * Most big results whose rows are still being produced from an open DuckDB stream (each holds a
   * connection outside the statement pool). Beyond it the least recently read one produces the rest
   * into its spill file, or, when that would take more than an eighth of the disk budget or more
   * than is free, keeps only the rows produced so far. Default 16.
   */
  maxOpenStreams?: number;
  /** Bytes of result rows kept in memory before results spill to disk. Default 256 MiB. */
  resultMemoryBytes?: number;
  /** Bytes of result rows kept in spill files before the least recently used results are evicted. Default 4 GiB. */
  resultDiskBytes?: number;
  /**
   * Directory under which the engine creates its private spill directory (0700, removed on close);
   * default the system temp dir.
   */
  spillParentDir?: string;
}

/** What kept results hold right now. */
export interface HeldStats {
  /** Big results holding a DuckDB stream (and connection). */
  openStreams: number;
  /** Results kept (complete or still streaming). */
  openResults: number;
  /** Bytes of encoded rows (and per-result overhead) in memory. */
  memoryBytes: number;
  /** Bytes of rows in spill files. */
  diskBytes: number;
  /** Results with rows in a spill file. */
  spilledResults: number;
  /** Results evicted by the byte budgets so far. */
  evictions: number;
}

/** The engine as the emulator uses it, plus in-process inspection for tests and tools. */
export interface SqlEngine extends Engine {
  /** Every statement run so far (bounded), newest first. */
  queryHistory(): QueryRecord[];
  /** What kept results hold now. */
  stats(): HeldStats;
  /** The engine's private spill directory. */
  readonly spillDir: string;
}

/** The byte budgets of kept results. */
export interface ResultBudgets {
  memory: number;
  disk: number;
}

/**
 * The result budgets `options` ask for (defaults filled in).
 * Throws SmcpError CONFIG_INVALID for a budget that is not a number of bytes ≥ 0.
 */
export function resultBudgets(options: EngineOptions): ResultBudgets {
  const memory = options.resultMemoryBytes ?? DEFAULT_RESULT_MEMORY_BYTES;
  const disk = options.resultDiskBytes ?? DEFAULT_RESULT_DISK_BYTES;
  for (const [field, value] of [
    ['resultMemoryBytes', memory],
    ['resultDiskBytes', disk],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new SmcpError('CONFIG_INVALID', `${field} must be a number of bytes ≥ 0, got ${value}`, {
        field,
      });
    }
  }
  return { memory, disk };
}
