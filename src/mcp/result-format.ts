/**
 * Shapes a query result for a tool answer: the structured part (columns, rows as arrays aligned with
 * `columns`, counts, truncation, query id, timing, where to continue, which values were cut and
 * which VARIANT cells hold JSON null) and a readable text part as a markdown table, CSV or JSON
 * (render-markdown.ts, render-csv.ts, render-json.ts) followed by a summary block. Values arrive
 * lossless from the client layer (big numbers as strings) and are printed as they are.
 */
import { z } from 'zod';
import type { QueryResult } from '../snowflake/client.js';
import { escapeControls } from './control-chars.js';
import { rowMarks } from './render-cells.js';
import type { LayoutFactory, TextLayout } from './render-cells.js';
import { csvLayout } from './render-csv.js';
import { jsonLayout } from './render-json.js';
import { markdownLayout } from './render-markdown.js';
import type { ResultFormat } from './settings.js';
import { unlisted } from './tool-schemas.js';

export { csvText } from './render-csv.js';
export { markdownCell, markdownTable } from './render-markdown.js';

/** Zod schema of one result column. */
export const columnSchema = z.object({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  precision: z.number().nullable(),
  scale: z.number().nullable(),
});

/** Zod schema of a value cut to fit max_bytes. */
export const cutValueSchema = z.object({
  row: z.int().describe('index of the row in rows'),
  column: z.int().describe('index of the column in columns'),
  name: z.string().describe('column name'),
  bytes: z.int().describe('UTF-8 bytes of the whole value (JSON text for VARIANT, OBJECT, ARRAY)'),
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
  totalRows: unlisted(z.int().optional().describe('rows in the whole result, when Snowflake reported it')),
  offset: z.int().describe('position of the first returned row in the whole result'),
  truncated: z.boolean(),
  truncatedBy: unlisted(z.enum(['rows', 'bytes']).optional()),
  nextOffset: z.int().optional().describe('when truncated: pass to fetch_results to continue'),
  queryId: z.string(),
  elapsedMs: unlisted(z.number()),
  cutValues: unlisted(
    z
      .array(cutValueSchema)
      .optional()
      .describe('values cut to a prefix so that their row fits max_bytes (read them in parts with SUBSTR)'),
  ),
  jsonNulls: unlisted(
    z
      .array(z.array(z.int()).length(2))
      .optional()
      .describe('[row, column] of VARIANT cells holding JSON null (rows show null, as for SQL NULL)'),
  ),
});

/** A tabular tool result as structuredContent carries it. */
export type TabularResult = z.output<typeof tabularResultSchema>;

/** The structured form of `result`, whose first row sits at `offset` of the whole result. */
export function tabularResult(result: QueryResult, offset = 0): TabularResult {
  const cutValues = result.cutValues?.map((c) => ({ ...c, name: result.columns[c.column]?.name ?? '' }));
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
    ...(cutValues && cutValues.length > 0 ? { cutValues } : {}),
    ...(result.jsonNulls && result.jsonNulls.length > 0 ? { jsonNulls: result.jsonNulls } : {}),
  };
}

/** The lines of the summary block, without the note on cut values. */
function summaryLines(result: TabularResult, fetchToolName: string): string {
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

/** One line per cut value: which row and column, and how big the value is in full. */
export function cutNote(result: TabularResult, cut: { row: number; name: string; bytes: number }): string {
  const name = escapeControls(JSON.stringify(cut.name));
  return (
    `\nCut to fit the byte limit: column ${name} of the row at offset ${result.offset + cut.row}, ` +
    `${cut.bytes} bytes in full; read it in parts with SUBSTR.`
  );
}

/**
 * The summary block: how much came back, how to get the rest, and a line for each value cut to
 * fit the byte limit.
 */
export function resultSummary(result: TabularResult, fetchToolName: string): string {
  return (
    summaryLines(result, fetchToolName) + (result.cutValues ?? []).map((c) => cutNote(result, c)).join('')
  );
}

const LAYOUTS: Readonly<Record<ResultFormat, LayoutFactory>> = {
  markdown: markdownLayout,
  csv: csvLayout,
  json: jsonLayout,
};

/** The layout of `format` for the columns of `result`. */
export function layoutOf(result: Pick<TabularResult, 'columns'>, format: ResultFormat): TextLayout {
  return LAYOUTS[format](result.columns);
}

/** The data block of `result` in `layout`. */
export function dataText(result: TabularResult, layout: TextLayout): string {
  const marks = rowMarks(result.cutValues, result.jsonNulls);
  let text = layout.head;
  for (let i = 0; i < result.rows.length; i++) text += layout.row(result.rows[i], i, marks.get(i));
  return text + layout.tail;
}

/**
 * The readable text of a tabular result in `format`: first the data alone (a markdown table, CSV
 * with a header row, or JSON with rows as objects), then the summary as a second block, so the
 * first block stays machine-readable.
 */
export function renderTabular(result: TabularResult, format: ResultFormat, fetchToolName: string): string[] {
  return [dataText(result, layoutOf(result, format)), resultSummary(result, fetchToolName)];
}
