/**
 * The emulator's SQL engine: Snowflake SQL on embedded DuckDB. One DuckDB instance holds every
 * database (each an attached in-memory catalog); statements borrow pooled connections, so
 * statements of different sessions run side by side. See engine-types.ts for the contract.
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
import { DuckDBInstance } from '@duckdb/node-api';
import type {
  Engine,
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
import { runCommand } from './commands.js';
import { isCallCommand, runCallCommand, type NestedRunner } from './call-commands.js';
import { waitForDefaults } from './default-waits.js';
import { describeStatement } from './describe-only.js';
import { bindingsPerStatement, multiStatementResult, splitRequest } from './multi-statement.js';
import { ProcedureStore } from './procedures.js';
import { isUserCommand, runUserCommand } from './user-commands.js';
import { StatementContext, WAREHOUSES } from './context.js';
import { runDdl } from './ddl.js';
import { refuseHostAccess } from './host-guard.js';
import { resultColumns } from './result-columns.js';
import { systemWait } from './system-wait.js';
import { QueryHistory } from './history.js';
import type { QueryRecord } from './history.js';
import { MACROS } from './macros.js';
import { ConnectionPool } from './pool.js';
import { DataGeneration } from './prepared-cache.js';
import { StaticResultSet, statusResult } from './result-set.js';
import { DEFAULT_RESULT_DISK_BYTES, DEFAULT_RESULT_MEMORY_BYTES, ResultStore } from './result-store.js';
import { DEFAULT_MAX_OPEN_STREAMS, ResultTracker } from './result-tracker.js';
import { createSpillDir, type SpillDir } from './spill-dir.js';
import { ProductionGate } from './production-gate.js';
import { isCountable, runSelect } from './select-runner.js';
import { rewriteStatement } from './rewrite.js';
import {
  SessionQueryIds,
  describeResult,
  isDescribeResult,
  prepareTableSources,
  withScanTypes,
} from './table-functions/index.js';
import type { TableSources } from './table-functions/index.js';
import { waitAbortably } from './table-functions/wait.js';
import { dmlResult, statementTypeOf } from './statement-results.js';
import { bindRow, bindStatement } from './binds.js';
import { isDml, runBoundDml } from './batch-binds.js';
import { SessionConnections } from './transactions.js';
import { runDmlForm } from './dml-forms.js';
import { isoTimestampLiterals } from './timestamp-text.js';
import {
  mapDuckError,
  noWarehouse,
  statementCancelled,
  statementCountMismatch,
  statementTimeout,
  syntaxError,
} from './sql-errors.js';
import { STATEMENT_TYPE, queryTypeOf } from './statement-types.js';
import { isSignificant, joinTokens, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { substituteVariables, runVariableCommand } from './variables.js';
import { loadSampleData } from '../sample-data/index.js';
import { SmcpError } from '../../errors.js';

/** Options of createEngine. */
export interface EngineOptions {
  /** Load the deterministic sample databases (SAMPLE_DB, ANALYTICS, …). Default false. */
  sampleData?: boolean;
  /** Account name CURRENT_ACCOUNT() reports. Default 'EMULATOR'. */
  account?: string;
  /** Most DuckDB connections used at once by running statements. Default 8. */
  maxConnections?: number;
  /**
   * Most big results whose rows are still being produced from an open DuckDB stream (each holds a
   * connection outside the statement pool). Beyond it the least recently read one produces the rest
   * into its spill file, or, when that would take more than an eighth of the disk budget or more
   * than is free, keeps only the rows produced so far. Default 16.
   */
  maxOpenStreams?: number;
  /** Bytes of result rows kept in memory before results spill to disk. Default 256 MiB. */
  resultMemoryBytes?: number;
  /** Bytes of result rows kept in spill files before the least recently used results are evicted. Default 4 GiB. */
  resultDiskBytes?: number;
  /**
   * Directory under which the engine creates its private spill directory (0700, removed on close);
   * default the system temp dir.
   */
  spillParentDir?: string;
}

