/**
 * Data-path benchmark (issue targets): emulator start with sample data < 2 s; SELECT 1 p50 through
 * the emulator and the pool ≤ 3 ms; a 1M-row query cut at the row cap in < 1 s with RSS growth
 * < 50 MB. Each figure is the median of several fresh processes. bench/run.ts calls
 * measureDataPath; run alone, this file writes bench/results/data-path.json.
 *
 *   node --import tsx bench/data-path.ts [--quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, round, runChild } from './measure.js';

interface StartRun {
  importMs: number;
  startMs: number;
}
interface CapRun {
  wallMs: number;
  rssGrowthMb: number;
  rowsReturned: number;
  truncated: boolean;
}
interface Select1Run {
  clientP50Ms: number;
  clientP99Ms: number;
  bareDriverP50Ms: number;
  bareDriverP99Ms: number;
}

const child = fileURLToPath(new URL('./data-path-child.ts', import.meta.url));

/** Measures every data-path figure over `runs` fresh processes each; `select1Calls` per SELECT 1 run. */
export async function measureDataPath(runs: number, select1Calls: number) {
  const repeat = async <T>(mode: string, args: string[] = []): Promise<T[]> => {
    const out: T[] = [];
    for (let i = 0; i < runs; i++) out.push(await runChild<T>(child, [mode, ...args]));
    return out;
  };
  const starts = await repeat<StartRun>('start');
  const caps = await repeat<CapRun>('cap');
  const selects = await repeat<Select1Run>('select1', [String(select1Calls)]);
  const med = <T>(rows: T[], key: keyof T): number => round(median(rows.map((r) => Number(r[key]))), 3);
  const report = {
    runs,
    emulatorStart: { medianMs: med(starts, 'startMs'), importMs: med(starts, 'importMs'), targetMs: 2000 },
    select1: {
      clientP50Ms: med(selects, 'clientP50Ms'),
      clientP99Ms: med(selects, 'clientP99Ms'),
      bareDriverP50Ms: med(selects, 'bareDriverP50Ms'),
      ratioToBareDriver: round(med(selects, 'clientP50Ms') / med(selects, 'bareDriverP50Ms')),
      targetP50Ms: 3,
    },
    millionRowsCutAtCap: {
      medianWallMs: med(caps, 'wallMs'),
      medianRssGrowthMb: med(caps, 'rssGrowthMb'),
      maxRssGrowthMb: Math.max(...caps.map((c) => c.rssGrowthMb)),
      rowsReturned: caps[0]?.rowsReturned,
      truncated: caps.every((c) => c.truncated),
      targetMs: 1000,
      targetRssGrowthMb: 50,
    },
  };
  const verdicts = {
    emulatorStart: report.emulatorStart.medianMs < 2000,
    select1: report.select1.clientP50Ms <= 3,
    millionRowsTime: report.millionRowsCutAtCap.medianWallMs < 1000,
    millionRowsRss: report.millionRowsCutAtCap.medianRssGrowthMb < 50,
  };
  return { ...report, verdicts };
}

/** What measureDataPath reports. */
export type DataPathResult = Awaited<ReturnType<typeof measureDataPath>>;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    ...(await measureDataPath(quick ? 3 : 5, quick ? 300 : 1000)),
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/data-path.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
}
