import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PerfSeries } from '../api/types.js';
import { toPlot } from './perf-data.js';

/** The metric history with its lower and upper limits and alert marks, drawn with uPlot. */
export function PerfPlot({ series }: { series: PerfSeries[] }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { data, series: config } = toPlot(series);
    const units = [...new Set(series.map((s) => s.measure.units))].join(', ');
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 380,
        series: config,
        axes: [{}, { label: units, size: 70 }],
        scales: {
          x: {
            time: true,
            // A little room on both sides, so the newest point is not cut in half by the edge.
            range: (_u, min, max) => {
              const pad = (max - min) * 0.02 || 3600;
              return [min - pad, max + pad];
            },
          },
        },
        cursor: { drag: { x: true, y: false } },
        legend: { live: true },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(320, el.clientWidth), height: 380 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series]);

  const points = series.reduce((n, s) => n + s.points.length, 0);
  const bounded = series.reduce(
    (n, s) => n + s.points.filter((p) => p.lowerLimit !== null || p.upperLimit !== null).length,
    0,
  );
  const alerts = series.reduce((n, s) => n + s.points.filter((p) => p.alert).length, 0);
  return (
    <div
      ref={ref}
      className="plot"
      data-testid="perf-plot"
      data-series={series.length}
      data-points={points}
      data-bounded-points={bounded}
      data-alerts={alerts}
    />
  );
}
