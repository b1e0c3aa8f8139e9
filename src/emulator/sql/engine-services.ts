/**
 * What the engine shares with the code that runs one statement: the connection pool, catalog,
 * history, result bookkeeping, procedures, the wire server's host and the account's facts. One
 * object per engine.
 */
import type { EngineHost } from '../engine-types.js';
import type { Catalog } from './catalog.js';
import type { QueryHistory } from './history.js';
import type { ConnectionPool } from './pool.js';
import type { SessionConnections } from './transactions.js';
import type { DataGeneration } from './prepared-cache.js';
import type { ProcedureStore } from './procedures.js';
import type { ProductionGate } from './production-gate.js';
import type { ResultStore } from './result-store.js';
import type { ResultTracker } from './result-tracker.js';
import type { SessionQueryIds } from './table-functions/index.js';

/**
 * Heap bytes charged per result beyond its rows and statement text: its bookkeeping in the engine
 * and its record in the wire server (measured about 2.2 KB for a one-row result).
 */
export const RESULT_OVERHEAD_BYTES = 2048;

/** The engine's shared parts, as a statement handler sees them. */
export interface EngineServices {
  readonly pool: ConnectionPool;
  /** Connections sessions hold for transactions and temporary tables. */
  readonly sessionConns: SessionConnections;
  readonly catalog: Catalog;
  readonly history: QueryHistory;
  readonly tracker: ResultTracker;
  readonly store: ResultStore;
  /** Changes whenever data or schema may have changed: cached plans of older generations are dropped. */
  readonly generation: DataGeneration;
  /** Bounds how many results produce rows lazily at once. */
  readonly gate: ProductionGate;
  /** The account name CURRENT_ACCOUNT() reports. */
  readonly account: string;
  /** Each session's query ids (LAST_QUERY_ID, RESULT_SCAN by index). */
  readonly queryIds: SessionQueryIds;
  /** SQL procedures (CREATE PROCEDURE … LANGUAGE SQL), by qualified name. */
  readonly procedures: ProcedureStore;
  /** The wire server's users and running statements, once attached (null before). */
  readonly host: EngineHost | null;
  /** Set once a table got a SYSTEM$WAIT column default: INSERTs then check for them. */
  waitDefaults: boolean;
  /** Set once a statement may have made a DECFLOAT column: INSERTs then convert into them. */
  decfloatColumns: boolean;
  /** A new spill file path for a result. */
  spillFile(): string;
}
