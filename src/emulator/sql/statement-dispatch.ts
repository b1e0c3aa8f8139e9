/**
 * Routes one statement to what answers it: describeOnly, calls and scripts, session variables,
 * user commands, the engine's own commands (USE, ALTER SESSION, SHOW, DESCRIBE), DESCRIBE RESULT,
 * SYSTEM$WAIT, transaction control, DDL the engine handles, and everything else rewritten to DuckDB
 * SQL (DML counts, other DDL, queries through runSelect) with its table sources (RESULT_SCAN) ready.
 */
import type { KeptResults, ResultSet, WireBinding } from '../engine-types.js';
import { isCallCommand, runCallCommand, type NestedRunner } from './call-commands.js';
import { runCommand } from './commands.js';
import { StatementContext, WAREHOUSES } from './context.js';
import { runDdl } from './ddl.js';
import { waitForDefaults } from './default-waits.js';
import { withDateColumnDays } from './date-columns.js';
import { withDecfloatMerge } from './decfloat-merge.js';
import { mayMakeDecfloatColumn, withDecfloatWrites } from './decfloat-writes.js';
import { withTimestampMergeSource } from './timestamp-merge.js';
import { isInsertFromQuery, withTimestampSource } from './timestamp-sources.js';
import { mayWriteTimestampText, withTimestampWrites } from './timestamp-writes.js';
import { withTimestampUpdateValues } from './update-text-values.js';
import { describeStatement } from './describe-only.js';
import { RESULT_OVERHEAD_BYTES, type EngineServices } from './engine-services.js';
import { refuseHostAccess } from './host-guard.js';
import { splitRequest } from './multi-statement.js';
import { resultColumns } from './result-columns.js';
import { statusResult } from './result-set.js';
import { isExplain, runExplain } from './explain.js';
import { rewriteStatement } from './rewrite.js';
import type { Rewritten } from './rewrite-context.js';
import { isCountable, runSelect } from './select-runner.js';
import { mapDuckError, noWarehouse, syntaxError } from './sql-errors.js';
import { dmlResult, statementTypeOf } from './statement-results.js';
import { bindRow, bindStatement } from './binds.js';
import { isDml, runBoundDml } from './batch-binds.js';
import { runDmlForm } from './dml-forms.js';
import { isoTimestampLiterals } from './timestamp-text.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { bindFormats } from './structured-values.js';
import { systemWait } from './system-wait.js';
import {
  describeResult,
  isDescribeResult,
  prepareTableSources,
  withScanTypes,
} from './table-functions/index.js';
import type { TableSources } from './table-functions/index.js';
import { waitAbortably } from './table-functions/wait.js';
import { isSignificant, tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { isUserCommand, runUserCommand } from './user-commands.js';
import { valueFormats } from './value-formats.js';
import { runVariableCommand, substituteVariables } from './variables.js';

/** One statement as the dispatcher gets it. */
export interface DispatchedStatement {
  tokens: Token[];
  /** Upper-cased significant words (punctuation as written). */
  words: string[];
  bindings: Record<string, WireBinding> | undefined;
  queryId: string;
  /** Heap bytes charged for the statement around its rows. */
  overheadBytes: number;
  /** The user's kept results, which RESULT_SCAN reads. */
  results: KeptResults | undefined;
  /** Describe the statement's result without running it. */
  describeOnly?: boolean;
}

/** Statements that read or write tables and so need a running warehouse. */
const NEEDS_COMPUTE = new Set([
  'SELECT',
  'WITH',
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'VALUES',
  'TABLE',
  'FROM',
]);

/** The significant words of `tokens`, upper-cased (punctuation as written). */
export function significantWords(tokens: Token[]): string[] {
  return tokens.filter(isSignificant).map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text));
}

/** Rewrites `tokens` of a statement in `ctx` to DuckDB SQL, with its table sources if any. */
function rewriteIn(
  services: EngineServices,
  ctx: StatementContext,
  tokens: Token[],
  tables?: TableSources,
  bindTypes?: readonly string[],
): Rewritten {
  return rewriteStatement(tokens, {
    session: ctx.session,
    account: services.account,
    lastQueryId: services.queryIds.last(ctx.session.id),
    ...(tables ? { tables } : {}),
    ...(bindTypes ? { bindTypes } : {}),
  });
}

