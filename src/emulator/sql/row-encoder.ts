/**
 * Turns the rows of a DuckDB data chunk into the wire's JSON row texts. A chunk holds up to 2,048
 * rows whatever their width, so a result of 1 MB values brings gigabytes at once: values are read
 * through short slices of the column vectors (whose read caches die with the slice) and the slice
 * length adapts to the row width, so no more than about SLICE_BYTES of decoded values live at a time.
 */
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import type { ColumnMeta } from '../engine-types.js';
import { encodeValue } from './encode.js';
import { structuredText } from './structured-values.js';

/** Decoded value bytes aimed at per slice. */
const SLICE_BYTES = 4 * 2 ** 20;
/** Rows of the first slice of a chunk, before its width is known. */
const FIRST_SLICE_ROWS = 256;

/** Encodes every row of `chunk` (whose columns are `columns`) and hands each text to `emit`, in order. */
export function encodeChunk(
  chunk: DuckDBDataChunk,
  columns: readonly ColumnMeta[],
  emit: (text: string) => void,
): void {
  const total = chunk.rowCount;
  const width = columns.length;
  const vectors: DuckDBVector[] = [];
  for (let c = 0; c < width; c++) vectors.push(chunk.getColumnVector(c));
  let step = FIRST_SLICE_ROWS;
  for (let offset = 0; offset < total;) {
    const rows = Math.min(step, total - offset);
    const slices = vectors.map((v) => v.slice(offset, rows));
    let bytes = 0;
    for (let r = 0; r < rows; r++) {
      const row = new Array<string | null>(width);
      for (let c = 0; c < width; c++) {
        const column = columns[c];
        const slice = slices[c];
        const value = slice ? slice.getItem(r) : null;
        row[c] = !column ? null : column.fields ? structuredText(value, column) : encodeValue(value, column);
      }
      const text = JSON.stringify(row);
      bytes += text.length;
      emit(text);
    }
    offset += rows;
    step = Math.max(1, Math.min(2048, Math.floor(SLICE_BYTES / Math.max(1, bytes / rows))));
  }
}
