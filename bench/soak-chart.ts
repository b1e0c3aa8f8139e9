/**
 * The soak's chart as plain SVG: the daemon's RSS (and its anonymous part) over time on the left
 * axis, calls per second as a shaded area on the right axis, the part after warm-up marked and
 * the fitted RSS trend line drawn over it.
 */

/** One point of the chart. */
export interface ChartPoint {
  /** Minutes since the clients started. */
  readonly minute: number;
  readonly rssMiB: number;
  readonly rssAnonMiB: number;
  readonly callsPerSecond: number;
}

/** What the chart shows besides the points. */
export interface ChartOptions {
  readonly title: string;
  /** Start of the judged window (minutes) and the fitted line over it: y = intercept + slope·minute. */
  readonly fit?: { readonly fromMinute: number; readonly slope: number; readonly intercept: number };
}

const W = 960;
const H = 440;
const M = { left: 70, right: 75, top: 56, bottom: 50 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** A "nice" axis maximum and step for values up to `max` (about five ticks). */
function niceScale(max: number): { top: number; step: number } {
  const raw = Math.max(max, 1e-9) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  return { top: Math.ceil(max / step) * step || step, step };
}

/** Renders the chart; an empty point list gives a chart with a "no samples" note. */
export function soakChartSvg(points: readonly ChartPoint[], options: ChartOptions): string {
  const xMax = Math.max(points.at(-1)?.minute ?? 1, 1e-6);
  const left = niceScale(Math.max(...points.map((p) => p.rssMiB), 1) * 1.1);
  const right = niceScale(Math.max(...points.map((p) => p.callsPerSecond), 1) * 1.1);
  const x = (m: number): number => M.left + (m / xMax) * PLOT_W;
  const yL = (v: number): number => M.top + PLOT_H - (v / left.top) * PLOT_H;
  const yR = (v: number): number => M.top + PLOT_H - (v / right.top) * PLOT_H;
  const path = (ys: (p: ChartPoint) => number): string =>
    points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.minute).toFixed(1)},${ys(p).toFixed(1)}`).join(' ');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600">${esc(options.title)}</text>`,
  ];
  for (let v = 0; v <= left.top + 1e-9; v += left.step) {
    out.push(
      `<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${yL(v).toFixed(1)}" y2="${yL(v).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 8}" y="${(yL(v) + 4).toFixed(1)}" text-anchor="end" fill="#b22">${fmt(v)}</text>`,
    );
  }
  for (let v = 0; v <= right.top + 1e-9; v += right.step) {
    out.push(
      `<text x="${M.left + PLOT_W + 8}" y="${(yR(v) + 4).toFixed(1)}" fill="#2a6fb0">${fmt(v)}</text>`,
    );
  }
  const xStep = niceScale(xMax).step;
  for (let m = 0; m <= xMax + 1e-9; m += xStep) {
    out.push(`<text x="${x(m).toFixed(1)}" y="${M.top + PLOT_H + 18}" text-anchor="middle">${fmt(m)}</text>`);
  }
  out.push(
    `<text x="${M.left + PLOT_W / 2}" y="${H - 10}" text-anchor="middle">minutes</text>`,
    `<text transform="translate(18 ${M.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle" fill="#b22">daemon RSS (MiB)</text>`,
    `<text transform="translate(${W - 14} ${M.top + PLOT_H / 2}) rotate(90)" text-anchor="middle" fill="#2a6fb0">calls per second</text>`,
  );
  if (points.length > 0) {
    const base = (M.top + PLOT_H).toFixed(1);
    out.push(
      `<path d="${path((p) => yR(p.callsPerSecond))} L${x(points.at(-1)!.minute).toFixed(1)},${base} L${x(points[0].minute).toFixed(1)},${base} Z" fill="#2a6fb0" fill-opacity="0.15" stroke="#2a6fb0" stroke-opacity="0.5"/>`,
      `<path d="${path((p) => yL(p.rssAnonMiB))}" fill="none" stroke="#b22" stroke-width="1.5" stroke-dasharray="5 4"/>`,
      `<path d="${path((p) => yL(p.rssMiB))}" fill="none" stroke="#b22" stroke-width="2.5"/>`,
    );
  } else {
    out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no samples</text>`);
  }
  if (options.fit && Number.isFinite(options.fit.slope)) {
    const { fromMinute, slope, intercept } = options.fit;
    out.push(
      `<rect x="${x(fromMinute).toFixed(1)}" y="${M.top}" width="${(x(xMax) - x(fromMinute)).toFixed(1)}" height="${PLOT_H}" fill="#888" fill-opacity="0.06"/>`,
      `<line x1="${x(fromMinute).toFixed(1)}" x2="${x(xMax).toFixed(1)}" y1="${yL(intercept + slope * fromMinute).toFixed(1)}" y2="${yL(intercept + slope * xMax).toFixed(1)}" stroke="#000" stroke-width="1.5" stroke-dasharray="2 3"/>`,
      `<text x="${(x(fromMinute) + 6).toFixed(1)}" y="${M.top + 14}" fill="#333">after warm-up: RSS slope ${slope.toFixed(2)} MiB/min</text>`,
    );
  }
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#999"/>`,
    legend(M.left + 8, 40),
    '</svg>',
  );
  return out.join('\n') + '\n';
}

function legend(x0: number, y: number): string {
  const items: [string, string][] = [
    ['<line x1="0" x2="22" y1="0" y2="0" stroke="#b22" stroke-width="2.5"/>', 'RSS'],
    [
      '<line x1="0" x2="22" y1="0" y2="0" stroke="#b22" stroke-width="1.5" stroke-dasharray="5 4"/>',
      'RssAnon',
    ],
    [
      '<rect x="0" y="-6" width="22" height="12" fill="#2a6fb0" fill-opacity="0.15" stroke="#2a6fb0"/>',
      'calls/s',
    ],
    ['<line x1="0" x2="22" y1="0" y2="0" stroke="#000" stroke-dasharray="2 3"/>', 'RSS trend'],
  ];
  return items
    .map(
      ([mark, label], i) =>
        `<g transform="translate(${x0 + i * 120} ${y})">${mark}<text x="28" y="4">${label}</text></g>`,
    )
    .join('');
}
