/**
 * Snowflake type names in casts (`x::NUMBER(10,2)`, `CAST(x AS TIMESTAMP_TZ)`) → the engine's type,
 * and for types a plain DuckDB cast cannot produce the function or SQL to wrap the operand in.
 */
import { markBuilt } from './built-kinds.js';
import { duckTypeFor, parseSfType } from './types.js';
import type { CastWrap, SqlWriter } from './rewrite-context.js';
import { semiStructuredSql, structuredCastSql } from './structured-cast.js';
import { sessionCast } from './timestamp-casts.js';
import { structuredTypeAt, wrappedDuckType } from './structured-types.js';
import { decfloatCastSql, decfloatJsonSql, numericCastSql, textCastSql } from './decfloat.js';

/** The writer helpers a type name needs besides SqlWriter's. */
export interface TypeReader extends SqlWriter {
  /** The text of token `i`, or ''. */
  text(i: number): string;
  /** Index of the `)` matching the `(` at `open`, or the end. */
  closeOf(open: number): number;
}

/**
 * Rewrites an aggregate called `name` whose parens are at `open`..`close`, with what may follow it
 * before `to` (WITHIN GROUP, FILTER, OVER), into DuckDB SQL with Snowflake's result type: the SQL
 * and the index after what it consumed, or null when `name` is not its function or the form is
 * left to DuckDB as written.
 */
export type AggregateRewrite = (
  w: TypeReader,
  name: string,
  open: number,
  close: number,
  to: number,
) => [string, number] | null;

/**
 * A type name at `i` (with optional `(args)`) → [DuckDB type, index after it, and for types a
 * plain cast cannot produce (TIMESTAMP_TZ keeps the offset, BINARY parses hex) the function to
 * wrap the operand in instead].
 */
export function castTypeAt(w: TypeReader, i: number, to: number): [string, number, CastWrap?] {
  const name = w.toks[i];
  if (!name || name.kind !== 'word') return ['', i];
  const structured = structuredTypeAt(w.toks, i, to);
  if (structured) {
    const timeZone = w.ctx.session.params.get('TIMEZONE') ?? 'UTC';
    const wrap = (operand: string): string => structuredCastSql(structured.node, operand, timeZone);
    return [wrappedDuckType(structured.node), structured.end, wrap];
  }
  const open = w.nextSig(i);
  let args: number[] = [];
  let end = i + 1;
  if (w.text(open) === '(' && open < to) {
    const close = w.closeOf(open);
    args = w
      .args(open, close)
      .map((r) => w.argNumber(r))
      .filter((x): x is number => x !== null);
    end = close + 1;
  }
  // Integer casts stay DuckDB integers so date arithmetic keeps working; they still report NUMBER(38,0).
  if (/^(INT|INTEGER|SMALLINT|TINYINT|BYTEINT)$/i.test(name.text))
    return ['INTEGER', end, numericCastSql('INTEGER')];
  if (/^BIGINT$/i.test(name.text)) return ['BIGINT', end, numericCastSql('BIGINT')];
  const sf = parseSfType(name.text, args);
  if (!sf) return [w.emit(i, end).toUpperCase(), end];
  const timeZone = w.ctx.session.params.get('TIMEZONE') ?? 'UTC';
  if (sf.wire === 'timestamp_tz') return [duckTypeFor(sf), end, sessionCast('TZ', timeZone) ?? '_SMCP_TO_TZ'];
  if (sf.wire === 'timestamp_ltz')
    return [duckTypeFor(sf), end, sessionCast('LTZ', timeZone) ?? '_SMCP_TO_LTZ'];
  if (sf.wire === 'timestamp_ntz') return [duckTypeFor(sf), end, '_SMCP_TO_NTZ'];
  if (sf.wire === 'binary') return [duckTypeFor(sf), end, '_SMCP_TO_BINARY'];
  if (sf.wire === 'decfloat') return [duckTypeFor(sf), end, decfloatCastSql];
  if (sf.wire === 'fixed' || sf.wire === 'real')
    return [duckTypeFor(sf), end, numericCastSql(duckTypeFor(sf))];
  if (sf.wire === 'variant' || sf.wire === 'object' || sf.wire === 'array') {
    const kind = sf.wire === 'variant' ? null : sf.wire;
    return [
      duckTypeFor(sf),
      end,
      (operand: string) => {
        const json = semiStructuredSql(operand, decfloatJsonSql(operand, `CAST(${operand} AS JSON)`));
        return kind ? markBuilt(kind, json) : json;
      },
    ];
  }
  if (sf.wire === 'text') return [duckTypeFor(sf), end, textCastSql(duckTypeFor(sf))];
  return [duckTypeFor(sf), end];
}
