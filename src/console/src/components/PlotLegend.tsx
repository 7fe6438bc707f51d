import { alertColor, type PlottedSeries, settledColor } from './perf-data.js';

/** The series (one entry each) and a key to the marks every series shares. */
export function PlotLegend({ series }: { series: PlottedSeries[] }) {
  return (
    <div className="plot-legend" data-testid="plot-legend">
      <ul className="legend-series">
        {series.map((s) => (
          <li key={s.label} data-testid="legend-series">
            <svg width="22" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="22" y2="5" stroke={s.color} strokeWidth="2" />
              <circle cx="11" cy="5" r="3" fill={s.color} />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
      <ul className="legend-key muted">
        <li>
          <svg width="22" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="22" y2="5" stroke="currentColor" strokeDasharray="6 4" />
          </svg>
          lower limit
        </li>
        <li>
          <svg width="22" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="22" y2="5" stroke="currentColor" strokeDasharray="2 3" />
          </svg>
          upper limit
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" stroke={alertColor} strokeWidth="2" fill="rgba(220,38,38,0.3)" />
          </svg>
          alert
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" stroke={settledColor} strokeWidth="2" fill="none" />
          </svg>
          dismissed alert
        </li>
      </ul>
    </div>
  );
}
