/**
 * What the text renderings (markdown, CSV, JSON) share: the column facts they need, the marks a
 * cell can carry (JSON null in a VARIANT, a value cut by the byte limit), a cell's plain text, and
 * the layout contract that keeps a rendering's size the sum of its parts, so the byte budget can
 * be counted row by row.
 */

/** What a rendering needs of a column. */
export interface RenderColumn {
  readonly name: string;
  /** Snowflake type name (VARIANT, OBJECT, ARRAY and MAP render as JSON text). */
  readonly type: string;
}

/** A cell's mark: a VARIANT holding JSON null, or a value cut short by the byte limit. */
export type CellMark = 'json-null' | 'cut';

/** The marks of one row's cells, by column index. */
export type RowMarks = ReadonlyMap<number, CellMark>;

/** Column types whose values are JSON documents. */
const JSON_TYPES = new Set(['VARIANT', 'OBJECT', 'ARRAY', 'MAP']);

/**
 * A cell as plain text, or null for SQL NULL. VARIANT, OBJECT, ARRAY and MAP values are their JSON
 * text (so a VARIANT string shows quoted and a JSON null as `null`, as Snowflake shows them); a
 * value cut short is its kept prefix as it is; other values as they are.
 */
export function cellText(value: unknown, column: RenderColumn | undefined, mark?: CellMark): string | null {
  if (mark === 'json-null') return 'null';
  if (value === null || value === undefined) return null;
  if (mark !== 'cut' && column && JSON_TYPES.has(column.type)) return JSON.stringify(value) ?? 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

/**
 * A text rendering laid out as head + one piece per row + tail, each row's piece carrying its own
 * separator, so the whole text is exactly the concatenation of its pieces.
 */
export interface TextLayout {
  /** Text before the first row (the header). */
  readonly head: string;
  /** Row number `index`'s piece, separator from what precedes it included. */
  row(values: readonly unknown[], index: number, marks?: RowMarks): string;
  /** Text after the last row. */
  readonly tail: string;
}

/** Builds the layout of a rendering for the given columns. */
export type LayoutFactory = (columns: readonly RenderColumn[]) => TextLayout;

/** The marks of every row that has any, by row index. */
export function rowMarks(
  cutValues: readonly { readonly row: number; readonly column: number }[] | undefined,
  jsonNulls: readonly (readonly number[])[] | undefined,
): Map<number, Map<number, CellMark>> {
  const marks = new Map<number, Map<number, CellMark>>();
  const mark = (row: number, column: number, what: CellMark): void => {
    let cells = marks.get(row);
    if (!cells) marks.set(row, (cells = new Map<number, CellMark>()));
    cells.set(column, what);
  };
  for (const [row, column] of jsonNulls ?? []) mark(row, column, 'json-null');
  for (const cut of cutValues ?? []) mark(cut.row, cut.column, 'cut');
  return marks;
}
