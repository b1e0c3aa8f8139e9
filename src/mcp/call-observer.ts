/**
 * What the tool pipeline reports about calls as they end, for whoever keeps figures (the daemon's
 * Prometheus metrics). Only bounded values: tool names from the tool table, transport kinds,
 * catalogue codes, statement kinds, budget names — never SQL, query ids or client names.
 */
import type { ErrorCode } from '../errors.js';
import type { TransportKind } from './request-context.js';

/** One finished tool call. */
export interface CallRecord {
  /** Canonical tool name (without prefix). */
  readonly tool: string;
  readonly transport: TransportKind;
  /** `ok`, or the catalogue code of the failure. */
  readonly outcome: 'ok' | ErrorCode;
  readonly durationSeconds: number;
  /** Rows of a tabular answer. */
  readonly rows?: number;
  /** Characters of the answer's text content. */
  readonly bytes?: number;
  /** Set when the answer was cut at the row or byte cap. */
  readonly truncatedBy?: 'rows' | 'bytes';
}

/** Receives reports; each method must not throw. */
export interface CallObserver {
  callEnded(record: CallRecord): void;
  /** A statement ran in Snowflake for a call (success or not). */
  statementEnded(durationSeconds: number): void;
  /** The guard refused a statement of this kind (dml, ddl, unparsable, fragment, …). */
  statementRefused(kind: string): void;
  /** The cost guard admitted a read, of a client of `transport`, Snowflake estimated to scan `bytes`. */
  scanEstimated(bytes: number, transport: TransportKind): void;
  /** The cost guard refused a read: over the per-call or per-client budget, or not confirmed. */
  scanRefused(budget: 'call' | 'client' | 'declined', transport: TransportKind): void;
}

const noop = (): void => {};

/** An observer that keeps nothing. */
export const silentObserver: CallObserver = Object.freeze({
  callEnded: noop,
  statementEnded: noop,
  statementRefused: noop,
  scanEstimated: noop,
  scanRefused: noop,
});
