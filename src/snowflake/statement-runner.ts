/**
 * Runs one statement on one connection: statement-level parameters in the request body (no ALTER
 * SESSION round trips), cancellation through an AbortSignal (statement.cancel() in Snowflake), a
 * client-side deadline in case the server never answers, and rows streamed with a row cap and a
 * byte cap, stopping early. Also streams a window of an earlier result (fetch by query id).
 */

import type { Bind, Connection, DataType, RowStatement } from 'snowflake-sdk';
import type { Readable } from 'node:stream';
import { SmcpError } from '../errors.js';
import {
  aliasedRereadSql,
  BuiltinNameFault,
  describeResultSql,
  isBuiltinNameFault,
  namesFromDescribe,
} from './builtin-names.js';
import { mapSnowflakeError } from './error-map.js';
import { columnSerializers, describeColumns, DRIVER_FETCH_AS_STRING, serializeRow } from './serialize.js';
import type { ColumnInfo, DriverColumn, JsonValue, SerializeOptions, ValueSerializer } from './serialize.js';
import { sessionContextOf } from './session-state.js';
import type { SessionContext } from './session-state.js';
import { cutRowToFit, cuttableColumns, jsonBytes } from './value-cut.js';
import type { CutValue } from './value-cut.js';

/** Caps on what is read from a result. */
export interface RowCaps {
  readonly maxRows: number;
  /** Cap on the bytes of the JSON text of the returned rows. */
  readonly maxBytes: number;
}

/** Rows read from a result, with what stopped the reading. */
export interface RowWindow {
  readonly columns: ColumnInfo[];
  readonly rows: JsonValue[][];
  readonly rowCount: number;
  /** Rows in the whole result, when Snowflake reported it. */
  readonly totalRows?: number;
  readonly truncated: boolean;
  readonly truncatedBy?: 'rows' | 'bytes';
  /** Bytes of the JSON text of `rows`. */
  readonly bytes: number;
  /**
   * Values cut short so that a row wider than maxBytes still comes back (only ever the first row
   * of a window: a later one ends the window instead). Absent when nothing was cut.
   */
  readonly cutValues?: CutValue[];
  /**
   * [row, column] of VARIANT cells that hold JSON null (the rows show them as null, as they show
   * SQL NULL). Absent when there are none.
   */
  readonly jsonNulls?: [number, number][];
}

/** A finished statement's rows and metadata. */
export interface StatementOutcome extends RowWindow {
  readonly queryId: string;
  /** Session context Snowflake reported after the statement (final* fields), if any. */
  readonly session?: SessionContext;
}

/** What to run. */
export interface StatementSpec extends RowCaps {
  readonly sql: string;
  readonly binds?: readonly Bind[];
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  readonly signal?: AbortSignal;
  /** Client-side deadline: past it the statement is cancelled and the connection distrusted. */
  readonly deadlineMs: number;
  readonly serialize?: SerializeOptions;
}

const suspect = new WeakSet<SmcpError>();

/**
 * True when an error leaves the connection in doubt (the server did not answer in time, the
 * session is gone, the network failed): the caller must destroy it rather than reuse it.
 */
export function leavesConnectionInDoubt(err: SmcpError): boolean {
  return suspect.has(err) || ['NETWORK', 'SESSION_EXPIRED', 'INTERNAL', 'AUTH_FAILED'].includes(err.code);
}

function inDoubt(err: SmcpError): SmcpError {
  suspect.add(err);
  return err;
}

/** How often a cancel is repeated while Snowflake has not confirmed it. */
const CANCEL_RETRY_MS = 1000;

