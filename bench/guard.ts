/**
 * The read-only guard on adversarial input: every shape is a ~1 MB statement built to find a
 * super-linear path (long dotted names, deep parentheses, many tokens, statements, comments, CTEs,
 * calls, long strings and quoted identifiers, …). Each is classified a few times in a warm
 * process, as a server would, after one unmeasured run; the median wall-clock time (the verdict),
 * its CPU time and the worst run are reported against the target (100 ms for 1 MB), with the
 * median at a quarter of the size beside it: linear work grows about 4× from there, quadratic 16×. Shapes that would take far too
 * long at full size (a quadratic path) are reported from the smaller sizes. The machine's load
 * average is recorded: on a shared machine wall-clock times grow with it, CPU times much less.
 * Writes bench/results/guard.json.
 *
 *   node --import tsx bench/guard.ts [--runs 7]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFragment, checkSql } from '../src/mcp/guard/index.js';
import type { GuardPolicy } from '../src/mcp/guard/index.js';
import { median, round } from './measure.js';

const TARGET_MS = 100;
const SIZE = 1_000_000;
const FRAGMENT_SIZE = 64_000;
const READ_ONLY: GuardPolicy = { allowWrite: false, allowDdl: false };
const WRITES: GuardPolicy = { allowWrite: true, allowDdl: true };

/** `head`, then `unit` repeated, then `tail`, about `size` characters in all. */
function fill(head: string, unit: string, tail: string, size = SIZE): string {
  const count = Math.max(1, Math.floor((size - head.length - tail.length) / unit.length));
  return head + unit.repeat(count) + tail;
}

/** `open` repeated, a middle, then `close` repeated as often: nesting of about `size` characters. */
function nest(head: string, open: string, middle: string, close: string, size = SIZE): string {
  const count = Math.max(1, Math.floor((size - head.length - middle.length) / (open.length + close.length)));
  return head + open.repeat(count) + middle + close.repeat(count);
}

interface Shape {
  readonly name: string;
  readonly build: (size: number) => string;
  readonly policy?: GuardPolicy;
  /** Checked as a query_view WHERE fragment (64 KB limit) instead of a statement. */
  readonly fragment?: boolean;
}

