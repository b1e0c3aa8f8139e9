/**
 * SnowflakeClient: the one object the rest of smcp uses to talk to Snowflake (or the emulator).
 * It owns the pool and runs every query the same way: QUERY_TAG from the request context,
 * STATEMENT_TIMEOUT_IN_SECONDS and MULTI_STATEMENT_COUNT=1 as statement parameters, cancellation
 * by AbortSignal, row and byte caps, lossless values, session isolation between requests, and one
 * reconnect-and-retry for read-only statements whose session expired.
 */

import type { Bind, Connection } from 'snowflake-sdk';
import { SmcpError } from '../errors.js';
import { buildDriverOptions } from './driver-options.js';
import type { DriverTuning } from './driver-options.js';
import { isSessionGone, mapSnowflakeError } from './error-map.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { SnowflakePool } from './pool.js';
import type { PoolOptions, PoolStats } from './pool.js';
import { Deadline } from './deadline.js';
import { buildQueryTag } from './query-tag.js';
import type { QueryTagContext } from './query-tag.js';
import { loadSnowflakeSdk } from './sdk.js';
import type { SnowflakeSdk } from './sdk.js';
import { SESSION_SETUP_SQL } from './serialize.js';
import type { SerializeOptions } from './serialize.js';
import { mayChangeSessionState, resetStatementsFor, sameContext, useStatementsFor } from './session-state.js';
import type { ConfiguredConnection } from './settings.js';
import { leavesConnectionInDoubt, readResultWindow, runStatement } from './statement-runner.js';
import type { StatementOutcome } from './statement-runner.js';

/** A bind value of a statement, as snowflake-sdk takes it (the MCP layer never imports the driver). */
export type QueryBind = Bind;

/** One query as the MCP layer asks for it. */
export interface QueryRequest {
  readonly sql: string;
  readonly binds?: readonly Bind[];
  /** Database (and schema) for this request only; the connection's baseline otherwise. */
  readonly database?: string;
  readonly schema?: string;
  readonly maxRows: number;
  readonly maxBytes: number;
  /** Statement timeout in Snowflake (STATEMENT_TIMEOUT_IN_SECONDS), ≥ 1, when no deadline is given. */
  readonly timeoutSeconds: number;
  /**
   * The call's deadline (see deadline.ts): waiting for a connection, session setup, USE, the
   * statement and a retry all share it. Default: `timeoutSeconds` from now.
   */
  readonly deadline?: Deadline;
  readonly signal?: AbortSignal;
  readonly context: QueryTagContext;
  /** True when the statement is read-only and may be re-run after a session expiry. */
  readonly retryable?: boolean;
  readonly binaryEncoding?: SerializeOptions['binaryEncoding'];
}

/** A query's rows and facts. */
export interface QueryResult extends Omit<StatementOutcome, 'session'> {
  readonly elapsedMs: number;
}

/** Options of SnowflakeClient.open. */
export interface ClientOptions extends PoolOptions, DriverTuning {
  /** Log in once before returning, so bad credentials fail open() with AUTH_FAILED (default true). */
  readonly verifyOnOpen?: boolean;
}

/** What healthCheck reports. */
export type HealthReport =
  | { readonly ok: true; readonly latencyMs: number; readonly pool: PoolStats }
  | { readonly ok: false; readonly error: ReturnType<SmcpError['toJSON']>; readonly pool: PoolStats };

/** Time for the statements of a fetch that has no deadline of its own (a re-read under real names). */
const RESULT_REREAD_LIMIT_MS = 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function connectOnce(
  sdk: SnowflakeSdk,
  options: Parameters<SnowflakeSdk['createConnection']>[0],
): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const conn = sdk.createConnection(options);
    // The callback form: connectAsync() without a callback resolves even when login fails.
    conn.connect((err) => (err ? reject(mapSnowflakeError(err)) : resolve(conn)));
  });
}

/**
 * SESSION_EXPIRED in words a caller can act on (was it retried, may it be run again), with
 * Snowflake's or the driver's own text kept at the end.
 */
function sessionExpired(error: SmcpError, retried: boolean, retryable: boolean): SmcpError {
  let what = 'the Snowflake session expired and could not be renewed';
  if (retried) what += ', also on a new connection';
  else if (!retryable) what += '; the statement was not retried because it may change data (run it again)';
  return new SmcpError('SESSION_EXPIRED', `${what} (Snowflake: ${error.message})`, error.details, {
    cause: error,
  });
}

