/**
 * Arrow encoding benchmark: the 1,000,000-row SAMPLE_DB.SALES.EVENTS result encoded as Snowflake's
 * Arrow IPC chunks (50,000 rows each, the wire's largest chunk) against the same rows as JSON chunk
 * text, from rows already read (and, apart, the time to read them back as values from the result's
 * JSON spool, which the Arrow path pays and the JSON path does not); then the whole result fetched
 * over the wire by a client that asked for Arrow (first part + every chunk downloaded, one after
 * the other), against JSON. Medians of `--runs` (default 3).
 * Writes bench/results/arrow-encode.json.
 *
 *   node --import tsx bench/arrow-encode.ts [--runs N]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/index.js';
import { arrowIpc } from '../src/emulator/server/arrow-encode.js';
import { createEngine } from '../src/emulator/sql/engine.js';
import type { EmulatorSession } from '../src/emulator/engine-types.js';
import { median, msSince, round } from './measure.js';

const SQL = 'SELECT * FROM SAMPLE_DB.SALES.EVENTS';
const CHUNK_ROWS = 50_000;

interface EncodeRun {
  /** Reading the (already produced) rows back as values: what the Arrow path adds before encoding. */
  readMs: number;
  arrowMs: number;
  arrowBytes: number;
  jsonMs: number;
  jsonBytes: number;
}

async function encodeRuns(runs: number): Promise<{ rows: number; columns: string[]; runs: EncodeRun[] }> {
  const engine = await createEngine({ sampleData: true });
  try {
    const session: EmulatorSession = {
      id: 'bench',
      user: 'BENCH',
      grantedRoles: ['SYSADMIN'],
      role: 'SYSADMIN',
      warehouse: 'COMPUTE_WH',
      database: null,
      schema: null,
      params: new Map(),
    };
    const result = await engine.execute(session, SQL, { queryId: randomUUID() });
    const pages: (string | null)[][][] = [];
    for (let offset = 0; offset < result.rowCount; offset += CHUNK_ROWS) {
      pages.push(await result.readRows(offset, CHUNK_ROWS));
    }
    const out: EncodeRun[] = [];
    for (let i = 0; i < runs; i++) {
      let t = process.hrtime.bigint();
      for (let offset = 0; offset < result.rowCount; offset += CHUNK_ROWS)
        await result.readRows(offset, CHUNK_ROWS);
      const readMs = msSince(t);
      t = process.hrtime.bigint();
      let arrowBytes = 0;
      for (const page of pages) arrowBytes += arrowIpc(result.columns, page).byteLength;
      const arrowMs = msSince(t);
      t = process.hrtime.bigint();
      let jsonBytes = 0;
      for (const page of pages)
        jsonBytes += Buffer.byteLength(page.map((row) => JSON.stringify(row)).join(','));
      const jsonMs = msSince(t);
      out.push({ readMs, arrowMs, arrowBytes, jsonMs, jsonBytes });
    }
    const rows = result.rowCount;
    const columns = result.columns.map((c) => `${c.name}:${c.type}`);
    result.close();
    return { rows, columns, runs: out };
  } finally {
    await engine.close();
  }
}

interface WireRun {
  ms: number;
  rows: number;
  bytes: number;
}

/** Fetches the whole result over HTTP as a client asking for `format` would (chunks one by one). */
async function wireRun(format: 'ARROW' | 'JSON'): Promise<WireRun> {
  const emulator = await startEmulator({ password: 'bench-secret' });
  try {
    const post = async (path: string, body: unknown, token?: string): Promise<Record<string, unknown>> => {
      const res = await fetch(emulator.url + path, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Snowflake Token="${token}"` } : {}),
        },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const login = await post('/session/v1/login-request', {
      data: {
        ACCOUNT_NAME: emulator.account,
        LOGIN_NAME: 'SMCP',
        PASSWORD: 'bench-secret',
        CLIENT_APP_ID: 'PythonConnector',
        SESSION_PARAMETERS: { PYTHON_CONNECTOR_QUERY_RESULT_FORMAT: format },
      },
    });
    const token = (login.data as { token: string }).token;
    const t = process.hrtime.bigint();
    const answer = await post('/queries/v1/query-request', { sqlText: SQL }, token);
    const data = answer.data as {
      rowset?: unknown[];
      rowsetBase64?: string;
      returned: number;
      chunks: { url: string }[];
    };
    let bytes =
      format === 'ARROW'
        ? Buffer.byteLength(data.rowsetBase64 ?? '', 'base64')
        : JSON.stringify(data.rowset).length;
    for (const chunk of data.chunks) bytes += (await (await fetch(chunk.url)).arrayBuffer()).byteLength;
    return { ms: msSince(t), rows: data.returned, bytes };
  } finally {
    await emulator.close();
  }
}

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 3;

const encode = await encodeRuns(runs);
const arrowMs = median(encode.runs.map((r) => r.arrowMs));
const jsonMs = median(encode.runs.map((r) => r.jsonMs));
const arrowWire: WireRun[] = [];
const jsonWire: WireRun[] = [];
for (let i = 0; i < runs; i++) {
  arrowWire.push(await wireRun('ARROW'));
  jsonWire.push(await wireRun('JSON'));
}
const report = {
  query: SQL,
  rows: encode.rows,
  columns: encode.columns,
  runs,
  encodeOnly: {
    readRowsMedianMs: round(median(encode.runs.map((r) => r.readMs)), 1),
    arrowMedianMs: round(arrowMs, 1),
    arrowRowsPerSecond: Math.round(encode.rows / (arrowMs / 1000)),
    arrowMbPerSecond: round(encode.runs[0].arrowBytes / 2 ** 20 / (arrowMs / 1000), 1),
    arrowBytes: encode.runs[0].arrowBytes,
    jsonMedianMs: round(jsonMs, 1),
    jsonBytes: encode.runs[0].jsonBytes,
  },
  wholeResultOverHttp: {
    arrowMedianMs: round(median(arrowWire.map((r) => r.ms)), 1),
    arrowRowsPerSecond: Math.round(encode.rows / (median(arrowWire.map((r) => r.ms)) / 1000)),
    arrowBytes: arrowWire[0].bytes,
    jsonMedianMs: round(median(jsonWire.map((r) => r.ms)), 1),
    jsonBytes: jsonWire[0].bytes,
    rowsReturned: arrowWire[0].rows,
  },
};
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}arrow-encode.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
