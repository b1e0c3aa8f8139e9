/**
 * Statements the emulator has run or is running, by query id, by (session, request id) for
 * idempotent retries and cancel, and by chunk secret. Finished results are kept until they have
 * not been accessed for the result TTL, until their session ends, or until the session holds too
 * many; then they are closed.
 */
import { randomUUID } from 'node:crypto';
import type { Engine, EmulatorSession, ExecuteOptions, ResultSet } from '../engine-types.js';
import { layoutResult, type ResultLayout } from './result-chunks.js';
import { wireParameters, type WireParameter } from './session-parameters.js';
import { MESSAGES, SQL } from './wire-errors.js';

/** Where a statement stands, in the monitoring API's words. */
export type QueryStatus = 'RUNNING' | 'SUCCESS' | 'FAILED_WITH_ERROR';

/** Why a statement failed. */
export interface QueryError {
  code: string;
  sqlState: string;
  message: string;
}

/** The session's state right after the statement, reported as final*Name in the answer. */
export interface FinalState {
  database: string | null;
  schema: string | null;
  warehouse: string | null;
  role: string;
  parameters: WireParameter[];
}

/** One statement. */
export interface QueryRecord {
  readonly id: string;
  readonly requestId: string | undefined;
  readonly sessionId: string;
  readonly user: string;
  readonly sqlText: string;
  readonly numberOfBinds: number;
  readonly startTime: number;
  readonly abort: AbortController;
  /** Settles (never rejects) when the statement has finished. */
  readonly done: Promise<void>;
  /** Secret path segment of this result's chunk URLs. */
  readonly chunkSecret: string;
  status: QueryStatus;
  endTime: number | null;
  result: ResultSet | null;
  error: QueryError | null;
  final: FinalState | null;
  /** Inline part and chunk plan, made on first fetch. */
  layout: Promise<ResultLayout> | null;
  lastAccess: number;
}

/** What a statement needs to start. */
export interface StartRequest {
  session: EmulatorSession;
  sqlText: string;
  requestId: string | undefined;
  bindings: ExecuteOptions['bindings'];
  parameters: ExecuteOptions['parameters'];
}

/** Finished results a session may hold before the oldest are closed. */
const MAX_HELD_PER_SESSION = 200;
/**
 * Rows all held results may keep in memory before the least recently used are closed, so an
 * unbounded number of big ones cannot exhaust memory. A streaming result counts with its window
 * (ResultSet.memoryRows), not its row count.
 */
const MAX_HELD_ROWS = 20_000_000;

function memoryRowsOf(result: ResultSet): number {
  return result.memoryRows ?? result.rowCount;
}

/** A statement's failure as the wire reports it (Snowflake code and SQLSTATE when the error has them). */
export function toQueryError(err: unknown, aborted: boolean): QueryError {
  if (aborted) return { code: SQL.CANCELLED, sqlState: '57014', message: MESSAGES.cancelled };
  if (err instanceof Error) {
    const { code, sqlState } = err as Error & { code?: unknown; sqlState?: unknown };
    if (typeof code === 'string' && typeof sqlState === 'string')
      return { code, sqlState, message: err.message };
    return {
      code: SQL.INTERNAL,
      sqlState: 'XX000',
      message: `Internal error in the emulator: ${err.message}`,
    };
  }
  return { code: SQL.INTERNAL, sqlState: 'XX000', message: `Internal error in the emulator: ${String(err)}` };
}

/** The statements of one emulator. */
export class QueryRegistry {
  readonly #byId = new Map<string, QueryRecord>();
  readonly #bySecret = new Map<string, QueryRecord>();
  /** Per session: request id (or query id when none) → record, in start order. */
  readonly #bySession = new Map<string, Map<string, QueryRecord>>();
  statements = 0;
  #heldRows = 0;

  constructor(
    private readonly engine: Engine,
    private readonly resultTtlMs: number,
  ) {}

