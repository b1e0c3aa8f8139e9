/**
 * Binds as Snowflake takes them. The driver sends `{"1": {type, value}}`: a value is a string (or
 * null) in the wire form of its type, or, for a batch (snowflake-sdk's `binds: [[..], [..]]`,
 * JDBC's executeBatch), an array of them, one per row. Statements number binds with `?` (by
 * order) or `:n`; both may mix. DuckDB numbers its parameters densely, so the placeholders are
 * renumbered `$1..$k` over the binds the statement uses, and binds it does not use are left out,
 * as Snowflake ignores them.
 *
 * Wire forms by type (what Snowflake's drivers send): FIXED/REAL decimal text; BOOLEAN
 * true/false/1/0; DATE epoch milliseconds; TIME nanoseconds since midnight; TIMESTAMP_NTZ and
 * TIMESTAMP_LTZ epoch nanoseconds; TIMESTAMP_TZ `"<epoch nanos> <offset minutes + 1440>"`; BINARY
 * hex; TEXT, VARIANT, OBJECT, ARRAY text. Date and time types also take their ISO text.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import {
  blobValue,
  dateValue,
  timeValue,
  timestampNanosValue,
  timestampTZValue,
  timestampValue,
} from '@duckdb/node-api';
import { EmulatorSqlError } from '../engine-types.js';
import type { WireBinding } from '../engine-types.js';
import { isSignificant } from './tokenizer.js';
import type { Token } from './tokenizer.js';

type Bindings = Record<string, WireBinding>;

/** A statement with its placeholders renumbered for DuckDB and the binds they take, in order. */
export interface BoundStatement {
  /** The statement's tokens, `?` and `:n` replaced by `$1..$k` (same count and positions). */
  readonly tokens: Token[];
  /** Wire binds in DuckDB parameter order. */
  readonly binds: readonly WireBinding[];
  /** Rows of a batch (array binds), or null for a single execution. */
  readonly rows: number | null;
}

/** 002049: a placeholder without a bind. */
function bindNotSet(name: string, line: number, position: number): EmulatorSqlError {
  return new EmulatorSqlError(
    '002049',
    '42601',
    `SQL compilation error: error line ${line} at position ${position}\nBind variable ${name} not set.`,
  );
}

/** Line (1-based) and position (0-based) of token `index`, counted over the statement's tokens. */
function where(tokens: readonly Token[], index: number): { line: number; position: number } {
  const before = tokens
    .slice(0, index)
    .map((t) => t.text)
    .join('');
  const lines = before.split('\n');
  return { line: lines.length, position: (lines[lines.length - 1] ?? '').length };
}

/**
 * Renumbers the statement's placeholders over the binds it uses. Throws 002049 (before DuckDB sees
 * the statement) when a placeholder has no bind, or when array binds differ in length or mix with
 * single binds. A statement without placeholders takes no binds, whatever was sent.
 */
export function bindStatement(tokens: Token[], bindings: Bindings | undefined): BoundStatement {
  const order = new Map<string, number>();
  const out = tokens.slice();
  let positional = 0;
  const numberOf = (key: string): number => {
    let n = order.get(key);
    if (n === undefined) {
      n = order.size + 1;
      order.set(key, n);
    }
    return n;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.text === '?') {
      const key = String(++positional);
      if (!bindings?.[key]) throw bindNotSet('?', where(tokens, i).line, where(tokens, i).position);
      out[i] = { kind: 'punct', text: `$${numberOf(key)}`, start: t.start };
    } else if (t.text === ':') {
      // `{'key': 1}`: a key of an object constant, not a bind.
      let p = i - 1;
      while (p >= 0 && !isSignificant(tokens[p])) p--;
      if (tokens[p]?.kind === 'string') continue;
      let j = i + 1;
      while (j < tokens.length && !isSignificant(tokens[j])) j++;
      const nt = tokens[j];
      if (nt?.kind !== 'number' || !/^\d+$/.test(nt.text)) continue;
      const key = String(Number(nt.text));
      if (!bindings?.[key]) throw bindNotSet(`:${key}`, where(tokens, i).line, where(tokens, i).position);
      // The rewrite writes `:n` as `$n`.
      out[j] = { ...nt, text: String(numberOf(key)) };
      i = j;
    }
  }
  const binds = [...order.keys()].map((k) => bindings![k]);
  let rows: number | null = null;
  for (const b of binds) {
    if (!Array.isArray(b.value)) continue;
    if (rows !== null && b.value.length !== rows) {
      throw new EmulatorSqlError(
        '002049',
        '42601',
        `SQL compilation error:\nArray bind lengths differ: ${rows} and ${b.value.length} rows.`,
      );
    }
    rows = b.value.length;
  }
  if (rows !== null && binds.some((b) => !Array.isArray(b.value))) {
    throw new EmulatorSqlError(
      '002049',
      '42601',
      'SQL compilation error:\nArray binds and single binds cannot be mixed in one statement.',
    );
  }
  return { tokens: order.size > 0 ? out : tokens, binds, rows };
}

