/**
 * Where the soak writes (bench/results/soak.json, bench/charts/soak-rss.svg) and the chart drawn
 * from a results file, so `npm run soak -- --render` can redraw it without another run (e.g. after
 * something cleared bench/charts/).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { soakChartSvg } from './soak-chart.js';

/** bench/results/soak.json */
export const RESULTS_FILE = fileURLToPath(new URL('./results/soak.json', import.meta.url));
/** bench/charts/soak-rss.svg */
export const CHART_FILE = fileURLToPath(new URL('./charts/soak-rss.svg', import.meta.url));

/** The parts of soak.json the chart reads. */
export interface SoakChartInput {
  readonly config: { readonly clients: number };
  readonly totals: { readonly loadSeconds: number; readonly calls: number; readonly errors: number };
  readonly memory: {
    readonly fit: { readonly fromMinute: number; readonly slope: number; readonly intercept: number } | null;
  };
  readonly samples: readonly {
    readonly t: number;
    readonly rssMiB: number;
    readonly rssAnonMiB: number;
    readonly callsPerSecond: number;
  }[];
}

/** Writes the results JSON and the chart drawn from it. */
export function writeSoakOutput(results: SoakChartInput): void {
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
  writeSoakChart(results);
}

/** Draws bench/charts/soak-rss.svg from `results`. */
export function writeSoakChart(results: SoakChartInput): void {
  const { config, totals, memory, samples } = results;
  const svg = soakChartSvg(
    samples.map((s) => ({
      minute: s.t / 60,
      rssMiB: s.rssMiB,
      rssAnonMiB: s.rssAnonMiB,
      callsPerSecond: s.callsPerSecond,
    })),
    {
      title: `smcp soak: ${config.clients} clients, ${(totals.loadSeconds / 60).toFixed(1)} min, ${totals.calls} calls, ${totals.errors} errors`,
      ...(memory.fit ? { fit: memory.fit } : {}),
    },
  );
  mkdirSync(fileURLToPath(new URL('./charts/', import.meta.url)), { recursive: true });
  writeFileSync(CHART_FILE, svg);
}

/** Redraws the chart from the last results file. */
export function renderFromResults(): void {
  writeSoakChart(JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as SoakChartInput);
}
