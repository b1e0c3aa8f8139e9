/**
 * Small results the engine builds itself (status messages, DML counts, SHOW and DESCRIBE answers):
 * rows already encoded, held in memory and charged to the result store like any other result, so
 * they too live as long as the byte budget allows and no longer. Query results are SpooledResults.
 */
import type { ChunkSink, ColumnMeta, ResultSet, SizeHint } from '../engine-types.js';
import { resultExpiredError } from '../engine-types.js';
import type { Evictable, ResultAccount, ResultStore } from './result-store.js';

/** A ResultSet of rows the engine already encoded. */
export class StaticResultSet implements ResultSet, Evictable {
  readonly rowCount: number;
  readonly spillableBytes = 0;
  readonly streaming = false;
  readonly busy = false;
  private rows: (string | null)[][] | null;
  private account: ResultAccount | null = null;
  private queryId = '';
  private gone: string | null = null;

  constructor(
    readonly columns: ColumnMeta[],
    rows: (string | null)[][],
    readonly statementTypeId: number,
  ) {
    this.rows = rows;
    this.rowCount = rows.length;
  }

  get expired(): string | null {
    return this.gone;
  }

  /** Charges the result (its rows plus `overheadBytes`) to `store` under `queryId`. Once only. */
  retainIn(store: ResultStore, queryId: string, overheadBytes: number): void {
    if (this.account || !this.rows) return;
    this.queryId = queryId;
    this.account = store.open(this);
    let bytes = overheadBytes;
    for (const row of this.rows) for (const v of row) bytes += 8 + (v?.length ?? 0);
    this.account.charge(bytes, 0);
  }

  readRows(offset: number, count: number): Promise<(string | null)[][]> {
    if (!this.rows) return Promise.reject(resultExpiredError(this.queryId, this.gone ?? 'it was closed'));
    this.account?.touch();
    const start = Math.max(0, Math.floor(offset));
    return Promise.resolve(this.rows.slice(start, start + Math.max(0, Math.floor(count))));
  }

  async readRowTexts(offset: number, count: number): Promise<string[]> {
    return (await this.readRows(offset, count)).map((row) => JSON.stringify(row));
  }

  async writeChunkBody(offset: number, count: number, sink: ChunkSink): Promise<void> {
    const texts = await this.readRowTexts(offset, count);
    sink.start();
    if (texts.length > 0) await sink.write(Buffer.from(texts.join(','), 'utf8'));
  }

  takeSizeHint(): SizeHint {
    const known = (this.rows ?? []).map((row) => Buffer.byteLength(JSON.stringify(row)) + 1);
    const total = known.reduce((a, b) => a + b, 0);
    return { known, averageBytes: known.length === 0 ? 0 : total / known.length };
  }

  spill(): Promise<void> {
    return Promise.resolve();
  }

  expire(reason: string): void {
    if (!this.rows) return;
    this.gone = reason;
    this.close();
  }

  close(): void {
    this.rows = null;
    this.gone ??= 'it was closed';
    this.account?.close();
  }
}

/** A VARCHAR column as Snowflake describes one of unbounded length (16 MiB). */
export function textColumn(name: string): ColumnMeta {
  return {
    name,
    type: 'text',
    nullable: true,
    precision: null,
    scale: null,
    length: 16777216,
    byteLength: 16777216,
  };
}

/** A one-column text result with one row, as Snowflake answers USE, ALTER SESSION and DDL. */
export function statusResult(message: string, statementTypeId: number): ResultSet {
  return new StaticResultSet([textColumn('status')], [[message]], statementTypeId);
}
