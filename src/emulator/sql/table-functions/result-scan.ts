/**
 * TABLE(RESULT_SCAN('<query id>' | <query index> | LAST_QUERY_ID([n]))) over the results the
 * emulator keeps (per user, 24 h): before the statement is rewritten, each result it scans is read
 * (waiting for a statement still running) and copied into a temporary table on the statement's
 * DuckDB connection; the rewrite reads that table back with the original column types, and the
 * tables are dropped when the statement ends. A statement that scans a result is produced whole
 * before it answers (the temporary tables live only that long).
 */
import type { ColumnMeta, KeptResults } from '../../engine-types.js';
import { EmulatorSqlError } from '../../engine-types.js';
import type { StatementContext } from '../context.js';
import { isSignificant, quoteIdent, stringValue } from '../tokenizer.js';
import type { Token } from '../tokenizer.js';
import { badArgument, queryIdAt } from './args.js';
import { decodeColumn } from './decode.js';
import type { ScanTable, TableSources, TokenWriter } from './types.js';

/** Rows copied per read of a kept result. */
const BATCH_ROWS = 4096;
let tableCounter = 0;

/** Which statement a RESULT_SCAN (or DESCRIBE RESULT) argument names. */
export type ScanTarget = { readonly id: string } | { readonly index: number };

/** 000709 / 02000: no such statement (or not this user's), as Snowflake words it. */
export function statementNotFound(what: string): EmulatorSqlError {
  return new EmulatorSqlError('000709', '02000', `Statement ${what} not found.`);
}

/**
 * The target named by the significant tokens of an argument: nothing (the last statement), a
 * query id string, an integer index, or LAST_QUERY_ID([n]); null for anything else.
 */
export function scanTarget(sig: readonly Token[]): ScanTarget | null {
  const text = sig.map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text));
  if (sig.length === 0) return { index: -1 };
  const first = sig[0];
  if (sig.length === 1 && first && (first.kind === 'string' || first.kind === 'dollar')) {
    return { id: stringValue(first).trim() };
  }
  const number = (parts: string[]): number | null => {
    const joined = parts.join('');
    return /^[-+]?\d+$/.test(joined) ? Number(joined) : null;
  };
  const index = number(text);
  if (index !== null) return { index };
  if (text[0] === 'LAST_QUERY_ID' && text[1] === '(' && text[text.length - 1] === ')') {
    const inner = text.slice(2, -1);
    if (inner.length === 0) return { index: -1 };
    const n = number(inner);
    return n === null ? null : { index: n };
  }
  return null;
}

/** The query id `target` names among the session's `queryIds`; throws 000709 when there is none. */
export function resolveTarget(target: ScanTarget, queryIds: readonly string[]): string {
  if ('id' in target) return target.id;
  const id = queryIdAt(queryIds, target.index);
  if (id === null) throw statementNotFound(`with index ${target.index} in this session`);
  return id;
}

/** The argument tokens of every RESULT_SCAN call in `tokens`. */
function scanArguments(tokens: readonly Token[]): Token[][] {
  const sig = tokens.filter(isSignificant);
  const out: Token[][] = [];
  for (let i = 0; i < sig.length; i++) {
    const t = sig[i];
    if (t?.kind !== 'word' || t.text.toUpperCase() !== 'RESULT_SCAN' || sig[i + 1]?.text !== '(') continue;
    let depth = 0;
    let j = i + 1;
    for (; j < sig.length; j++) {
      const p = sig[j]?.text;
      if (p === '(') depth++;
      else if (p === ')' && --depth === 0) break;
    }
    out.push(sig.slice(i + 2, j));
    i = j;
  }
  return out;
}

/** What materialising needs besides the statement. */
export interface ScanDeps {
  readonly results: KeptResults | undefined;
  readonly queryIds: readonly string[];
  /** The running statement's own id (it has no result yet). */
  readonly currentId: string;
}

/** Table sources of one statement, with the cleanup of what they created. */
export interface PreparedSources extends TableSources {
  /** Drops the temporary tables. Never throws. */
  release(): Promise<void>;
}

