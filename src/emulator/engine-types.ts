/**
 * The contract between the emulator's wire server (HTTP, auth, sessions, chunks) and its SQL engine
 * (Snowflake SQL on DuckDB). The wire server knows nothing of SQL; the engine knows nothing of HTTP.
 */

/** Snowflake's rowtype `type` names (lower case, as the driver expects them on the wire). */
export type SnowflakeType =
  | 'fixed'
  | 'real'
  | 'text'
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamp_ntz'
  | 'timestamp_ltz'
  | 'timestamp_tz'
  | 'binary'
  | 'variant'
  | 'object'
  | 'array';

/** One column of a result, as Snowflake describes it in `rowtype`. */
export interface ColumnMeta {
  name: string;
  type: SnowflakeType;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  /** Qualified source, when the column comes straight from a table. */
  database?: string;
  schema?: string;
  table?: string;
}

/**
 * The state of one emulated Snowflake session. The wire server creates it at login and passes it
 * to every statement; the engine reads and changes it (USE, ALTER SESSION).
 */
export interface EmulatorSession {
  readonly id: string;
  readonly user: string;
  /** Roles granted to the user; USE ROLE may switch only among these. */
  readonly grantedRoles: readonly string[];
  role: string;
  warehouse: string | null;
  database: string | null;
  schema: string | null;
  /** Session parameters by upper-case name (QUERY_TAG, STATEMENT_TIMEOUT_IN_SECONDS, …). */
  readonly params: Map<string, string>;
}

/** A bind value as the driver sends it: `{ "1": { type: 'FIXED', value: '5' } }`. */
export interface WireBinding {
  type: string;
  value: string | null | (string | null)[];
}

/** What one statement needs beyond its text. */
export interface ExecuteOptions {
  /** Snowflake query id (UUID) chosen by the wire server; recorded in query history. */
  queryId: string;
  /** Positional binds keyed "1", "2", … */
  bindings?: Record<string, WireBinding>;
  /** Statement-level parameters from the request body; they override session parameters. */
  parameters?: Record<string, string | number | boolean>;
  /** Fires when the client aborts the statement; the engine stops it and fails with 000604. */
  signal?: AbortSignal;
}

/**
 * A finished statement's result, held until the wire server has served it. Rows are already
 * encoded the Snowflake way: every value a string or null. `rowCount` is exact from the start,
 * even when the rows themselves are still being produced (big results stream; see readRows).
 */
export interface ResultSet {
  readonly columns: ColumnMeta[];
  readonly rowCount: number;
  /** Snowflake statement type id (e.g. 0x1000 select); see the engine for the table. */
  readonly statementTypeId: number;
  /**
   * Rows this result keeps in memory at most (for the holder's memory budget); `rowCount` when
   * absent. A streaming result keeps only a small window, so its figure is far below rowCount.
   */
  readonly memoryRows?: number;
  /**
   * Reads `count` encoded rows starting at `offset`. May be called in any order, more than once,
   * and concurrently (calls are served one at a time, in call order). For a streaming result,
   * reading forward is cheap; reading rows it no longer holds (behind its small window) re-executes
   * the statement and skips forward, which is correct for deterministic statements only. Rejects
   * when the result was closed or expired, or when a re-execution yields other rows than counted.
   */
  readRows(offset: number, count: number): Promise<(string | null)[][]>;
  /** Frees the result (and, for a streaming result, its DuckDB stream and connection). Idempotent. */
  close(): void;
}

/** Why a statement failed, with Snowflake's code and SQLSTATE. */
export class EmulatorSqlError extends Error {
  constructor(
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorSqlError';
  }
}

/** The SQL engine as the wire server uses it. */
export interface Engine {
  /** Runs one statement text (which may hold several statements if MULTI_STATEMENT_COUNT allows). Throws EmulatorSqlError. */
  execute(session: EmulatorSession, sqlText: string, options: ExecuteOptions): Promise<ResultSet>;
  /** Frees every result and the DuckDB instance. Idempotent. */
  close(): Promise<void>;
}
