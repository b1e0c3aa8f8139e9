/**
 * Snowflake function calls DuckDB lacks or spells differently: CURRENT_*() from the session,
 * date functions (date-functions.ts), DECODE, TO_* conversions (timestamps in timestamp-functions.ts,
 * BINARY parsing hex), JSON builders and CAST with Snowflake type names.
 */
import { formatParseSql } from './date-format-parse.js';
import { DATE_PARTS, toStrftime } from './date-parts.js';
import { rewriteDateCall } from './date-functions.js';
import { pathAsTextSql, rewritePathCall } from './variant-paths.js';
import { quoteString } from './tokenizer.js';
import { applyWrap } from './rewrite-context.js';
import type { SqlWriter } from './rewrite-context.js';
import { structuredCastSql, variantSql } from './structured-cast.js';
import { structuredTypeAt } from './structured-types.js';
import { decfloatCastSql, numericCastSql, textCastSql, textOfSql, tryNumericCast } from './decfloat.js';
import { bracketPathText } from './json-text.js';
import { rewriteTimestampCall } from './timestamp-functions.js';
import { objectConstructSql } from './object-construct.js';
import { markBuilt } from './built-kinds.js';

/** Rewrites a call of `name` whose parens are at open/close, or null to leave it to DuckDB. */
export function rewriteCall(w: SqlWriter, name: string, open: number, close: number): string | null {
  const dated =
    rewriteDateCall(w, name, open, close) ??
    rewritePathCall(w, name, open, close) ??
    rewriteTimestampCall(w, name, open, close);
  if (dated !== null) return dated;
  const ranges = w.args(open, close);
  const arg = (k: number): string => {
    const r = ranges[k];
    return r ? w.emit(r[0], r[1]).trim() : 'NULL';
  };
  const all = (): string => ranges.map((_r, k) => arg(k)).join(', ');
  const s = w.ctx.session;
  const lit = (v: string | null): string => (v === null ? 'CAST(NULL AS VARCHAR)' : quoteString(v));
  switch (name) {
    case 'CURRENT_DATABASE':
      return lit(s.database);
    case 'CURRENT_SCHEMA':
      return lit(s.schema);
    case 'CURRENT_ROLE':
      return lit(s.role);
    case 'CURRENT_WAREHOUSE':
      return lit(s.warehouse);
    case 'CURRENT_USER':
      return lit(s.user);
    case 'CURRENT_SESSION':
      return lit(s.id);
    case 'CURRENT_ACCOUNT':
    case 'CURRENT_ACCOUNT_NAME':
      return lit(w.ctx.account);
    case 'CURRENT_ORGANIZATION_NAME':
      return lit('SMCP');
    case 'CURRENT_VERSION':
      return lit('9.20.0');
    case 'CURRENT_REGION':
      return lit('LOCAL');
    case 'CURRENT_CLIENT':
      return lit('smcp emulator');
    case 'CURRENT_AVAILABLE_ROLES':
      return lit(JSON.stringify(s.grantedRoles));
    case 'CURRENT_SECONDARY_ROLES':
      return lit('{"roles":"","value":""}');
    case 'CURRENT_SCHEMAS':
      return lit(JSON.stringify(s.database && s.schema ? [`${s.database}.${s.schema}`] : []));
    case 'CURRENT_IP_ADDRESS':
      return lit('127.0.0.1');
    case 'LAST_QUERY_ID':
      return lit(w.ctx.lastQueryId);
    case 'CURRENT_TIMESTAMP':
    case 'LOCALTIMESTAMP':
      return ranges.length === 0 ? 'now()' : null;
    case 'CURRENT_DATE':
      return ranges.length === 0 ? 'current_date' : null;
    case 'CURRENT_TIME':
    case 'LOCALTIME':
      return ranges.length === 0 ? 'current_time' : null;
    case 'CAST':
    case 'TRY_CAST':
      return rewriteCast(w, name, open, close);
    case 'DECODE': {
      if (ranges.length < 3) return null;
      const e = arg(0);
      let sql = 'CASE';
      let k = 1;
      for (; k + 1 < ranges.length; k += 2)
        sql += ` WHEN (${e}) IS NOT DISTINCT FROM (${arg(k)}) THEN ${arg(k + 1)}`;
      if (k < ranges.length) sql += ` ELSE ${arg(k)}`;
      return `${sql} END`;
    }
    case 'DATE_PART': {
      const part = DATE_PARTS[w.argWord(ranges[0] ?? [0, 0])];
      if (!part || ranges.length !== 2) return null;
      return `${name.toLowerCase()}('${part}', ${arg(1)})`;
    }
    case 'TO_NUMBER':
    case 'TO_DECIMAL':
    case 'TO_NUMERIC':
    case 'TRY_TO_NUMBER':
    case 'TRY_TO_DECIMAL':
    case 'TRY_TO_NUMERIC': {
      const nums = ranges
        .slice(1)
        .map((r) => w.argNumber(r))
        .filter((x): x is number => x !== null);
      const cast = name.startsWith('TRY_') ? 'TRY_CAST' : 'CAST';
      return numericCastSql(`DECIMAL(${nums[0] ?? 38},${nums[1] ?? 0})`, cast)(arg(0));
    }
    case 'CONCAT':
      // A DECFLOAT concatenates as its text (DuckDB would write the carrier STRUCT).
      return ranges.length > 0 ? `concat(${ranges.map((_, k) => textOfSql(arg(k))).join(', ')})` : null;
    case 'TO_DECFLOAT':
      return ranges.length === 1 ? decfloatCastSql(arg(0)) : null;
    case 'TO_VARCHAR':
    case 'TO_CHAR': {
      const fmt = ranges[1] ? w.argString(ranges[1]) : null;
      if (fmt !== null) return `strftime(${arg(0)}, ${quoteString(toStrftime(fmt))})`;
      return pathAsTextSql(arg(0)) ?? bracketPathText(arg(0)) ?? textCastSql('VARCHAR')(arg(0));
    }
    case 'TO_DATE':
    case 'DATE': {
      const fmt = ranges[1] ? w.argString(ranges[1]) : null;
      if (fmt !== null) return `CAST(${formatParseSql(arg(0), fmt, 'date')} AS DATE)`;
      return ranges.length === 1 ? `CAST(${arg(0)} AS DATE)` : null;
    }
    case 'TO_BINARY':
    case 'TRY_TO_BINARY': {
      const fmt = ranges[1] ? (w.argString(ranges[1]) ?? '').toUpperCase() : 'HEX';
      const sql =
        fmt === 'BASE64'
          ? `from_base64(${arg(0)})`
          : fmt === 'UTF-8' || fmt === 'UTF8'
            ? `encode(${arg(0)})`
            : `_SMCP_TO_BINARY(${arg(0)})`;
      return name === 'TRY_TO_BINARY' ? `TRY(${sql})` : sql;
    }
    case 'OBJECT_CONSTRUCT':
    case 'OBJECT_CONSTRUCT_KEEP_NULL':
      return markBuilt('object', objectConstructSql(w, name, ranges));
    case 'ARRAY_CONSTRUCT':
      return markBuilt('array', `json_array(${ranges.map((_r, k) => variantSql(arg(k))).join(', ')})`);
    case 'TO_VARIANT':
      return ranges.length === 1 ? variantSql(arg(0)) : null;
    case 'TO_JSON':
      // Snowflake's TO_JSON is the text of the value's JSON.
      return ranges.length === 1 ? `CAST(${variantSql(arg(0))} AS VARCHAR)` : null;
    case 'IFNULL':
      return `COALESCE(${all()})`;
    default:
      return null;
  }
}

