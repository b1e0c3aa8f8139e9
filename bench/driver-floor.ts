/**
 * The floor of the data path through snowflake-sdk: smcp's SnowflakeClient (pool, slot gate,
 * statement runner, serialization) and the driver against a server that does no work at all — a
 * bare node:http server in its own process answering every query-request with one canned SELECT 1
 * result. CPU µs per statement of this process is what each query costs on the client side before
 * any database (or emulator) work; compare it with a whole call of the baseline MCP server in
 * bench/results/mcp.json (`http.variants[baseline].serverCpuUsPerCall`).
 *
 *   node --import tsx bench/driver-floor.ts [--count 3000] [--rounds 3] [--loops 64] [--no-save]
 *
 * Prints one JSON line per round, then a summary, and writes it as the `driverFloor` section of
 * bench/results/mcp.json (not with --no-save: bench/run.ts reads the last line instead).
 */
// The driver must not probe cloud metadata endpoints: set before anything imports it.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';

import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { median, round } from './measure.js';
import { writeSection } from './mcp-results.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** The canned server: login, one fixed SELECT 1 answer for every statement, `{success:true}` else. */
function serveCanned(): void {
  const parameters = [
    { name: 'TIMEZONE', value: 'UTC' },
    { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS.FF9' },
    { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
  ];
  const column = {
    name: '1',
    database: '',
    schema: '',
    table: '',
    type: 'fixed',
    nullable: false,
    precision: 1,
    scale: 0,
    length: null,
    byteLength: null,
    collation: null,
  };
  const answer = (url: string): unknown => {
    if (url.startsWith('/session/v1/login-request')) {
      return {
        success: true,
        data: {
          token: 'session-token',
          masterToken: 'master-token',
          validityInSeconds: 3600,
          masterValidityInSeconds: 14400,
          sessionId: 1,
          parameters,
        },
      };
    }
    if (url.startsWith('/queries/v1/query-request')) {
      return {
        success: true,
        code: null,
        message: null,
        data: {
          parameters,
          rowtype: [column],
          rowset: [['1']],
          total: 1,
          returned: 1,
          queryId: randomUUID(),
          finalDatabaseName: null,
          finalSchemaName: null,
          finalWarehouseName: 'COMPUTE_WH',
          finalRoleName: 'ACCOUNTADMIN',
          statementTypeId: 4096,
          version: 1,
          queryResultFormat: 'json',
          chunkHeaders: {},
          chunks: [],
        },
      };
    }
    return { success: true, code: null, message: null, data: null };
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const text = JSON.stringify(answer(req.url ?? '/'));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

async function measure(): Promise<void> {
  const count = Number(arg('count', '3000'));
  const rounds = Number(arg('rounds', '3'));
  const loops = Number(arg('loops', '64'));
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { port } = await new Promise<{ port: number }>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`canned server exited (${code})`)));
      child.once('message', (m) => resolve(m as { port: number }));
    });
    const { emulatorConnection } = await import('../src/snowflake/settings-view.js');
    const { SnowflakeClient } = await import('../src/snowflake/client.js');
    const settings = emulatorConnection({
      host: '127.0.0.1',
      port,
      account: 'SMCPLOCAL',
      user: 'SMCP',
      password: 'canned',
      warehouse: 'COMPUTE_WH',
    });
    const client = await SnowflakeClient.open(settings, { min: 0, max: 8 });
    try {
      let seq = 0;
      const one = async (): Promise<void> => {
        const r = await client.query({
          sql: 'SELECT 1',
          maxRows: 1000,
          maxBytes: 1 << 20,
          timeoutSeconds: 30,
          context: { requestId: `r${++seq}`, clientId: 'bench', tool: 'floor' },
        });
        if (r.rows[0]?.[0] !== 1) throw new Error(`unexpected answer ${JSON.stringify(r.rows)}`);
      };
      const run = async (total: number): Promise<{ qps: number; cpuUs: number }> => {
        let left = total;
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: loops }, async () => {
            while (left > 0) {
              left--;
              await one();
            }
          }),
        );
        const cpu = process.cpuUsage(cpu0);
        return {
          qps: (total * 1000) / (performance.now() - t0),
          cpuUs: (cpu.user + cpu.system) / total,
        };
      };
      await run(Math.min(2000, count)); // warm the pool and the JIT
      const figures: { qps: number; cpuUs: number }[] = [];
      for (let r = 0; r < rounds; r++) {
        const m = await run(count);
        figures.push(m);
        process.stdout.write(
          `${JSON.stringify({ round: r + 1, qps: round(m.qps, 0), cpuUs: round(m.cpuUs, 0) })}\n`,
        );
      }
      const summary = {
        when: new Date().toISOString(),
        node: process.version,
        what: `SnowflakeClient SELECT 1 from ${loops} loops against a canned-answer server in another process: client-side CPU per statement (driver + smcp client layer)`,
        loops,
        count,
        rounds,
        queriesPerSec: round(median(figures.map((f) => f.qps)), 0),
        cpuUsPerStatement: round(median(figures.map((f) => f.cpuUs)), 0),
      };
      if (!process.argv.includes('--no-save')) writeSection('driverFloor', summary);
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } finally {
      await client.close();
    }
  } finally {
    child.disconnect();
  }
}

if (process.argv.includes('--serve')) serveCanned();
else await measure();
