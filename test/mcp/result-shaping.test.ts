/**
 * Tabular answers through the real emulator, driver and MCP SDK client: paging always moves on
 * (a row wider than max_bytes comes back with its value cut and marked), max_bytes bounds the
 * whole CallToolResult, and every rendering tells apart what differs (NULL and empty values,
 * NULL and 'NULL', line feeds and `<br>`, JSON null and SQL NULL, colliding column names), with
 * control characters shown as visible escapes.
 */
import { expect } from 'chai';
import { connect, useEmulator } from './harness.js';
import type { Connected } from './harness.js';

type Result = Awaited<ReturnType<Connected['client']['callTool']>>;

interface Tabular {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  totalRows?: number;
  offset: number;
  truncated: boolean;
  truncatedBy?: string;
  nextOffset?: number;
  queryId: string;
  cutValues?: { row: number; column: number; name: string; bytes: number }[];
  jsonNulls?: number[][];
}

const FORMATS = ['markdown', 'csv', 'json'] as const;

function text(result: Result, block = 0): string {
  const item = (result.content as { type: string; text?: string }[])[block];
  return item?.text ?? '';
}

function tabular(result: Result): Tabular {
  expect(result.isError, text(result)).to.not.equal(true);
  return result.structuredContent as Tabular;
}

/** UTF-8 bytes of the JSON of what the server sent: content and structuredContent. */
function answerBytes(result: Result): number {
  return Buffer.byteLength(
    JSON.stringify({ content: result.content, structuredContent: result.structuredContent }),
  );
}

/** Runs `sql` and follows nextOffset with fetch_results to the end; every answer, in order. */
async function pageAll(c: Connected, sql: string, format: string): Promise<Result[]> {
  const answers = [await c.client.callTool({ name: 'execute_query', arguments: { sql, format } })];
  for (let page = 0; page < 500; page++) {
    const last = tabular(answers[answers.length - 1]);
    if (!last.truncated) return answers;
    expect(last.nextOffset, 'nextOffset moves past the rows returned').to.be.greaterThan(last.offset);
    answers.push(
      await c.client.callTool({
        name: 'fetch_results',
        arguments: { query_id: last.queryId, offset: last.nextOffset, format },
      }),
    );
  }
  throw new Error('paging did not end');
}

