/**
 * A tabular tool answer (execute_query, query_view, fetch_results) within max_bytes. The bound is
 * on the whole CallToolResult as it goes on the wire: the UTF-8 bytes of the JSON of its content
 * (the text rendering, whose quotes, backslashes and control characters JSON escapes again) and its
 * structuredContent together. Only the JSON-RPC envelope around it is extra
 * (`{"jsonrpc":"2.0","id":…,"result":…}`, about 40 bytes plus the request id). Rows that do not fit
 * are left for fetch_results (truncatedBy 'bytes'); a first row that alone does not fit comes back
 * with its longest values cut and listed in cutValues, so nextOffset always moves on.
 */
import { SmcpError } from '../errors.js';
import type { QueryResult } from '../snowflake/client.js';
import type { JsonValue } from '../snowflake/serialize.js';
import { cutRowToFit, cuttableColumns, jsonBytes } from '../snowflake/value-cut.js';
import { rowMarks } from './render-cells.js';
import { cutNote, layoutOf, renderTabular, tabularResult } from './result-format.js';
import type { TabularResult } from './result-format.js';
import type { ResultFormat } from './settings.js';
import { successResult } from './tool-result.js';
import type { ToolOutput } from './tool-types.js';

/** How to shape one answer. */
export interface AnswerOptions {
  /** Position of the result's first row in the whole result. */
  readonly offset: number;
  readonly format: ResultFormat;
  /** Public name of fetch_results, for the hint in the summary. */
  readonly fetchToolName: string;
  /** Bound on the UTF-8 bytes of the JSON of the CallToolResult (content + structuredContent). */
  readonly maxBytes: number;
}

/** UTF-8 bytes of the JSON of the CallToolResult that carries `output`. */
export function answerBytes(output: ToolOutput): number {
  return Buffer.byteLength(JSON.stringify(successResult(output)));
}

/** Bytes `text` takes inside a JSON string (escapes included, quotes not). */
function jsonTextBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/** `full` without its per-row lists and truncation, which callers set for the rows they keep. */
function withoutMarks(full: TabularResult): Omit<TabularResult, 'truncated'> {
  const {
    cutValues: _cuts,
    jsonNulls: _nulls,
    truncated: _t,
    truncatedBy: _by,
    nextOffset: _next,
    ...rest
  } = full;
  return rest;
}

/** The first `count` rows of `full` as an answer of their own; the rest is left for fetch_results. */
function firstRows(full: TabularResult, count: number): TabularResult {
  if (count >= full.rowCount) return full;
  const cutValues = full.cutValues?.filter((c) => c.row < count) ?? [];
  const jsonNulls = full.jsonNulls?.filter(([row]) => (row ?? 0) < count) ?? [];
  return {
    ...withoutMarks(full),
    rows: full.rows.slice(0, count),
    rowCount: count,
    truncated: true,
    truncatedBy: 'bytes',
    nextOffset: full.offset + count,
    ...(cutValues.length > 0 ? { cutValues } : {}),
    ...(jsonNulls.length > 0 ? { jsonNulls } : {}),
  };
}

/** The answer of `full`'s first row alone, as `row` with the columns in `cuts` cut short. */
function firstRowCut(
  full: TabularResult,
  row: JsonValue[],
  cuts: ReadonlyMap<number, number>,
): TabularResult {
  const more = full.rowCount > 1;
  const jsonNulls = full.jsonNulls?.filter(([r]) => r === 0) ?? [];
  const cutValues = [...cuts].map(([column, bytes]) => ({
    row: 0,
    column,
    name: full.columns[column]?.name ?? '',
    bytes,
  }));
  const truncated = more || full.truncated;
  const truncatedBy = more ? 'bytes' : full.truncatedBy;
  return {
    ...withoutMarks(full),
    rows: [row],
    rowCount: 1,
    truncated,
    ...(truncatedBy ? { truncatedBy } : {}),
    ...(truncated ? { nextOffset: full.offset + 1 } : {}),
    ...(cutValues.length > 0 ? { cutValues } : {}),
    ...(jsonNulls.length > 0 ? { jsonNulls } : {}),
  };
}