/** Runs one statement in `ctx` and returns its result. Throws EmulatorSqlError or DuckDB's error. */
export async function dispatchStatement(
  services: EngineServices,
  ctx: StatementContext,
  statement: DispatchedStatement,
): Promise<ResultSet> {
  let { tokens, words } = statement;
  const { bindings, queryId, results } = statement;
  const substituted = substituteVariables(tokens, ctx.session);
  if (substituted !== tokens) {
    tokens = substituted;
    words = significantWords(tokens);
  }
  const bad = tokens.find((t) => t.kind === 'punct' && t.text.charCodeAt(0) < 32);
  if (bad) throw syntaxError(1, bad.start, bad.text);
  const rewrite = (t: Token[]): string => rewriteIn(services, ctx, t).sql;
  // Calls and scripts reach DuckDB only through their own statements, each checked on its own;
  // described, they only answer a status column or a procedure's declared result.
  const call = isCallCommand(words) && words[0] !== 'SELECT';
  if (statement.describeOnly === true) {
    if (!call) refuseHostAccess(tokens);
    return describeStatement(ctx, tokens, words, {
      rewrite,
      command: () => runCommand(ctx, tokens, words),
      callShape: () => services.procedures.callShape(ctx.session, tokens),
    });
  }
  if (isCallCommand(words)) {
    const answered = await runCallCommand(ctx, tokens, words, {
      procedures: services.procedures,
      host: services.host,
      run: nestedRunner(services, ctx, queryId, results),
      ...(bindings ? { bindings } : {}),
    });
    if (answered) return answered;
  }
  refuseHostAccess(tokens);
  if (isExplain(words)) return runExplain(ctx, tokens, rewrite);
  const first = words[0] ?? '';
  if ((first === 'CREATE' || first === 'ALTER') && words.includes('SYSTEM$WAIT'))
    services.waitDefaults = true;
  if (mayMakeDecfloatColumn(words)) services.decfloatColumns = true;
  if (first === 'SET' || first === 'UNSET') {
    await ctx.applySearchPath();
    return runVariableCommand(ctx, first, tokens.filter(isSignificant).slice(1), rewrite);
  }
  const scanDeps = { results, queryIds: services.queryIds.of(ctx.session.id), currentId: queryId };
  if (isDescribeResult(words)) return describeResult(ctx, tokens, scanDeps);
  const users = isUserCommand(words) ? runUserCommand(ctx, tokens, words, services.host) : null;
  if (users) return users;
  if (['BEGIN', 'START', 'COMMIT', 'ROLLBACK'].includes(first))
    return services.sessionConns.control(ctx.session, ctx.pooled, words);
  await services.sessionConns.beforeStatement(ctx.session, ctx.pooled, words, tokens);
  const command = await runCommand(ctx, tokens, words);
  if (command) return command;
  if (first === 'SELECT' && words[1] === 'SYSTEM$WAIT' && words[2] === '(') return systemWait(ctx, tokens);
  if (NEEDS_COMPUTE.has(first)) checkWarehouse(ctx, first, words);
  await ctx.applySearchPath();
  const sources = await prepareTableSources(ctx, tokens, scanDeps);
  try {
    return await runStatement(services, ctx, { ...statement, tokens, words }, sources);
  } finally {
    await sources.release();
  }
}