/** Waits for the statement's first response; cancels it in Snowflake when `signal` aborts. */
function execute(conn: Connection, spec: StatementSpec): Promise<RowStatement> {
  return new Promise<RowStatement>((resolve, reject) => {
    let settled = false;
    let statement: RowStatement | undefined;
    let timer: NodeJS.Timeout | undefined;
    let recancel: NodeJS.Timeout | undefined;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(recancel);
      spec.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const cancelInSnowflake = (): void => {
      try {
        statement?.cancel(() => {});
      } catch {
        // The statement may already be done; nothing to cancel.
      }
    };
    function onAbort(): void {
      // The deadline timer gives way to the shorter cancel-confirmation timer.
      clearTimeout(timer);
      cancelInSnowflake();
      // A cancel can overtake its own statement (sent before the statement reached Snowflake, which
      // then finds nothing to cancel by that request id): ask again until the statement ends.
      recancel = setInterval(cancelInSnowflake, CANCEL_RETRY_MS);
      // Snowflake answers a cancel by failing the statement with 000604; if it never does, give up.
      timer = setTimeout(() => {
        finish(() =>
          reject(
            inDoubt(
              new SmcpError('QUERY_CANCELLED', 'the statement was cancelled (Snowflake did not confirm)'),
            ),
          ),
        );
      }, 5000);
    }
    timer = setTimeout(() => {
      cancelInSnowflake();
      finish(() =>
        reject(
          inDoubt(new SmcpError('QUERY_TIMEOUT', 'the statement ran past its time limit and was cancelled')),
        ),
      );
    }, spec.deadlineMs);
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      statement = conn.execute({
        sqlText: spec.sql,
        ...(spec.binds && spec.binds.length > 0 ? { binds: spec.binds } : {}),
        parameters: { ...spec.parameters },
        streamResult: true,
        fetchAsString: [...DRIVER_FETCH_AS_STRING] as unknown as DataType[],
        rowMode: 'array',
        complete: (err, stmt) => {
          const queryId = stmt?.getQueryId?.();
          if (err && isBuiltinNameFault(err) && typeof queryId === 'string' && queryId !== '') {
            finish(() => reject(new BuiltinNameFault(queryId)));
          } else if (err) {
            const mapped = mapSnowflakeError(err, { queryId });
            finish(() => reject(mapped));
          } else {
            finish(() => resolve(stmt));
          }
        },
      });
    } catch (err) {
      finish(() => reject(mapSnowflakeError(err)));
      return;
    }
    if (spec.signal?.aborted) onAbort();
  });
}

/** Driver types whose values are JSON text: a non-null value that serializes to null is JSON null. */
const JSON_WIRE_TYPES = new Set(['variant', 'object', 'array', 'map']);

/**
 * Reads rows from `stream` until the caps, serializing each. Destroys the stream when a cap is hit
 * or `signal` aborts (→ QUERY_CANCELLED). The first row always comes back, its longest values cut
 * (and listed in `cutValues`) when it alone is wider than maxBytes, so a reader paging by offset
 * always moves on; a row that cannot fit even then fails with RESULT_UNREADABLE.
 */