/** DuckDB values of a single execution (row `row` of a batch). */
export function bindRow(bound: BoundStatement, row = 0): DuckDBValue[] {
  return bound.binds.map((b) => {
    const v = Array.isArray(b.value) ? (b.value[row] ?? null) : b.value;
    return duckValue(b.type, v);
  });
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const TRUE_WORDS = new Set(['TRUE', '1', 'T', 'YES', 'Y', 'ON']);
const FALSE_WORDS = new Set(['FALSE', '0', 'F', 'NO', 'N', 'OFF']);

function notRecognized(kind: string, value: string): EmulatorSqlError {
  if (kind === 'Numeric')
    return new EmulatorSqlError('100038', '22018', `Numeric value '${value}' is not recognized`);
  if (kind === 'Boolean')
    return new EmulatorSqlError('100037', '22018', `Boolean value '${value}' is not recognized`);
  return new EmulatorSqlError('100040', '22007', `${kind} '${value}' is not recognized`);
}

/** Floor division of bigints (toward minus infinity, as epoch values before 1970 need). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

function microsOfTimeText(text: string): bigint | null {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return null;
  const frac = (m[4] ?? '').padEnd(6, '0').slice(0, 6);
  return (BigInt(m[1]) * 3600n + BigInt(m[2]) * 60n + BigInt(m[3] ?? '0')) * 1_000_000n + BigInt(frac || '0');
}

/**
 * One wire value of `type` as a DuckDB value. Throws Snowflake's "… is not recognized" (100037,
 * 100038, 100040) or 100115 for hex when the text is not of its type.
 */
export function duckValue(type: string, v: string | null): DuckDBValue {
  if (v === null) return null;
  switch (type.toUpperCase()) {
    case 'FIXED':
      if (INTEGER.test(v)) return BigInt(v);
      if (DECIMAL.test(v)) return Number(v);
      throw notRecognized('Numeric', v);
    case 'REAL':
      if (DECIMAL.test(v)) return Number(v);
      if (/^[+-]?(inf|infinity)$/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity;
      if (/^nan$/i.test(v)) return NaN;
      throw notRecognized('Numeric', v);
    case 'BOOLEAN': {
      const w = v.trim().toUpperCase();
      if (TRUE_WORDS.has(w)) return true;
      if (FALSE_WORDS.has(w)) return false;
      throw notRecognized('Boolean', v);
    }
    case 'DATE': {
      if (INTEGER.test(v)) return dateValue(Number(floorDiv(BigInt(v), 86_400_000n)));
      const m = ISO_DATE.exec(v.trim());
      if (m) return dateValue({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
      throw notRecognized('Date', v);
    }
    case 'TIME': {
      if (INTEGER.test(v)) return timeValue(floorDiv(BigInt(v), 1000n));
      const micros = microsOfTimeText(v);
      if (micros !== null) return timeValue(micros);
      throw notRecognized('Time', v);
    }
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
    case 'TIMESTAMP':
      return timestampOf(type.toUpperCase(), v);
    case 'BINARY':
      return hexBlob(v);
    default:
      return v;
  }
}

/** Hex text as BINARY (BINARY_INPUT_FORMAT HEX); 100115 when it is not hex. */
export function hexBlob(text: string): DuckDBValue {
  if (/^([0-9a-f]{2})*$/i.test(text)) return blobValue(Buffer.from(text, 'hex'));
  throw new EmulatorSqlError(
    '100115',
    '22023',
    `The following string is not a legal hex-encoded value: '${text}'`,
  );
}

function timestampOf(type: string, v: string): DuckDBValue {
  const m = /^([+-]?\d+)(?:\s+(\d+))?$/.exec(v.trim());
  if (!m) {
    // Text: DuckDB casts it where it is used (the statement's column or cast decides the type).
    if (/^\d{4}-\d{2}-\d{2}/.test(v.trim())) return v;
    throw notRecognized('Timestamp', v);
  }
  const nanos = BigInt(m[1]);
  const micros = floorDiv(nanos, 1000n);
  if (type === 'TIMESTAMP_LTZ') return timestampTZValue(micros);
  if (type === 'TIMESTAMP_TZ') {
    // The engine's TIMESTAMP_TZ: the UTC instant in microseconds, the offset in quarter hours in
    // the last three nanosecond digits (see macros.ts).
    const offsetMinutes = m[2] !== undefined ? Number(m[2]) - 1440 : 0;
    return timestampNanosValue(micros * 1000n + BigInt(Math.round(offsetMinutes / 15)));
  }
  return timestampValue(micros);
}
