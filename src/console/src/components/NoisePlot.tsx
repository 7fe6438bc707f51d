import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface NoisePoint {
  at: string;
  cvPct: number;
  stealPct?: number | null;
}

const CV = { label: 'probe CV %', stroke: '#b91c1c' };
const STEAL = { label: 'steal %', stroke: '#1d4ed8', dash: [6, 4] };

/**
 * A runner's probe CV (and steal) over time, oldest to newest. The canvas is a picture only:
 * the caption names each line by its style as well as its colour, and links the table that
 * holds the numbers (`tableId`).
 */
export function NoisePlot({ points, tableId }: { points: NoisePoint[]; tableId: string }) {
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
    const width = () => Math.max(260, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 260,
        series: [{}, { ...CV, points: { show: true } }, STEAL],
        axes: [{}, { label: '%', size: 50 }],
        // uPlot's legend shows "—" until hovered; the caption names the lines instead.
        legend: { show: false },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points]);
  return (
    <figure className="plot noise-plot-figure">
      <figcaption>
        <span className="legend-line" style={{ borderColor: CV.stroke }} aria-hidden="true" /> {CV.label}{' '}
        (solid, with dots) ·{' '}
        <span className="legend-line dashed" style={{ borderColor: STEAL.stroke }} aria-hidden="true" />{' '}
        {STEAL.label} (dashed) · <a href={`#${tableId}`}>the numbers as a table</a>
      </figcaption>
      <div
        ref={ref}
        role="img"
        aria-label={`Plot of the runner's probe CV and steal, in percent, over its last ${points.length} probes; the table below has the latest.`}
        data-testid="noise-plot"
      />
    </figure>
  );
}
