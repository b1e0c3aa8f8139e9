/**
 * Statements the emulator has run or is running, by query id, by (session, request id) for
 * idempotent retries and cancel, and by chunk secret. As in Snowflake, a result belongs to the user
 * who ran the statement, not to the session: any session of that user reads it by query id, and it
 * outlives the session's logout. A result is kept until the lifetime (24 h by default) has passed
 * since its statement ended, or until the engine's byte budget evicts it; after that the statement
 * is remembered (a bounded number of them) so that a read says why its result is gone. Query ids
 * carry a tag of this emulator run and a check digit group, so an id issued before a restart is
 * told apart from one that was never issued.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  Engine,
  EmulatorSession,
  ExecuteOptions,
  KeptResults,
  ResultSet,
  StatementOutcome,
} from '../engine-types.js';
import { EmulatorSqlError, resultExpiredError } from '../engine-types.js';
import {
  FINISHED,
  FINISHED_ABORT,
  partRecord,
  type FinalState,
  type QueryError,
  type QueryRecord,
} from './query-record.js';
import { layoutResult, type ResultLayout } from './result-chunks.js';
import type { ResultFormat } from './result-format.js';
import { wireParameters } from './session-parameters.js';
import { MESSAGES, SQL } from './wire-errors.js';

export type { FinalState, QueryError, QueryRecord, QueryStatus } from './query-record.js';

/** What a statement needs to start. */
export interface StartRequest {
  session: EmulatorSession;
  sqlText: string;
  requestId: string | undefined;
  bindings: ExecuteOptions['bindings'];
  parameters: ExecuteOptions['parameters'];
  /** Compile only (describeOnly): columns, no rows, nothing run. */
  describeOnly?: boolean;
  /** Result format for the statement; default JSON. */
  format?: ResultFormat;
}

/** Default time a result is kept after its statement ended: Snowflake's 24 hours. */
export const DEFAULT_RESULT_LIFETIME_MS = 24 * 3600_000;
/** Statements without a result (failed, or result gone) remembered at most, oldest forgotten first. */
const MAX_GONE = 10_000;
/** Characters of SQL text kept for a statement without a result. */
const GONE_SQL_CHARS = 1024;
/** Request ids remembered per session for retries and cancels (older ones only lose dedupe). */
const MAX_REQUESTS_PER_SESSION = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Four hex digits of FNV-1a over the first 32 characters of an id: marks ids this emulator issued. */
function stamp(head: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < head.length; i++) {
    h ^= head.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h >>> 16).toString(16).padStart(4, '0');
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

function hours(ms: number): string {
  const h = ms / 3600_000;
  if (h >= 1) return `${Math.round(h * 10) / 10} h`;
  const s = ms / 1000;
  return s >= 60 ? `${Math.round(s / 6) / 10} min` : `${Math.round(s * 10) / 10} s`;
}

/** The statements of one emulator. */
export class QueryRegistry {
  readonly #byId = new Map<string, QueryRecord>();
  readonly #bySecret = new Map<string, QueryRecord>();
  /** Per session: request id (or query id when none) → record, oldest first. */
  readonly #bySession = new Map<string, Map<string, QueryRecord>>();
  /** Records without a result, oldest first (bounded by MAX_GONE). */
  readonly #gone = new Set<QueryRecord>();
  /** First group of every query id of this run: tells ids from before a restart. */
  readonly #tag = randomBytes(4).toString('hex');
  /** Statements of multi-statement texts still running, by their own id → the request's record. */
  readonly #parts = new Map<string, QueryRecord>();
  statements = 0;

  constructor(
    private readonly engine: Engine,
    private readonly lifetimeMs: number = DEFAULT_RESULT_LIFETIME_MS,
  ) {}

