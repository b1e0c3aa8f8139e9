/**
 * Query history: every statement the engine runs, newest first, bounded. Tests and users read it
 * through `TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())` and `SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY`.
 */

/** One statement as QUERY_HISTORY shows it. */
export interface QueryRecord {
  queryId: string;
  queryText: string;
  queryTag: string;
  userName: string;
  roleName: string;
  warehouseName: string | null;
  databaseName: string | null;
  schemaName: string | null;
  sessionId: string;
  queryType: string;
  executionStatus: 'RUNNING' | 'SUCCESS' | 'FAILED_WITH_ERROR';
  errorCode: string | null;
  errorMessage: string | null;
  startTime: Date;
  endTime: Date | null;
  totalElapsedTime: number | null;
  rowsProduced: number | null;
}

/**
 * Keeps the last `limit` records in a ring (adding one is O(1) even when full); `version` changes
 * on every change so snapshots can be reused.
 */
export class QueryHistory {
  private readonly records: QueryRecord[] = [];
  /** Where the oldest record sits once the ring is full (the next one overwrites it). */
  private head = 0;
  private changes = 0;

  constructor(private readonly limit = 10_000) {}

  /** Adds a RUNNING record and returns it (the engine completes it in place). */
  start(
    record: Omit<
      QueryRecord,
      'executionStatus' | 'errorCode' | 'errorMessage' | 'endTime' | 'totalElapsedTime' | 'rowsProduced'
    >,
  ): QueryRecord {
    const full: QueryRecord = {
      ...record,
      executionStatus: 'RUNNING',
      errorCode: null,
      errorMessage: null,
      endTime: null,
      totalElapsedTime: null,
      rowsProduced: null,
    };
    if (this.records.length < this.limit) {
      this.records.push(full);
    } else {
      this.records[this.head] = full;
      this.head = (this.head + 1) % this.limit;
    }
    this.changes++;
    return full;
  }

  /** Marks a record finished successfully. */
  succeed(record: QueryRecord, rows: number): void {
    record.executionStatus = 'SUCCESS';
    record.rowsProduced = rows;
    this.end(record);
  }

  /** Marks a record failed with Snowflake's code and message. */
  fail(record: QueryRecord, code: string, message: string): void {
    record.executionStatus = 'FAILED_WITH_ERROR';
    record.errorCode = code;
    record.errorMessage = message;
    record.rowsProduced = 0;
    this.end(record);
  }

  /** Records newest first (a copy). */
  list(): QueryRecord[] {
    const out: QueryRecord[] = new Array<QueryRecord>(this.records.length);
    const n = this.records.length;
    // Newest is just before head (or last, while the ring is not yet full).
    for (let i = 0; i < n; i++) out[i] = this.records[(this.head - 1 - i + 2 * n) % n];
    return out;
  }

  /** A counter that changes whenever the history does. */
  get version(): number {
    return this.changes;
  }

  private end(record: QueryRecord): void {
    record.endTime = new Date();
    record.totalElapsedTime = record.endTime.getTime() - record.startTime.getTime();
    this.changes++;
  }
}
