/**
 * What smcp costs a model's context: the bytes of the default tools/list answer (target ≤ 8 KB,
 * 8,192 bytes as the listing test holds it) and the bytes of a 100-row result of a sample table in each text format (markdown,
 * csv, json) and as structuredContent. Bytes are UTF-8 bytes of compact JSON text, as a client
 * hands them to a model: the listing is the `tools` array of the result; a result's text is its
 * first content item's text, its structured part the JSON of `structuredContent`.
 *
 *   node --import tsx bench/context-cost.ts
 *
 * Runs the real smcp runtime (mcp-server-child.ts `smcp`, the embedded emulator with its sample
 * data) with the default settings and asks it over Streamable HTTP (a 2025-11-25 session; the
 * listing is also read stateless, 2026-07-28). Writes bench/results/context-cost.json and the
 * `context-cost` section of bench/REPORT.md. Sizes do not depend on the machine's load.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { poster, resultFor } from './load-gen.js';
import type { Poster } from './load-gen.js';
import { endSession, sessionPlan } from './mcp-plans.js';
import type { ToolUnderTest } from './mcp-plans.js';
import { round } from './measure.js';
import { withSection, writeFormatted } from './report.js';
import { startServerProc } from './server-proc.js';

const RESULTS = new URL('./results/context-cost.json', import.meta.url);
const REPORT = new URL('./REPORT.md', import.meta.url);
/** 8 KB as test/e2e/tool-listing.test.ts holds it: 8 × 1,024 bytes. */
const TARGET_LISTING_BYTES = 8 * 1024;
const FORMATS = ['markdown', 'csv', 'json'] as const;
/** Sample tables of the embedded emulator: mixed types (numbers, dates, timestamps, text, ARRAY, OBJECT). */
const TABLES = ['SAMPLE_DB.SALES.ORDERS', 'SAMPLE_DB.SALES.CUSTOMERS'];

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
const NO_TOOL: ToolUnderTest = { name: 'none', args: {}, check: () => true };

async function ask(
  post: Poster,
  headers: Record<string, string>,
  id: number,
  method: string,
  params: object,
) {
  const answer = await post('POST', headers, JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  const verdict = resultFor(answer, id);
  if (typeof verdict === 'string') throw new Error(`${method}: ${verdict}`);
  return verdict.result;
}

const server = await startServerProc('smcp');
const agent = new Agent({ keepAlive: true });
try {
  const post = poster(`${server.url}/mcp`, agent);
  const plan = await sessionPlan(NO_TOOL, post);
  const listed = (await ask(post, plan.headers, 2, 'tools/list', {})) as { tools: { name: string }[] };
  const stateless = (await ask(
    post,
    {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list',
    },
    3,
    'tools/list',
    {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  )) as { tools: unknown[] };
  const perTool = Object.fromEntries(listed.tools.map((t) => [t.name, bytes(t)]));
  const listing = {
    tools: listed.tools.length,
    bytes: bytes(listed.tools),
    bytesStateless: bytes(stateless.tools),
    perTool,
    target: TARGET_LISTING_BYTES,
    verdict: bytes(listed.tools) <= TARGET_LISTING_BYTES,
  };

  let id = 10;
  const results: Record<string, Record<string, number>> = {};
  for (const table of TABLES) {
    const row: Record<string, number> = {};
    for (const format of FORMATS) {
      const result = (await ask(post, plan.headers, id++, 'tools/call', {
        name: 'execute_query',
        arguments: { sql: `SELECT * FROM ${table} ORDER BY 1 LIMIT 100`, max_rows: 100, format },
      })) as { content: { text: string }[]; structuredContent: { rowCount: number }; isError?: boolean };
      if (result.isError || result.structuredContent.rowCount !== 100)
        throw new Error(`${table} ${format}: ${JSON.stringify(result).slice(0, 300)}`);
      row[format] = Buffer.byteLength(result.content[0]?.text ?? '');
      row.structuredContent = bytes(result.structuredContent);
      row[`whole result (${format})`] = bytes(result);
    }
    results[table] = row;
  }
  await endSession(plan, post);

  const out = { when: new Date().toISOString(), node: process.version, listing, rowsPerResult: 100, results };
  writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out, null, 2));

  const kb = (n: number): string => `${round(n / 1024, 2)} KiB`;
  const md = [
    '## Context cost (bench/context-cost.ts)',
    '',
    `What smcp puts into a model's context, in UTF-8 bytes of compact JSON (1 KiB = 1,024 bytes), default settings, ${process.version}, measured ${out.when.slice(0, 10)}. Raw figures: [results/context-cost.json](results/context-cost.json).`,
    '',
    `- Default tools/list (${listing.tools} tools): **${listing.bytes.toLocaleString('en')} bytes** (${kb(listing.bytes)}; stateless 2026-07-28: ${listing.bytesStateless.toLocaleString('en')}), target ≤ ${kb(TARGET_LISTING_BYTES)}: **${listing.verdict ? 'met' : 'missed'}**.`,
    '',
    '| tool | bytes |',
    '| --- | ---: |',
    ...Object.entries(perTool).map(([name, n]) => `| ${name} | ${n} |`),
    '',
    'Result bytes per 100 rows (`execute_query SELECT * … LIMIT 100`, `max_rows: 100`): the text part in each format, the structuredContent, and the whole result (text + structuredContent) as sent.',
    '',
    '| table | markdown | csv | json | structuredContent | whole (markdown) | whole (csv) | whole (json) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(results).map(
      ([table, r]) =>
        `| ${table} | ${r.markdown} | ${r.csv} | ${r.json} | ${r.structuredContent} | ${r['whole result (markdown)']} | ${r['whole result (csv)']} | ${r['whole result (json)']} |`,
    ),
  ].join('\n');
  await writeFormatted(REPORT, withSection(readFileSync(REPORT, 'utf8'), 'context-cost', md));
} finally {
  agent.destroy();
  await server.stop();
}
