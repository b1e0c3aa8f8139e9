/**
 * `smcp stdio` on the daemon: start-to-first-answer of a bridged `smcp stdio` (spawn → its answer
 * to initialize on stdout) against the wall time of `node -e 0`, runs interleaved in the same run
 * so machine noise hits both alike, medians compared (target ≤ 2×); the in-process `smcp stdio
 * --no-daemon` for reference; and every module the bridge loads to answer (through
 * bench/load-log.js), with the heavy ones it must not load checked absent. Writes
 * bench/results/stdio-bridge.json and the `stdio-bridge` section of bench/REPORT.md.
 *
 *   node --import tsx bench/stdio-bridge.ts [--quick]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchHome, buildIfStale, REPO_ROOT, SMCP_BIN } from './bench-home.js';
import { median, percentile, round } from './measure.js';
import { withSection, writeFormatted } from './report.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 15 : 40;
const IN_PROCESS_ROUNDS = quick ? 3 : 7;
const RESULTS = fileURLToPath(new URL('./results/stdio-bridge.json', import.meta.url));
const REPORT = new URL('./REPORT.md', import.meta.url);
const LOAD_LOG_HOOK = fileURLToPath(new URL('./load-log.js', import.meta.url));
/** What a bridged `smcp stdio` must not load to answer. */
const MUST_NOT_LOAD = [
  'yargs',
  'zod',
  'snowflake-sdk',
  '@duckdb',
  '@modelcontextprotocol',
  'express',
  'dist/emulator/',
  'dist/mcp/',
];

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
})}\n`;

const home = benchHome('smcp-bench-bridge-');
const env: NodeJS.ProcessEnv = { ...home.env, PM2_HOME: join(home.env.HOME ?? '', 'pm2') };

function nodeE0(): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-e', '0'], { env });
  if (run.status !== 0) throw new Error('node -e 0 failed');
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Spawns `smcp stdio …args`, sends initialize, resolves the ms until the answer's line arrived. */
function firstAnswer(
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
  nodeArgs: string[] = [],
): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [...nodeArgs, SMCP_BIN, 'stdio', ...args], {
      env: { ...env, ...extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let ms: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ms === undefined && out.includes('\n')) {
        ms = Number(process.hrtime.bigint() - start) / 1e6;
        child.stdin.end();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const answer = out.split('\n')[0] ?? '';
      if (ms === undefined || !answer.includes('"protocolVersion"')) {
        return reject(
          new Error(`smcp stdio ${args.join(' ')} exited ${code} without answering: ${out}${err}`),
        );
      }
      resolve(ms);
    });
    child.stdin.write(INITIALIZE);
  });
}

function summary(values: number[]): { p50: number; p90: number; min: number } {
  return { p50: round(median(values)), p90: round(percentile(values, 90)), min: round(Math.min(...values)) };
}

/** The modules a bridged `smcp stdio` loaded to answer, grouped: smcp's own files and packages. */
async function loadedModules(): Promise<{ smcp: string[]; packages: string[]; builtins: string[] }> {
  const log = join(env.HOME ?? '', 'load.log');
  rmSync(log, { force: true });
  await firstAnswer([], { SMCP_LOAD_LOG: log }, ['--import', LOAD_LOG_HOOK]);
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const root = `file://${REPO_ROOT}`;
  const smcp = urls
    .filter((u) => u.startsWith(root) && !u.includes('/node_modules/'))
    .map((u) => u.slice(root.length));
  const packages = [
    ...new Set(
      urls
        .map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1])
        .filter((p): p is string => p !== undefined),
    ),
  ];
  const builtins = urls.filter((u) => u.startsWith('node:'));
  return { smcp, packages, builtins };
}

