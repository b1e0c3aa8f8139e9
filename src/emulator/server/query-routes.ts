/**
 * Statement endpoints: query-request (sync and async), the result and monitoring endpoints, abort,
 * and the unauthenticated chunk downloads (their URLs carry a secret instead of a token).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ColumnMeta, WireBinding } from '../engine-types.js';
import { RESULT_EXPIRED_CODE } from '../engine-types.js';
import { obj, sendJson, str } from './http-io.js';
import { toQueryError, type QueryRecord } from './query-registry.js';
import { resultFormat } from './result-format.js';
import { arrowRows, arrowRowsetBase64, isArrowResult } from './arrow-result.js';
import type { SessionRecord } from './sessions.js';
import { OK_EMPTY, requireSession, type RequestTarget, type WireContext } from './wire-context.js';
import {
  MESSAGES,
  QUERY_IN_PROGRESS,
  QUERY_IN_PROGRESS_ASYNC,
  SQL,
  failure,
  sqlFailure,
} from './wire-errors.js';

/** How long an abort that arrived before its statement is remembered. */
const EARLY_ABORT_MS = 60_000;

function rowtype(column: ColumnMeta): Record<string, unknown> {
  return {
    name: column.name,
    database: column.database ?? '',
    schema: column.schema ?? '',
    table: column.table ?? '',
    type: column.type,
    nullable: column.nullable,
    precision: column.precision,
    scale: column.scale,
    length: column.length,
    byteLength: column.byteLength,
    collation: null,
    // Structured OBJECT/ARRAY/MAP: their members, described alike (snowflake-sdk converts by them).
    ...(column.fields ? { fields: column.fields.map(rowtype) } : {}),
  };
}

function resultUrl(record: QueryRecord): string {
  return `/queries/${record.id}/result`;
}

function bindingsOf(value: unknown): Record<string, WireBinding> | undefined {
  const raw = obj(value);
  if (!raw) return undefined;
  const out: Record<string, WireBinding> = {};
  for (const [key, entry] of Object.entries(raw)) {
    const bind = obj(entry);
    const type = str(bind, 'type') ?? 'TEXT';
    const v = bind?.value;
    if (v === null || v === undefined) out[key] = { type, value: null };
    else if (typeof v === 'string') out[key] = { type, value: v };
    else if (Array.isArray(v)) out[key] = { type, value: v.map((x) => (x === null ? null : String(x))) };
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = { type, value: String(v) };
    else out[key] = { type, value: JSON.stringify(v) ?? null };
  }
  return out;
}

function parametersOf(value: unknown): Record<string, string | number | boolean> | undefined {
  const raw = obj(value);
  if (!raw) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[name.toUpperCase()] = v;
  }
  return out;
}

/** Placeholder for the inline rows, swapped for their JSON texts after serialisation. */
const ROWSET_MARK = `smcp-rowset-${process.pid}-${Date.now()}`;

/** The failure answered for a statement whose result is gone. */
function expiredFailure(queryId: string, reason: string): ReturnType<typeof sqlFailure> {
  return sqlFailure(
    RESULT_EXPIRED_CODE,
    '02000',
    `Result for query ${queryId} has expired: ${reason}.`,
    queryId,
  );
}