  /** A new query id of this run (tag, random part, check digits). */
  #newId(): string {
    const head = `${this.#tag}${randomUUID().slice(8, 32)}`;
    return head + stamp(head);
  }

  /** Starts a statement in the background and registers it. */
  start(req: StartRequest): QueryRecord {
    const id = this.#newId();
    const abort = new AbortController();
    let settle!: () => void;
    const record: QueryRecord = {
      id,
      requestId: req.requestId,
      sessionId: req.session.id,
      user: req.session.user,
      sqlText: req.sqlText,
      numberOfBinds: req.bindings ? Object.keys(req.bindings).length : 0,
      startTime: Date.now(),
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
      gone: null,
      format: req.format ?? 'json',
      children: null,
    };
    this.#byId.set(id, record);
    this.#bySecret.set(record.chunkSecret, record);
    let requests = this.#bySession.get(req.session.id);
    if (!requests) this.#bySession.set(req.session.id, (requests = new Map<string, QueryRecord>()));
    requests.set(req.requestId ?? id, record);
    if (requests.size > MAX_REQUESTS_PER_SESSION) {
      const oldest = requests.keys().next().value;
      if (oldest !== undefined) requests.delete(oldest);
    }
    this.statements++;

    const parts: string[] = [];
    const options: ExecuteOptions = {
      queryId: id,
      signal: abort.signal,
      results: this.#keptFor(req.session.user),
      statementQueryId: () => {
        const part = this.#newId();
        parts.push(part);
        this.#parts.set(part, record);
        return part;
      },
    };
    if (req.bindings) options.bindings = req.bindings;
    if (req.parameters) options.parameters = req.parameters;
    if (req.describeOnly) options.describeOnly = true;
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
        for (const part of parts) this.#parts.delete(part);
        record.final = snapshot();
        record.endTime = Date.now();
        record.status = 'SUCCESS';
        if (!this.#byId.has(id)) {
          result.close(); // the emulator closed while the statement ran
          for (const outcome of result.statements ?? []) outcome.result.close();
        } else {
          record.result = result;
          if (result.statements) this.#adopt(record, result.statements);
        }
        this.#finished(record);
        settle();
      },
      (err: unknown) => {
        for (const part of parts) this.#parts.delete(part);
        record.final = snapshot();
        record.endTime = Date.now();
        record.error = toQueryError(err, abort.signal.aborted);
        record.status = 'FAILED_WITH_ERROR';
        this.#markGone(record, null);
        this.#finished(record);
        settle();
      },
    );
    return record;
  }

  /**
   * Registers the statements of a multi-statement text as finished statements of their own, each
   * readable by its query id like any other, and notes them on the request's record.
   */
  #adopt(parent: QueryRecord, outcomes: readonly StatementOutcome[]): void {
    parent.children = outcomes.map((o) => ({ id: o.queryId, statementTypeId: o.result.statementTypeId }));
    for (const outcome of outcomes) {
      const child = partRecord(parent, outcome);
      this.#byId.set(child.id, child);
      this.#bySecret.set(child.chunkSecret, child);
      this.statements++;
    }
  }

  /**
   * SYSTEM$CANCEL_QUERY: aborts the running statement `queryId` (or the multi-statement text one of
   * whose statements it is) when `session`'s user ran it or its role is ACCOUNTADMIN. Throws
   * EmulatorSqlError 000605 when no such statement is running, 003001 for another user's.
   */
  cancel(queryId: string, session: EmulatorSession): void {
    const id = queryId.toLowerCase();
    const record = this.#byId.get(id) ?? this.#parts.get(id);
    if (!record || record.status !== 'RUNNING') {
      throw new EmulatorSqlError('000605', '01000', `Identified SQL statement is not currently executing.`);
    }
    if (record.user !== session.user && session.role !== 'ACCOUNTADMIN') {
      throw new EmulatorSqlError(
        '003001',
        '42501',
        `SQL access control error:\nInsufficient privileges to operate on query '${queryId}'`,
      );
    }
    record.abort.abort();
  }

  /**
   * The statement with this query id when `user` ran it (null user: anyone). A successful
   * statement whose result has expired comes back with `gone` set and no result.
   */
  get(id: string, user: string | null = null): QueryRecord | undefined {
    const record = this.#byId.get(id);
    if (!record || (user !== null && record.user !== user)) return undefined;
    this.#refresh(record, Date.now());
    return record;
  }

  /**
   * Why an id this emulator does not know can never be read, when that can be told: an id issued by
   * an earlier run of the emulator (results do not survive a restart). Undefined for any other id.
   */
  unknownReason(id: string): string | undefined {
    const lower = id.toLowerCase();
    if (!UUID.test(lower) || stamp(lower.slice(0, 32)) !== lower.slice(32) || lower.startsWith(this.#tag)) {
      return undefined;
    }
    return 'the emulator restarted since the statement ran, and results do not survive a restart';
  }

  /** The statement a session started with this request id, if still remembered. */
  byRequest(sessionId: string, requestId: string): QueryRecord | undefined {
    return this.#bySession.get(sessionId)?.get(requestId);
  }

  /** The statement whose chunk URLs carry this secret, while its result is kept. */
  bySecret(secret: string): QueryRecord | undefined {
    const record = this.#bySecret.get(secret);
    if (record) this.#refresh(record, Date.now());
    return record;
  }

  /** The inline part and chunk plan of a successful statement (made once). */
  layout(record: QueryRecord): Promise<ResultLayout> {
    if (!record.result) return Promise.resolve({ inlineRows: 0, chunks: [] });
    return (record.layout ??= Promise.resolve(layoutResult(record.result)));
  }

  /**
   * A session ended (logout, or its tokens died): its running statements are aborted and its
   * request ids forgotten. Finished results stay, readable by the same user from other sessions.
   */
  endSession(sessionId: string): void {
    const requests = this.#bySession.get(sessionId);
    this.#bySession.delete(sessionId);
    for (const record of requests?.values() ?? []) {
      if (record.status === 'RUNNING') record.abort.abort();
    }
    void this.engine.endSession?.(sessionId).catch(() => undefined);
  }

  /** Closes results older than the lifetime and notes results the engine evicted. */
  sweep(now = Date.now()): void {
    for (const record of this.#byId.values()) this.#refresh(record, now);
  }

  /** Aborts everything and closes every result. */
  closeAll(): void {
    for (const record of this.#byId.values()) {
      if (record.status === 'RUNNING') record.abort.abort();
      record.result?.close();
      record.result = null;
    }
    this.#byId.clear();
    this.#bySecret.clear();
    this.#bySession.clear();
    this.#gone.clear();
  }

  /**
   * The results `user` may read back in a statement (RESULT_SCAN, DESCRIBE RESULT): as the result
   * endpoint, an unknown id or another user's is not found, and a statement still running is waited for.
   */
  #keptFor(user: string): KeptResults {
    return {
      read: async (queryId, signal) => {
        const record = this.get(queryId, user);
        if (!record) {
          const why = this.unknownReason(queryId);
          if (why) throw resultExpiredError(queryId, why);
          throw new EmulatorSqlError(SQL.RESULT_NOT_FOUND, '02000', `Statement ${queryId} not found.`);
        }
        if (record.status === 'RUNNING') {
          await new Promise<void>((resolve, reject) => {
            const onAbort = (): void =>
              reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
            if (signal.aborted) return onAbort();
            signal.addEventListener('abort', onAbort, { once: true });
            void record.done.then(() => {
              signal.removeEventListener('abort', onAbort);
              resolve();
            });
          });
        }
        if (record.status === 'FAILED_WITH_ERROR') {
          throw new EmulatorSqlError(
            SQL.RESULT_NOT_FOUND,
            '02000',
            `Statement ${queryId} not found: it failed (${record.error?.code ?? ''}) and has no result.`,
          );
        }
        const result = this.get(queryId, user)?.result;
        if (!result) throw resultExpiredError(queryId, record.gone ?? 'it was closed');
        return result;
      },
    };
  }

  /** Number of statements remembered (running, with a result, or without). */
  get size(): number {
    return this.#byId.size;
  }

  /** Number of results kept (statements with a readable result). */
  get kept(): number {
    return this.#byId.size - this.#gone.size;
  }

  /** Drops what only a running statement needs (waiters already hold the old promise). */
  #finished(record: QueryRecord): void {
    record.abort = FINISHED_ABORT;
    record.done = FINISHED;
  }

  /** Moves a record whose result expired (or outlived the lifetime) to the remembered-only ones. */
  #refresh(record: QueryRecord, now: number): void {
    const result = record.result;
    if (!result) return;
    if (result.expired !== null) {
      this.#markGone(record, result.expired);
    } else if (record.endTime !== null && now - record.endTime > this.lifetimeMs) {
      this.#markGone(record, `it is older than the emulator's result lifetime of ${hours(this.lifetimeMs)}`);
    }
  }

  #markGone(record: QueryRecord, reason: string | null): void {
    record.result?.close();
    record.result = null;
    record.layout = null;
    record.gone = reason;
    if (record.sqlText.length > GONE_SQL_CHARS)
      record.sqlText = `${record.sqlText.slice(0, GONE_SQL_CHARS)}…`;
    this.#bySecret.delete(record.chunkSecret);
    this.#gone.add(record);
    if (this.#gone.size <= MAX_GONE) return;
    const oldest = this.#gone.values().next().value;
    if (!oldest) return;
    this.#gone.delete(oldest);
    this.#byId.delete(oldest.id);
  }
}
