/**
 * CSV rendering (RFC 4180, CRLF line ends, header first). SQL NULL is an empty unquoted field and
 * an empty value (the string '' or empty BINARY) is `""`, as PostgreSQL's CSV does it. Fields with
 * a comma, quote or line break are quoted. Control characters other than tab, CR and LF show as
 * `\xNN` / `\u00NN` (display escapes: the exact value is in structuredContent).
 */
import { escapeControls } from './control-chars.js';
import { cellText } from './render-cells.js';
import type { LayoutFactory, RenderColumn, RowMarks } from './render-cells.js';

/** A CSV field of a cell's text (null = SQL NULL). */
export function csvField(text: string | null): string {
  if (text === null) return '';
  const shown = escapeControls(text, '\t\r\n');
  return shown === '' || /[",\r\n]/.test(shown) ? `"${shown.replace(/"/g, '""')}"` : shown;
}

/** CSV text (CRLF line ends, header first) of `names` and `rows`. */
export function csvText(names: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [names, ...rows].map((r) => r.map((v) => csvField(cellText(v, undefined))).join(',')).join('\r\n');
}

/** The CSV layout of a tabular result (VARIANT values as JSON text, marks honoured). */
export const csvLayout: LayoutFactory = (columns: readonly RenderColumn[]) => ({
  head: columns.map((c) => csvField(c.name)).join(','),
  row(values: readonly unknown[], _index: number, marks?: RowMarks): string {
    return '\r\n' + values.map((v, i) => csvField(cellText(v, columns[i], marks?.get(i)))).join(',');
  },
  tail: '',
});