/** Reads a kept result for the statement, or throws what Snowflake would. */
export async function readKept(ctx: StatementContext, deps: ScanDeps, id: string) {
  if (id === deps.currentId || !deps.results) throw statementNotFound(id);
  return deps.results.read(id, ctx.signal);
}

/**
 * Copies every result the statement scans into a temporary table (see the file comment). Throws
 * 000709 for an unknown id, 000612 for an expired result, 001044 for an argument that names no query.
 */
export async function prepareTableSources(
  ctx: StatementContext,
  tokens: readonly Token[],
  deps: ScanDeps,
): Promise<PreparedSources> {
  const scans = new Map<string, ScanTable>();
  const created: string[] = [];
  const release = async (): Promise<void> => {
    for (const table of created) {
      try {
        await ctx.pooled.conn.run(`DROP TABLE IF EXISTS ${table}`);
      } catch {
        // the connection is being recycled; its temporary tables go with it
      }
    }
  };
  const sources: PreparedSources = { scans, queryIds: deps.queryIds, waitMs: 0, release };
  try {
    for (const arg of scanArguments(tokens)) {
      const target = scanTarget(arg);
      if (!target)
        throw badArgument('RESULT_SCAN', 'it takes a query id string, a query index or LAST_QUERY_ID()');
      const id = resolveTarget(target, deps.queryIds);
      if (scans.has(id)) continue;
      const result = await readKept(ctx, deps, id);
      const name = `_smcp_scan_${++tableCounter}`;
      const table = `temp.main.${quoteIdent(name)}`;
      const columns = result.columns.map((_c, k) => `c${k + 1} VARCHAR`).join(', ');
      await ctx.run(`CREATE TEMP TABLE ${quoteIdent(name)} (${columns})`);
      created.push(table);
      const appender = await ctx.pooled.conn.createAppender(name, 'main', 'temp');
      try {
        for (let offset = 0; offset < result.rowCount; offset += BATCH_ROWS) {
          ctx.throwIfAborted();
          for (const row of await result.readRows(offset, BATCH_ROWS)) {
            for (const value of row) {
              if (value === null) appender.appendNull();
              else appender.appendVarchar(value);
            }
            appender.endRow();
          }
        }
      } finally {
        appender.closeSync();
      }
      scans.set(id, { table, columns: result.columns });
    }
  } catch (err) {
    await release();
    throw err;
  }
  return sources;
}

/** The DuckDB subquery reading back the result RESULT_SCAN(args) names (parentheses at open/close). */
export function resultScanTable(w: TokenWriter, open: number, close: number): string {
  const sig = w.toks.slice(open + 1, close).filter(isSignificant);
  const target = scanTarget(sig);
  const tables = w.ctx.tables;
  if (!target || !tables)
    throw badArgument('RESULT_SCAN', 'it takes a query id string, a query index or LAST_QUERY_ID()');
  const scan = tables.scans.get(resolveTarget(target, tables.queryIds));
  if (!scan) throw statementNotFound(resolveTarget(target, tables.queryIds));
  const items = scan.columns.map((c, k) => `${decodeColumn(`c${k + 1}`, c)} AS ${quoteIdent(c.name)}`);
  return `(SELECT ${items.join(', ')} FROM ${scan.table})`;
}

/**
 * The statement's column metadata refined by the scanned results' own, for what the DuckDB types of
 * the decoded columns cannot carry: a column passed through by name keeps OBJECT or ARRAY (DuckDB
 * sees JSON) and its declared VARCHAR or BINARY length. Numbers and times decode to their exact
 * types already.
 */
export function withScanTypes(columns: ColumnMeta[], sources: TableSources): ColumnMeta[] {
  if (sources.scans.size === 0) return columns;
  const known = new Map<string, ColumnMeta>();
  for (const scan of sources.scans.values()) {
    for (const c of scan.columns) if (!known.has(c.name)) known.set(c.name, c);
  }
  return columns.map((c) => {
    const original = known.get(c.name);
    if (!original) return c;
    if (c.type === 'variant' && (original.type === 'object' || original.type === 'array')) {
      return { ...c, type: original.type };
    }
    if ((c.type === 'text' || c.type === 'binary') && original.type === c.type) {
      return { ...c, length: original.length, byteLength: original.byteLength };
    }
    return c;
  });
}