/** The Snowflake client layer's public face. */
export class SnowflakeClient {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: SnowflakePool,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens a client for a configured connection: loads the driver, (by default) logs in once to
   * check the credentials, and creates the pool. Throws SmcpError (AUTH_FAILED, NETWORK,
   * CONFIG_INVALID, …).
   */
  static async open(
    settings: ConfiguredConnection,
    options: ClientOptions = {},
    logger: Logger = silentLogger,
  ): Promise<SnowflakeClient> {
    const sdk = await loadSnowflakeSdk();
    const driverOptions = buildDriverOptions(settings, options);
    if (options.verifyOnOpen ?? true) {
      let probe: Connection;
      try {
        probe = await connectOnce(sdk, driverOptions);
      } catch (err) {
        throw mapSnowflakeError(err);
      }
      await new Promise<void>((resolve) => probe.destroy(() => resolve()));
    }
    const pool = SnowflakePool.create(sdk, driverOptions, options, logger);
    logger.info('snowflake client ready', {
      connection: settings.connectionName.value,
      account: settings.settings.account.value,
      pool: pool.stats(),
    });
    return new SnowflakeClient(pool, logger);
  }

  /**
   * Runs one statement. Applies the request's database/schema (USE, only when they differ from the
   * connection's), tags it, limits its time, streams rows within the caps. Read-only requests
   * (`retryable`) are retried once on a fresh connection when the session expired. Throws a
   * mapped SmcpError; the pool keeps serving.
   */
  async query(request: QueryRequest): Promise<QueryResult> {
    if (this.closing) throw new SmcpError('POOL_EXHAUSTED', 'the Snowflake client is closed');
    if (!(request.timeoutSeconds >= 1)) {
      throw new SmcpError('USAGE', 'timeoutSeconds must be at least 1', { field: 'timeoutSeconds' });
    }
    if (!(request.maxRows >= 1) || !(request.maxBytes >= 2)) {
      throw new SmcpError('USAGE', 'maxRows must be at least 1 and maxBytes at least 2', {
        field: 'maxRows',
      });
    }
    const started = performance.now();
    const deadline = request.deadline ?? Deadline.afterSeconds(request.timeoutSeconds);
    for (let attempt = 0; ; attempt++) {
      const conn = await this.pool.acquire(request.signal, request.context.clientKey, deadline);
      let outcome: StatementOutcome;
      try {
        outcome = await this.runOn(conn, request, deadline);
      } catch (err) {
        const error = mapSnowflakeError(err);
        const sessionGone = isSessionGone(error);
        // Its idle siblings may be dead too: check them before the retry (or the next request) gets one.
        if (sessionGone) this.pool.distrustIdle();
        if (leavesConnectionInDoubt(error) || sessionGone) await this.pool.destroy(conn);
        else await this.settle(conn, request, mayChangeSessionState(request.sql));
        if (
          attempt === 0 &&
          request.retryable &&
          sessionGone &&
          !request.signal?.aborted &&
          !deadline.expired
        ) {
          this.logger.info('snowflake session expired; retrying on a new connection', {
            requestId: request.context.requestId,
          });
          continue;
        }
        throw sessionGone ? sessionExpired(error, attempt > 0, request.retryable === true) : error;
      }
      await this.settle(conn, request, mayChangeSessionState(request.sql));
      const { session: _session, ...rest } = outcome;
      return { ...rest, elapsedMs: Math.round((performance.now() - started) * 1000) / 1000 };
    }
  }

  /** Statement parameters for a statement of `request` started now, within `deadline`. */
  private parameters(request: QueryRequest, deadline: Deadline): Record<string, string | number | boolean> {
    return {
      QUERY_TAG: buildQueryTag(request.context),
      STATEMENT_TIMEOUT_IN_SECONDS: deadline.statementSeconds(),
      MULTI_STATEMENT_COUNT: 1,
    };
  }

  /** Runs a context statement (USE, probe) for a request; tracks the session context it reports. */
  private async runContextStatement(
    conn: Connection,
    request: QueryRequest,
    sql: string,
    deadline: Deadline,
  ): Promise<void> {
    const session = this.pool.session(conn);
    const out = await runStatement(conn, {
      sql,
      parameters: this.parameters(request, deadline),
      signal: request.signal,
      deadlineMs: deadline.waitMs(),
      maxRows: 1,
      maxBytes: 1024,
    });
    session.current = out.session;
    session.baseline ??= out.session;
  }

  private async runOn(
    conn: Connection,
    request: QueryRequest,
    deadline: Deadline,
  ): Promise<StatementOutcome> {
    const session = this.pool.session(conn);
    const wantsContext = request.database !== undefined || request.schema !== undefined;
    // A fresh connection: set it up once; the answer also tells its baseline context.
    if (!session.ready) {
      await this.runContextStatement(conn, request, SESSION_SETUP_SQL, deadline);
      session.ready = true;
    }
    let uses: string[] = [];
    if (wantsContext) {
      uses = useStatementsFor(session.current, { database: request.database, schema: request.schema });
    } else if (session.baseline && session.current && !sameContext(session.current, session.baseline)) {
      uses = resetStatementsFor(session.current, session.baseline) ?? [];
    }
    for (const use of uses) await this.runContextStatement(conn, request, use, deadline);
    const out = await runStatement(conn, {
      sql: request.sql,
      binds: request.binds,
      parameters: this.parameters(request, deadline),
      signal: request.signal,
      deadlineMs: deadline.waitMs(),
      maxRows: request.maxRows,
      maxBytes: request.maxBytes,
      serialize: { binaryEncoding: request.binaryEncoding },
    });
    session.current = out.session;
    session.baseline ??= out.session;
    return out;
  }