/** What kept results hold right now. */
export interface HeldStats {
  /** Big results holding a DuckDB stream (and connection). */
  openStreams: number;
  /** Results kept (complete or still streaming). */
  openResults: number;
  /** Bytes of encoded rows (and per-result overhead) in memory. */
  memoryBytes: number;
  /** Bytes of rows in spill files. */
  diskBytes: number;
  /** Results with rows in a spill file. */
  spilledResults: number;
  /** Results evicted by the byte budgets so far. */
  evictions: number;
}

/** The engine as the emulator uses it, plus in-process inspection for tests and tools. */
export interface SqlEngine extends Engine {
  /** Every statement run so far (bounded), newest first. */
  queryHistory(): QueryRecord[];
  /** What kept results hold now. */
  stats(): HeldStats;
  /** The engine's private spill directory. */
  readonly spillDir: string;
}

/**
 * Heap bytes charged per result beyond its rows and statement text: its bookkeeping here and its
 * record in the wire server (measured about 2.2 KB for a one-row result).
 */
const RESULT_OVERHEAD_BYTES = 2048;

/**
 * Creates a DuckDB-backed engine (extension autoload/autoinstall off, temporary files in its private
 * spill directory), with Snowflake's helper functions, the SNOWFLAKE database and, when asked, the
 * sample data. Once set up, DuckDB is locked: no file access, no configuration changes.
 * Throws SmcpError CONFIG_INVALID for a bad budget or spill directory.
 */
