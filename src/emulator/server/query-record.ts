/**
 * The record the wire server keeps of one statement (running, finished, or remembered after its
 * result is gone), and the finished records of the statements of a multi-statement text.
 */
import { randomUUID } from 'node:crypto';
import type { ResultSet, StatementOutcome } from '../engine-types.js';
import type { ResultLayout } from './result-chunks.js';
import type { ResultFormat } from './result-format.js';
import type { WireParameter } from './session-parameters.js';

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
  sqlText: string;
  readonly numberOfBinds: number;
  readonly startTime: number;
  /** Aborts the statement while it runs (a shared, unused controller once it has finished). */
  abort: AbortController;
  /** Settles (never rejects) when the statement has finished. */
  done: Promise<void>;
  /** Secret path segment of this result's chunk URLs. */
  readonly chunkSecret: string;
  status: QueryStatus;
  endTime: number | null;
  result: ResultSet | null;
  error: QueryError | null;
  final: FinalState | null;
  /** Inline part and chunk plan, made on first fetch. */
  layout: Promise<ResultLayout> | null;
  /** Why the result of a successful statement is gone (evicted, too old, closed), or null. */
  gone: string | null;
  /** How its rows travel (JSON rowset or Arrow), chosen when it started. */
  readonly format: ResultFormat;
  /** Of a multi-statement text: each statement's query id and statement type, in order. */
  children: { id: string; statementTypeId: number }[] | null;
}

/** What finished statements keep instead of their own controller and promise (kept for 24 h). */
export const FINISHED_ABORT = new AbortController();
/** The settled promise of every finished statement. */
export const FINISHED: Promise<void> = Promise.resolve();

/**
 * The finished record of one statement of a multi-statement text: its own id, text and result,
 * the rest (user, session, times, final state, format) as the request's.
 */
export function partRecord(parent: QueryRecord, outcome: StatementOutcome): QueryRecord {
  return {
    id: outcome.queryId,
    requestId: undefined,
    sessionId: parent.sessionId,
    user: parent.user,
    sqlText: outcome.sqlText,
    numberOfBinds: 0,
    startTime: parent.startTime,
    abort: FINISHED_ABORT,
    done: FINISHED,
    chunkSecret: randomUUID().replace(/-/g, ''),
    status: 'SUCCESS',
    endTime: parent.endTime,
    result: outcome.result,
    error: null,
    final: parent.final,
    layout: null,
    gone: null,
    format: parent.format,
    children: null,
  };
}
