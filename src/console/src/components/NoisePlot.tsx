import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface NoisePoint {
  at: string;
  cvPct: number;
  stealPct?: number | null;
}

/** A runner's probe CV (and steal) over time, oldest to newest. */
export function NoisePlot({ points }: { points: NoisePoint[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || points.length === 0) return;
    const sorted = [...points].sort((a, b) => a.at.localeCompare(b.at));
    const data: uPlot.AlignedData = [
      sorted.map((p) => new Date(p.at).getTime() / 1000),
      sorted.map((p) => p.cvPct),
      sorted.map((p) => p.stealPct ?? null),
    ];
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 260,
        series: [
          {},
          { label: 'probe CV %', stroke: '#c0392b', points: { show: true } },
          { label: 'steal %', stroke: '#2c7be5', dash: [4, 4] },
        ],
        axes: [{}, { label: '%', size: 50 }],
      },
      data,
      el,
    );
    return () => plot.destroy();
  }, [points]);
  return <div ref={ref} data-testid="noise-plot" />;
}
