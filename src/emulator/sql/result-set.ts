/**
 * ResultSet implementations: one over DuckDB data chunks held in memory (rows are encoded only
 * when read, so reading 1,000 rows of a large held result stays cheap) and a small in-memory one
 * for results the engine builds itself. Big results stream instead (streaming-result.ts).
 */
import type { DuckDBDataChunk } from '@duckdb/node-api';
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import { encodeValue } from './encode.js';

/** A DuckDB data chunk and the absolute index of its first row. */
export interface HeldChunk {
  readonly start: number;
  readonly chunk: DuckDBDataChunk;
}

/**
 * Encodes rows [start, end) from `held` (ascending, contiguous chunks). Rows outside the held
 * chunks are not returned, so the caller checks coverage first.
 */
export function encodeHeldRows(
  held: readonly HeldChunk[],
  columns: readonly ColumnMeta[],
  start: number,
  end: number,
): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let index = findChunk(held, start);
  let row = start;
  while (row < end && index < held.length) {
    const entry = held[index];
    if (!entry) break;
    const from = row - entry.start;
    const to = Math.min(entry.chunk.rowCount, end - entry.start);
    const columnValues = columns.map((_c, i) => entry.chunk.getColumnValues(i));
    for (let r = from; r < to; r++) {
      const encoded: (string | null)[] = new Array<string | null>(columns.length);
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c];
        const values = columnValues[c];
        encoded[c] = column && values ? encodeValue(values[r] ?? null, column) : null;
      }
      rows.push(encoded);
    }
    row = entry.start + to;
    index++;
  }
  return rows;
}

/** Index of the chunk holding `row` (binary search over chunk start rows); 0 when none. */
function findChunk(held: readonly HeldChunk[], row: number): number {
  let lo = 0;
  let hi = held.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((held[mid]?.start ?? 0) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A fully known result whose DuckDB chunks are all in memory; `columns` must match them. */
export class ChunkResultSet implements ResultSet {
  readonly rowCount: number;
  readonly memoryRows: number;
  private held: HeldChunk[] | null;

  constructor(
    chunks: readonly DuckDBDataChunk[],
    readonly columns: ColumnMeta[],
    readonly statementTypeId: number,
  ) {
    const held: HeldChunk[] = [];
    let total = 0;
    for (const chunk of chunks) {
      if (chunk.rowCount === 0) continue;
      held.push({ start: total, chunk });
      total += chunk.rowCount;
    }
    this.held = held;
    this.rowCount = total;
    this.memoryRows = total;
  }

  /** Rows held in memory: all of them until closed. */
  get bufferedRows(): number {
    return this.held ? this.rowCount : 0;
  }

  readRows(offset: number, count: number): Promise<(string | null)[][]> {
    const held = this.held;
    if (!held) return Promise.reject(new Error('result set is closed'));
    const start = Math.max(0, Math.floor(offset));
    const end = Math.min(this.rowCount, start + Math.max(0, Math.floor(count)));
    if (start >= end) return Promise.resolve([]);
    return Promise.resolve(encodeHeldRows(held, this.columns, start, end));
  }

  close(): void {
    this.held = null;
  }
}

/** A ResultSet of rows the engine already encoded (status messages, DML counts). */
export class StaticResultSet implements ResultSet {
  readonly rowCount: number;
  private rows: (string | null)[][] | null;

  constructor(
    readonly columns: ColumnMeta[],
    rows: (string | null)[][],
    readonly statementTypeId: number,
  ) {
    this.rows = rows;
    this.rowCount = rows.length;
  }

  readRows(offset: number, count: number): Promise<(string | null)[][]> {
    if (!this.rows) return Promise.reject(new Error('result set is closed'));
    const start = Math.max(0, Math.floor(offset));
    return Promise.resolve(this.rows.slice(start, start + Math.max(0, Math.floor(count))));
  }

  close(): void {
    this.rows = null;
  }
}

/** A one-column text result with one row, as Snowflake answers USE, ALTER SESSION and DDL. */
export function statusResult(message: string, statementTypeId: number): ResultSet {
  const column: ColumnMeta = {
    name: 'status',
    type: 'text',
    nullable: true,
    precision: null,
    scale: null,
    length: 16777216,
    byteLength: 16777216,
  };
  return new StaticResultSet([column], [[message]], statementTypeId);
}
