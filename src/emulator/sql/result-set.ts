/**
 * ResultSet implementations: a lazy one over a DuckDB materialized result (rows are encoded only
 * when read, so reading 1,000 rows of a 1M-row result stays cheap) and a small in-memory one for
 * results the engine builds itself.
 */
import type { DuckDBMaterializedResult } from '@duckdb/node-api';
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import { encodeValue } from './encode.js';

/** A ResultSet over a DuckDB materialized result; `columns` must match the result's columns. */
export class DuckResultSet implements ResultSet {
  readonly rowCount: number;
  private result: DuckDBMaterializedResult | null;
  /** starts[i] = index of the first row of chunk i; filled on first read. */
  private starts: number[] | null = null;

  constructor(
    result: DuckDBMaterializedResult,
    readonly columns: ColumnMeta[],
    readonly statementTypeId: number,
  ) {
    this.result = result;
    this.rowCount = result.rowCount;
  }

  readRows(offset: number, count: number): Promise<(string | null)[][]> {
    const result = this.result;
    if (!result) return Promise.reject(new Error('result set is closed'));
    const start = Math.max(0, Math.floor(offset));
    const end = Math.min(this.rowCount, start + Math.max(0, Math.floor(count)));
    const rows: (string | null)[][] = [];
    if (start >= end) return Promise.resolve(rows);
    const starts = this.chunkStarts(result);
    let chunkIndex = findChunk(starts, start);
    let row = start;
    while (row < end && chunkIndex < starts.length) {
      const chunk = result.getChunk(chunkIndex);
      const chunkStart = starts[chunkIndex] ?? 0;
      const from = row - chunkStart;
      const to = Math.min(chunk.rowCount, end - chunkStart);
      const columnValues = this.columns.map((_c, i) => chunk.getColumnValues(i));
      for (let r = from; r < to; r++) {
        const encoded: (string | null)[] = new Array<string | null>(this.columns.length);
        for (let c = 0; c < this.columns.length; c++) {
          const column = this.columns[c];
          const values = columnValues[c];
          encoded[c] = column && values ? encodeValue(values[r] ?? null, column) : null;
        }
        rows.push(encoded);
      }
      row = chunkStart + to;
      chunkIndex++;
    }
    return Promise.resolve(rows);
  }

  close(): void {
    this.result = null;
    this.starts = null;
  }

  private chunkStarts(result: DuckDBMaterializedResult): number[] {
    if (this.starts) return this.starts;
    const starts: number[] = [];
    let total = 0;
    for (let i = 0; i < result.chunkCount; i++) {
      starts.push(total);
      total += result.getChunk(i).rowCount;
    }
    this.starts = starts;
    return starts;
  }
}

/** Index of the chunk holding `row` (binary search over chunk start rows). */
function findChunk(starts: number[], row: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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
