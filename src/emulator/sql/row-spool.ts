/**
 * Where a result keeps the rows it has produced, as the wire sends them: one JSON text per row
 * (`["1","a",null]`). Rows are appended in order and never change. They sit in memory in pages of
 * about PAGE_BYTES (rows joined by newlines, which JSON text never contains raw) until the store asks
 * the spool to spill: then its pages are appended to the result's own file in the engine's private
 * spill directory and only their position is kept. Reads take rows from memory or the file
 * alike, so a look back at any produced row gives exactly the text first produced.
 *
 * Pages in memory are Buffers, outside V8's heap: as strings they would be promoted to the old
 * generation and linger there until a full collection, hundreds of megabytes past the budget.
 */
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { ResultAccount } from './result-store.js';

/** Target bytes of one page (a single wider row makes a page of its own). */
export const PAGE_BYTES = 256 * 1024;
/** Leading rows whose exact sizes are remembered, for planning the first chunks. */
const SIZED_ROWS = 20_000;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const SEPARATOR = Buffer.from(',');

/** Reads one spilled page from the spill file. */
async function readPage(file: FileHandle, page: Page, path: string): Promise<Buffer> {
  const data = Buffer.allocUnsafe(page.length);
  const { bytesRead } = await file.read(data, 0, page.length, page.at);
  if (bytesRead !== page.length) throw new Error(`spill file ${path} is shorter than expected`);
  return data;
}

interface Page {
  /** Index of the page's first row in the result. */
  readonly first: number;
  readonly rows: number;
  /** Bytes of its rows as charged (text plus one separator each). */
  readonly bytes: number;
  /** The rows, newline-joined, while in memory. */
  data: Buffer | null;
  /** UTF-8 byte length of the page (its size in the file). */
  readonly length: number;
  /** Position in the spill file once written; -1 before. */
  at: number;
  /** Set while a spill of this page is under way. */
  writing: boolean;
}

/** The produced rows of one result. */
export class RowSpool {
  #pages: Page[] = [];
  /** Rows of the page being filled. */
  #open: string[] = [];
  #openBytes = 0;
  #rows = 0;
  #bytes = 0;
  #memory = 0;
  #fileSize = 0;
  /** File operations, one at a time in order; also what free() waits for. */
  #io: Promise<void> = Promise.resolve();
  #freed = false;
  #sizes: number[] | null = [];

  /**
   * @param path the spill file (created on first spill)
   * @param account where the spool charges its bytes
   */
  constructor(
    private readonly path: string,
    private readonly account: ResultAccount,
  ) {}

  /** Rows produced so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Bytes of all rows produced so far (text plus one separator each). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes of rows held in memory now. */
  get memoryBytes(): number {
    return this.#memory;
  }

  /** Bytes written to the spill file. */
  get diskBytes(): number {
    return this.#fileSize;
  }

  /** Mean bytes per row so far (0 before the first row). */
  get averageBytes(): number {
    return this.#rows === 0 ? 0 : this.#bytes / this.#rows;
  }

  /** Exact sizes of the leading rows (text plus separator), then forgets them. */
  takeSizes(): number[] {
    const sizes = this.#sizes ?? [];
    this.#sizes = null;
    return sizes;
  }