/**
 * The tool answer for `result` (first row at `options.offset`) in `options.format`, as many rows
 * as fit `options.maxBytes`. Throws RESULT_UNREADABLE when not even one row fits with its values
 * cut (or the column list alone is too big).
 */
export function tabularAnswer(result: QueryResult, options: AnswerOptions): ToolOutput {
  const full = tabularResult(result, options.offset);
  const build = (s: TabularResult): ToolOutput => ({
    structured: s,
    text: renderTabular(s, options.format, options.fetchToolName),
  });
  const fits = (s: TabularResult): boolean => answerBytes(build(s)) <= options.maxBytes;
  if (fits(full)) return build(full);

  const count = largestFitting(full, options, fits);
  if (count > 0) return build(firstRows(full, count));
  if (full.rowCount === 0 || !fits(firstRows(full, 0))) {
    throw new SmcpError(
      'RESULT_UNREADABLE',
      `the columns of query ${full.queryId} alone take more than the byte limit of ${options.maxBytes}; ` +
        'select fewer columns or raise max_bytes',
      { queryId: full.queryId, field: 'max_bytes' },
    );
  }
  const known = new Map((full.cutValues ?? []).filter((c) => c.row === 0).map((c) => [c.column, c.bytes]));
  const fitted = cutRowToFit(
    full.rows[0] as JsonValue[],
    cuttableColumns(full.columns.map((c) => c.type)),
    options.maxBytes,
    (row, cuts) => answerBytes(build(firstRowCut(full, row, cuts))),
    known,
  );
  if (!fitted) {
    throw new SmcpError(
      'RESULT_UNREADABLE',
      `the row at offset ${full.offset} of query ${full.queryId} does not fit the byte limit of ` +
        `${options.maxBytes} even with its text values cut; select fewer columns or raise max_bytes`,
      { queryId: full.queryId, field: 'max_bytes' },
    );
  }
  return build(firstRowCut(full, fitted.row, fitted.cuts));
}

/**
 * How many leading rows of `full` fit: an estimate from each row's own cost (its JSON in rows, its
 * escaped text, its marks) over a pessimistic fixed part, checked by measuring the real answer.
 */
function largestFitting(
  full: TabularResult,
  options: AnswerOptions,
  fits: (s: TabularResult) => boolean,
): number {
  const layout = layoutOf(full, options.format);
  const marks = rowMarks(full.cutValues, full.jsonNulls);
  // Counts and offsets at their widest, and the list fields present: the fixed part is an upper bound.
  const fixed = answerBytes({
    structured: { ...firstRows(full, 0), rowCount: full.rowCount, cutValues: [], jsonNulls: [] },
    text: renderTabular(
      { ...firstRows(full, 0), rowCount: full.rowCount, nextOffset: full.offset + full.rowCount },
      options.format,
      options.fetchToolName,
    ),
  });
  // What a row's entries in cutValues and jsonNulls (and a cut's note) add, by row.
  const extra = new Map<number, number>();
  const add = (row: number, bytes: number): void => {
    extra.set(row, (extra.get(row) ?? 0) + bytes);
  };
  for (const cut of full.cutValues ?? [])
    add(cut.row, jsonBytes(cut) + 1 + jsonTextBytes(cutNote(full, cut)));
  for (const cell of full.jsonNulls ?? []) add(cell[0] ?? 0, jsonBytes(cell) + 1);
  let used = fixed;
  let count = 0;
  for (; count < full.rows.length; count++) {
    const row = full.rows[count];
    const text = layout.row(row, count, marks.get(count));
    const cost = jsonBytes(row) + 1 + jsonTextBytes(text) + (extra.get(count) ?? 0);
    if (used + cost > options.maxBytes) break;
    used += cost;
  }
  if (count === 0 || fits(firstRows(full, count))) return count;
  // The estimate was short (it should not be): search below it with real measurements.
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(firstRows(full, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
