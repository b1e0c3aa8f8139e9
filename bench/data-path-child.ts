/**
 * One measurement of the data path in a fresh process, printed as a JSON line:
 *   start      — emulator start with sample data (ms), and module import time
 *   cap        — a 1,000,000-row query cut at the row cap: wall time and RSS growth (peak − before)
 *   select1    — SELECT 1 latency through the client layer's pool vs a bare driver connection
 */
// The driver must not probe cloud metadata endpoints: set before anything imports it.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';

import { BENCH_PASSWORD, benchConnection } from './bench-emulator.js';
import { msSince, percentile, round } from './measure.js';

const mode = process.argv[2] ?? 'start';
const importStart = process.hrtime.bigint();
const { startEmulator } = await import('../src/emulator/index.js');
const { SnowflakeClient } = await import('../src/snowflake/client.js');
const importMs = msSince(importStart);

const context = { requestId: 'bench', clientId: 'bench', tool: 'bench' };

const startedAt = process.hrtime.bigint();
const emulator = await startEmulator({ port: 0, password: BENCH_PASSWORD, sampleData: true });
const startMs = msSince(startedAt);

const settings = benchConnection(emulator);

async function measureCap(): Promise<object> {
  const client = await SnowflakeClient.open(settings, { min: 1, max: 2 });
  for (let i = 0; i < 20; i++) {
    await client.query({ sql: 'SELECT 1', maxRows: 10, maxBytes: 1e6, timeoutSeconds: 30, context });
  }
  global.gc?.();
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  const t0 = process.hrtime.bigint();
  const result = await client.query({
    sql: 'SELECT * FROM SAMPLE_DB.SALES.EVENTS',
    maxRows: 1000,
    maxBytes: 10_000_000,
    timeoutSeconds: 60,
    context,
  });
  const wallMs = msSince(t0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  await client.close();
  return {
    wallMs: round(wallMs),
    rssGrowthMb: round((peak - rssBefore) / 2 ** 20),
    rowsReturned: result.rowCount,
    truncated: result.truncated,
    totalRows: result.totalRows,
  };
}

async function measureSelect1(iterations: number): Promise<object> {
  const client = await SnowflakeClient.open(settings, { min: 1, max: 4 });
  const viaClient: number[] = [];
  for (let i = 0; i < iterations + 50; i++) {
    const t0 = process.hrtime.bigint();
    await client.query({ sql: 'SELECT 1', maxRows: 10, maxBytes: 1e6, timeoutSeconds: 30, context });
    if (i >= 50) viaClient.push(msSince(t0));
  }
  await client.close();

  // Baseline: the same statement on one bare driver connection, no pool, no tag, no caps.
  const sdk = (await import('snowflake-sdk')).default;
  const conn = sdk.createConnection({
    account: emulator.account,
    username: 'SMCP',
    password: BENCH_PASSWORD,
    accessUrl: emulator.url,
    warehouse: 'COMPUTE_WH',
  });
  await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
  const bare: number[] = [];
  for (let i = 0; i < iterations + 50; i++) {
    const t0 = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) =>
      conn.execute({ sqlText: 'SELECT 1', complete: (err) => (err ? reject(err) : resolve()) }),
    );
    if (i >= 50) bare.push(msSince(t0));
  }
  await new Promise<void>((resolve) => conn.destroy(() => resolve()));
  return {
    iterations,
    clientP50Ms: round(percentile(viaClient, 50), 3),
    clientP99Ms: round(percentile(viaClient, 99), 3),
    bareDriverP50Ms: round(percentile(bare, 50), 3),
    bareDriverP99Ms: round(percentile(bare, 99), 3),
  };
}

let out: object;
if (mode === 'start') out = { importMs: round(importMs), startMs: round(startMs) };
else if (mode === 'cap') out = await measureCap();
else out = await measureSelect1(Number(process.argv[3] ?? 500));
await emulator.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