/** Answers with the statement's result or error, including chunk URLs for the rest of the rows. */
async function sendOutcome(ctx: WireContext, req: IncomingMessage, res: ServerResponse, record: QueryRecord) {
  if (record.status === 'FAILED_WITH_ERROR') {
    const err = record.error!;
    sendJson(res, 200, sqlFailure(err.code, err.sqlState, err.message, record.id));
    return;
  }
  const result = record.result;
  if (!result) {
    sendJson(res, 200, expiredFailure(record.id, record.gone ?? 'it was closed'));
    return;
  }
  const layout = await ctx.queries.layout(record);
  const arrow = isArrowResult(record.format, result);
  let inline: string[] = [];
  let rowsetBase64 = '';
  try {
    if (arrow) rowsetBase64 = await arrowRowsetBase64(result, layout.inlineRows);
    else inline = await result.readRowTexts(0, layout.inlineRows);
  } catch (err) {
    const { code, sqlState, message } = toQueryError(err, false);
    sendJson(res, 200, sqlFailure(code, sqlState, message, record.id));
    return;
  }
  const final = record.final!;
  const base = `${ctx.origin(req)}/chunks/${record.chunkSecret}/`;
  // A multi-statement text: the driver fetches each statement's result by its own id.
  const children = record.children
    ? {
        resultIds: record.children.map((c) => c.id).join(','),
        resultTypes: record.children.map((c) => String(c.statementTypeId)).join(','),
      }
    : {};
  // The rows are already JSON: spliced in rather than parsed and serialised again. `rowset` is the
  // first string value of the answer, so the first occurrence of the mark is it.
  const text = JSON.stringify({
    success: true,
    code: null,
    message: null,
    data: {
      rowset: ROWSET_MARK,
      parameters: final.parameters,
      rowtype: result.columns.map(rowtype),
      total: result.rowCount,
      returned: result.rowCount,
      queryId: record.id,
      databaseProvider: null,
      finalDatabaseName: final.database,
      finalSchemaName: final.schema,
      finalWarehouseName: final.warehouse,
      finalRoleName: final.role,
      numberOfBinds: record.numberOfBinds,
      arrayBindSupported: false,
      statementTypeId: result.statementTypeId,
      ...children,
      version: 1,
      sendResultTime: record.endTime ?? Date.now(),
      queryResultFormat: arrow ? 'arrow' : 'json',
      ...(arrow ? { rowsetBase64 } : {}),
      chunkHeaders: {},
      chunks: layout.chunks.map((chunk, index) => ({
        url: base + index,
        rowCount: chunk.rowCount,
        uncompressedSize: chunk.uncompressedSize,
        compressedSize: chunk.uncompressedSize,
      })),
    },
  }).replace(`"${ROWSET_MARK}"`, () => (arrow ? 'null' : `[${inline.join(',')}]`));
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Waits up to the long-poll time; answers the outcome, or 333333 "still running" with the result URL. */
async function answerWhenDone(
  ctx: WireContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: QueryRecord,
) {
  if (record.status === 'RUNNING') {
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      record.done.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ctx.settings.queryWaitMs, false))),
    ]);
    clearTimeout(timer);
    if (!waited) {
      sendJson(res, 200, {
        success: true,
        code: QUERY_IN_PROGRESS,
        message: MESSAGES.running,
        data: { queryId: record.id, getResultUrl: resultUrl(record) },
      });
      return;
    }
  }
  await sendOutcome(ctx, req, res, record);
}

/** POST /queries/v1/query-request. A repeated request id (driver retry) joins the first statement. */
export async function queryRequest(
  ctx: WireContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget,
  body: Record<string, unknown>,
): Promise<void> {
  const record = requireSession(ctx, req, res);
  if (!record) return;
  const requestId = target.query.get('requestId') || undefined;
  const asyncExec = body.asyncExec === true;
  const existing = requestId ? ctx.queries.byRequest(record.session.id, requestId) : undefined;
  if (existing) {
    if (asyncExec) sendAsyncAccepted(res, existing);
    else await answerWhenDone(ctx, req, res, existing);
    return;
  }
  const sqlText = str(body, 'sqlText');
  if (sqlText === undefined || sqlText.trim() === '') {
    sendJson(res, 200, sqlFailure('000900', '42000', 'Empty SQL statement.', null));
    return;
  }
  const parameters = parametersOf(body.parameters);
  const query = ctx.queries.start({
    session: record.session,
    sqlText,
    requestId,
    bindings: bindingsOf(body.bindings),
    parameters,
    describeOnly: body.describeOnly === true,
    format: resultFormat(record.clientApp, record.session, parameters),
  });
  if (requestId && takeEarlyAbort(record, requestId)) query.abort.abort();
  if (asyncExec) sendAsyncAccepted(res, query);
  else await answerWhenDone(ctx, req, res, query);
}

function sendAsyncAccepted(res: ServerResponse, record: QueryRecord): void {
  sendJson(res, 200, {
    success: true,
    code: QUERY_IN_PROGRESS_ASYNC,
    message: MESSAGES.asyncRunning,
    data: { queryId: record.id, getResultUrl: resultUrl(record) },
  });
}

function takeEarlyAbort(record: SessionRecord, requestId: string): boolean {
  const at = record.earlyAborts.get(requestId);
  if (at === undefined) return false;
  record.earlyAborts.delete(requestId);
  return Date.now() - at < EARLY_ABORT_MS;
}

function rememberEarlyAbort(record: SessionRecord, requestId: string): void {
  const now = Date.now();
  for (const [id, at] of record.earlyAborts) if (now - at >= EARLY_ABORT_MS) record.earlyAborts.delete(id);
  if (record.earlyAborts.size < 1000) record.earlyAborts.set(requestId, now);
}

/**
 * GET /queries/<id>/result: the result of a statement of the same user, from any of its sessions,
 * while kept; a Snowflake-style "has expired" failure saying why once it is gone.
 */
export async function queryResult(
  ctx: WireContext,
  req: IncomingMessage,
  res: ServerResponse,
  queryId: string,
) {
  const session = requireSession(ctx, req, res);
  if (!session) return;
  const record = ctx.queries.get(queryId, session.session.user);
  if (!record) {
    const why = ctx.queries.unknownReason(queryId);
    sendJson(
      res,
      200,
      why
        ? expiredFailure(queryId, why)
        : sqlFailure(SQL.RESULT_NOT_FOUND, '02000', `Statement ${queryId} not found.`, queryId),
    );
    return;
  }
  await answerWhenDone(ctx, req, res, record);
}

