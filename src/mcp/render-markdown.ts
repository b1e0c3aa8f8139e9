/**
 * GFM table rendering. Text in cells is escaped so that nothing a value holds can pass for
 * something else: backslash, pipe, `*` and `<` get a backslash, a line feed becomes `<br>` (so the
 * text `<br>` shows as `\<br>`), and control characters show as `\xNN` / `\u00NN` (a carriage
 * return as `\x0d`). SQL NULL is `*NULL*`, which escaped text can never produce (the string
 * 'NULL' shows as NULL, the string '*NULL*' as `\*NULL\*`).
 */
import { escapeControls } from './control-chars.js';
import { cellText } from './render-cells.js';
import type { LayoutFactory, RenderColumn, RowMarks } from './render-cells.js';

/** How a markdown table shows SQL NULL. */
export const MARKDOWN_NULL = '*NULL*';

/** Escapes text for a GFM table cell (see the module comment). */
export function markdownText(text: string): string {
  // `<` is escaped before line feeds become <br>, so only real line feeds give an unescaped <br>.
  return escapeControls(text.replace(/[\\|*<]/g, '\\$&').replace(/\n/g, '<br>'), '\t');
}

/** A cell for a GFM table: `*NULL*` for null, JSON for objects and arrays, escaped text otherwise. */
export function markdownCell(value: unknown): string {
  const text = cellText(value, undefined);
  return text === null ? MARKDOWN_NULL : markdownText(text);
}

function headerLines(names: readonly string[]): string {
  const header = names.length > 0 ? names.map(markdownText) : ['(no columns)'];
  return `| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`;
}

/** A GFM table of `names` and `rows`. An empty result still has its header. */
export function markdownTable(names: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [headerLines(names)];
  for (const row of rows) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  return lines.join('\n');
}

/** The markdown layout of a tabular result (VARIANT values as JSON text, marks honoured). */
export const markdownLayout: LayoutFactory = (columns: readonly RenderColumn[]) => ({
  head: headerLines(columns.map((c) => c.name)),
  row(values: readonly unknown[], _index: number, marks?: RowMarks): string {
    const cells = values.map((v, i) => {
      const text = cellText(v, columns[i], marks?.get(i));
      return text === null ? MARKDOWN_NULL : markdownText(text);
    });
    return `\n| ${cells.join(' | ')} |`;
  },
  tail: '',
});
