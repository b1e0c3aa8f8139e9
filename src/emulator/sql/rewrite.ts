/**
 * Rewrites one Snowflake statement (as tokens) into DuckDB SQL: unquoted identifiers fold to upper
 * case, Snowflake-only functions and casts become DuckDB expressions, CURRENT_*() become literals
 * of the session, `<db>.INFORMATION_SCHEMA.<view>` and `TABLE(INFORMATION_SCHEMA.QUERY_HISTORY())`
 * point at the engine's own catalog, and unnamed select items get Snowflake's column names.
 */
import type { EmulatorSession } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import { noCurrentDatabase } from './sql-errors.js';
import { isSignificant, quoteString, stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { DATE_PARTS, toStrftime } from './date-parts.js';
import { duckTypeFor, parseSfType } from './types.js';

/** Facts about the session the rewrite needs. */
export interface RewriteContext {
  session: EmulatorSession;
  account: string;
  lastQueryId: string | null;
}

/** The DuckDB text and what it touches. */
export interface Rewritten {
  sql: string;
  usesHistory: boolean;
}

const INFO_VIEWS = new Set(['TABLES', 'COLUMNS', 'VIEWS', 'SCHEMATA', 'DATABASES']);
const NOT_ALIAS = new Set([
  'END',
  'NULL',
  'TRUE',
  'FALSE',
  'ROWS',
  'ROW',
  'DESC',
  'ASC',
  'FOLLOWING',
  'PRECEDING',
]);
const CLAUSE_END = new Set([
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'QUALIFY',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'MINUS',
  'WINDOW',
  'INTO',
  'OFFSET',
  'FETCH',
]);

/** Rewrites one statement. Throws EmulatorSqlError for what cannot be emulated. */
export function rewriteStatement(tokens: Token[], ctx: RewriteContext): Rewritten {
  const toks = tokens.filter((t) => t.kind !== 'comment');
  const state = { usesHistory: false };
  const w = new Writer(toks, ctx, state);
  const segments = selectSegments(toks);
  let sql = '';
  let pos = 0;
  for (const seg of segments) {
    sql += w.emit(pos, seg.from) + w.emit(seg.from, seg.to);
    if (seg.alias !== null) sql += ` AS ${quoteIdentifier(seg.alias)}`;
    pos = seg.to;
  }
  sql += w.emit(pos, toks.length);
  return { sql, usesHistory: state.usesHistory };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

interface Segment {
  from: number;
  to: number;
  alias: string | null;
}

/** The top-level select items of a plain SELECT, with Snowflake's name for unnamed expressions. */
function selectSegments(toks: Token[]): Segment[] {
  const first = toks.findIndex(isSignificant);
  if (first < 0 || toks[first]?.text.toUpperCase() !== 'SELECT') return [];
  let i = first + 1;
  const skipSpace = (): void => {
    while (i < toks.length && !isSignificant(toks[i])) i++;
  };
  skipSpace();
  const word = (): string => (toks[i]?.kind === 'word' ? (toks[i]?.text.toUpperCase() ?? '') : '');
  if (word() === 'DISTINCT' || word() === 'ALL') {
    i++;
    skipSpace();
  }
  if (word() === 'TOP') return [];
  const segments: Segment[] = [];
  let start = i;
  let depth = 0;
  for (; i <= toks.length; i++) {
    const t = toks[i];
    const atEnd =
      t === undefined || (depth === 0 && t.kind === 'word' && CLAUSE_END.has(t.text.toUpperCase()));
    if (t && t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    if (t && t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
    if (atEnd || (depth === 0 && t.kind === 'punct' && t.text === ',')) {
      segments.push({ from: start, to: i, alias: itemName(toks.slice(start, i)) });
      start = i + 1;
      if (atEnd) break;
    }
  }
  return segments;
}

function itemName(item: Token[]): string | null {
  const sig = item.filter(isSignificant);
  if (sig.length === 0) return null;
  const last = sig[sig.length - 1];
  const prev = sig[sig.length - 2];
  if (last.text === '*') return null;
  if (sig.every((t, k) => (k % 2 === 0 ? t.kind === 'word' || t.kind === 'quoted' : t.text === '.')))
    return null;
  if (prev && prev.kind === 'word' && prev.text.toUpperCase() === 'AS') return null;
  if (
    prev &&
    (last.kind === 'quoted' || (last.kind === 'word' && !NOT_ALIAS.has(last.text.toUpperCase()))) &&
    (prev.kind !== 'punct' || prev.text === ')')
  ) {
    return null;
  }
  const text = item
    .map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.kind === 'space' ? ' ' : t.text))
    .join('')
    .trim();
  return text.replace(/\s+/g, ' ');
}

class Writer {
  constructor(
    private readonly toks: Token[],
    private readonly ctx: RewriteContext,
    private readonly state: { usesHistory: boolean },
  ) {}

  private nextSig(i: number): number {
    let j = i + 1;
    while (j < this.toks.length && !isSignificant(this.toks[j])) j++;
    return j;
  }

  private prevSig(i: number): number {
    let j = i - 1;
    while (j >= 0 && !isSignificant(this.toks[j])) j--;
    return j;
  }

  private text(i: number): string {
    return this.toks[i]?.text ?? '';
  }

  private upper(i: number): string {
    const t = this.toks[i];
    return t && t.kind === 'word' ? t.text.toUpperCase() : '';
  }

  /** Index of the `)` matching the `(` at `open`, or the end. */
  private closeOf(open: number): number {
    let depth = 0;
    for (let j = open; j < this.toks.length; j++) {
      const t = this.toks[j];
      if (t.kind !== 'punct') continue;
      if (t.text === '(') depth++;
      else if (t.text === ')' && --depth === 0) return j;
    }
    return this.toks.length;
  }

  /** Splits (open, close) at depth-0 commas into [from, to) ranges. */
  private args(open: number, close: number): [number, number][] {
    const out: [number, number][] = [];
    let depth = 0;
    let start = open + 1;
    for (let j = open + 1; j < close; j++) {
      const t = this.toks[j];
      if (t.kind !== 'punct') continue;
      if (t.text === '(' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === ']') depth--;
      else if (t.text === ',' && depth === 0) {
        out.push([start, j]);
        start = j + 1;
      }
    }
    if (this.toks.slice(start, close).some(isSignificant) || out.length > 0) out.push([start, close]);
    return out;
  }

  private argWord(range: [number, number]): string {
    const sig = this.toks.slice(range[0], range[1]).filter(isSignificant);
    const t = sig[0];
    if (!t) return '';
    return t.kind === 'string' ? stringValue(t).toUpperCase() : t.text.toUpperCase();
  }

  private argString(range: [number, number]): string | null {
    const sig = this.toks.slice(range[0], range[1]).filter(isSignificant);
    const t = sig[0];
    return sig.length === 1 && t && (t.kind === 'string' || t.kind === 'dollar') ? stringValue(t) : null;
  }

  private argNumber(range: [number, number]): number | null {
    const sig = this.toks.slice(range[0], range[1]).filter(isSignificant);
    const t = sig[0];
    return sig.length === 1 && t && t.kind === 'number' ? Number(t.text) : null;
  }

  /** Emits tokens [from, to) as DuckDB SQL. */
  emit(from: number, to: number): string {
    let out = '';
    for (let i = from; i < to; i++) {
      const t = this.toks[i];
      switch (t.kind) {
        case 'space':
          out += t.text;
          break;
        case 'comment':
          out += ' ';
          break;
        case 'string':
          out += t.text.includes('\\') ? quoteString(stringValue(t)) : t.text;
          break;
        case 'dollar':
          out += quoteString(stringValue(t));
          break;
        case 'punct': {
          const n = this.nextSig(i);
          const nt = this.toks[n];
          if (t.text === ':' && nt?.kind === 'number') {
            out += `$${nt.text}`;
            i = n;
          } else if (t.text === ':' && (nt?.kind === 'word' || nt?.kind === 'quoted') && n < to) {
            // Snowflake's variant path v:a.b → JSON extraction.
            let path = nt.kind === 'quoted' ? nt.text.slice(1, -1) : nt.text;
            let j = n;
            while (
              this.text(j + 1) === '.' &&
              (this.toks[j + 2]?.kind === 'word' || this.toks[j + 2]?.kind === 'quoted') &&
              j + 2 < to
            ) {
              const seg = this.toks[j + 2];
              path += `.${seg.kind === 'quoted' ? seg.text.slice(1, -1) : seg.text}`;
              j += 2;
            }
            out += ` -> ${quoteString(`$.${path}`)}`;
            i = j;
          } else if (t.text === '::') {
            const [sql, end] = this.typeAt(n, to);
            out += `::${sql}`;
            i = end - 1;
          } else out += t.text;
          break;
        }
        case 'word': {
          const [sql, end] = this.word(i, to);
          out += sql;
          i = end - 1;
          break;
        }
        default:
          out += t.text;
      }
    }
    return out;
  }

  /** A type name at `i` (with optional `(args)`) → [DuckDB type, index after it]. */
  private typeAt(i: number, to: number): [string, number] {
    const name = this.toks[i];
    if (!name || name.kind !== 'word') return ['', i];
    const open = this.nextSig(i);
    let args: number[] = [];
    let end = i + 1;
    if (this.text(open) === '(' && open < to) {
      const close = this.closeOf(open);
      args = this.args(open, close)
        .map((r) => this.argNumber(r))
        .filter((x): x is number => x !== null);
      end = close + 1;
    }
    // Integer casts stay DuckDB integers so date arithmetic keeps working; they still report NUMBER(38,0).
    if (/^(INT|INTEGER|SMALLINT|TINYINT|BYTEINT)$/i.test(name.text)) return ['INTEGER', end];
    if (/^BIGINT$/i.test(name.text)) return ['BIGINT', end];
    const sf = parseSfType(name.text, args);
    if (!sf) return [this.emit(i, end).toUpperCase(), end];
    return [duckTypeFor(sf), end];
  }

  /** A word at `i`: identifier, keyword or function call → [SQL, index after what it consumed]. */
  private word(i: number, to: number): [string, number] {
    const up = this.upper(i);
    const n = this.nextSig(i);
    const isCall = this.text(n) === '(' && n < to;
    const prevDot = this.text(this.prevSig(i)) === '.';
    if (!prevDot) {
      const info = this.infoSchema(i, to);
      if (info) return info;
    }
    if (isCall && !prevDot && up === 'TABLE') {
      const close = this.closeOf(n);
      const inner = this.toks.slice(n, close).map((t) => t.text.toUpperCase());
      if (
        inner.includes('QUERY_HISTORY') ||
        inner.includes('QUERY_HISTORY_BY_SESSION') ||
        inner.includes('QUERY_HISTORY_BY_USER')
      ) {
        this.state.usesHistory = true;
        const after = this.toks[this.nextSig(close)];
        const hasAlias =
          after !== undefined &&
          (after.kind === 'quoted' ||
            (after.kind === 'word' &&
              !CLAUSE_END.has(after.text.toUpperCase()) &&
              !JOIN_WORDS.has(after.text.toUpperCase())));
        return [`_SMCP.main.QUERY_HISTORY_FN()${hasAlias ? '' : ' AS QUERY_HISTORY'}`, close + 1];
      }
    }
    if (isCall && !prevDot) {
      const close = this.closeOf(n);
      const call = this.call(up, n, close);
      if (call !== null) return [call, close + 1];
    }
    if (up === 'MINUS' && !isCall) return ['EXCEPT', i + 1];
    if (up.startsWith('SYSTEM$')) {
      throw new EmulatorSqlError('002140', '42601', `SQL compilation error:\nUnknown function ${up}`);
    }
    return [up, i + 1];
  }

  /** `[db.]INFORMATION_SCHEMA.<view>` and `SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY`. */
  private infoSchema(i: number, to: number): [string, number] | null {
    const t = this.toks[i];
    const parts: { name: string; idx: number }[] = [
      { name: t.kind === 'quoted' ? t.text.slice(1, -1) : t.text.toUpperCase(), idx: i },
    ];
    let j = i;
    while (parts.length < 3) {
      const dot = this.nextSig(j);
      const nx = this.nextSig(dot);
      const nt = this.toks[nx];
      if (this.text(dot) !== '.' || !nt || (nt.kind !== 'word' && nt.kind !== 'quoted') || nx >= to) break;
      parts.push({ name: nt.kind === 'quoted' ? nt.text.slice(1, -1) : nt.text.toUpperCase(), idx: nx });
      j = nx;
    }
    const names = parts.map((p) => p.name);
    if (names.includes('QUERY_HISTORY')) this.state.usesHistory = true;
    let db: string | null;
    let view: string;
    let end: number;
    if (names[0] === 'INFORMATION_SCHEMA' && names.length >= 2) {
      db = this.ctx.session.database;
      view = names[1] ?? '';
      end = (parts[1]?.idx ?? i) + 1;
    } else if (names[1] === 'INFORMATION_SCHEMA' && names.length === 3) {
      db = names[0] ?? null;
      view = names[2] ?? '';
      end = (parts[2]?.idx ?? i) + 1;
    } else return null;
    if (!INFO_VIEWS.has(view)) return null;
    if (db === null) throw noCurrentDatabase();
    const after = this.toks[this.nextSig(end - 1)];
    const hasAlias =
      after !== undefined &&
      (after.kind === 'quoted' ||
        (after.kind === 'word' &&
          !CLAUSE_END.has(after.text.toUpperCase()) &&
          !JOIN_WORDS.has(after.text.toUpperCase())));
    return [`_SMCP.main.IS_${view}(${quoteString(db)})${hasAlias ? '' : ` AS ${view}`}`, end];
  }

  /** Rewrites a call of `name` whose parens are at open/close, or null to leave it to DuckDB. */
  private call(name: string, open: number, close: number): string | null {
    const ranges = this.args(open, close);
    const arg = (k: number): string => {
      const r = ranges[k];
      return r ? this.emit(r[0], r[1]).trim() : 'NULL';
    };
    const all = (): string => ranges.map((_r, k) => arg(k)).join(', ');
    const s = this.ctx.session;
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
        return lit(this.ctx.account);
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
        return lit(this.ctx.lastQueryId);
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
        return this.cast(name, open, close);
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
      case 'DATEADD':
      case 'TIMEADD':
      case 'TIMESTAMPADD': {
        const part = DATE_PARTS[this.argWord(ranges[0] ?? [0, 0])];
        if (!part || ranges.length !== 3) return null;
        if (part === 'quarter') return `(${arg(2)} + CAST(${arg(1)} AS BIGINT) * 3 * INTERVAL 1 MONTH)`;
        return `(${arg(2)} + CAST(${arg(1)} AS BIGINT) * INTERVAL 1 ${part.toUpperCase()})`;
      }
      case 'DATEDIFF':
      case 'TIMEDIFF':
      case 'TIMESTAMPDIFF': {
        const part = DATE_PARTS[this.argWord(ranges[0] ?? [0, 0])];
        if (!part || ranges.length !== 3) return null;
        return `date_diff('${part}', ${arg(1)}, ${arg(2)})`;
      }
      case 'DATE_TRUNC':
      case 'DATE_PART': {
        const part = DATE_PARTS[this.argWord(ranges[0] ?? [0, 0])];
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
          .map((r) => this.argNumber(r))
          .filter((x): x is number => x !== null);
        const cast = name.startsWith('TRY_') ? 'TRY_CAST' : 'CAST';
        return `${cast}(${arg(0)} AS DECIMAL(${nums[0] ?? 38},${nums[1] ?? 0}))`;
      }
      case 'TO_VARCHAR':
      case 'TO_CHAR': {
        const fmt = ranges[1] ? this.argString(ranges[1]) : null;
        if (fmt !== null) return `strftime(${arg(0)}, ${quoteString(toStrftime(fmt))})`;
        return `CAST(${arg(0)} AS VARCHAR)`;
      }
      case 'TO_DATE':
      case 'DATE':
      case 'TO_TIMESTAMP':
      case 'TO_TIMESTAMP_NTZ':
      case 'TO_TIMESTAMP_LTZ':
      case 'TO_TIMESTAMP_TZ': {
        const type =
          name === 'TO_DATE' || name === 'DATE'
            ? 'DATE'
            : name.endsWith('TZ') && !name.endsWith('NTZ')
              ? 'TIMESTAMPTZ'
              : 'TIMESTAMP';
        const fmt = ranges[1] ? this.argString(ranges[1]) : null;
        if (fmt !== null) return `CAST(strptime(${arg(0)}, ${quoteString(toStrftime(fmt))}) AS ${type})`;
        if (ranges.length !== 1) return null;
        const num = this.argNumber(ranges[0] ?? [0, 0]);
        if (num !== null && type !== 'DATE') return `CAST(to_timestamp(${arg(0)}) AS ${type})`;
        return `CAST(${arg(0)} AS ${type})`;
      }
      case 'OBJECT_CONSTRUCT':
      case 'OBJECT_CONSTRUCT_KEEP_NULL':
        return `json_object(${all()})`;
      case 'ARRAY_CONSTRUCT':
        return `json_array(${all()})`;
      case 'LISTAGG':
        return null;
      case 'IFNULL':
        return `COALESCE(${all()})`;
      default:
        return null;
    }
  }

  /** CAST(x AS type) with Snowflake type names. */
  private cast(name: string, open: number, close: number): string | null {
    let depth = 0;
    let asAt = -1;
    for (let j = open + 1; j < close; j++) {
      const t = this.toks[j];
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')') depth--;
      else if (depth === 0 && t.kind === 'word' && t.text.toUpperCase() === 'AS') asAt = j;
    }
    if (asAt < 0) return null;
    const expr = this.emit(open + 1, asAt).trim();
    const typeStart = this.nextSig(asAt);
    const typeName = this.upper(typeStart);
    if (typeName === 'VARIANT' || typeName === 'OBJECT' || typeName === 'ARRAY') return `to_json(${expr})`;
    const [type] = this.typeAt(typeStart, close);
    return `${name}(${expr} AS ${type})`;
  }
}

const JOIN_WORDS = new Set([
  'JOIN',
  'LEFT',
  'RIGHT',
  'INNER',
  'OUTER',
  'FULL',
  'CROSS',
  'NATURAL',
  'ON',
  'USING',
  'LATERAL',
]);
