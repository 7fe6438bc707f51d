import type uPlot from 'uplot';
import type { PerfSeries } from '../api/types.js';

const palette = ['#2563eb', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#65a30d', '#4b5563'];

export function seriesLabel(s: PerfSeries, all: PerfSeries[]): string {
  // Name only the dimensions that differ between the plotted series.
  const varies = (pick: (x: PerfSeries) => string) => new Set(all.map(pick)).size > 1;
  const parts = [s.benchmark.name];
  if (varies((x) => x.measure.slug)) parts.push(s.measure.name);
  if (varies((x) => x.branch.slug)) parts.push(s.branch.name);
  if (varies((x) => x.testbed.slug)) parts.push(s.testbed.name);
  return parts.join(' · ');
}

/** uPlot wants one shared x axis: join every series' times, with gaps where a series has no point. */
export function toPlot(series: PerfSeries[]): { data: uPlot.AlignedData; series: uPlot.Series[] } {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => Date.parse(p.time) / 1000)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(times.map((t, i) => [t, i]));
  const columns: (number | null)[][] = [];
  const config: uPlot.Series[] = [{ label: 'time' }];
  series.forEach((s, n) => {
    const color = palette[n % palette.length];
    const label = seriesLabel(s, series);
    const value = new Array<number | null>(times.length).fill(null);
    const lower = new Array<number | null>(times.length).fill(null);
    const upper = new Array<number | null>(times.length).fill(null);
    const alerts = new Array<number | null>(times.length).fill(null);
    const settled = new Array<number | null>(times.length).fill(null);
    for (const p of s.points) {
      const i = index.get(Date.parse(p.time) / 1000)!;
      value[i] = p.value;
      lower[i] = p.lowerLimit;
      upper[i] = p.upperLimit;
      if (p.alert?.status === 'ACTIVE') alerts[i] = p.value;
      else if (p.alert) settled[i] = p.value;
    }
    columns.push(value, lower, upper, alerts, settled);
    const unit = s.measure.units;
    const fmt = (_u: uPlot, v: number | null) => (v === null ? '—' : `${v.toLocaleString('en-US')} ${unit}`);
    config.push(
      {
        label,
        stroke: color,
        width: 2,
        spanGaps: true,
        points: { show: true, size: 6, fill: color },
        value: fmt,
      },
      {
        label: `${label} lower limit`,
        stroke: color,
        width: 1,
        dash: [6, 4],
        spanGaps: true,
        points: { show: false },
        value: fmt,
      },
      {
        label: `${label} upper limit`,
        stroke: color,
        width: 1,
        dash: [2, 3],
        spanGaps: true,
        points: { show: false },
        value: fmt,
      },
      {
        label: `${label} alerts`,
        stroke: '#dc2626',
        width: 0,
        paths: () => null,
        points: { show: true, size: 12, width: 2, stroke: '#dc2626', fill: 'rgba(220,38,38,0.25)' },
        value: fmt,
      },
      {
        label: `${label} dismissed alerts`,
        stroke: '#9ca3af',
        width: 0,
        paths: () => null,
        points: { show: true, size: 12, width: 2, stroke: '#9ca3af', fill: 'rgba(0,0,0,0)' },
        value: fmt,
      },
    );
  });
  return { data: [times, ...columns] as uPlot.AlignedData, series: config };
}