export async function createEngine(options: EngineOptions = {}): Promise<SqlEngine> {
  const memory = options.resultMemoryBytes ?? DEFAULT_RESULT_MEMORY_BYTES;
  const disk = options.resultDiskBytes ?? DEFAULT_RESULT_DISK_BYTES;
  for (const [field, value] of [
    ['resultMemoryBytes', memory],
    ['resultDiskBytes', disk],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new SmcpError('CONFIG_INVALID', `${field} must be a number of bytes ≥ 0, got ${value}`, {
        field,
      });
    }
  }
  const spill = createSpillDir(options.spillParentDir);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      temp_directory: spill.duckdbTemp,
      // DuckDB's allocator keeps what its threads freed (hundreds of megabytes after big results
      // have streamed through): flush it after tasks past 16 MB and let its background thread purge.
      allocator_flush_threshold: '16MB',
      allocator_background_threads: 'true',
    });
  } catch (err) {
    spill.remove();
    throw err;
  }
  const engine = new DuckEngine(instance, spill, new ResultStore(memory, disk), options);
  try {
    await engine.init(options.sampleData === true);
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

class DuckEngine implements SqlEngine {
  private readonly pool: ConnectionPool;
  /** Connections sessions hold for transactions and temporary tables. */
  private readonly sessionConns: SessionConnections;
  private readonly catalog = new Catalog();
  private readonly history = new QueryHistory();
  private readonly account: string;
  private readonly queryIds = new SessionQueryIds();
  private readonly tracker: ResultTracker;
  /** Changes whenever data or schema may have changed: cached plans of older generations are dropped. */
  private readonly generation = new DataGeneration();
  private closed = false;
  private systemQueries = 0;
  private spillFiles = 0;
  private readonly gate = new ProductionGate();
  private readonly maxConnections: number;
  /** SQL procedures (CREATE PROCEDURE … LANGUAGE SQL), by qualified name. */
  private readonly procedures = new ProcedureStore();
  /** The wire server's users and running statements, once attached. */
  private host: EngineHost | null = null;
  /** Set once a table got a SYSTEM$WAIT column default: INSERTs then check for them. */
  private waitDefaults = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly spill: SpillDir,
    private readonly store: ResultStore,
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

  async init(sampleData: boolean): Promise<void> {
    // Connections for the statement pool, the open streams and a few producing their rest, made
    // before the configuration is locked (see pool.ts).
    await this.pool.prepare(this.maxConnections + this.tracker.maxStreams + 8);
    const pooled = await this.pool.acquire();
    try {
      // GLOBAL: every connection, including those made later (SET alone is per connection).
      await pooled.conn.run("SET GLOBAL TimeZone = 'UTC'");
      await this.catalog.setup(pooled.conn);
      for (const sql of MACROS) await pooled.conn.run(sql);
      await pooled.conn.run(`ATTACH ':memory:' AS SNOWFLAKE`);
      await pooled.conn.run('CREATE SCHEMA SNOWFLAKE.ACCOUNT_USAGE');
      await pooled.conn.run(
        'CREATE VIEW SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY AS SELECT * FROM _SMCP.main.QUERY_HISTORY_FN()',
      );
      await pooled.conn.run(
        `COMMENT ON VIEW SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY IS 'Statements run in this account'`,
      );
    } finally {
      this.pool.release(pooled);
    }
    if (sampleData) await loadSampleData((sql) => this.system(sql));
    const pooled2 = await this.pool.acquire();
    try {
      await this.catalog.sync(pooled2.conn);
      // From here on DuckDB cannot read or write a file (ATTACH ':memory:' still works, which CREATE
      // DATABASE uses), and no statement can change a setting back; search_path stays settable.
      await pooled2.conn.run('SET GLOBAL enable_external_access = false');
      await pooled2.conn.run('SET GLOBAL lock_configuration = true');
    } finally {
      this.pool.release(pooled2);
    }
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
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(statementCancelled());
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      Number.isFinite(timeoutSecs) && timeoutSecs > 0
        ? setTimeout(() => controller.abort(statementTimeout(timeoutSecs)), timeoutSecs * 1000)
        : null;
    // Snowflake's multi-statement answer: each statement's result under its own query id.
    const perStatement = statements.length > 1 ? options.statementQueryId : undefined;
    const binds = bindingsPerStatement(statements, options.bindings);
    const outcomes: StatementOutcome[] = [];
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
        last = await this.executeOne(
          session,
          tokens,
          text,
          queryId,
          binds[k],
          controller.signal,
          record ? (param('QUERY_TAG') ?? '') : null,
          options.results,
          options.describeOnly === true,
        );
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
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
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
    tag: string | null,
    results: KeptResults | undefined,
    describeOnly = false,
  ): Promise<ResultSet> {
    const words = tokens
      .filter(isSignificant)
      .map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text));
    const rec =
      tag !== null
        ? this.history.start(
            this.recordFields(session, text, queryId, queryTypeOf(words[0] ?? '', words[1] ?? ''), tag),
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
      const overhead = RESULT_OVERHEAD_BYTES + text.length;
      const result = await this.dispatch(
        ctx,
        tokens,
        words,
        bindings,
        queryId,
        overhead,
        results,
        describeOnly,
      );
      if (result instanceof StaticResultSet) result.retainIn(this.store, queryId, overhead);
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

  private async dispatch(
    ctx: StatementContext,
    tokens: Token[],
    words: string[],
    bindings: Record<string, WireBinding> | undefined,
    queryId: string,
    overheadBytes: number,
    results: KeptResults | undefined,
    describeOnly = false,
  ): Promise<ResultSet> {
    const substituted = substituteVariables(tokens, ctx.session);
    if (substituted !== tokens) {
      tokens = substituted;
      words = tokens.filter(isSignificant).map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text));
    }
    const bad = tokens.find((t) => t.kind === 'punct' && t.text.charCodeAt(0) < 32);
    if (bad) throw syntaxError(1, bad.start, bad.text);
    // Calls and scripts reach DuckDB only through their own statements, each checked on its own;
    // described, they only answer a status column or a procedure's declared result.
    const call = isCallCommand(words) && words[0] !== 'SELECT';
    if (describeOnly) {
      if (!call) refuseHostAccess(tokens);
      return this.describe(ctx, tokens, words);
    }
    if (isCallCommand(words)) {
      const answered = await runCallCommand(ctx, tokens, words, {
        procedures: this.procedures,
        host: this.host,
        run: this.nestedRunner(ctx, queryId, results),
        ...(bindings ? { bindings } : {}),
      });
      if (answered) return answered;
    }
    refuseHostAccess(tokens);
    const first = words[0] ?? '';
    if ((first === 'CREATE' || first === 'ALTER') && words.includes('SYSTEM$WAIT')) this.waitDefaults = true;
    if (first === 'SET' || first === 'UNSET') {
      await ctx.applySearchPath();
      return runVariableCommand(
        ctx,
        first,
        tokens.filter(isSignificant).slice(1),
        (t) => this.rewrite(ctx, t).sql,
      );
    }
    const scanDeps = { results, queryIds: this.queryIds.of(ctx.session.id), currentId: queryId };
    if (isDescribeResult(words)) return describeResult(ctx, tokens, scanDeps);
    const users = isUserCommand(words) ? runUserCommand(ctx, tokens, words, this.host) : null;
    if (users) return users;
    if (['BEGIN', 'START', 'COMMIT', 'ROLLBACK'].includes(first))
      return this.sessionConns.control(ctx.session, ctx.pooled, words);
    await this.sessionConns.beforeStatement(ctx.session, ctx.pooled, words, tokens);
    const command = await runCommand(ctx, tokens, words);
    if (command) return command;
    if (words[0] === 'SELECT' && words[1] === 'SYSTEM$WAIT' && words[2] === '(')
      return systemWait(ctx, tokens);
    const needsCompute = [
      'SELECT',
      'WITH',
      'INSERT',
      'UPDATE',
      'DELETE',
      'MERGE',
      'VALUES',
      'TABLE',
      'FROM',
    ].includes(first);
    if (needsCompute) this.checkWarehouse(ctx, first, words);
    await ctx.applySearchPath();
    const sources = await prepareTableSources(ctx, tokens, scanDeps);
    try {
      return await this.runStatement(ctx, tokens, words, first, bindings, sources, queryId, overheadBytes);
    } finally {
      await sources.release();
    }
  }

  /** Runs DDL, DML or a query after its table sources (RESULT_SCAN copies) are ready. */
  private async runStatement(
    ctx: StatementContext,
    tokens: Token[],
    words: string[],
    first: string,
    bindings: Record<string, WireBinding> | undefined,
    sources: TableSources,
    queryId: string,
    overheadBytes: number,
  ): Promise<ResultSet> {
    const bound = bindStatement(tokens, bindings);
    tokens = isoTimestampLiterals(this.sessionConns.resolveTemps(ctx.session, bound.tokens));
    const form =
      bound.rows === null
        ? await runDmlForm(ctx, tokens, words, {
            rewrite: (t) => this.rewrite(ctx, t, sources).sql,
            values: bound.binds.length > 0 ? bindRow(bound) : undefined,
            inTransaction: this.sessionConns.inTransaction(ctx.session),
          })
        : null;
    if (form) return form;
    const ddl = await runDdl(ctx, tokens, words, (t) => this.rewrite(ctx, t, sources).sql);
    if (ddl) return ddl;
    const rewritten = this.rewrite(ctx, tokens, sources);
    // GENERATOR(TIMELIMIT => s): the statement takes that long, as in Snowflake.
    if (sources.waitMs > 0) await waitAbortably(ctx.signal, sources.waitMs);
    // A scanned result lives in temporary tables only while the statement runs.
    const scans = sources.scans.size > 0;
    if (rewritten.usesHistory) {
      // Refilling the history table is a write like any other.
      this.generation.bump();
      ctx.wrote = true;
      await this.catalog.syncHistory(ctx.pooled.conn, this.history);
    }
    const typeId = statementTypeOf(first);
    if (first === 'INSERT' && this.waitDefaults) await waitForDefaults(ctx, tokens, bindings);
    if (bound.rows !== null || (bound.binds.length > 0 && isDml(typeId)))
      return runBoundDml(ctx, rewritten.sql, typeId, bound, this.sessionConns.inTransaction(ctx.session));
    const values = bound.binds.length > 0 ? bindRow(bound) : undefined;
    if (typeId >= STATEMENT_TYPE.DML && typeId < STATEMENT_TYPE.SCL)
      return dmlResult(typeId, await (await ctx.run(rewritten.sql, values)).getRows());
    if (typeId === STATEMENT_TYPE.DDL || first === 'TRUNCATE') {
      await ctx.run(rewritten.sql, values);
      await this.catalog.sync(ctx.pooled.conn);
      return statusResult('Statement executed successfully.', typeId);
    }
    const sql = rewritten.sql;
    return runSelect(
      ctx,
      {
        sql,
        values,
        statementTypeId: typeId,
        // The history table changes with every statement, so a second run differs.
        // A session's own connection stays with the session, never with a result's open stream.
        countable:
          !rewritten.usesHistory &&
          !scans &&
          isCountable(words) &&
          !this.sessionConns.holds(ctx.session, ctx.pooled),
        cacheable: !rewritten.usesHistory && !scans,
        columnsOf: (result) => withScanTypes(resultColumns(ctx, result, sql), sources),
      },
      {
        pool: this.pool,
        tracker: this.tracker,
        store: this.store,
        generation: this.generation,
        queryId,
        overheadBytes,
        gate: this.gate,
        spillFile: () => join(this.spill.path, `r${++this.spillFiles}.rows`),
      },
    );
  }

  /** describeOnly: the statement's columns and type, nothing run (see describe-only.ts). */
  private describe(ctx: StatementContext, tokens: Token[], words: string[]): Promise<ResultSet> {
    return describeStatement(ctx, tokens, words, {
      rewrite: (t) => this.rewrite(ctx, t).sql,
      command: () => runCommand(ctx, tokens, words),
      callShape: () => this.procedures.callShape(ctx.session, tokens),
    });
  }

  /**
   * Runs statements of a procedure or script in the calling statement: same session, connection,
   * abort signal and timeout. The caller closes each result.
   */
  private nestedRunner(
    outer: StatementContext,
    queryId: string,
    results: KeptResults | undefined,
  ): NestedRunner {
    let n = 0;
    return async (sql, bindings) => {
      const statements = splitRequest(tokenize(sql));
      const tokens = statements[0];
      if (!tokens || statements.length !== 1) throw syntaxError(1, 0, sql.trim().slice(0, 40));
      const words = tokens
        .filter(isSignificant)
        .map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text));
      const ctx = new StatementContext(
        outer.session,
        outer.pooled,
        this.catalog,
        outer.signal,
        this.account,
        sql,
      );
      try {
        return await this.dispatch(
          ctx,
          tokens,
          words,
          bindings,
          `${queryId}-${++n}`,
          RESULT_OVERHEAD_BYTES,
          results,
        );
      } catch (err) {
        ctx.throwIfAborted();
        throw mapDuckError(err, sql);
      } finally {
        if (ctx.wrote) outer.wrote = true;
      }
    };
  }

  private checkWarehouse(ctx: StatementContext, first: string, words: string[]): void {
    // Constant SELECTs (no FROM) run in Snowflake's cloud services layer without a warehouse.
    if ((first === 'SELECT' || first === 'VALUES') && !words.includes('FROM')) return;
    const wh = ctx.session.warehouse;
    const known = WAREHOUSES.find((w) => w.name === wh);
    if (!wh || !known || known.state !== 'STARTED') throw noWarehouse();
  }

  private rewrite(
    ctx: StatementContext,
    tokens: Token[],
    tables?: TableSources,
  ): ReturnType<typeof rewriteStatement> {
    return rewriteStatement(tokens, {
      session: ctx.session,
      account: this.account,
      lastQueryId: this.queryIds.last(ctx.session.id),
      ...(tables ? { tables } : {}),
    });
  }

  /** The session ended: its transaction rolls back and its temporary tables go. */
  async endSession(sessionId: string): Promise<void> {
    await this.sessionConns.end(sessionId);
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
