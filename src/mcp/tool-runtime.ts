/**
 * The per-call runtime behind ToolCall: clamps rows and time to the configured ceilings, hands the
 * call's AbortSignal to the client (so a cancelled call cancels the statement in Snowflake), tags
 * each statement with the request context, and reports progress at a steady interval while
 * Snowflake works, so clients that reset their timeout on progress keep waiting.
 */
import { SmcpError, isSmcpError } from '../errors.js';
import { Deadline } from '../snowflake/deadline.js';
import type { QueryResult } from '../snowflake/client.js';
import type { QueryClient } from './tool-types.js';
import type { CallObserver } from './call-observer.js';
import { clientLabel } from './cost-guard.js';
import type { CostGuard, ScanConfirm } from './cost-guard.js';
import { PLAN_MAX_BYTES, explainSql, scanEstimateOf } from './cost-estimate.js';
import type { ConnectionFacts } from './connection-directory.js';
import type { MetadataCache } from './metadata-cache.js';
import type { QueryOwnership } from './query-ownership.js';
import type { RequestContext } from './request-context.js';
import { principalOf } from './request-context.js';
import { shortId } from './request-tracker.js';
import { MCP_LIMITS } from './settings.js';
import type { McpSettings } from './settings.js';
import type { ToolCall, ToolQuery } from './tool-types.js';

/** One progress report: a growing number (seconds elapsed) and a readable message. */
export interface ProgressReport {
  readonly progress: number;
  readonly message: string;
}

/** Receives progress reports; must not throw (failures to deliver are the transport's business). */
export type ProgressSink = (report: ProgressReport) => void | Promise<void>;

/** How one call is run: cancellation, its timeout argument and, when the caller asked, progress. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressSink;
  /** The call's timeout argument in seconds (timeout_s), before the server's ceiling applies. */
  readonly timeoutSeconds?: number;
  /** The connection the call runs on (its `connection` argument); the default one when unset. */
  readonly connection?: string;
  /** Asks the user to confirm a read over the cost guard's budget; absent where nobody can be asked. */
  readonly confirmScan?: ScanConfirm;
  /**
   * The context the transport that carried the call opened and tracks (its request id, signal and
   * tool); absent when the call came some other way, and the call then opens its own.
   */
  readonly context?: RequestContext;
  /** The call's JSON-RPC id on its connection: finds the context its transport opened (RequestTracker). */
  readonly rpcId?: string | number;
}

/**
 * The deadline of a call that starts now: its timeout argument (or the server's default) under
 * the server's ceiling, and no later than `drain`.
 */
export function callDeadline(
  settings: McpSettings,
  timeoutSeconds: number | undefined,
  drain?: Deadline,
): Deadline {
  return Deadline.afterSeconds(
    clamp(timeoutSeconds, settings.defaultTimeoutSeconds, settings.maxTimeoutSeconds),
  ).min(drain);
}

/** What createToolCall needs. */
export interface ToolCallInputs {
  readonly client: QueryClient;
  readonly settings: McpSettings;
  readonly context: RequestContext;
  readonly options: CallOptions;
  readonly publicName: (tool: string) => string;
  /** Which client each query id belongs to: ids run here are recorded, others are not served. */
  readonly ownership: QueryOwnership;
  /** Who keeps figures about statements. */
  readonly observer: CallObserver;
  /** Holds reads that scan table data to their budgets; none: reads run unestimated. */
  readonly costGuard?: CostGuard;
  /** The connections served, when there are several. */
  readonly connections?: () => ConnectionFacts[];
  /** The connection's metadata cache, handed to tools. */
  readonly metadata?: MetadataCache;
}

/** The one answer for a query id this client may not read, whether it exists or not. */
function noSuchResult(queryId: string): SmcpError {
  return new SmcpError(
    'RESULT_NOT_FOUND',
    `no result for query id ${JSON.stringify(queryId.slice(0, 100))}: smcp ran no such query for this client, ` +
      'or its result has expired',
    { field: 'query_id' },
  );
}

/** Clamps `value` (default `fallback`) into [1, ceiling]. */
function clamp(value: number | undefined, fallback: number, ceiling: number): number {
  return Math.max(1, Math.min(ceiling, Math.floor(value ?? fallback)));
}

/**
 * Runs `work` while reporting progress every `intervalMs` ("<what> running 10 s"). The first
 * report comes after one interval; nothing is sent for work that finishes sooner.
 */