const SHAPES: readonly Shape[] = [
  { name: 'long dotted name called as a table', build: (s) => fill('SELECT * FROM ', 'a.', 'a()', s) },
  { name: 'long dotted name in TABLE(…)', build: (s) => fill('SELECT * FROM TABLE(', 'a.', 'f())', s) },
  {
    name: 'INFORMATION_SCHEMA chain in TABLE(…)',
    build: (s) => fill('SELECT * FROM TABLE(', 'INFORMATION_SCHEMA.', 'QUERY_HISTORY())', s),
  },
  { name: 'long dotted name as a column', build: (s) => fill('SELECT ', 'a.', 'a FROM t', s) },
  { name: 'deep parentheses in a SELECT', build: (s) => nest('SELECT ', '(', '1', ')', s) },
  { name: 'deep parentheses around a SELECT', build: (s) => nest('', '(', 'SELECT 1', ')', s) },
  { name: 'unbalanced parentheses', build: (s) => fill('SELECT ', '(', '1', s) },
  { name: 'deep parentheses after FROM', build: (s) => nest('SELECT * FROM ', '(', 'SELECT 1', ')', s) },
  { name: 'nested a.a(a.a(…', build: (s) => nest('SELECT ', 'a.a(', '1', ')', s) },
  { name: 'nested TABLE(TABLE(…', build: (s) => nest('SELECT * FROM ', 'TABLE(', 'FLATTEN(x)', ')', s) },
  { name: 'nested IDENTIFIER(…', build: (s) => nest('SELECT ', 'IDENTIFIER(', "'t'", ')', s) },
  { name: 'many single-character tokens', build: (s) => fill('SELECT 1', '+1', '', s) },
  { name: 'many function calls', build: (s) => fill('SELECT f(1)', ', f(1)', ' FROM t', s) },
  {
    name: 'many TABLE(FLATTEN(…)) in FROM',
    build: (s) => fill('SELECT * FROM t', ', TABLE(FLATTEN(t.v))', '', s),
  },
  { name: 'many tables in a FROM list', build: (s) => fill('SELECT * FROM t', ', t', '', s) },
  { name: 'many small statements', build: (s) => fill('', 'SELECT 1;', '', s) },
  { name: 'many block comments', build: (s) => fill('SELECT 1 ', '/**/', '', s) },
  { name: 'many line comments (CRLF)', build: (s) => fill('SELECT 1 ', '--c\r\n', '', s) },
  { name: 'one long string', build: (s) => fill("SELECT '", 'x', "'", s) },
  { name: "a long string of '' escapes", build: (s) => fill("SELECT '", "''", "'", s) },
  { name: 'one long $$ string', build: (s) => fill('SELECT $$', 'x', '$$', s) },
  { name: 'one long quoted identifier', build: (s) => fill('SELECT "', 'x', '"', s) },
  { name: 'a quoted identifier of "" escapes', build: (s) => fill('SELECT "', '""', '"', s) },
  { name: 'many CTEs', build: (s) => fill('WITH c AS (SELECT 1)', ', c AS (SELECT 1)', ' SELECT 1', s) },
  {
    name: 'CTEs with column lists',
    build: (s) => fill('WITH c (a) AS (SELECT 1)', ', c (a) AS (SELECT 1)', ' SELECT 1', s),
  },
  { name: 'long ->> chain', build: (s) => fill('SELECT 1', ' ->> SELECT 1', '', s) },
  {
    name: 'long ->> chain of parenthesised reads',
    build: (s) => fill('(SELECT 1)', ' ->> (SELECT 1)', '', s),
  },
  { name: 'EXPLAIN of deep parentheses', build: (s) => nest('EXPLAIN ', '(', 'SELECT 1', ')', s) },
  { name: 'EXPLAIN chain', build: (s) => fill('', 'EXPLAIN ', 'SELECT 1', s) },
  { name: 'many string literals', build: (s) => fill("SELECT 'a'", ", 'a'", '', s) },
  { name: 'many $$ strings', build: (s) => fill('SELECT $$a$$', ', $$a$$', '', s) },
  { name: 'one long word', build: (s) => fill('SELECT ', 'a', ' FROM t', s) },
  { name: 'many stage paths', build: (s) => fill('SELECT * FROM @s/a', ', @s/a', '', s) },
  {
    name: 'nested subqueries in FROM',
    build: (s) => nest('SELECT * FROM ', '(SELECT * FROM ', 't', ') x', s),
  },
  {
    name: 'many IS DISTINCT FROM',
    build: (s) => fill('SELECT * FROM t WHERE a', " IS DISTINCT FROM 'x' AND a", '', s),
  },
  {
    name: 'non-ASCII comment lines (CRLF)',
    build: (s) => fill('SELECT 1 ', '-- 日本語のコメント ünïcødé\r\n', '', s),
  },
  { name: 'semi-structured path', build: (s) => fill('SELECT v', ':a', ' FROM t', s) },
  {
    name: 'DML with many FROM items',
    build: (s) => fill('DELETE FROM t USING u', ', u', '', s),
    policy: WRITES,
  },
  {
    name: 'where fragment: nested subqueries (64 KB)',
    build: (s) => nest('a IN ', '(SELECT ', '1', ')', Math.min(s, FRAGMENT_SIZE)),
    fragment: true,
  },
  {
    name: 'where fragment: long dotted call (64 KB)',
    build: (s) => fill('', 'a.', 'a() = 1', Math.min(s, FRAGMENT_SIZE)),
    fragment: true,
  },
];

function check(shape: Shape, sql: string): boolean {
  if (shape.fragment) return checkFragment(sql, 'where').allowed;
  return checkSql(sql, shape.policy ?? READ_ONLY).allowed;
}

/** One classification: wall-clock and CPU milliseconds (CPU is steadier on a shared machine). */
function timeOnce(shape: Shape, sql: string): { ms: number; cpuMs: number; allowed: boolean } {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const allowed = check(shape, sql);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, allowed };
}

