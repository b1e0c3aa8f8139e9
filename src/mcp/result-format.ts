/**
 * Shapes a query result for a tool answer: the structured part (columns, rows as arrays aligned with
 * `columns`, counts, truncation, query id, timing, where to continue) and a readable text part as a
 * markdown table, CSV or JSON. Values arrive lossless from the client layer (big numbers as
 * strings) and are printed as they are.
 */
import { z } from 'zod';
import type { QueryResult } from '../snowflake/client.js';
import type { JsonValue } from '../snowflake/serialize.js';
import type { ResultFormat } from './settings.js';

/** Zod schema of one result column. */
export const columnSchema = z.object({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  precision: z.number().nullable(),
  scale: z.number().nullable(),
});

/**
 * Zod schema of a tabular tool result (execute_query, query_view, fetch_results). `rows` holds one
 * array per row, values in the order of `columns` (arrays, not objects: duplicate column names
 * stay distinct and the payload stays small).
 */
export const tabularResultSchema = z.object({
  columns: z.array(columnSchema),
  rows: z.array(z.array(z.unknown())),
  rowCount: z.int(),
  totalRows: z.int().optional().describe('rows in the whole result, when Snowflake reported it'),
  offset: z.int().describe('position of the first returned row in the whole result'),
  truncated: z.boolean(),
  truncatedBy: z.enum(['rows', 'bytes']).optional(),
  nextOffset: z.int().optional().describe('when truncated: pass to fetch_results to continue'),
  queryId: z.string(),
  elapsedMs: z.number(),
});

/** A tabular tool result as structuredContent carries it. */
export type TabularResult = z.output<typeof tabularResultSchema>;

/** The structured form of `result`, whose first row sits at `offset` of the whole result. */
export function tabularResult(result: QueryResult, offset = 0): TabularResult {
  return {
    columns: result.columns.map((c) => ({ ...c })),
    rows: result.rows,
    rowCount: result.rowCount,
    ...(result.totalRows !== undefined ? { totalRows: result.totalRows } : {}),
    offset,
    truncated: result.truncated,
    ...(result.truncatedBy ? { truncatedBy: result.truncatedBy } : {}),
    ...(result.truncated ? { nextOffset: offset + result.rowCount } : {}),
    queryId: result.queryId,
    elapsedMs: result.elapsedMs,
  };
}

/** A cell as plain text: NULL for null, JSON for objects and arrays, strings unchanged. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

/** Escapes a cell for a GFM table: pipes, backslashes before them, and line breaks. */
export function markdownCell(value: unknown): string {
  return cellText(value)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** A GFM table of `names` and `rows`. An empty result still has its header. */
export function markdownTable(names: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const header = names.length > 0 ? names : ['(no columns)'];
  const lines = [`| ${header.map(markdownCell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  return lines.join('\n');
}

/** An RFC 4180 field: quoted when it holds a comma, quote or line break; null is empty. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text (CRLF line ends, header first) of `names` and `rows`. */
export function csvText(names: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [names, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n');
}

/** One line saying how much came back and how to get the rest. */
export function resultSummary(result: TabularResult, fetchToolName: string): string {
  const parts = [`${result.rowCount} row${result.rowCount === 1 ? '' : 's'}`];
  if (result.offset > 0) parts[0] += ` from offset ${result.offset}`;
  if (result.totalRows !== undefined) parts.push(`${result.totalRows} in total`);
  parts.push(`query id ${result.queryId}`, `${Math.round(result.elapsedMs)} ms`);
  let line = parts.join(' · ');
  if (result.truncated) {
    line +=
      `\nTruncated by the ${result.truncatedBy === 'bytes' ? 'byte' : 'row'} limit. For more rows call ` +
      `${fetchToolName} with query_id "${result.queryId}" and offset ${result.nextOffset ?? ''}.`;
  }
  return line;
}

/** Column names made unique for JSON objects: a repeated `N` becomes `N_2`, `N_3`, …. */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const count = (seen.get(n) ?? 0) + 1;
    seen.set(n, count);
    return count === 1 ? n : `${n}_${count}`;
  });
}

/**
 * The readable text of a tabular result in `format`: first the data alone (a markdown table, CSV
 * with a header row, or JSON with rows as objects), then the summary line as a second block, so
 * the first block stays machine-readable.
 */
export function renderTabular(result: TabularResult, format: ResultFormat, fetchToolName: string): string[] {
  const names = result.columns.map((c) => c.name);
  const summary = resultSummary(result, fetchToolName);
  switch (format) {
    case 'json': {
      const keys = uniqueNames(names);
      const rows = result.rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i] as JsonValue])));
      return [JSON.stringify(rows), summary];
    }
    case 'csv':
      return [csvText(names, result.rows), summary];
    case 'markdown':
      return [markdownTable(names, result.rows), summary];
  }
}
