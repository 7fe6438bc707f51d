import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PerfSeries } from '../api/types.js';
import { formatNumber, formatTime } from '../format.js';
import { PlotLegend } from './PlotLegend.js';
import { type Panel, type PlottedSeries, panels, plotted, timesOf, toPlot } from './perf-data.js';

/**
 * The metric history: one panel (and y axis) per unit, each series with its limits and alert
 * marks drawn in the plot. The legend names the series; values show on hover. The canvas is a
 * picture only: the data table (`tableId`) holds the same numbers as text.
 */
export function PerfPlot({
  series,
  tableId,
  onZoom,
}: {
  series: PerfSeries[];
  tableId: string;
  /** A drag across the plot: the page fetches that range's detail (the plot shows what it was sent). */
  onZoom?: (range: { from: string; to: string }) => void;
}) {
  // Kept while `series` is the same, so a hover (state in a panel) never rebuilds the plots.
  const { all, groups, times } = useMemo(() => {
    const all = plotted(series);
    return { all, groups: panels(all), times: timesOf(series) };
  }, [series]);
  const points = series.reduce((n, s) => n + s.points.length, 0);
  const bounded = series.reduce(
    (n, s) => n + s.points.filter((p) => p.lowerLimit !== null || p.upperLimit !== null).length,
    0,
  );
  const alerts = series.reduce((n, s) => n + s.points.filter((p) => p.alert).length, 0);
  const total = series.reduce((n, s) => n + s.total, 0);
  return (
    <div
      className="plot"
      data-testid="perf-plot"
      data-series={series.length}
      data-panels={groups.length}
      data-points={points}
      data-bounded-points={bounded}
      data-alerts={alerts}
      data-total={total}
    >
      <PlotLegend series={all} />
      {groups.map((panel) => (
        <PlotPanel key={panel.units} panel={panel} times={times} tableId={tableId} onZoom={onZoom} />
      ))}
    </div>
  );
}

function PlotPanel({
  panel,
  times,
  tableId,
  onZoom,
}: {
  panel: Panel;
  times: number[];
  tableId: string;
  onZoom?: (range: { from: string; to: string }) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  // Read by uPlot's hook, so a new callback does not rebuild the plot.
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { data, series } = toPlot(panel.series, times);
    const height = () => (el.clientWidth < 600 ? 240 : 320);
    const plot = new uPlot(
      {
        width: Math.max(260, el.clientWidth),
        height: height(),
        series,
        axes: [
          {},
          { label: panel.units, size: 76, values: (_u, ticks) => ticks.map((t) => formatNumber(t)) },
        ],
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
        // Panels share the time axis: hovering one moves the others. A drag selects a range whose
        // detail the page fetches (the points sent for a long range are a downsampled sample).
        cursor: { drag: { x: true, y: false, setScale: !zoomRef.current }, sync: { key: 'perf' } },
        legend: { show: false },
        hooks: {
          setCursor: [(u) => setHover(u.cursor.idx ?? null)],
          setSelect: [
            (u) => {
              if (!zoomRef.current || u.select.width < 2) return;
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              zoomRef.current({
                from: new Date(from * 1000).toISOString(),
                to: new Date(to * 1000).toISOString(),
              });
            },
          ],
        },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(260, el.clientWidth), height: height() }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      // The hovered index was the old plot's: new points (a zoom's detail) have other times.
      setHover(null);
    };
  }, [panel, times]);

  const title = `${panel.measures.join(', ')} (${panel.units})`;
  return (
    <figure className="plot-panel" data-testid="plot-panel" data-units={panel.units}>
      <figcaption>
        <strong>{title}</strong>{' '}
        <a href={`#${tableId}`} className="plot-table-link">
          the numbers as a table
        </a>
      </figcaption>
      <Readout series={panel.series} time={hover === null ? null : (times[hover] ?? null)} />
      <div
        ref={ref}
        role="img"
        aria-label={`Plot of ${title} over time for ${panel.series.map((s) => s.label).join(', ')}; the data table below has every point.`}
        data-testid="plot-canvas"
      />
    </figure>
  );
}

/** The values at the hovered time; a pointer-only aid, the data table says the same to everyone. */
function Readout({ series, time }: { series: PlottedSeries[]; time: number | null }) {
  if (time === null)
    return (
      <p className="readout muted" aria-hidden="true">
        Point at the plot to read its values; drag across it to zoom in.
      </p>
    );
  const at = new Date(time * 1000).toISOString();
  return (
    <p className="readout" aria-hidden="true" data-testid="plot-readout">
      <span className="muted">{formatTime(at)}</span>
      {series.map(({ series: s, label, color, format }) => {
        const p = s.points.find((x) => x.time === at || Date.parse(x.time) === time * 1000);
        if (!p) return null;
        return (
          <span key={label} className="readout-item">
            <span className="swatch" style={{ background: color }} /> {label}:{' '}
            <strong>{format(p.value)}</strong>
            {(p.lowerLimit !== null || p.upperLimit !== null) && (
              <span className="muted">
                {' '}
                (limits {format(p.lowerLimit)} – {format(p.upperLimit)})
              </span>
            )}
            {p.alert && (
              <span className={p.alert.status === 'ACTIVE' ? 'alert-mark' : 'alert-settled'}>
                {' '}
                {p.alert.side === 'UPPER' ? '▲' : '▼'}{' '}
                {p.alert.status === 'ACTIVE' ? 'alert' : p.alert.status.toLowerCase()}
              </span>
            )}
          </span>
        );
      })}
    </p>
  );
}