const started = performance.now();
try {
  buildIfStale((line) => console.log(line));
  const start = spawnSync(process.execPath, [SMCP_BIN, 'start', '--port', '0'], { env, encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`smcp start failed: ${start.stderr}`);
  for (let i = 0; i < 3; i++) {
    nodeE0();
    await firstAnswer([]);
  }
  const node: number[] = [];
  const bridged: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    node.push(nodeE0());
    bridged.push(await firstAnswer([]));
  }
  const inProcess: number[] = [];
  for (let i = 0; i < IN_PROCESS_ROUNDS; i++) inProcess.push(await firstAnswer(['--no-daemon']));
  const loaded = await loadedModules();
  const forbidden = MUST_NOT_LOAD.filter(
    (name) => loaded.packages.some((p) => p.startsWith(name)) || loaded.smcp.some((f) => f.includes(name)),
  );
  const ratio = round(median(bridged) / median(node));
  const results = {
    measuredAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    node: process.version,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      loadAvg: loadavg().map((l) => round(l)),
    },
    rounds: ROUNDS,
    nodeE0Ms: summary(node),
    bridgedFirstAnswerMs: summary(bridged),
    inProcessFirstAnswerMs: summary(inProcess),
    ratio,
    inProcessRatio: round(median(inProcess) / median(node)),
    target: 2,
    met: ratio <= 2 && forbidden.length === 0,
    loaded: { ...loaded, forbidden },
    durationSeconds: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  const report = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '# smcp benchmark report\n';
  await writeFormatted(REPORT, withSection(report, 'stdio-bridge', section(results)));
  console.log(
    `node -e 0 p50 ${results.nodeE0Ms.p50} ms | bridged smcp stdio first answer p50 ${results.bridgedFirstAnswerMs.p50} ms ` +
      `(${ratio}x, target <= 2x) | in-process p50 ${results.inProcessFirstAnswerMs.p50} ms (${results.inProcessRatio}x) | ` +
      `loaded ${loaded.smcp.length} smcp files, packages: ${loaded.packages.join(', ') || 'none'}; forbidden: ${forbidden.join(', ') || 'none'}`,
  );
} finally {
  spawnSync(process.execPath, [SMCP_BIN, 'stop', '--force', '--timeout', '0'], { env, timeout: 30_000 });
  home.remove();
}

type Results = {
  measuredAt: string;
  mode: string;
  node: string;
  machine: { cpus: number; model: string; loadAvg: number[] };
  rounds: number;
  nodeE0Ms: { p50: number; p90: number };
  bridgedFirstAnswerMs: { p50: number; p90: number };
  inProcessFirstAnswerMs: { p50: number; p90: number };
  ratio: number;
  inProcessRatio: number;
  met: boolean;
  loaded: { smcp: string[]; packages: string[]; builtins: string[]; forbidden: string[] };
};

function section(r: Results): string {
  return [
    '## `smcp stdio` on the daemon: start to first answer',
    '',
    `Run ${r.measuredAt} in **${r.mode}** mode (\`npm run bench:stdio-bridge\`), Node ${r.node}, ${r.machine.cpus} × ${r.machine.model}, load average ${r.machine.loadAvg.join(' / ')} at the end. A background daemon on the embedded emulator in an isolated home; each run spawns \`bin/smcp stdio\`, writes a 2025-era initialize and stops the clock when the answer's line arrives on stdout; ${r.rounds} runs interleaved with \`node -e 0\`. Raw figures: [results/stdio-bridge.json](results/stdio-bridge.json).`,
    '',
    '| what | p50 ms | p90 ms | × `node -e 0` (p50) |',
    '| --- | ---: | ---: | ---: |',
    `| \`node -e 0\` | ${r.nodeE0Ms.p50} | ${r.nodeE0Ms.p90} | 1 |`,
    `| bridged \`smcp stdio\`, spawn → initialize answered | ${r.bridgedFirstAnswerMs.p50} | ${r.bridgedFirstAnswerMs.p90} | **${r.ratio}** |`,
    `| in-process \`smcp stdio --no-daemon\` (reference) | ${r.inProcessFirstAnswerMs.p50} | ${r.inProcessFirstAnswerMs.p90} | ${r.inProcessRatio} |`,
    '',
    `Target ≤ 2× \`node -e 0\`: **${r.met ? 'met' : 'missed'}**. What the bridged process loaded to answer: ${r.loaded.smcp.length} smcp files (${r.loaded.smcp.join(', ')}), packages ${r.loaded.packages.map((p) => `\`${p}\``).join(', ') || 'none'}, built-ins ${r.loaded.builtins.map((b) => `\`${b}\``).join(', ')}. None of ${MUST_NOT_LOAD.map((m) => `\`${m}\``).join(', ')}${r.loaded.forbidden.length ? ` — except ${r.loaded.forbidden.join(', ')}` : ''}.`,
  ].join('\n');
}
