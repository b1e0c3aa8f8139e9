/**
 * The contract between the emulator's wire server (HTTP, auth, sessions, chunks) and its SQL engine
 * (Snowflake SQL on DuckDB). The wire server knows nothing of SQL; the engine knows nothing of HTTP.
 */

/**
 * The emulated account's TIMEZONE: what the login reply announces, SHOW PARAMETERS shows as the
 * default, and the engine computes in until a session sets its own (UTC, for reproducible output;
 * Snowflake's own default is America/Los_Angeles).
 */
export const DEFAULT_TIMEZONE = 'UTC';

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
  | 'array'
  | 'map'
  | 'decfloat';

/** One column of a result, as Snowflake describes it in `rowtype`. */
export interface ColumnMeta {
  name: string;
  type: SnowflakeType;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  /**
   * The members of a structured type, described like columns: an OBJECT's fields by name, an
   * ARRAY's element, a MAP's key and value. Absent for every other type, semi-structured included.
   */
  fields?: ColumnMeta[];
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
  /** The results of the session's user, for RESULT_SCAN and DESCRIBE RESULT (none: every id is unknown). */
  results?: KeptResults;
  /**
   * Compile only (the driver's describeOnly): the result has the statement's columns and
   * statement type but no rows, and nothing runs, writes or changes the session.
   */
  describeOnly?: boolean;
  /**
   * Query id of statement `index` (from 0) of a text of several statements. When given, such a
   * text answers as Snowflake does: a one-row summary result whose `statements` hold each
   * statement's own result under its own id. Without it the last statement's result is answered.
   */
  statementQueryId?: (index: number) => string;
}

/** Results the statement's user may read back by query id (the wire server keeps them). */
export interface KeptResults {
  /**
   * The result of statement `queryId` run by the same user, waiting (until `signal` aborts) while
   * it still runs. Rejects with EmulatorSqlError: 000709 for an id unknown to this user or a
   * statement that failed, 000612 for a result that expired.
   */
  read(queryId: string, signal: AbortSignal): Promise<ResultSet>;
}

/** One statement of a multi-statement text, with its own query id and result. */
export interface StatementOutcome {
  readonly queryId: string;
  /** The statement's text as it ran. */
  readonly sqlText: string;
  readonly result: ResultSet;
}

/** Where a chunk body goes (an HTTP response). */
export interface ChunkSink {
  /** Called once, right before the first piece (never when the rows cannot be read). */
  start(): void;
  write(data: Buffer): Promise<void>;
}

/** What is known of a result's row sizes when its wire layout is planned. */
export interface SizeHint {
  /** Exact bytes (JSON text plus one separator) of the leading rows produced so far. */
  readonly known: readonly number[];
  /** Mean bytes per row over every row produced so far (0 when none). */
  readonly averageBytes: number;
}

/**
 * A finished statement's result, kept until the wire server lets it go. Rows are already encoded
 * the Snowflake way: every value a string or null. `rowCount` is exact from the start, even when
 * the rows themselves are still being produced (big results are produced as they are read). A
 * result is a snapshot: every read of a row gives what was first produced for it, never a
 * recomputation, until the result is closed or evicted.
 */
