/**
 * How a result is cut for the wire, the way Snowflake does it: a small first part inline in the
 * answer, then chunks of growing size that the driver downloads (several at once) from chunk URLs.
 * Rows are read and encoded only when their part is requested, so a client that stops early never
 * pays for the rest.
 */
import type { ResultSet } from '../engine-types.js';

/** Inline part: at most this many rows… */
const INLINE_MAX_ROWS = 1000;
/** …and about this many bytes of JSON. */
const INLINE_MAX_BYTES = 100_000;
/** First downloaded chunk, doubled for each next one up to the caps. */
const FIRST_CHUNK_ROWS = 2000;
const MAX_CHUNK_ROWS = 50_000;
/** Byte budget per chunk, applied through the row width seen in the inline part. */
const MAX_CHUNK_BYTES = 4_000_000;

/** One downloadable chunk: rows [offset, offset+rowCount). */
export interface ChunkSpec {
  offset: number;
  rowCount: number;
  /** Estimated, for the driver's bookkeeping. */
  uncompressedSize: number;
}

/** The inline rows and the chunk plan of one result; fixed once made so re-fetches agree. */
export interface ResultLayout {
  inline: (string | null)[][];
  chunks: ChunkSpec[];
}

/** Encodes rows the way chunk bodies carry them: `[..],[..]` without the outer brackets. */
export function encodeChunkBody(rows: (string | null)[][]): string {
  return rows.length === 0 ? '' : JSON.stringify(rows).slice(1, -1);
}

/** Reads the inline part of `result` and plans the chunks for the rest. */
export async function layoutResult(result: ResultSet): Promise<ResultLayout> {
  const total = result.rowCount;
  if (total === 0) return { inline: [], chunks: [] };
  const head = await result.readRows(0, Math.min(INLINE_MAX_ROWS, total));
  let bytes = 0;
  let inlineCount = 0;
  for (const row of head) {
    bytes += JSON.stringify(row).length + 1;
    inlineCount++;
    if (bytes >= INLINE_MAX_BYTES) break;
  }
  const inline = inlineCount === head.length ? head : head.slice(0, inlineCount);
  const bytesPerRow = Math.max(8, Math.ceil(bytes / Math.max(1, inlineCount)));
  const byteCap = Math.max(100, Math.floor(MAX_CHUNK_BYTES / bytesPerRow));

  const chunks: ChunkSpec[] = [];
  let offset = inline.length;
  let size = FIRST_CHUNK_ROWS;
  while (offset < total) {
    const rowCount = Math.min(size, MAX_CHUNK_ROWS, byteCap, total - offset);
    chunks.push({ offset, rowCount, uncompressedSize: rowCount * bytesPerRow });
    offset += rowCount;
    size *= 2;
  }
  return { inline, chunks };
}