  /** Starts a statement in the background and registers it. */
  start(req: StartRequest): QueryRecord {
    const id = randomUUID();
    const abort = new AbortController();
    const now = Date.now();
    let settle!: () => void;
    const record: QueryRecord = {
      id,
      requestId: req.requestId,
      sessionId: req.session.id,
      user: req.session.user,
      sqlText: req.sqlText,
      numberOfBinds: req.bindings ? Object.keys(req.bindings).length : 0,
      startTime: now,
      abort,
      done: new Promise<void>((resolve) => (settle = resolve)),
      // 122 random bits; randomUUID draws from a buffered CSPRNG pool, far cheaper per call than
      // randomBytes on the hot path of every statement.
      chunkSecret: randomUUID().replace(/-/g, ''),
      status: 'RUNNING',
      endTime: null,
      result: null,
      error: null,
      final: null,
      layout: null,
      lastAccess: now,
    };
    this.#byId.set(id, record);
    this.#bySecret.set(record.chunkSecret, record);
    let held = this.#bySession.get(req.session.id);
    if (!held) this.#bySession.set(req.session.id, (held = new Map<string, QueryRecord>()));
    held.set(req.requestId ?? id, record);
    this.#trim(held);
    this.statements++;

    const options: ExecuteOptions = { queryId: id, signal: abort.signal };
    if (req.bindings) options.bindings = req.bindings;
    if (req.parameters) options.parameters = req.parameters;
    const snapshot = (): FinalState => ({
      database: req.session.database,
      schema: req.session.schema,
      warehouse: req.session.warehouse,
      role: req.session.role,
      parameters: wireParameters(req.session),
    });
    let running: Promise<ResultSet>;
    try {
      running = this.engine.execute(req.session, req.sqlText, options);
    } catch (err) {
      running = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    running.then(
      (result) => {
        record.final = snapshot();
        record.endTime = Date.now();
        if (!this.#byId.has(id)) {
          result.close(); // the session ended while the statement ran
        } else {
          record.result = result;
          record.status = 'SUCCESS';
          this.#heldRows += memoryRowsOf(result);
          if (this.#heldRows > MAX_HELD_ROWS) this.#evictOverBudget(record);
        }
        settle();
      },
      (err: unknown) => {
        record.final = snapshot();
        record.endTime = Date.now();
        record.error = toQueryError(err, abort.signal.aborted);
        record.status = 'FAILED_WITH_ERROR';
        settle();
      },
    );
    return record;
  }

  /** The statement with this query id, if still held. Marks it accessed. */
  get(id: string): QueryRecord | undefined {
    const record = this.#byId.get(id);
    if (record) record.lastAccess = Date.now();
    return record;
  }

  /** The statement a session started with this request id, if still held. */
  byRequest(sessionId: string, requestId: string): QueryRecord | undefined {
    return this.#bySession.get(sessionId)?.get(requestId);
  }

  /** The statement whose chunk URLs carry this secret. Marks it accessed. */
  bySecret(secret: string): QueryRecord | undefined {
    const record = this.#bySecret.get(secret);
    if (record) record.lastAccess = Date.now();
    return record;
  }

  /** The inline part and chunk plan of a successful statement (made once). */
  layout(record: QueryRecord): Promise<ResultLayout> {
    if (!record.result) return Promise.resolve({ inline: [], chunks: [] });
    return (record.layout ??= layoutResult(record.result));
  }

  /** Aborts running statements of a session and closes its results. */
  endSession(sessionId: string): void {
    const held = this.#bySession.get(sessionId);
    if (!held) return;
    this.#bySession.delete(sessionId);
    for (const record of held.values()) this.#drop(record);
  }

  /** Closes results not accessed within the TTL. */
  sweep(now = Date.now()): void {
    for (const record of this.#byId.values()) {
      if (record.status !== 'RUNNING' && now - record.lastAccess > this.resultTtlMs) {
        this.#bySession.get(record.sessionId)?.delete(record.requestId ?? record.id);
        this.#drop(record);
      }
    }
  }

  /** Aborts everything and closes every result. */
  closeAll(): void {
    for (const sessionId of [...this.#bySession.keys()]) this.endSession(sessionId);
  }

  /** Number of statements held (running or finished). */
  get size(): number {
    return this.#byId.size;
  }

  /** Rows the held results keep in memory (a streaming result counts with its window). */
  get heldRows(): number {
    return this.#heldRows;
  }

  #trim(held: Map<string, QueryRecord>): void {
    if (held.size <= MAX_HELD_PER_SESSION) return;
    for (const [key, record] of held) {
      if (held.size <= MAX_HELD_PER_SESSION) break;
      if (record.status === 'RUNNING') continue;
      held.delete(key);
      this.#drop(record);
    }
  }

  /** Closes the least recently used finished results (but not `keep`) until under the row budget. */
  #evictOverBudget(keep: QueryRecord): void {
    const candidates = [...this.#byId.values()]
      .filter((r) => r !== keep && r.result !== null)
      .sort((a, b) => a.lastAccess - b.lastAccess);
    for (const record of candidates) {
      if (this.#heldRows <= MAX_HELD_ROWS) break;
      this.#bySession.get(record.sessionId)?.delete(record.requestId ?? record.id);
      this.#drop(record);
    }
  }

  #drop(record: QueryRecord): void {
    this.#byId.delete(record.id);
    this.#bySecret.delete(record.chunkSecret);
    if (record.status === 'RUNNING') record.abort.abort();
    if (record.result) this.#heldRows -= memoryRowsOf(record.result);
    record.result?.close();
    record.result = null;
  }
}
