/**
 * The wire cuts results by bytes, not rows: for a result of 1 MB rows the inline part stays within
 * about 1 MiB and every chunk within 8 MiB, and the rows still arrive whole, in order, through raw
 * HTTP and through the real driver.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { INLINE_MAX_BYTES, MAX_CHUNK_BYTES } from '../../src/emulator/server/result-chunks.js';
import { destroy } from '../emulator/server/driver.js';
import { rawLogin, rawQueryRequest, startTestEmulator } from '../emulator/server/harness.js';
import { connectAlice } from './helpers.js';

const ROWS = 40;
const WIDTH = 1_000_000;
const WIDE = `SELECT range AS ID, REPEAT(CHR(65 + range::INT % 26), ${WIDTH}) AS PAD FROM range(${ROWS}) ORDER BY ID`;

interface Answer {
  rowset: unknown[][];
  total: number;
  chunks: { url: string; rowCount: number }[];
}

async function rawQuery(emulator: RunningEmulator, sqlText: string): Promise<Answer> {
  const { token } = await rawLogin(emulator);
  const answer = await rawQueryRequest(emulator, token, { sqlText }, `?requestId=${randomUUID()}`);
  expect(answer.json?.success, answer.text.slice(0, 300)).to.equal(true);
  const inlineBytes = Buffer.byteLength(JSON.stringify((answer.json?.data as Answer).rowset));
  expect(inlineBytes, 'inline rowset bytes').to.be.at.most(INLINE_MAX_BYTES + 2);
  return answer.json?.data as Answer;
}

function expectRow(row: unknown[], id: number): void {
  expect(row[0]).to.equal(typeof row[0] === 'number' ? id : String(id));
  const pad = row[1] as string;
  expect(pad.length, `row ${id} width`).to.equal(WIDTH);
  const letter = String.fromCharCode(65 + (id % 26));
  if (pad !== letter.repeat(WIDTH)) expect.fail(`row ${id} holds other text than ${letter}…`);
}

describe('integrity: chunks are bounded in bytes', function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;

  before(async function () {
    emulator = await startTestEmulator();
  });

  after(async function () {
    await emulator?.close();
  });

  it('cuts a result of 1 MB rows into an inline part of at most 1 MiB and chunks of at most 8 MiB', async function () {
    const data = await rawQuery(emulator, WIDE);
    expect(data.total).to.equal(ROWS);
    expect(data.chunks.length).to.be.greaterThan(1);
    let id = 0;
    for (const row of data.rowset) expectRow(row, id++);
    for (const chunk of data.chunks) {
      const res = await fetch(chunk.url);
      const body = await res.text();
      expect(res.status).to.equal(200);
      expect(Buffer.byteLength(body), `chunk of ${chunk.rowCount} rows`).to.be.at.most(MAX_CHUNK_BYTES);
      const rows = JSON.parse(`[${body}]`) as unknown[][];
      expect(rows).to.have.length(chunk.rowCount);
      for (const row of rows) expectRow(row, id++);
    }
    expect(id).to.equal(ROWS);
  });

  it('delivers every 1 MB row through the real driver, in order', async function () {
    const conn = await connectAlice(emulator);
    try {
      const rows = await new Promise<unknown[][]>((resolve, reject) => {
        const out: unknown[][] = [];
        conn
          .execute({ sqlText: WIDE, streamResult: true, rowMode: 'array' })
          .streamRows()
          .on('data', (row: unknown[]) => out.push(row))
          .on('error', reject)
          .on('end', () => resolve(out));
      });
      expect(rows).to.have.length(ROWS);
      rows.forEach((row, i) => expectRow(row, i));
    } finally {
      await destroy(conn);
    }
  });
});
