/**
 * The emulator's SQL engine: Snowflake SQL on embedded DuckDB. One DuckDB instance holds every
 * database (each an attached in-memory catalog); statements borrow pooled connections, so
 * statements of different sessions run side by side. See engine-types.ts for the contract; this
 * file splits a request into statements, records them in the history and keeps their results;
 * statement-dispatch.ts decides what answers each one.
 *
 * Precision of date/time values (DuckDB's limits), as stored and as sent on the wire:
 * - TIMESTAMP_NTZ(p) → DuckDB TIMESTAMP, TIMESTAMP_LTZ(p) → TIMESTAMPTZ, TIME(p) → TIME: microseconds.
 *   Digits 7–9 of a literal are dropped (truncated); rowtype still reports scale 9 (or p).
 * - TIMESTAMP_TZ(p) → TIMESTAMP_NS carrying the UTC instant in microseconds plus the value's own
 *   offset in quarter hours in the last three nanosecond digits (see macros.ts). Offsets survive
 *   storage, CTAS, MIN/MAX/ORDER BY/CASE/UNION; arithmetic (ts + INTERVAL, DATEADD) and implicit
 *   string casts (INSERT … VALUES ('… +02:00') without ::TIMESTAMP_TZ) keep the instant but give +00:00.
 * TIMESTAMP_NS is reserved for TIMESTAMP_TZ, so NTZ cannot use it for nanoseconds.
 */
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type {
  EngineHost,
  EmulatorSession,
  ExecuteOptions,
  KeptResults,
  ResultBytes,
  ResultSet,
  StatementOutcome,
  WireBinding,
} from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import { Catalog } from './catalog.js';
import { StatementContext } from './context.js';
import { openInstance, setupInstance } from './duckdb-setup.js';
import { resultBudgets } from './engine-options.js';
import type { EngineOptions, HeldStats, SqlEngine } from './engine-options.js';
import { RESULT_OVERHEAD_BYTES, type EngineServices } from './engine-services.js';
import { QueryHistory } from './history.js';
import type { QueryRecord } from './history.js';
import { bindingsPerStatement, multiStatementResult, splitRequest } from './multi-statement.js';
import { ConnectionPool } from './pool.js';
import { SessionConnections } from './transactions.js';
import { DataGeneration } from './prepared-cache.js';
import { ProcedureStore } from './procedures.js';
import { ProductionGate } from './production-gate.js';
import { StaticResultSet } from './result-set.js';
import { ResultStore } from './result-store.js';
import { DEFAULT_MAX_OPEN_STREAMS, ResultTracker } from './result-tracker.js';
import { createSpillDir, type SpillDir } from './spill-dir.js';
import { mapDuckError, statementCancelled, statementCountMismatch } from './sql-errors.js';
import { dispatchStatement, significantWords } from './statement-dispatch.js';
import { TransactionLogs } from './statement-rollback.js';
import { withStatementSignal } from './statement-signal.js';
import { queryTypeOf } from './statement-types.js';
import { SessionQueryIds } from './table-functions/index.js';
import { joinTokens, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { loadGeneratedCatalog, loadSampleData } from '../sample-data/index.js';

export type { EngineOptions, HeldStats, SqlEngine } from './engine-options.js';

/**
 * Creates a DuckDB-backed engine (extension autoload/autoinstall off, temporary files in its private
 * spill directory), with Snowflake's helper functions, the SNOWFLAKE database and, when asked, the
 * sample data. Once set up, DuckDB is locked: no file access, no configuration changes.
 * Throws SmcpError CONFIG_INVALID for a bad budget or spill directory.
 */
export async function createEngine(options: EngineOptions = {}): Promise<SqlEngine> {
  const budgets = resultBudgets(options);
  const spill = createSpillDir(options.spillParentDir);
  let instance: DuckDBInstance;
  try {
    instance = await openInstance(spill);
  } catch (err) {
    spill.remove();
    throw err;
  }
  const engine = new DuckEngine(instance, spill, new ResultStore(budgets.memory, budgets.disk), options);
  try {
    await engine.init(options.sampleData === true, options.catalogSize ?? 0);
  } catch (err) {
    await engine.close();
    throw err;
  }
  return engine;
}

/**
 * First words of statements that never write: plain queries (DuckDB's own statement type is
 * checked again before a plan is reused, see StatementContext.streamQuery) and the commands the
 * engine answers by reading the catalog. Every other statement bumps the data generation.
 */
const READ_ONLY_FIRST_WORDS = new Set([
  'SELECT',
  'WITH',
  'VALUES',
  'TABLE',
  'FROM',
  '(',
  'USE',
  'SHOW',
  'DESC',
  'DESCRIBE',
]);

const SYSTEM_SESSION: EmulatorSession = {
  id: '0',
  user: 'SYSTEM',
  grantedRoles: ['ACCOUNTADMIN'],
  role: 'ACCOUNTADMIN',
  warehouse: 'COMPUTE_WH',
  database: null,
  schema: null,
  params: new Map([['MULTI_STATEMENT_COUNT', '0']]),
};

class DuckEngine implements SqlEngine, EngineServices {
  readonly pool: ConnectionPool;
  readonly sessionConns: SessionConnections;
  readonly catalog = new Catalog();
  readonly history = new QueryHistory();
  readonly account: string;
  readonly queryIds = new SessionQueryIds();
  readonly tracker: ResultTracker;
  readonly generation = new DataGeneration();
  readonly gate = new ProductionGate();
  readonly procedures = new ProcedureStore();
  readonly transactionLogs = new TransactionLogs(this);
  host: EngineHost | null = null;
  waitDefaults = false;
  decfloatColumns = false;
  private closed = false;
  private systemQueries = 0;
  private spillFiles = 0;
  private readonly maxConnections: number;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly spill: SpillDir,
    readonly store: ResultStore,
    options: EngineOptions,
  ) {
    this.maxConnections = options.maxConnections ?? 8;
    this.pool = new ConnectionPool(instance, this.maxConnections);
    this.sessionConns = new SessionConnections(this.pool);
    this.tracker = new ResultTracker(options.maxOpenStreams ?? DEFAULT_MAX_OPEN_STREAMS);
    this.account = options.account ?? 'EMULATOR';
  }

  get spillDir(): string {
    return this.spill.path;
  }

  async init(sampleData: boolean, catalogSize: number): Promise<void> {
    // Connections for the statement pool, the open streams and a few producing their rest.
    const spare = this.maxConnections + this.tracker.maxStreams + 8;
    await setupInstance(this.pool, this.catalog, spare, async () => {
      if (sampleData) await loadSampleData((sql) => this.system(sql));
      if (catalogSize > 0)
        this.catalog.generated = await loadGeneratedCatalog(catalogSize, (sql) => this.system(sql));
    });
  }

  spillFile(): string {
    return join(this.spill.path, `r${++this.spillFiles}.rows`);
  }

  /** Runs SQL as the internal system session (sample data), outside the query history. */
  private async system(sql: string): Promise<void> {
    const session: EmulatorSession = { ...SYSTEM_SESSION, params: new Map(SYSTEM_SESSION.params) };
    const result = await this.execute(session, sql, { queryId: `system-${++this.systemQueries}` }, false);
    result.close();
  }

  queryHistory(): QueryRecord[] {
    return this.history.list();
  }

  stats(): HeldStats {
    const store = this.store.stats();
    return {
      openStreams: this.tracker.openStreams,
      openResults: store.results,
      memoryBytes: store.memoryBytes,
      diskBytes: store.diskBytes,
      spilledResults: store.spilledResults,
      evictions: store.evictions,
    };
  }

  resultBytes(): ResultBytes {
    const { memoryBytes, diskBytes } = this.store.stats();
    return { memoryBytes, diskBytes };
  }

  attachHost(host: EngineHost): void {
    this.host = host;
  }

  async execute(
    session: EmulatorSession,
    sqlText: string,
    options: ExecuteOptions,
    record = true,
  ): Promise<ResultSet> {
    if (this.closed) throw new EmulatorSqlError('390100', '08001', 'The emulator is shutting down.');
    const statements = splitRequest(tokenize(sqlText));
    const param = (name: string): string | undefined => {
      const v = options.parameters?.[name] ?? options.parameters?.[name.toLowerCase()];
      return v !== undefined ? String(v) : session.params.get(name);
    };
    if (statements.length === 0) {
      throw new EmulatorSqlError('000900', '42000', 'Empty SQL statement.');
    }
    const desired = Number(param('MULTI_STATEMENT_COUNT') ?? '1');
    if (Number.isFinite(desired) && desired !== 0 && statements.length !== desired) {
      const err = statementCountMismatch(statements.length, desired);
      if (record) this.recordFailure(session, sqlText, options.queryId, err, param('QUERY_TAG'));
      throw err;
    }
    const timeoutSecs = Number(param('STATEMENT_TIMEOUT_IN_SECONDS') ?? '0');
    // Snowflake's multi-statement answer: each statement's result under its own query id.
    const perStatement = statements.length > 1 ? options.statementQueryId : undefined;
    const binds = bindingsPerStatement(statements, options.bindings);
    const outcomes: StatementOutcome[] = [];
    return withStatementSignal(options.signal, timeoutSecs, async (signal) => {
      try {
        let last: ResultSet | null = null;
        for (const [k, tokens] of statements.entries()) {
          if (!perStatement) last?.close();
          const text = statements.length === 1 ? sqlText.trim() : joinTokens(tokens).trim();
          const queryId = perStatement
            ? perStatement(k)
            : statements.length === 1 || k === statements.length - 1
              ? options.queryId
              : `${options.queryId}-${k + 1}`;
          last = await this.executeOne(session, tokens, text, queryId, binds[k], signal, {
            tag: record ? (param('QUERY_TAG') ?? '') : null,
            results: options.results,
            describeOnly: options.describeOnly === true,
          });
          if (perStatement) outcomes.push({ queryId, sqlText: text, result: last });
        }
        if (!last) throw new EmulatorSqlError('000900', '42000', 'Empty SQL statement.');
        if (!perStatement) return last;
        const summary = multiStatementResult(outcomes);
        summary.retainIn(this.store, options.queryId, RESULT_OVERHEAD_BYTES);
        return summary;
      } catch (err) {
        for (const outcome of outcomes) outcome.result.close();
        throw err;
      }
    });
  }

  private recordFailure(
    session: EmulatorSession,
    text: string,
    queryId: string,
    err: EmulatorSqlError,
    tag?: string,
  ): void {
    const rec = this.history.start(this.recordFields(session, text, queryId, 'UNKNOWN', tag));
    this.history.fail(rec, err.code, err.message);
  }

  private recordFields(
    session: EmulatorSession,
    text: string,
    queryId: string,
    queryType: string,
    tag?: string,
  ): Parameters<QueryHistory['start']>[0] {
    return {
      queryId,
      queryText: text,
      queryTag: tag ?? session.params.get('QUERY_TAG') ?? '',
      userName: session.user,
      roleName: session.role,
      warehouseName: session.warehouse,
      databaseName: session.database,
      schemaName: session.schema,
      sessionId: session.id,
      queryType,
      startTime: new Date(),
    };
  }

  private async executeOne(
    session: EmulatorSession,
    tokens: Token[],
    text: string,
    queryId: string,
    bindings: Record<string, WireBinding> | undefined,
    signal: AbortSignal,
    how: { tag: string | null; results: KeptResults | undefined; describeOnly: boolean },
  ): Promise<ResultSet> {
    const words = significantWords(tokens);
    const rec =
      how.tag !== null
        ? this.history.start(
            this.recordFields(session, text, queryId, queryTypeOf(words[0] ?? '', words[1] ?? ''), how.tag),
          )
        : null;
    // A write bumps the generation before it starts and after it ends, so no plan made before or
    // during it is reused after it.
    const mayWrite = !READ_ONLY_FIRST_WORDS.has(words[0] ?? '');
    if (mayWrite) this.generation.startWrite();
    const lease = await this.sessionConns.acquire(session, words).catch((err: unknown) => {
      if (mayWrite) this.generation.endWrite();
      if (rec && err instanceof EmulatorSqlError) this.history.fail(rec, err.code, err.message);
      throw err;
    });
    const pooled = lease.pooled;
    const ctx = new StatementContext(session, pooled, this.catalog, signal, this.account, text);
    try {
      const overheadBytes = RESULT_OVERHEAD_BYTES + text.length;
      const statement = { tokens, words, bindings, text };
      const result = await this.transactionLogs.run(session, pooled, statement, signal, () =>
        dispatchStatement(this, ctx, {
          tokens,
          words,
          bindings,
          queryId,
          overheadBytes,
          results: how.results,
          describeOnly: how.describeOnly,
        }),
      );
      if (result instanceof StaticResultSet) result.retainIn(this.store, queryId, overheadBytes);
      if (rec) this.history.succeed(rec, result.rowCount);
      this.queryIds.record(session.id, queryId);
      return result;
    } catch (err) {
      const mapped = signal.aborted
        ? signal.reason instanceof EmulatorSqlError
          ? signal.reason
          : statementCancelled()
        : mapDuckError(err, text);
      if (rec) this.history.fail(rec, mapped.code, mapped.message);
      this.queryIds.record(session.id, queryId);
      throw mapped;
    } finally {
      if (mayWrite) this.generation.endWrite();
      else if (ctx.wrote) this.generation.bump();
      lease.release();
    }
  }

  /** The session ended: its transaction rolls back and its temporary tables go. */
  async endSession(sessionId: string): Promise<void> {
    await this.sessionConns.end(sessionId);
    this.transactionLogs.forget(sessionId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.store.closeAll('the emulator shut down');
    await this.tracker.whenReleased();
    this.pool.close();
    this.instance.closeSync();
    this.spill.remove();
  }
}
