/**
 * DML with binds. A statement with array binds runs once per row, as one statement of Snowflake's:
 * every row or none (its own transaction unless the session already is in one), and one answer
 * counting the rows of all executions. Text binds take the type of what they are assigned to, as
 * Snowflake converts them: hex for BINARY (BINARY_INPUT_FORMAT HEX), the text's own UTC offset for
 * TIMESTAMP_TZ. DuckDB tells that type: it infers each parameter's type from the statement.
 */
import type { DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
import { DuckDBTypeId, timestampNanosValue } from '@duckdb/node-api';
import type { ResultSet } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import { bindRow, hexBlob, type BoundStatement } from './binds.js';
import type { StatementContext } from './context.js';
import { unsupported } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { dmlResult } from './statement-results.js';
import { rfc2822 } from './timestamp-text.js';

/** True when the statement is DML (INSERT, UPDATE, DELETE, MERGE) by its Snowflake type id. */
export function isDml(typeId: number): boolean {
  return typeId >= STATEMENT_TYPE.DML && typeId < STATEMENT_TYPE.SCL;
}

/**
 * Runs DuckDB DML `sql` with `bound`'s binds (once, or once per row of array binds) on the
 * statement's connection. Array binds outside DML fail with 002040. `inTransaction`: the session's
 * own transaction is open, so a batch joins it instead of opening one.
 */
export async function runBoundDml(
  ctx: StatementContext,
  sql: string,
  typeId: number,
  bound: BoundStatement,
  inTransaction: boolean,
): Promise<ResultSet> {
  if (!isDml(typeId)) throw unsupported('array binds in a query');
  const rows = bound.rows ?? 1;
  const conn = ctx.pooled.conn;
  let total = 0n;
  const own = bound.rows !== null && !inTransaction;
  if (own) await ctx.run('BEGIN TRANSACTION');
  try {
    await ctx.guard(conn, async () => {
      const prepared = await conn.prepare(sql);
      try {
        const adapt = adapters(prepared);
        for (let row = 0; row < rows; row++) {
          ctx.throwIfAborted();
          prepared.clearBindings();
          prepared.bind(bindRow(bound, row).map((v, i) => adapt[i]?.(v) ?? v));
          const result = await prepared.run();
          const count = (await result.getRows())[0]?.[0];
          total += typeof count === 'bigint' ? count : BigInt(Number(count ?? 0));
        }
      } finally {
        prepared.destroySync();
      }
    });
    if (own) await ctx.run('COMMIT');
  } catch (err) {
    if (own) await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return dmlResult(typeId, [[total]]);
}

type Adapter = (v: DuckDBValue) => DuckDBValue;

/** Per parameter, how a text value converts to the type DuckDB inferred for it. */
function adapters(prepared: DuckDBPreparedStatement): (Adapter | undefined)[] {
  const out: (Adapter | undefined)[] = [];
  for (let i = 1; i <= prepared.parameterCount; i++) {
    let id: DuckDBTypeId;
    try {
      id = prepared.parameterTypeId(i);
    } catch {
      out.push(undefined);
      continue;
    }
    if (id === DuckDBTypeId.BLOB) out.push(textAs(hexBlob));
    else if (id === DuckDBTypeId.TIMESTAMP_NS) out.push(textAs(timestampTz));
    // RFC 2822 text, which DuckDB does not read: TIMESTAMP_NTZ keeps the wall time, LTZ the instant.
    else if (id === DuckDBTypeId.TIMESTAMP) out.push(textAs((t) => rfc2822(t)?.wall ?? t));
    else if (id === DuckDBTypeId.TIMESTAMP_TZ) out.push(textAs((t) => iso(t) ?? t));
    else if (id === DuckDBTypeId.DATE) out.push(textAs((t) => rfc2822(t)?.date ?? t));
    else out.push(undefined);
  }
  return out;
}

function iso(text: string): string | null {
  const parts = rfc2822(text);
  return parts ? `${parts.wall}${parts.offset}` : null;
}

function textAs(convert: (text: string) => DuckDBValue): Adapter {
  return (v) => (typeof v === 'string' ? convert(v) : v);
}

const TZ_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Text for a TIMESTAMP_TZ column: the instant and the text's own offset (none: UTC), encoded as the
 * engine keeps TIMESTAMP_TZ (see macros.ts). Other text is left to DuckDB's cast.
 */
function timestampTz(text: string): DuckDBValue {
  const m = TZ_TEXT.exec(iso(text) ?? text.trim());
  if (!m) return text;
  const wallMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
  if (!Number.isFinite(wallMs)) return text;
  const seconds = BigInt(m[6] ?? '0');
  const micros = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  const zone = m[8] ?? 'Z';
  let offset = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offset =
      (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  // Date.UTC maps years 0–99 onto 1900–1999; the year is set again exactly.
  const wall = new Date(wallMs);
  wall.setUTCFullYear(Number(m[1]));
  const utcMicros =
    BigInt(wall.getTime()) * 1000n + seconds * 1_000_000n + micros - BigInt(offset) * 60_000_000n;
  const nanos = utcMicros * 1000n + BigInt(Math.round(offset / 15));
  if (nanos < -(2n ** 63n) || nanos >= 2n ** 63n) {
    throw new EmulatorSqlError(
      '100035',
      '22007',
      `Timestamp '${text}' is outside the emulator's TIMESTAMP_TZ range (1677-09-21 to 2262-04-11).`,
    );
  }
  return timestampNanosValue(nanos);
}
