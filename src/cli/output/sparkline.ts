const BARS = '▁▂▃▄▅▆▇█';

/** Points a results table's sparkline shows; `benchmark run` asks `perf` for exactly this many per series. */
export const SPARKLINE_WIDTH = 12;

/** A one-line bar chart of the latest `width` values; flat series sit at the bottom. */
export function sparkline(values: number[], width = SPARKLINE_WIDTH): string {
  const recent = values.filter(Number.isFinite).slice(-width);
  if (!recent.length) return '';
  const min = Math.min(...recent);
  const max = Math.max(...recent);
  const span = max - min;
  return recent
    .map((v) => BARS[span === 0 ? 0 : Math.round(((v - min) / span) * (BARS.length - 1))])
    .join('');
}