  /**
   * Returns a connection to the pool if its session can be brought back to its baseline by the
   * next request, else destroys it (state-changing statement, unknown or unrestorable context).
   */
  private async settle(conn: Connection, request: QueryRequest, changedState: boolean): Promise<void> {
    const { baseline, current } = this.pool.session(conn);
    let reusable: boolean;
    if (changedState) reusable = false;
    else if (baseline === undefined || current === undefined) {
      // Snowflake reported no context: safe only if smcp changed nothing.
      reusable = request.database === undefined && request.schema === undefined;
    } else {
      reusable = sameContext(current, baseline) || resetStatementsFor(current, baseline) !== undefined;
    }
    if (reusable) await this.pool.release(conn);
    else await this.pool.destroy(conn);
  }

  /**
   * Reads rows [offset, offset + limit) of an earlier result (for fetch_results), within maxBytes.
   * Throws RESULT_NOT_FOUND for an unknown query id, RESULT_EXPIRED (saying why) for one whose
   * result is no longer kept.
   */
  async getResult(
    queryId: string,
    offset: number,
    limit: number,
    options: {
      maxBytes: number;
      signal?: AbortSignal;
      binaryEncoding?: SerializeOptions['binaryEncoding'];
      /** Who the pool's fair share counts the read against. */
      clientKey?: string;
      /** The call's deadline: the wait for a connection and the read share it. */
      deadline?: Deadline;
    },
  ): Promise<QueryResult> {
    if (!UUID.test(queryId))
      throw new SmcpError('RESULT_NOT_FOUND', `"${queryId}" is not a Snowflake query id`);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) {
      throw new SmcpError('USAGE', 'offset must be ≥ 0 and limit ≥ 1 (integers)', { field: 'offset' });
    }
    const started = performance.now();
    const conn = await this.pool.acquire(options.signal, options.clientKey, options.deadline);
    try {
      const { session: _s, ...window } = await readResultWindow(conn, queryId, offset, {
        maxRows: limit,
        maxBytes: options.maxBytes,
        signal: options.signal,
        serialize: { binaryEncoding: options.binaryEncoding },
        deadlineMs: options.deadline?.waitMs() ?? RESULT_REREAD_LIMIT_MS,
      });
      await this.pool.release(conn);
      return { ...window, elapsedMs: Math.round((performance.now() - started) * 1000) / 1000 };
    } catch (err) {
      const error = mapSnowflakeError(err, { queryId });
      if (leavesConnectionInDoubt(error)) await this.pool.destroy(conn);
      else await this.pool.release(conn);
      // Snowflake's (or the emulator's) own words say why the result is gone: keep them.
      if (error.code === 'RESULT_EXPIRED') throw error;
      if (
        ['NOT_FOUND', 'SQL_ERROR'].includes(error.code) ||
        /not found|expired|does not exist/i.test(error.message)
      ) {
        throw new SmcpError(
          'RESULT_NOT_FOUND',
          `no result for query ${queryId}: ${error.message}`,
          error.details,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  /** Snowflake's status of a query (RUNNING, SUCCESS, FAILED_WITH_ERROR, ABORTED, …). */
  async queryStatus(queryId: string): Promise<string> {
    if (!UUID.test(queryId))
      throw new SmcpError('RESULT_NOT_FOUND', `"${queryId}" is not a Snowflake query id`);
    const conn = await this.pool.acquire();
    try {
      const status = await conn.getQueryStatus(queryId);
      await this.pool.release(conn);
      return status;
    } catch (err) {
      const error = mapSnowflakeError(err, { queryId });
      if (leavesConnectionInDoubt(error)) await this.pool.destroy(conn);
      else await this.pool.release(conn);
      throw error;
    }
  }

  /** Pool counters. */
  stats(): PoolStats {
    return this.pool.stats();
  }

  /** Borrows a connection and runs SELECT 1; never throws. */
  async healthCheck(timeoutSeconds = 10): Promise<HealthReport> {
    const started = performance.now();
    try {
      await this.query({
        sql: 'SELECT 1',
        maxRows: 1,
        maxBytes: 1024,
        timeoutSeconds,
        context: { requestId: 'health', clientId: 'smcp', tool: 'health' },
        retryable: true,
      });
      return {
        ok: true,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        pool: this.stats(),
      };
    } catch (err) {
      return { ok: false, error: mapSnowflakeError(err).toJSON(), pool: this.stats() };
    }
  }

  /** Drains and closes the pool (waits up to `timeoutMs` for borrowed connections). Idempotent. */
  close(timeoutMs = 5000): Promise<void> {
    this.closing ??= this.pool.close(timeoutMs);
    return this.closing;
  }
}
