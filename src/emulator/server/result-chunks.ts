/**
 * How a result is cut for the wire, the way Snowflake does it: a small first part inline in the
 * answer, then chunks that the driver downloads (several at once) from chunk URLs. Parts are sized
 * in bytes as well as rows: the inline part stays within INLINE_MAX_BYTES and each chunk within
 * MAX_CHUNK_BYTES, so a result of 1 MB rows is cut into chunks of a few rows and never into one
 * giant string. The plan is made before most rows exist: exact sizes of the rows produced so far,
 * the mean row size beyond them (a later row much wider than those seen can make its chunk larger;
 * a single row wider than the cap always makes a chunk of its own). Rows are read and encoded only
 * when their part is requested, so a client that stops early never pays for the rest.
 */
import type { ResultSet } from '../engine-types.js';

/** Inline part: at most this many rows… */
const INLINE_MAX_ROWS = 1000;
/** …and bytes of row text. A first row wider than this leaves the inline part empty. */
export const INLINE_MAX_BYTES = 1024 * 1024;
/** First downloaded chunk, doubled for each next one up to the caps. */
const FIRST_CHUNK_ROWS = 2000;
const MAX_CHUNK_ROWS = 50_000;
/** Bytes of row text per chunk at most (unless a single row is wider). */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
/** Margin on the mean row size for rows not produced yet. */
const ESTIMATE_MARGIN = 1.25;

/** One downloadable chunk: rows [offset, offset+rowCount). */
export interface ChunkSpec {
  offset: number;
  rowCount: number;
  /** Bytes of the chunk body (estimated where rows were not produced yet). */
  uncompressedSize: number;
}

/** How many leading rows go inline, and the chunk plan for the rest; fixed once made so re-fetches agree. */
export interface ResultLayout {
  inlineRows: number;
  chunks: ChunkSpec[];
}

/** Plans the inline part and the chunks of `result` from what is known of its row sizes. */
export function layoutResult(result: ResultSet): ResultLayout {
  const total = result.rowCount;
  if (total === 0) return { inlineRows: 0, chunks: [] };
  const { known, averageBytes } = result.takeSizeHint();
  const estimate = Math.max(8, Math.ceil(averageBytes * ESTIMATE_MARGIN));

  let inlineRows = 0;
  let inlineBytes = 0;
  while (inlineRows < total && inlineRows < INLINE_MAX_ROWS) {
    const size = known[inlineRows] ?? estimate;
    if (inlineBytes + size > INLINE_MAX_BYTES) break;
    inlineBytes += size;
    inlineRows++;
  }

  const chunks: ChunkSpec[] = [];
  let offset = inlineRows;
  let target = FIRST_CHUNK_ROWS;
  while (offset < total) {
    const cap = Math.min(target, MAX_CHUNK_ROWS, total - offset);
    let rows = 0;
    let bytes = 0;
    // Rows of known size one by one, the rest by the estimate.
    while (rows < cap && offset + rows < known.length) {
      const size = known[offset + rows] ?? estimate;
      if (rows > 0 && bytes + size > MAX_CHUNK_BYTES) break;
      bytes += size;
      rows++;
    }
    if (rows < cap && offset + rows >= known.length && (rows === 0 || bytes + estimate <= MAX_CHUNK_BYTES)) {
      const more = Math.min(
        cap - rows,
        Math.max(rows === 0 ? 1 : 0, Math.floor((MAX_CHUNK_BYTES - bytes) / estimate)),
      );
      rows += more;
      bytes += more * estimate;
    }
    chunks.push({ offset, rowCount: rows, uncompressedSize: bytes });
    offset += rows;
    target *= 2;
  }
  return { inlineRows, chunks };
}