/**
 * GET /monitoring/queries/<id>: status for getQueryStatus / getResultsFromQueryId. A statement whose
 * result is gone still reports how it ended (the result GET then says why it is gone); an id of an
 * earlier emulator run fails with the same "has expired" error.
 */
export function queryStatus(
  ctx: WireContext,
  req: IncomingMessage,
  res: ServerResponse,
  queryId: string,
): void {
  const session = requireSession(ctx, req, res);
  if (!session) return;
  const record = ctx.queries.get(queryId, session.session.user);
  if (!record) {
    const why = ctx.queries.unknownReason(queryId);
    if (why) sendJson(res, 200, expiredFailure(queryId, why));
    else sendJson(res, 200, { success: true, code: null, message: null, data: { queries: [] } });
    return;
  }
  const end = record.endTime;
  const err = record.error;
  sendJson(res, 200, {
    success: true,
    code: err?.code ?? null,
    message: null,
    data: {
      sqlState: err?.sqlState ?? null,
      queries: [
        {
          id: record.id,
          status: record.status,
          state: record.status === 'RUNNING' ? 'RUNNING' : 'SUCCEEDED',
          sqlText: record.sqlText,
          startTime: record.startTime,
          endTime: end ?? 0,
          totalDuration: (end ?? Date.now()) - record.startTime,
          sessionId: Number(record.sessionId),
          userName: record.user,
          errorCode: err?.code ?? null,
          errorMessage: err?.message ?? null,
        },
      ],
    },
  });
}

/** POST /queries/v1/abort-request (by request id) and /queries/<id>/abort-request. */
export function abortRequest(
  ctx: WireContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
  queryId: string | undefined,
): void {
  const session = requireSession(ctx, req, res);
  if (!session) return;
  let record: QueryRecord | undefined;
  if (queryId !== undefined) {
    record = ctx.queries.get(queryId, session.session.user);
  } else {
    const requestId = str(body, 'requestId');
    if (!requestId) {
      sendJson(res, 200, failure(SQL.NOT_EXECUTING, 'Abort request names no requestId.'));
      return;
    }
    record = ctx.queries.byRequest(session.session.id, requestId);
    if (!record) {
      // The cancel may overtake its own statement: remember it for when the statement arrives.
      rememberEarlyAbort(session, requestId);
      sendJson(res, 200, OK_EMPTY);
      return;
    }
  }
  if (!record || record.status !== 'RUNNING') {
    sendJson(res, 200, failure(SQL.NOT_EXECUTING, 'Identified SQL statement is not currently executing.'));
    return;
  }
  record.abort.abort();
  sendJson(res, 200, OK_EMPTY);
}

/**
 * GET /chunks/<secret>/<n>: rows of one chunk, `[..],[..]`, not labelled as JSON. A result that is
 * gone answers 410 (final for the driver, no retries) with the "has expired" failure as body.
 */
export async function chunk(
  ctx: WireContext,
  res: ServerResponse,
  secret: string,
  index: number,
): Promise<void> {
  const record = ctx.queries.bySecret(secret);
  const result = record?.result;
  const spec = record && result ? (await ctx.queries.layout(record)).chunks[index] : undefined;
  if (!record || !result || !spec) {
    if (record?.gone) sendJson(res, 410, expiredFailure(record.id, record.gone));
    else sendJson(res, 404, failure(SQL.RESULT_NOT_FOUND, 'Result chunk not found or expired.'));
    return;
  }
  let started = false;
  try {
    if (isArrowResult(record.format, result)) {
      // An Arrow chunk is one IPC stream, built whole (a chunk is at most a few MB of rows).
      const body = await arrowRows(result, spec.offset, spec.rowCount);
      started = true;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.byteLength });
      await writePiece(res, body);
      res.end();
      ctx.counters.chunkDownloads++;
      return;
    }
    await result.writeChunkBody(spec.offset, spec.rowCount, {
      start() {
        started = true;
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      },
      write: (data) => writePiece(res, data),
    });
  } catch (err) {
    if (started) {
      // Cut mid-body: the driver retries the chunk and then learns why.
      res.destroy();
      return;
    }
    // Gone meanwhile, or its stream failed: a JSON body on 200 would be parsed as rows.
    const { code, sqlState, message } = toQueryError(err, false);
    sendJson(res, 410, sqlFailure(code, sqlState, message, record.id));
    return;
  }
  res.end();
  ctx.counters.chunkDownloads++;
}

/** Writes a piece of a body, resolving when the socket takes more (rejects once the client is gone). */
function writePiece(res: ServerResponse, data: Buffer): Promise<void> {
  if (res.destroyed) return Promise.reject(new Error('the client went away'));
  if (res.write(data)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new Error('the client went away'));
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