/** CAST(x AS type) with Snowflake type names. */
function rewriteCast(w: SqlWriter, name: string, open: number, close: number): string | null {
  let depth = 0;
  let asAt = -1;
  for (let j = open + 1; j < close; j++) {
    const t = w.toks[j];
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && t.text.toUpperCase() === 'AS') asAt = j;
  }
  if (asAt < 0) return null;
  const expr = w.emit(open + 1, asAt).trim();
  const typeStart = w.nextSig(asAt);
  const typeName = w.upper(typeStart);
  // Structured OBJECT(…)/ARRAY(…)/MAP(…); bare OBJECT and ARRAY are semi-structured (JSON).
  const structured = structuredTypeAt(w.toks, typeStart, close);
  if (structured) {
    const timeZone = w.ctx.session.params.get('TIMEZONE') ?? 'UTC';
    return structuredCastSql(structured.node, expr, timeZone, name === 'TRY_CAST');
  }
  if (typeName === 'VARIANT') return variantSql(expr);
  if (typeName === 'OBJECT' || typeName === 'ARRAY')
    return markBuilt(typeName === 'OBJECT' ? 'object' : 'array', variantSql(expr));
  const [type, , wrap] = w.typeAt(typeStart, close);
  const text = type === 'VARCHAR' ? (pathAsTextSql(expr) ?? bracketPathText(expr)) : null;
  if (text !== null) return text;
  const tryNumeric = name === 'TRY_CAST' ? tryNumericCast(wrap) : null;
  if (tryNumeric) return tryNumeric(expr);
  if (wrap) return name === 'TRY_CAST' ? `TRY(${applyWrap(wrap, expr)})` : applyWrap(wrap, expr);
  return `${name}(${expr} AS ${type})`;
}