export interface ResultSet {
  readonly columns: ColumnMeta[];
  readonly rowCount: number;
  /** Snowflake statement type id (e.g. 0x1000 select); see the engine for the table. */
  readonly statementTypeId: number;
  /**
   * Why the result can no longer be read (evicted by the byte budget, the emulator closing), or
   * null while it can.
   */
  readonly expired: string | null;
  /**
   * Reads `count` encoded rows starting at `offset`. May be called in any order, more than once,
   * and concurrently. Rejects (000612) once the result was closed or evicted.
   */
  readRows(offset: number, count: number): Promise<(string | null)[][]>;
  /** The same rows as their JSON texts (`["1",null]`). */
  readRowTexts(offset: number, count: number): Promise<string[]>;
  /**
   * Writes the same rows as a chunk body (texts joined by commas) to `sink`, piece by piece: once
   * the rows are there and readable `sink.start()` is called, then `sink.write` for each piece (its
   * promise is the back-pressure). Rejects before start() when the result is gone, like readRows.
   */
  writeChunkBody(offset: number, count: number, sink: ChunkSink): Promise<void>;
  /** Row sizes for planning the wire layout; the exact sizes are handed out once. */
  takeSizeHint(): SizeHint;
  /** Frees the result (rows, spill file and any open DuckDB stream). Idempotent. */
  close(): void;
  /**
   * Set on the summary result of a multi-statement text run with `statementQueryId`: each
   * statement's outcome, in order. The wire server owns (and closes) these results.
   */
  readonly statements?: readonly StatementOutcome[];
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

/** Snowflake's code for a result that is no longer available (SQLSTATE 02000). */
export const RESULT_EXPIRED_CODE = '000612';

/**
 * The error every read of a result that is gone answers with: Snowflake's wording ("Result for
 * query … has expired") followed by why, so the client can say it (evicted by the byte budget,
 * older than the lifetime, emulator restarted).
 */
export function resultExpiredError(queryId: string, reason: string): EmulatorSqlError {
  return new EmulatorSqlError(
    RESULT_EXPIRED_CODE,
    '02000',
    `Result for query ${queryId} has expired: ${reason}.`,
  );
}

/** Bytes the engine keeps of results, for status figures. */
export interface ResultBytes {
  /** Encoded rows (and per-result overhead) held in memory. */
  memoryBytes: number;
  /** Rows in spill files. */
  diskBytes: number;
}

/** What DESC USER shows of a user: defaults and registered RSA public keys (bare base64 SPKI). */
export interface UserInfo {
  /** Upper-case login name. */
  readonly name: string;
  readonly disabled: boolean;
  readonly defaultRole: string;
  readonly defaultWarehouse: string | null;
  readonly defaultNamespace: string | null;
  readonly rsaPublicKey: string | null;
  /** `SHA256:<base64>` of the key, as Snowflake shows RSA_PUBLIC_KEY_FP. */
  readonly rsaPublicKeyFp: string | null;
  readonly rsaPublicKey2: string | null;
  readonly rsaPublicKey2Fp: string | null;
}

/**
 * What the engine may ask of the server that hosts it: the account's users (ALTER USER … SET
 * RSA_PUBLIC_KEY, DESC USER) and the statements running (SYSTEM$CANCEL_QUERY). The wire server
 * attaches one; an engine used on its own has none, and those statements then fail with 0A000.
 */
export interface EngineHost {
  /** The user (name case-insensitive), or undefined when no such user exists. */
  user(name: string): UserInfo | undefined;
  /**
   * Registers (a PEM or bare base64 SPKI key) or removes (null) key 1 or 2 of a user; with
   * `checkOnly` only validates. Throws EmulatorSqlError for an unknown user or a key that is not
   * an RSA public key.
   */
  setUserKey(name: string, slot: 1 | 2, key: string | null, checkOnly?: boolean): void;
  /**
   * Cancels the running statement `queryId` when `session`'s user ran it (or its role is
   * ACCOUNTADMIN). Throws EmulatorSqlError 000605 when no such statement is running.
   */
  cancelQuery(queryId: string, session: EmulatorSession): void;
}

/** The SQL engine as the wire server uses it. */
export interface Engine {
  /** Runs one statement text (which may hold several statements if MULTI_STATEMENT_COUNT allows). Throws EmulatorSqlError. */
  execute(session: EmulatorSession, sqlText: string, options: ExecuteOptions): Promise<ResultSet>;
  /** Frees every result and the DuckDB instance. Idempotent. */
  close(): Promise<void>;
  /** What kept results take now, when the engine tracks it. */
  resultBytes?(): ResultBytes;
  /** Gives the engine its host (users, running statements); called once by the wire server. */
  attachHost?(host: EngineHost): void;
  /**
   * The session ended (logout, expiry): its open transaction rolls back and its temporary tables
   * are dropped. Never rejects.
   */
  endSession?(sessionId: string): Promise<void>;
}
