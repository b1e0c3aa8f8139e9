/**
 * The token writer of the rewrite: walks one statement's tokens and emits DuckDB SQL, folding
 * unquoted identifiers, mapping `::type` casts, variant paths (`v:a.b`), positional `:1` binds and
 * `<db>.INFORMATION_SCHEMA.<view>` / `TABLE(…QUERY_HISTORY())` onto the engine's catalog macros.
 */
import { EmulatorSqlError } from '../engine-types.js';
import { noCurrentDatabase } from './sql-errors.js';
import { isSignificant, quoteString, stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { rewriteCall } from './rewrite-calls.js';
import { rewriteTableCall, rewriteTableSyntax } from './table-functions/index.js';
import { applyWrap } from './rewrite-context.js';
import { castTypeAt } from './cast-types.js';
import { rewriteOrderedAggregate } from './ordered-aggregates.js';
import { rewriteCountAggregate } from './count-aggregates.js';
import { rewriteFractionalAggregate } from './fractional-aggregates.js';
import { rewriteSum } from './sum-range.js';
import type { AggregateRewrite } from './cast-types.js';
import type { CastWrap, RewriteContext, SqlWriter, TokenRange } from './rewrite-context.js';
import { JSON_TEXT_MACRO } from './json-text.js';
import { decfloatCastSql, plainOperandEnd, textOfSql, unaryMinusStart } from './decfloat.js';
import { isDateOperand, isFractionalLiteral, wholeDaysSql } from './date-arithmetic.js';
import { variantPathAt } from './variant-paths.js';

/** The aggregates written with Snowflake's result types, tried in this order. */
const AGGREGATE_REWRITES: readonly AggregateRewrite[] = [
  rewriteOrderedAggregate,
  rewriteFractionalAggregate,
  rewriteCountAggregate,
  rewriteSum,
];

const INFO_VIEWS = new Set(['TABLES', 'COLUMNS', 'VIEWS', 'SCHEMATA', 'DATABASES']);

/** Words that end a select list at depth 0. */
export const CLAUSE_END = new Set([
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

/**
 * Emits tokens of one statement as DuckDB SQL. The helpers are public for rewrite-calls.ts, which
 * rewrites Snowflake function calls on top of them.
 */
export class Writer implements SqlWriter {
  constructor(
    readonly toks: Token[],
    readonly ctx: RewriteContext,
    private readonly state: { usesHistory: boolean },
  ) {}

  nextSig(i: number): number {
    let j = i + 1;
    while (j < this.toks.length && !isSignificant(this.toks[j])) j++;
    return j;
  }

  /** True when the token after `i` names an alias for what ends at `i` (not a clause or join word). */
  aliasFollows(i: number): boolean {
    const after = this.toks[this.nextSig(i)];
    if (after === undefined) return false;
    if (after.kind === 'quoted') return true;
    const word = after.text.toUpperCase();
    return after.kind === 'word' && !CLAUSE_END.has(word) && !JOIN_WORDS.has(word);
  }

  prevSig(i: number): number {
    let j = i - 1;
    while (j >= 0 && !isSignificant(this.toks[j])) j--;
    return j;
  }

  text(i: number): string {
    return this.toks[i]?.text ?? '';
  }

  upper(i: number): string {
    const t = this.toks[i];
    return t && t.kind === 'word' ? t.text.toUpperCase() : '';
  }

  /** Index of the `)` matching the `(` at `open`, or the end. */
  closeOf(open: number): number {
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
  args(open: number, close: number): TokenRange[] {
    const out: TokenRange[] = [];
    let depth = 0;
    let start = open + 1;
    for (let j = open + 1; j < close; j++) {
      const t = this.toks[j];
      if (t.kind !== 'punct') continue;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      else if (t.text === ',' && depth === 0) {
        out.push([start, j]);
        start = j + 1;
      }
    }
    if (this.toks.slice(start, close).some(isSignificant) || out.length > 0) out.push([start, close]);
    return out;
  }

  argWord(range: TokenRange): string {
    const sig = this.toks.slice(range[0], range[1]).filter(isSignificant);
    const t = sig[0];
    if (!t) return '';
    return t.kind === 'string' ? stringValue(t).toUpperCase() : t.text.toUpperCase();
  }

  argString(range: TokenRange): string | null {
    const sig = this.toks.slice(range[0], range[1]).filter(isSignificant);
    const t = sig[0];
    return sig.length === 1 && t && (t.kind === 'string' || t.kind === 'dollar') ? stringValue(t) : null;
  }

  argNumber(range: TokenRange): number | null {
    const sig = this.toks.slice(range[0], range[1]).filter(isSignificant);
    const t = sig[0];
    return sig.length === 1 && t && t.kind === 'number' ? Number(t.text) : null;
  }

  /** Emits tokens [from, to) as DuckDB SQL. */
  emit(from: number, to: number): string {
    let out = '';
    // Where the operand of a `::` cast starts in `out` (the last literal, name, call, (…) group or
    // CASE…END), so casts that need a function (TIMESTAMP_TZ, BINARY) can wrap their operand.
    let primary = 0;
    const groups: number[] = [];
    let prev: Token | undefined;
    // The last variant path written: where its operand starts in `out`, for a `::` text cast after it.
    let lastPath: { last: number; start: number; operand: string; jsonPath: string } | undefined;
    // Where the right operand of the last `||` starts in `out` (already read as text), or -1.
    let concatRight = -1;
    for (let i = from; i < to; i++) {
      const t = this.toks[i];
      const at = out.length;
      const up = t.kind === 'word' ? t.text.toUpperCase() : '';
      if (isSignificant(t) && t.kind !== 'punct' && prev?.text !== '.') primary = at;
      if (up === 'CASE') groups.push(at);
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
          if (t.text === '(') groups.push(prev?.kind === 'word' || prev?.kind === 'quoted' ? primary : at);
          else if (t.text === ')' || t.text === '}' || t.text === ']') primary = groups.pop() ?? primary;
          else if (t.text === '{') groups.push(at);
          // An array constant starts an operand; an index extends the one before it.
          else if (t.text === '[')
            groups.push(
              prev && (prev.kind !== 'punct' || prev.text === ')' || prev.text === ']') ? primary : at,
            );
          // After a string, ':' separates an object constant's key from its value.
          const keyColon = prev?.kind === 'string';
          if (t.text === '||') {
            // A DECFLOAT concatenates as its text (DuckDB would write the carrier STRUCT).
            if (primary !== concatRight)
              out = `${out.slice(0, primary)}${textOfSql(out.slice(primary).trim())} `;
            out += '||';
            const right = plainOperandEnd(this.toks, n, to);
            if (right > n) {
              out += ' ';
              primary = concatRight = out.length;
              out += textOfSql(this.emit(n, right).trim());
              i = right - 1;
            }
          } else if (t.text === ':' && nt?.kind === 'number' && !keyColon) {
            out += `$${nt.text}`;
            i = n;
          } else if (
            t.text === ':' &&
            !keyColon &&
            (nt?.kind === 'word' || nt?.kind === 'quoted') &&
            n < to
          ) {
            // Snowflake's variant path (v:a.b[1]['k']) → one JSON extraction around its operand.
            // Only after an operand: a `:` after `(` or `,` starts no path.
            const afterOperand =
              prev !== undefined && (prev.kind !== 'punct' || prev.text === ')' || prev.text === ']');
            const path = afterOperand ? variantPathAt(this.toks, n, to) : null;
            if (path) {
              const operand = out.slice(primary).trim();
              // Compared with a string literal, the path compares as text (`v:kind = 'click'`).
              const op = this.toks[this.nextSig(path.last)];
              const text =
                op?.kind === 'punct' &&
                ['=', '<>', '!='].includes(op.text) &&
                this.toks[this.nextSig(this.nextSig(path.last))]?.kind === 'string';
              out = `${out.slice(0, primary)}(${operand} ${text ? '->>' : '->'} ${quoteString(path.jsonPath)})`;
              lastPath = { last: path.last, start: primary, operand, jsonPath: path.jsonPath };
              i = path.last;
            } else out += t.text;
          } else if (
            (t.text === '+' || t.text === '-') &&
            nt?.kind === 'number' &&
            isFractionalLiteral(nt.text) &&
            isDateOperand(out, primary)
          ) {
            out += `${t.text} ${wholeDaysSql(nt.text)}`;
            i = n;
          } else if (t.text === '::') {
            const [sql, end, wrap] = this.typeAt(n, to);
            // A path cast to text takes a JSON string's contents (JSON null as NULL); no DECFLOAT wrap.
            const pathText =
              lastPath?.last === this.prevSig(i) && lastPath.start === primary && sql === 'VARCHAR';
            if (pathText && lastPath)
              out = `${out.slice(0, primary)}(${lastPath.operand} ->> ${quoteString(lastPath.jsonPath)})`;
            // After a bracket path (`v['k']::STRING`) the value may be JSON: text without its quotes.
            const bracketText = !pathText && sql === 'VARCHAR' && this.text(this.prevSig(i)) === ']';
            const textWrap = bracketText ? JSON_TEXT_MACRO : undefined;
            const castWrap = textWrap ?? (pathText ? undefined : wrap);
            if (wrap === decfloatCastSql) primary = unaryMinusStart(out, primary);
            if (castWrap) out = `${out.slice(0, primary)}${applyWrap(castWrap, out.slice(primary).trim())}`;
            else out += `::${sql}`;
            i = end - 1;
          } else out += t.text;
          break;
        }
        case 'word': {
          const [sql, end] = this.word(i, to);
          out += sql;
          i = end - 1;
          if (up === 'END') primary = groups.pop() ?? primary;
          break;
        }
        default:
          out += t.text;
      }
      if (isSignificant(t)) prev = this.toks[i];
    }
    return out;
  }

  /** A type name at `i` → [DuckDB type, index after it, wrap] (cast-types.ts). */
  typeAt(i: number, to: number): [string, number, CastWrap?] {
    return castTypeAt(this, i, to);
  }

  /** A word at `i`: identifier, keyword or function call → [SQL, index after what it consumed]. */
  word(i: number, to: number): [string, number] {
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
        const hasAlias = this.aliasFollows(close);
        return [`_SMCP.main.QUERY_HISTORY_FN()${hasAlias ? '' : ' AS QUERY_HISTORY'}`, close + 1];
      }
    }
    if (!prevDot) {
      const table = rewriteTableSyntax(this, i, to);
      if (table) return table;
    }
    if (isCall && !prevDot) {
      const close = this.closeOf(n);
      for (const rewrite of AGGREGATE_REWRITES) {
        const aggregate = rewrite(this, up, n, close, to);
        if (aggregate) return aggregate;
      }
      const call = rewriteTableCall(this, up, n, close) ?? rewriteCall(this, up, n, close);
      if (call !== null) return [call, close + 1];
    }
    if (up === 'MINUS' && !isCall) return ['EXCEPT', i + 1];
    if (up.startsWith('SYSTEM$')) {
      throw new EmulatorSqlError('002140', '42601', `SQL compilation error:\nUnknown function ${up}`);
    }
    return [up, i + 1];
  }

  /** `[db.]INFORMATION_SCHEMA.<view>` and `SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY`. */
  infoSchema(i: number, to: number): [string, number] | null {
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
    const hasAlias = this.aliasFollows(end - 1);
    return [`_SMCP.main.IS_${view}(${quoteString(db)})${hasAlias ? '' : ` AS ${view}`}`, end];
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
