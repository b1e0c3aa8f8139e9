/**
 * Small dependency-free SVG line charts for the benchmark report: categorical x axis (client
 * counts), linear or log10 y axis, one polyline per series (solid or dashed), optional horizontal
 * reference line, legend on the right. Output is a self-contained SVG document.
 */

/** One line of a chart; NaN values leave a gap. */
export interface ChartSeries {
  readonly name: string;
  readonly values: readonly number[];
  readonly color: string;
  readonly dashed?: boolean;
}

/** A chart to draw. */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xTicks: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly log?: boolean;
  /** A horizontal reference line (e.g. a target ratio). */
  readonly reference?: { value: number; label: string };
}

const W = 760;
const H = 360;
const PAD = { left: 70, right: 230, top: 40, bottom: 50 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmt(v: number): string {
  if (v >= 1000) return `${Math.round(v / 100) / 10}k`.replace('.0k', 'k');
  if (v >= 10) return String(Math.round(v));
  if (v >= 1) return String(Math.round(v * 10) / 10);
  return String(Math.round(v * 100) / 100);
}

/** Y ticks: powers of ten for log scale, five steps for linear. */
function yTicks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
    return out;
  }
  const step = max / 5;
  const mag = 10 ** Math.floor(Math.log10(step));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step) ?? step;
  const out: number[] = [];
  for (let v = 0; v <= max + nice / 2; v += nice) out.push(v);
  return out;
}

/** Renders `chart` as an SVG document. */
export function renderLineChart(chart: LineChart): string {
  const values = chart.series
    .flatMap((s) => s.values)
    .filter((v) => Number.isFinite(v) && (!chart.log || v > 0));
  if (chart.reference) values.push(chart.reference.value);
  const log = chart.log ?? false;
  const lo = log ? Math.min(...values) : 0;
  const hi = Math.max(...values, log ? 1 : 0.001);
  const ticks = yTicks(lo, hi, log);
  const yMin = log ? ticks[0] : 0;
  const yMax = ticks[ticks.length - 1];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number): number =>
    PAD.left + (chart.xTicks.length === 1 ? plotW / 2 : (i * plotW) / (chart.xTicks.length - 1));
  const y = (v: number): number => {
    const t = log
      ? (Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))
      : (v - yMin) / (yMax - yMin);
    return PAD.top + plotH * (1 - t);
  };
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2 - PAD.right / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(chart.title)}</text>`,
  ];
  for (const t of ticks) {
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="#e3e3e3"/>`,
      `<text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" fill="#444">${fmt(t)}</text>`,
    );
  }
  chart.xTicks.forEach((label, i) => {
    out.push(
      `<text x="${x(i)}" y="${PAD.top + plotH + 18}" text-anchor="middle" fill="#444">${esc(label)}</text>`,
    );
  });
  out.push(
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#888"/>`,
    `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#888"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${H - 10}" text-anchor="middle">${esc(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(chart.yLabel)}${log ? ' (log scale)' : ''}</text>`,
  );
  if (chart.reference) {
    const ry = y(chart.reference.value);
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${ry}" y2="${ry}" stroke="#c00" stroke-dasharray="2 3"/>`,
      `<text x="${PAD.left + plotW - 4}" y="${ry - 5}" text-anchor="end" fill="#c00">${esc(chart.reference.label)}</text>`,
    );
  }
  chart.series.forEach((s, n) => {
    const points = s.values
      .map((v, i) =>
        Number.isFinite(v) && (!log || v > 0) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : undefined,
      )
      .filter((p): p is string => p !== undefined);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${points.join(' ')}"/>`,
    );
    for (const p of points) {
      const [px, py] = p.split(',');
      out.push(`<circle cx="${px}" cy="${py}" r="3" fill="${s.color}"/>`);
    }
    const ly = PAD.top + 8 + n * 20;
    const lx = W - PAD.right + 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