/** Raw control characters, apart from the line ends a format uses. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

describe('tabular answers', function () {
  this.timeout(120_000);
  const emulator = useEmulator();

  describe('paging', () => {
    let c: Connected;
    before(async () => {
      c = await connect(emulator.path); // max_bytes 1 MiB
    });
    after(() => c.close());

    for (const format of FORMATS) {
      it(`reaches every row past a 2 MB value, which comes back cut and marked (${format})`, async () => {
        const sql =
          "SELECT ID, CASE WHEN ID = 5 THEN REPEAT('x', 2000000) ELSE 'small' END AS V " +
          'FROM SAMPLE_DB.SALES.EVENTS WHERE ID <= 10 ORDER BY ID';
        const answers = await pageAll(c, sql, format);
        const ids: unknown[] = [];
        for (const answer of answers) {
          expect(answerBytes(answer)).to.be.at.most(1024 * 1024);
          const page = tabular(answer);
          for (const row of page.rows) ids.push(row[0]);
          if (page.rows.some((row) => row[0] === 5)) {
            const index = page.rows.findIndex((row) => row[0] === 5);
            expect(page.cutValues).to.deep.equal([{ row: index, column: 1, name: 'V', bytes: 2_000_000 }]);
            const kept = page.rows[index][1] as string;
            expect(kept).to.match(/^x+$/);
            expect(kept.length).to.be.within(100_000, 1_999_999);
            expect(text(answer, 1)).to.contain(
              `column "V" of the row at offset ${page.offset + index}, 2000000 bytes in full`,
            );
          } else {
            expect(page.cutValues).to.equal(undefined);
          }
        }
        expect(ids).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });
    }

    it('carries totalRows in fetch_results answers, as execute_query does', async () => {
      const first = tabular(
        await c.client.callTool({
          name: 'execute_query',
          arguments: {
            sql: 'SELECT ID FROM SAMPLE_DB.SALES.EVENTS WHERE ID <= 30 ORDER BY ID',
            max_rows: 10,
          },
        }),
      );
      expect(first.totalRows).to.equal(30);
      const next = tabular(
        await c.client.callTool({
          name: 'fetch_results',
          arguments: { query_id: first.queryId, offset: 10, limit: 10 },
        }),
      );
      expect(next).to.include({ totalRows: 30, offset: 10, rowCount: 10, nextOffset: 20 });
    });
  });

  describe('the byte limit', () => {
    const maxBytes = 4096;
    let c: Connected;
    before(async () => {
      c = await connect(emulator.path, { maxBytes });
    });
    after(() => c.close());

    // Quotes, backslashes, C0/C1 controls, non-ASCII, and markdown/CSV specials: JSON escapes them
    // once in structuredContent and again (after the text rendering escaped some) in content.
    const piece = `CHR(34) || CHR(92) || CHR(1) || CHR(27) || CHR(155) || 'é€😀<|*,' || CHR(10)`;
    const expected = `"\\\u0001\u001b\u009bé€😀<|*,\n`.repeat(20);
    const sql = `SELECT ID, REPEAT(${piece}, 20) AS V FROM SAMPLE_DB.SALES.EVENTS WHERE ID <= 120 ORDER BY ID`;

    for (const format of FORMATS) {
      it(`keeps the whole answer within max_bytes for values that escape (${format})`, async () => {
        const answers = await pageAll(c, sql, format);
        const ids: unknown[] = [];
        for (const answer of answers) {
          expect(answerBytes(answer)).to.be.at.most(maxBytes);
          const page = tabular(answer);
          expect(page.rowCount).to.be.greaterThan(0);
          if (page.truncated) expect(page.truncatedBy).to.equal('bytes');
          for (const row of page.rows) {
            ids.push(row[0]);
            expect(row[1]).to.equal(expected);
          }
        }
        expect(ids).to.deep.equal(Array.from({ length: 120 }, (_, i) => i + 1));
        // The budget is used, not wasted: a page holds most of what would fit.
        expect(answers.length).to.be.below(120);
      });
    }
  });

  it('names the row, or the column list, that cannot fit max_bytes even with values cut', async () => {
    const c = await connect(emulator.path, { maxBytes: 1024 });
    try {
      // Numbers are never cut: six 38-digit ones overflow 1 KiB, twelve columns do on their own.
      const select = (n: number): string =>
        'SELECT ' +
        Array.from({ length: n }, (_, i) => `12345678901234567890123456789012345678 AS C${i}`).join(', ');
      const wide = await c.client.callTool({ name: 'execute_query', arguments: { sql: select(6) } });
      expect(wide.isError).to.equal(true);
      expect(text(wide)).to.match(
        /^RESULT_UNREADABLE: the row at offset 0 of query [0-9a-f-]{36} does not fit/,
      );
      const wider = await c.client.callTool({ name: 'execute_query', arguments: { sql: select(12) } });
      expect(text(wider)).to.match(/^RESULT_UNREADABLE: the columns of query [0-9a-f-]{36} alone take more/);
    } finally {
      await c.close();
    }
  });

  describe('renderings', () => {
    let c: Connected;
    before(async () => {
      c = await connect(emulator.path);
    });
    after(() => c.close());

    const run = (sql: string, format: string): Promise<Result> =>
      c.client.callTool({ name: 'execute_query', arguments: { sql, format } });

    it('keeps all three values of N, N, N_2 in json, under names that collide with none', async () => {
      const result = await run('SELECT 1 AS N, 2 AS N, 3 AS N_2', 'json');
      expect(JSON.parse(text(result))).to.deep.equal([{ N: 1, N_3: 2, N_2: 3 }]);
      expect(tabular(result).columns.map((col) => col.name)).to.deep.equal(['N', 'N', 'N_2']);
    });

    it('tells SQL NULL from an empty string and empty BINARY in csv', async () => {
      const result = await run(
        "SELECT NULL::TEXT AS A, '' AS B, TO_BINARY('') AS C, NULL::BINARY AS D, 'x' AS E",
        'csv',
      );
      expect(text(result)).to.equal('A,B,C,D,E\r\n,"","",,x');
      expect(tabular(result).rows).to.deep.equal([[null, '', '', null, 'x']]);
    });

    it("tells NULL from 'NULL', and a line feed from the text <br>, in markdown", async () => {
      const result = await run(
        "SELECT NULL::TEXT AS A, 'NULL' AS B, '*NULL*' AS C, 'x' || CHR(10) || 'y' AS D, 'x<br>y' AS E",
        'markdown',
      );
      expect(text(result)).to.equal(
        '| A | B | C | D | E |\n| --- | --- | --- | --- | --- |\n| *NULL* | NULL | \\*NULL\\* | x<br>y | x\\<br>y |',
      );
    });

    it('tells VARIANT JSON null from SQL NULL in structuredContent and in text', async () => {
      const sql = `SELECT PARSE_JSON('null') AS V, NULL::VARIANT AS W, PARSE_JSON('"null"') AS X`;
      const md = await run(sql, 'markdown');
      const r = tabular(md);
      expect(r.rows).to.deep.equal([[null, null, 'null']]);
      expect(r.jsonNulls).to.deep.equal([[0, 0]]);
      expect(text(md)).to.match(/\n\| null \| \*NULL\* \| "null" \|$/);
      expect(text(await run(sql, 'csv'))).to.equal('V,W,X\r\nnull,,"""null"""');
    });

    it('shows control characters as visible escapes in text, exact in structuredContent', async () => {
      const sql =
        "SELECT CHR(27) || ']52;c;aGk=' || CHR(7) || CHR(155) || CHR(13) || CHR(8) || 'end' AS S, " +
        "'tab' || CHR(9) || 'ok' AS T";
      const exact = '\u001b]52;c;aGk=\u0007\u009b\r\bend';
      for (const format of FORMATS) {
        const result = await run(sql, format);
        expect(tabular(result).rows, format).to.deep.equal([[exact, 'tab\tok']]);
        const data = text(result);
        expect(RAW_CONTROLS.test(data), `${format}: ${JSON.stringify(data)}`).to.equal(false);
        if (format === 'json') {
          expect(JSON.parse(data)).to.deep.equal([{ S: exact, T: 'tab\tok' }]);
        } else if (format === 'csv') {
          // CSV keeps CR and LF (legal inside its quoted fields) and tab.
          expect(data).to.equal('S,T\r\n"\\x1b]52;c;aGk=\\x07\\u009b\r\\x08end",tab\tok');
        } else {
          expect(data).to.contain('| \\x1b]52;c;aGk=\\x07\\u009b\\x0d\\x08end | tab\tok |');
        }
      }
    });
  });
});