/** Runs DDL, DML or a query after its table sources (RESULT_SCAN copies) are ready. */
async function runStatement(
  services: EngineServices,
  ctx: StatementContext,
  statement: DispatchedStatement,
  sources: TableSources,
): Promise<ResultSet> {
  const { words, bindings } = statement;
  const first = words[0] ?? '';
  const bound = bindStatement(statement.tokens, bindings);
  const bindTypes = bound.binds.map((b) => b.type);
  const resolved = isoTimestampLiterals(services.sessionConns.resolveTemps(ctx.session, bound.tokens));
  const converted = !services.decfloatColumns
    ? resolved
    : first === 'MERGE'
      ? await withDecfloatMerge(ctx, resolved)
      : first === 'INSERT' || first === 'UPDATE'
        ? await withDecfloatWrites(ctx, resolved)
        : resolved;
  const written =
    first === 'INSERT' && bound.binds.length === 0 && isInsertFromQuery(converted)
      ? await withTimestampSource(ctx, converted, (t) => rewriteIn(services, ctx, t, sources, bindTypes).sql)
      : ['INSERT', 'UPDATE', 'MERGE'].includes(first) && mayWriteTimestampText(converted, bindTypes)
        ? await withTimestampWrites(ctx, converted, bindTypes)
        : converted;
  const merged =
    first === 'MERGE' && bound.binds.length === 0
      ? await withTimestampMergeSource(
          ctx,
          written,
          (t) => rewriteIn(services, ctx, t, sources, bindTypes).sql,
        )
      : written;
  const updated =
    first === 'UPDATE' && bound.binds.length === 0
      ? await withTimestampUpdateValues(
          ctx,
          merged,
          (t) => rewriteIn(services, ctx, t, sources, bindTypes).sql,
        )
      : merged;
  const tokens = await withDateColumnDays(ctx, updated);
  const inTransaction = services.sessionConns.inTransaction(ctx.session);
  const form =
    bound.rows === null
      ? await runDmlForm(ctx, tokens, words, {
          rewrite: (t) => rewriteIn(services, ctx, t, sources, bindTypes).sql,
          values: bound.binds.length > 0 ? bindRow(bound) : undefined,
          inTransaction,
        })
      : null;
  if (form) return form;
  const ddl = await runDdl(ctx, tokens, words, (t) => rewriteIn(services, ctx, t, sources, bindTypes).sql);
  if (ddl) return ddl;
  const rewritten = rewriteIn(services, ctx, tokens, sources, bindTypes);
  // GENERATOR(TIMELIMIT => s): the statement takes that long, as in Snowflake.
  if (sources.waitMs > 0) await waitAbortably(ctx.signal, sources.waitMs);
  // A scanned result lives in temporary tables only while the statement runs.
  const scans = sources.scans.size > 0;
  if (rewritten.usesHistory) {
    // Refilling the history table is a write like any other.
    services.generation.bump();
    ctx.wrote = true;
    await services.catalog.syncHistory(ctx.pooled.conn, services.history);
  }
  const typeId = statementTypeOf(first);
  if (first === 'INSERT' && services.waitDefaults) await waitForDefaults(ctx, tokens, bindings);
  if (bound.rows !== null || (bound.binds.length > 0 && isDml(typeId)))
    return runBoundDml(ctx, rewritten.sql, typeId, bound, inTransaction);
  const values = bound.binds.length > 0 ? bindRow(bound) : undefined;
  if (typeId >= STATEMENT_TYPE.DML && typeId < STATEMENT_TYPE.SCL)
    return dmlResult(typeId, await (await ctx.run(rewritten.sql, values)).getRows());
  if (typeId === STATEMENT_TYPE.DDL || first === 'TRUNCATE') {
    await ctx.run(rewritten.sql, values);
    await services.catalog.sync(ctx.pooled.conn);
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
        !services.sessionConns.holds(ctx.session, ctx.pooled),
      cacheable: !rewritten.usesHistory && !scans,
      columnsOf: (result) =>
        bindFormats(
          withScanTypes(resultColumns(ctx, result, sql), sources),
          valueFormats(ctx.session.params),
        ),
    },
    {
      pool: services.pool,
      tracker: services.tracker,
      store: services.store,
      generation: services.generation,
      queryId: statement.queryId,
      overheadBytes: statement.overheadBytes,
      gate: services.gate,
      spillFile: () => services.spillFile(),
    },
  );
}

/**
 * Runs statements of a procedure or script in the calling statement: same session, connection,
 * abort signal and timeout. The caller closes each result.
 */
function nestedRunner(
  services: EngineServices,
  outer: StatementContext,
  queryId: string,
  results: KeptResults | undefined,
): NestedRunner {
  let n = 0;
  return async (sql, bindings) => {
    const statements = splitRequest(tokenize(sql));
    const tokens = statements[0];
    if (!tokens || statements.length !== 1) throw syntaxError(1, 0, sql.trim().slice(0, 40));
    const ctx = new StatementContext(
      outer.session,
      outer.pooled,
      services.catalog,
      outer.signal,
      services.account,
      sql,
    );
    try {
      return await dispatchStatement(services, ctx, {
        tokens,
        words: significantWords(tokens),
        bindings,
        queryId: `${queryId}-${++n}`,
        overheadBytes: RESULT_OVERHEAD_BYTES,
        results,
      });
    } catch (err) {
      ctx.throwIfAborted();
      throw mapDuckError(err, sql);
    } finally {
      if (ctx.wrote) outer.wrote = true;
    }
  };
}

function checkWarehouse(ctx: StatementContext, first: string, words: string[]): void {
  // Constant SELECTs (no FROM) run in Snowflake's cloud services layer without a warehouse.
  if ((first === 'SELECT' || first === 'VALUES') && !words.includes('FROM')) return;
  const wh = ctx.session.warehouse;
  const known = WAREHOUSES.find((w) => w.name === wh);
  if (!wh || !known || known.state !== 'STARTED') throw noWarehouse();
}
