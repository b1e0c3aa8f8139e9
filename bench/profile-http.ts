/**
 * Where smcp's server CPU goes per call: runs one server mode of mcp-server-child.ts under
 * `node --cpu-prof`, drives it with `clients` concurrent MCP clients for `seconds`, stops it, and
 * prints the profile's self time per call grouped by area (GC, emulator, DuckDB, snowflake-sdk, MCP
 * SDK, zod, express/http, smcp) and the top functions, with the server CPU µs per call from /proc.
 *
 *   node --import tsx bench/profile-http.ts [--mode smcp|smcp-replay|smcp-constant|baseline] [--stateless] [--clients 64]
 *     [--seconds 8] [--top 40] [--keep]   (--keep leaves the .cpuprofile in bench/results/profiles)
 *
 * Diagnosis only: the profiler itself costs CPU, so the µs per call printed here run above the
 * unprofiled figures of mcp-http.ts.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from './load-gen.js';
import { CONSTANT_TOOL, SELECT1_TOOL, endSession, sessionPlan, statelessPlan } from './mcp-plans.js';
import { round } from './measure.js';
import { startServerProc } from './server-proc.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const mode = arg('mode', 'smcp');
const stateless = process.argv.includes('--stateless');
const clients = Number(arg('clients', '64'));
const seconds = Number(arg('seconds', '8'));
const top = Number(arg('top', '40'));
const keep = process.argv.includes('--keep');
// The constant-tool servers answer `constant`; the others execute_query SELECT 1.
const tool = mode === 'smcp-constant' || mode === 'baseline' ? CONSTANT_TOOL : SELECT1_TOOL;
const dir = keep ? join(process.cwd(), 'bench/results/profiles') : join(tmpdir(), `smcp-prof-${process.pid}`);
mkdirSync(dir, { recursive: true });

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The area a frame belongs to, from its script URL. */
function areaOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)' || fn === '(idle)') return fn;
  if (url.includes('/src/emulator/')) return 'emulator';
  if (url.includes('@duckdb')) return 'duckdb';
  if (url.includes('snowflake-sdk')) return 'snowflake-sdk';
  if (url.includes('@modelcontextprotocol')) return 'mcp-sdk';
  if (url.includes('/zod/')) return 'zod';
  if (/node_modules\/(express|router|body-parser|raw-body|helmet|cors|send|finalhandler)/.test(url))
    return 'express';
  if (url.includes('/src/')) return `smcp ${url.split('/src/')[1]?.split('/')[0] ?? ''}`;
  if (url.startsWith('node:') || url === '') return 'node';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return pkg ? `pkg ${pkg[1]}` : 'other';
}

const server = await startServerProc(mode, stateless ? ['--stateless'] : [], [
  '--cpu-prof',
  `--cpu-prof-dir=${dir}`,
]);
let requests = 0;
// The measured run on the monotonic clock V8's profiler stamps samples with (µs).
const windowUs = [0, 0];
try {
  const spec = {
    url: `${server.url}/mcp`,
    connections: clients,
    check: tool.check,
    plan: (_i: number, post: Parameters<typeof sessionPlan>[1]) =>
      stateless ? Promise.resolve(statelessPlan(tool)) : sessionPlan(tool, post),
    ...(stateless ? {} : { teardown: endSession }),
  };
  await runLoad({ ...spec, durationMs: 2000 });
  const cpu0 = server.cpuSeconds();
  windowUs[0] = Number(process.hrtime.bigint() / 1000n);
  const result = await runLoad({ ...spec, durationMs: seconds * 1000 });
  windowUs[1] = Number(process.hrtime.bigint() / 1000n);
  const cpuSeconds = server.cpuSeconds() - cpu0;
  requests = result.requests;
  console.log(
    `${mode}${stateless ? ' stateless' : ' sessions'}, ${clients} clients: ${round(result.rps, 0)} req/s, ` +
      `${result.errors} errors, ${round((cpuSeconds * 1e6) / requests, 0)} µs CPU/call (profiled)`,
  );
} finally {
  await server.stop();
}

// One profile per thread (tsx's loader thread too): the main thread's is the largest.
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
if (!file) throw new Error(`no profile written in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
let at = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i] ?? 0;
  if (at < windowUs[0] || at > windowUs[1]) continue;
  const next = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + next);
}
const areas = new Map<string, number>();
const fns = new Map<string, number>();
let total = 0;
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  if (functionName === '(idle)') continue;
  total += us;
  const area = areaOf(url, functionName);
  areas.set(area, (areas.get(area) ?? 0) + us);
  const short = url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/');
  const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
}
const perCall = (us: number): number => round(us / Math.max(1, requests), 1);
console.log(`\nmain-thread self time per call by area (µs, measured run only; total ${perCall(total)}):`);
for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1]))
  console.log(`  ${area.padEnd(28)} ${String(perCall(us)).padStart(8)}`);
console.log(`\ntop ${top} functions by self time (µs per call):`);
for (const [key, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`  ${String(perCall(us)).padStart(8)}  ${key}`);
if (!keep) rmSync(dir, { recursive: true, force: true });
else console.log(`\nprofile: ${join(dir, file)}`);