export async function withProgress<T>(
  what: string,
  intervalMs: number,
  sink: ProgressSink | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!sink) return work();
  const started = performance.now();
  const timer = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    // Delivery problems must not fail the query: the response still matters.
    Promise.resolve(
      sink({
        progress: Math.round(seconds * 1000) / 1000,
        message: `${what} running ${Math.round(seconds)} s`,
      }),
    ).catch(() => {});
  }, intervalMs);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Builds the ToolCall a tool's run function receives. */
export function createToolCall(inputs: ToolCallInputs): ToolCall {
  const { client, settings, context, options, ownership, observer, costGuard } = inputs;
  const principal = principalOf(context);
  const deadline = context.deadline ?? callDeadline(settings, undefined);
  const own = (queryId: string): void => {
    if (!ownership.owns(queryId, principal)) throw noSuchResult(queryId);
  };
  const queryContext = {
    requestId: context.requestId,
    // Every client of the shared Snowflake user can read QUERY_TAGs in the query history: a prefix
    // tells clients apart there without handing out a usable session id.
    clientId: shortId(context.clientId),
    tool: context.tool ?? 'unknown',
    transport: context.transport,
    clientKey: principal,
  };
  const progress = <T>(what: string, work: () => Promise<T>): Promise<T> =>
    withProgress(what, settings.progressIntervalMs, options.onProgress, work);
  return {
    settings,
    client,
    context,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(inputs.metadata ? { metadata: inputs.metadata } : {}),
    publicName: inputs.publicName,
    ...(inputs.connections ? { connections: inputs.connections } : {}),
    query(request: ToolQuery): Promise<QueryResult> {
      return progress('query', async () => {
        if (request.scansData && costGuard?.active()) {
          await costGuard.admit({
            client: principal,
            label: clientLabel(principal),
            transport: context.transport,
            // Same database, schema, binds, deadline, signal and QUERY_TAG as the read itself.
            estimate: async () =>
              scanEstimateOf(
                await runQuery({ ...request, sql: explainSql(request.sql), maxRows: 1 }, PLAN_MAX_BYTES),
              ),
            ...(options.confirmScan ? { confirm: options.confirmScan } : {}),
          });
        }
        const started = performance.now();
        try {
          const result = await runQuery(request);
          ownership.record(result.queryId, principal);
          return result;
        } catch (err) {
          // A failed or timed-out statement has an id too (query_status reads it).
          if (isSmcpError(err) && err.details.queryId) ownership.record(err.details.queryId, principal);
          throw err;
        } finally {
          observer.statementEnded((performance.now() - started) / 1000);
        }
      });
    },
    async getResult(queryId: string, offset: number, limit: number, forCache = false): Promise<QueryResult> {
      own(queryId);
      const rowCap = forCache ? MCP_LIMITS.maxRows : settings.maxRows;
      return progress('fetch', () =>
        client.getResult(queryId, offset, clamp(limit, rowCap, rowCap), {
          maxBytes: forCache ? MCP_LIMITS.maxBytes : settings.maxBytes,
          ...(options.signal ? { signal: options.signal } : {}),
          clientKey: principal,
          deadline,
        }),
      );
    },
    async queryStatus(queryId: string): Promise<string> {
      own(queryId);
      return client.queryStatus(queryId);
    },
    assertOwnsQuery: own,
  };

  function runQuery(
    request: ToolQuery,
    maxBytes = request.forCache ? MCP_LIMITS.maxBytes : settings.maxBytes,
  ): Promise<QueryResult> {
    const rowCap = request.forCache ? MCP_LIMITS.maxRows : settings.maxRows;
    // A statement may ask for less time than the call has left, never for more.
    const budget =
      request.timeoutSeconds !== undefined
        ? deadline.min(callDeadline(settings, request.timeoutSeconds))
        : deadline;
    return client.query({
      sql: request.sql,
      ...(request.binds ? { binds: request.binds } : {}),
      ...(request.database !== undefined ? { database: request.database } : {}),
      ...(request.schema !== undefined ? { schema: request.schema } : {}),
      maxRows: clamp(request.maxRows, rowCap, rowCap),
      maxBytes,
      timeoutSeconds: budget.statementSeconds(),
      deadline: budget,
      ...(options.signal ? { signal: options.signal } : {}),
      context: queryContext,
      retryable: request.retryable,
    });
  }
}