export function readRows(
  statement: RowStatement,
  stream: Readable,
  caps: RowCaps & { signal?: AbortSignal; serialize?: SerializeOptions; totalRows?: number; offset?: number },
): Promise<RowWindow> {
  // A result fetched by query id only knows its columns once the stream has started.
  const columnsOf = (): DriverColumn[] => statement.getColumns() ?? [];
  let serializers: ValueSerializer[] | undefined;
  let jsonColumns: number[] = [];
  let cuttable: boolean[] = [];
  const rows: JsonValue[][] = [];
  const cutValues: CutValue[] = [];
  const jsonNulls: [number, number][] = [];
  let bytes = 2; // the enclosing [ ]
  let truncatedBy: 'rows' | 'bytes' | undefined;
  // Plain stream events rather than `for await`: the async iterator costs a promise and a listener
  // set per row and per statement, on the hot path of every query (most answers are a few rows).
  return new Promise<RowWindow>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      caps.signal?.removeEventListener('abort', onAbort);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      // A late error of the destroyed stream must not go unhandled.
      stream.on('error', () => {});
      if (!stream.destroyed) stream.destroy();
      if (err !== undefined) {
        reject(err instanceof SmcpError ? err : mapSnowflakeError(err, { queryId: statement.getQueryId() }));
        return;
      }
      resolve({
        columns: describeColumns(columnsOf()),
        rows,
        rowCount: rows.length,
        ...(caps.totalRows !== undefined ? { totalRows: caps.totalRows } : {}),
        truncated: truncatedBy !== undefined,
        ...(truncatedBy ? { truncatedBy } : {}),
        bytes: rows.length > 0 ? bytes : 2,
        ...(cutValues.length > 0 ? { cutValues } : {}),
        ...(jsonNulls.length > 0 ? { jsonNulls } : {}),
      });
    };
    const onData = (raw: unknown): void => {
      if (settled) return;
      if (rows.length >= caps.maxRows) {
        truncatedBy = 'rows';
        finish();
        return;
      }
      let row: JsonValue[];
      try {
        if (serializers === undefined) {
          const columns = columnsOf();
          serializers = columnSerializers(columns, caps.serialize);
          jsonColumns = columns.flatMap((c, i) => (JSON_WIRE_TYPES.has(c.getType()) ? [i] : []));
          cuttable = cuttableColumns(columns.map((c) => c.getType()));
        }
        row = serializeRow(raw as unknown[], serializers);
      } catch (err) {
        finish(err);
        return;
      }
      let size = jsonBytes(row) + (rows.length > 0 ? 1 : 0);
      if (bytes + size > caps.maxBytes) {
        if (rows.length > 0) {
          truncatedBy = 'bytes';
          finish();
          return;
        }
        const fitted = cutRowToFit(row, cuttable, caps.maxBytes - bytes, (r) => jsonBytes(r));
        if (!fitted) {
          finish(tooWide(caps.offset ?? 0, size, caps.maxBytes, statement.getQueryId()));
          return;
        }
        row = fitted.row;
        for (const [column, full] of fitted.cuts) cutValues.push({ row: 0, column, bytes: full });
        size = jsonBytes(row);
      }
      for (const i of jsonColumns) {
        const value = (raw as unknown[])[i];
        if (row[i] === null && value !== null && value !== undefined) jsonNulls.push([rows.length, i]);
      }
      bytes += size;
      rows.push(row);
      // Known total: no need to read one row past the cap to learn the result was cut.
      if (rows.length >= caps.maxRows && caps.totalRows !== undefined) {
        if (caps.totalRows > (caps.offset ?? 0) + rows.length) truncatedBy = 'rows';
        finish();
      }
    };
    const onEnd = (): void => finish();
    const onError = (err: unknown): void => finish(err);
    // Closed without an end or an error: the result was cut short, as `for await` would report.
    const onClose = (): void =>
      finish(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    function onAbort(): void {
      finish(new SmcpError('QUERY_CANCELLED', 'the request was cancelled while reading rows'));
    }
    if (caps.signal?.aborted) {
      onAbort();
      return;
    }
    caps.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** RESULT_UNREADABLE for a row that does not fit maxBytes even with all its text cut away. */
function tooWide(offset: number, bytes: number, maxBytes: number, queryId: string): SmcpError {
  return new SmcpError(
    'RESULT_UNREADABLE',
    `the row at offset ${offset} of query ${queryId} (${bytes} bytes) does not fit the byte limit of ` +
      `${maxBytes} even with its text values cut; select fewer columns or raise max_bytes`,
    { queryId, field: 'max_bytes' },
  );
}

function totalRowsOf(statement: RowStatement): number | undefined {
  const n = statement.getNumRows();
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Rows [offset, offset + maxRows) of a statement that has answered, within the caps. */
async function windowOf(
  statement: RowStatement,
  offset: number,
  caps: RowCaps & { signal?: AbortSignal; serialize?: SerializeOptions },
): Promise<RowWindow> {
  const totalRows = totalRowsOf(statement);
  if (totalRows === 0 && offset === 0) {
    return {
      columns: describeColumns(statement.getColumns() ?? []),
      rows: [],
      rowCount: 0,
      totalRows: 0,
      truncated: false,
      bytes: 2,
    };
  }
  // An end bounds what the driver downloads (and prefetches) to the chunks the caps can use;
  // one row past the cap tells a cut result from an exact fit.
  const stream = statement.streamRows({ start: offset, end: offset + caps.maxRows });
  return readRows(statement, stream, { ...caps, totalRows, offset });
}

/** Runs a statement and reads its rows within the caps. Throws mapped SmcpErrors. */
export async function runStatement(conn: Connection, spec: StatementSpec): Promise<StatementOutcome> {
  let statement: RowStatement;
  try {
    statement = await execute(conn, spec);
  } catch (err) {
    if (err instanceof BuiltinNameFault) return readUnderRealNames(conn, err.queryId, 0, spec);
    throw err;
  }
  const queryId = statement.getQueryId();
  const session = sessionContextOf(statement.getSessionState());
  const window = await windowOf(statement, 0, spec);
  return { ...window, queryId, ...(session ? { session } : {}) };
}

/** Most columns a result can have: a DESCRIBE RESULT answer of any real result fits. */
const DESCRIBE_CAPS: RowCaps = { maxRows: 100_000, maxBytes: 64 * 1024 * 1024 };

/**
 * Rows [offset, offset + maxRows) of the stored result of `queryId`, whose column names snowflake-sdk
 * cannot index (see builtin-names.ts): read by position through RESULT_SCAN on the same session,
 * then answered under the real names and the original query id.
 */
async function readUnderRealNames(
  conn: Connection,
  queryId: string,
  offset: number,
  spec: StatementSpec,
): Promise<StatementOutcome> {
  const plain = { parameters: spec.parameters, signal: spec.signal, deadlineMs: spec.deadlineMs };
  const described = await execute(conn, { ...plain, ...DESCRIBE_CAPS, sql: describeResultSql(queryId) });
  const description = await windowOf(described, 0, { ...DESCRIBE_CAPS, signal: spec.signal });
  const names = namesFromDescribe(
    description.columns.map((c) => c.name),
    description.rows,
  );
  const reread = await execute(conn, { ...spec, sql: aliasedRereadSql(queryId, names.length), binds: [] });
  const session = sessionContextOf(reread.getSessionState());
  const window = await windowOf(reread, offset, spec);
  const columns = window.columns.map((c, i) => ({ ...c, name: names[i] ?? c.name }));
  return { ...window, columns, queryId, ...(session ? { session } : {}) };
}

/**
 * Reads rows [offset, offset + maxRows) of an earlier result by query id
 * (connection.getResultsFromQueryId + streamRows with start/end). Waits for the result's first
 * response before streaming, so its total row count (and columns) are known, as for a new query.
 */
export async function readResultWindow(
  conn: Connection,
  queryId: string,
  offset: number,
  caps: RowCaps & {
    signal?: AbortSignal;
    serialize?: SerializeOptions;
    /** Limit for the statements of a re-read under real names (see builtin-names.ts). */
    deadlineMs: number;
  },
): Promise<StatementOutcome> {
  let statement: RowStatement;
  try {
    statement = await new Promise<RowStatement>((resolve, reject) => {
      conn
        .getResultsFromQueryId({
          queryId,
          streamResult: true,
          fetchAsString: [...DRIVER_FETCH_AS_STRING] as unknown as DataType[],
          rowMode: 'array',
          sqlText: '',
          complete: (err, stmt) => (err ? reject(err) : resolve(stmt)),
        })
        .catch(reject);
    });
  } catch (err) {
    if (isBuiltinNameFault(err)) {
      return readUnderRealNames(conn, queryId, offset, { ...caps, sql: '', parameters: {} });
    }
    throw mapSnowflakeError(err, { queryId });
  }
  const window = await windowOf(statement, offset, caps);
  return { ...window, queryId };
}