interface Runs {
  median: number;
  max: number;
  cpuMedian: number;
  allowed: boolean;
}

function medianOf(shape: Shape, sql: string, runs: number): Runs {
  const times: number[] = [];
  const cpu: number[] = [];
  let allowed = false;
  for (let k = 0; k < runs; k++) {
    const t = timeOnce(shape, sql);
    times.push(t.ms);
    cpu.push(t.cpuMs);
    allowed = t.allowed;
  }
  return { median: median(times), max: Math.max(...times), cpuMedian: median(cpu), allowed };
}

/** One shape's figures. */
export interface ShapeResult {
  readonly name: string;
  readonly chars: number;
  readonly verdict: 'allowed' | 'refused';
  readonly medianMs: number;
  readonly maxMs: number;
  /** Median process CPU time of the same runs (includes the garbage collector's threads). */
  readonly cpuMedianMs: number;
  /** Median at a quarter of the size; `growth` is medianMs over it (≈4 linear, ≈16 quadratic). */
  readonly quarterMedianMs: number;
  readonly growth: number;
  /** True when the full size was not run because the smaller sizes predicted minutes. */
  readonly extrapolated: boolean;
  readonly met: boolean;
}

function measureShape(shape: Shape, runs: number): ShapeResult {
  const size = shape.fragment ? FRAGMENT_SIZE : SIZE;
  const quarterSql = shape.build(Math.floor(size / 4));
  timeOnce(shape, quarterSql); // warm-up
  const quarter = medianOf(shape, quarterSql, runs);
  const sql = shape.build(size);
  // Quadratic growth from the quarter size predicts 16×; skip what would take minutes to run.
  const predicted = quarter.median * 16;
  const extrapolated = predicted > 60_000;
  if (!extrapolated && predicted <= 5_000) timeOnce(shape, sql); // warm-up at full size
  const full: Runs = extrapolated
    ? { median: predicted, max: predicted, cpuMedian: predicted, allowed: quarter.allowed }
    : medianOf(shape, sql, predicted > 5_000 ? 1 : runs);
  return {
    name: shape.name,
    chars: sql.length,
    verdict: full.allowed ? 'allowed' : 'refused',
    medianMs: round(full.median),
    maxMs: round(full.max),
    cpuMedianMs: round(full.cpuMedian),
    quarterMedianMs: round(quarter.median),
    growth: round(full.median / Math.max(quarter.median, 0.001), 1),
    extrapolated,
    met: full.median < TARGET_MS,
  };
}

function main(): void {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 7) : 7;
  const started = Date.now();
  const loadBefore = loadavg().map((l) => round(l));
  const results: ShapeResult[] = [];
  for (const shape of SHAPES) {
    const r = measureShape(shape, runs);
    results.push(r);
    const mark = r.met ? 'met ' : 'MISS';
    console.log(
      `${mark} ${r.medianMs.toFixed(2).padStart(9)} ms (cpu ${r.cpuMedianMs.toFixed(2).padStart(8)}, max ${r.maxMs.toFixed(2).padStart(9)}, ` +
        `¼ size ${r.quarterMedianMs.toFixed(2).padStart(8)}, ×${r.growth}) ${r.verdict.padEnd(7)} ${r.name}` +
        (r.extrapolated ? ' [extrapolated]' : ''),
    );
  }
  const worst = results.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  const report = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      loadAvgBefore: loadBefore,
      loadAvgAfter: loadavg().map((l) => round(l)),
    },
    targetMs: TARGET_MS,
    sizeChars: SIZE,
    fragmentSizeChars: FRAGMENT_SIZE,
    runs,
    durationSeconds: round((Date.now() - started) / 1000, 1),
    met: results.every((r) => r.met),
    worst: { name: worst.name, medianMs: worst.medianMs },
    shapes: results,
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'guard.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `${report.met ? 'target met' : 'target MISSED'}: worst ${worst.medianMs} ms (${worst.name}) against ${TARGET_MS} ms for 1 MB; wrote ${out}`,
  );
}

main();