  /** Appends the next row's JSON text. Ignored once freed. */
  append(text: string): void {
    if (this.#freed) return;
    const size = Buffer.byteLength(text) + 1;
    this.#open.push(text);
    this.#openBytes += size;
    this.#rows++;
    this.#bytes += size;
    this.#memory += size;
    if (this.#sizes && this.#sizes.length < SIZED_ROWS) this.#sizes.push(size);
    this.account.charge(size, 0);
    if (this.#openBytes >= PAGE_BYTES) this.#seal();
  }

  /**
   * JSON texts of rows [start, end), which must have been produced. Rejects when the spool was
   * freed meanwhile or its file cannot be read.
   */
  async readTexts(start: number, end: number): Promise<string[]> {
    const out: string[] = [];
    let file: FileHandle | null = null;
    try {
      let row = start;
      for (let k = this.#pageOf(start); k < this.#pages.length && row < end; k++) {
        const page = this.#pages[k];
        if (!page || page.first + page.rows <= row) continue;
        let data = page.data;
        if (data === null) {
          file ??= await open(this.path, 'r');
          data = await readPage(file, page, this.path);
        }
        const lines = data.toString('utf8').split('\n');
        const to = Math.min(end, page.first + page.rows);
        for (; row < to; row++) out.push(lines[row - page.first] ?? '[]');
      }
      if (this.#freed) throw new Error('the result was freed');
      const openFirst = this.#rows - this.#open.length;
      for (; row < end && row < this.#rows; row++) out.push(this.#open[row - openFirst] ?? '[]');
    } finally {
      await file?.close();
    }
    return out;
  }

  /**
   * Writes rows [start, end), which must have been produced, as a chunk body (`[..],[..]`, rows
   * joined by commas) to `write`, a page at a time: a chunk of wide rows never sits in memory whole.
   * Rejects when the spool was freed meanwhile, the file cannot be read, or `write` rejects.
   */
  async writeBody(start: number, end: number, write: (data: Buffer) => Promise<void>): Promise<void> {
    let file: FileHandle | null = null;
    let row = start;
    const separate = async (): Promise<void> => {
      if (row > start) await write(SEPARATOR);
    };
    try {
      for (let k = this.#pageOf(start); k < this.#pages.length && row < end; k++) {
        const page = this.#pages[k];
        if (!page || page.first + page.rows <= row) continue;
        const to = Math.min(end, page.first + page.rows);
        const kept = page.data;
        let data: Buffer;
        if (kept) {
          data = kept;
        } else {
          file ??= await open(this.path, 'r');
          data = await readPage(file, page, this.path);
        }
        let from = 0;
        for (let r = page.first; r < row; r++) from = data.indexOf(NEWLINE, from) + 1;
        let until = from;
        for (let r = row; r < to; r++) {
          const nl = data.indexOf(NEWLINE, until);
          until = nl < 0 ? data.length : nl + 1;
        }
        if (until > from && data[until - 1] === NEWLINE) until--;
        // Rows of a kept page are copied (the page must not change); a page read from the file is ours.
        const piece = kept ? Buffer.from(data.subarray(from, until)) : data.subarray(from, until);
        for (let nl = piece.indexOf(NEWLINE); nl >= 0; nl = piece.indexOf(NEWLINE, nl + 1)) piece[nl] = COMMA;
        await separate();
        await write(piece);
        row = to;
      }
      if (this.#freed) throw new Error('the result was freed');
      const openFirst = this.#rows - this.#open.length;
      if (row < end && row < this.#rows) {
        const texts = this.#open.slice(row - openFirst, Math.min(end, this.#rows) - openFirst);
        await separate();
        await write(Buffer.from(texts.join(','), 'utf8'));
      }
    } finally {
      await file?.close();
    }
  }

  /**
   * Writes every page held in memory to the spill file and drops it from memory (the open page is
   * sealed first). Settles when written; rejects on a file error (the pages then stay in memory).
   */
  spill(): Promise<void> {
    this.#seal();
    const pages = this.#pages.filter((p) => p.data !== null && !p.writing);
    if (pages.length === 0 || this.#freed) return this.#io;
    for (const p of pages) p.writing = true;
    const write = this.#io.then(async () => {
      if (this.#freed) return;
      const file = await open(this.path, 'a', 0o600);
      try {
        for (const page of pages) {
          const data = page.data;
          if (this.#freed || !data) return;
          const { bytesWritten } = await file.write(data, 0, data.length, null);
          if (bytesWritten !== page.length) throw new Error(`short write to spill file ${this.path}`);
          page.at = this.#fileSize;
          this.#fileSize += page.length;
          page.data = null;
          this.#memory -= page.bytes;
          this.account.charge(-page.bytes, page.bytes);
        }
      } finally {
        for (const p of pages) p.writing = false;
        await file.close();
      }
    });
    this.#io = write.catch(() => undefined);
    return write;
  }

  /** Drops every row and deletes the spill file (once pending writes are done). Idempotent. */
  free(): Promise<void> {
    if (!this.#freed) {
      this.#freed = true;
      this.#pages = [];
      this.#open = [];
      this.#openBytes = 0;
      this.#memory = 0;
      this.#sizes = null;
      this.#io = this.#io.then(() => rm(this.path, { force: true })).catch(() => undefined);
    }
    return this.#io;
  }

  #seal(): void {
    if (this.#open.length === 0) return;
    const data = Buffer.from(this.#open.join('\n'), 'utf8');
    this.#pages.push({
      first: this.#rows - this.#open.length,
      rows: this.#open.length,
      bytes: this.#openBytes,
      data,
      length: data.length,
      at: -1,
      writing: false,
    });
    this.#open = [];
    this.#openBytes = 0;
  }

  /** Index of the sealed page holding `row` (binary search); pages.length when none does. */
  #pageOf(row: number): number {
    let lo = 0;
    let hi = this.#pages.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const page = this.#pages[mid];
      if (page && page.first + page.rows <= row) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
