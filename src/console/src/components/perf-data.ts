import type uPlot from 'uplot';
import type { PerfSeries } from '../api/types.js';
import { measureFormat, type NumberFormat } from '../format.js';

const palette = ['#2563eb', '#15803d', '#9333ea', '#c2410c', '#0e7490', '#be185d', '#4d7c0f', '#4b5563'];
export const alertColor = '#dc2626';
export const settledColor = '#6b7280';

export function seriesColor(index: number): string {
  return palette[index % palette.length];
}

export function seriesLabel(s: PerfSeries, all: PerfSeries[]): string {
  // Name only the dimensions that differ between the plotted series.
  const varies = (pick: (x: PerfSeries) => string) => new Set(all.map(pick)).size > 1;
  const parts = [s.benchmark.name];
  if (varies((x) => x.measure.slug)) parts.push(s.measure.name);
  if (varies((x) => x.branch.slug)) parts.push(s.branch.name);
  if (varies((x) => x.testbed.slug)) parts.push(s.testbed.name);
  return parts.join(' · ');
}

/** A series as the plot, its legend and its table show it: one colour, one number format. */
export interface PlottedSeries {
  series: PerfSeries;
  label: string;
  color: string;
  format: NumberFormat;
}

/** One panel per unit: nanoseconds and operations per second never share an axis. */
export interface Panel {
  units: string;
  measures: string[];
  series: PlottedSeries[];
}

/**
 * The server sends series in the order of their ids, which are random: sorted by what they are
 * named instead, each keeps its colour and its panel's place from one load (or database) to the next.
 */
export function plotted(unsorted: PerfSeries[]): PlottedSeries[] {
  const name = (s: PerfSeries) => [s.measure.name, s.benchmark.name, s.branch.name, s.testbed.name];
  const series = [...unsorted].sort((a, b) => {
    const [x, y] = [name(a), name(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
  // Every number of one measure shares one format, whichever series it belongs to.
  const byMeasure = new Map<string, number[]>();
  for (const s of series) {
    const list = byMeasure.get(s.measure.slug) ?? [];
    for (const p of s.points) list.push(p.value, p.lowerLimit ?? p.value, p.upperLimit ?? p.value);
    byMeasure.set(s.measure.slug, list);
  }
  const formats = new Map([...byMeasure].map(([slug, values]) => [slug, measureFormat(values)]));
  return series.map((s, i) => ({
    series: s,
    label: seriesLabel(s, series),
    color: seriesColor(i),
    format: formats.get(s.measure.slug)!,
  }));
}

export function panels(series: PlottedSeries[]): Panel[] {
  const byUnits = new Map<string, Panel>();
  for (const p of series) {
    const units = p.series.measure.units;
    const panel = byUnits.get(units) ?? { units, measures: [], series: [] };
    if (!panel.measures.includes(p.series.measure.name)) panel.measures.push(p.series.measure.name);
    panel.series.push(p);
    byUnits.set(units, panel);
  }
  return [...byUnits.values()];
}

/** Every time any plotted series has a point, in order: the x axis all panels share. */
export function timesOf(series: PerfSeries[]): number[] {
  return [...new Set(series.flatMap((s) => s.points.map((p) => Date.parse(p.time) / 1000)))].sort(
    (a, b) => a - b,
  );
}

/** Five uPlot series per plotted one: its value, lower and upper limit, active and dismissed alerts. */
export const columnsPerSeries = 5;

/** uPlot wants one shared x axis: each series' columns, with gaps where it has no point. */
export function toPlot(
  series: PlottedSeries[],
  times: number[],
): { data: uPlot.AlignedData; series: uPlot.Series[] } {
  const index = new Map(times.map((t, i) => [t, i]));
  const columns: (number | null)[][] = [];
  const config: uPlot.Series[] = [{}];
  for (const { series: s, color, label } of series) {
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
    config.push(
      { label, stroke: color, width: 2, spanGaps: true, points: { show: true, size: 6, fill: color } },
      {
        label: `${label} lower limit`,
        stroke: color,
        width: 1,
        dash: [6, 4],
        spanGaps: true,
        points: { show: false },
      },
      {
        label: `${label} upper limit`,
        stroke: color,
        width: 1,
        dash: [2, 3],
        spanGaps: true,
        points: { show: false },
      },
      {
        label: `${label} alerts`,
        stroke: alertColor,
        width: 0,
        paths: () => null,
        points: { show: true, size: 13, width: 2, stroke: alertColor, fill: 'rgba(220,38,38,0.3)' },
      },
      {
        label: `${label} dismissed alerts`,
        stroke: settledColor,
        width: 0,
        paths: () => null,
        points: { show: true, size: 13, width: 2, stroke: settledColor, fill: 'rgba(0,0,0,0)' },
      },
    );
  }
  return { data: [times, ...columns] as uPlot.AlignedData, series: config };
}
