import type { IterationResult } from '../api/types.js';
import { formatNumber, formatPercent } from '../format.js';

/** The results as the CLI prints them: one row per benchmark and measure, per iteration. */
export function ResultsTable({ results }: { results: IterationResult[] }) {
  const rows = results.flatMap((it) =>
    it.benchmarks.flatMap((b) =>
      b.measures.map((m) => ({ iteration: it.iteration, benchmark: b.benchmark, ...m })),
    ),
  );
  if (!rows.length) return <p className="muted">No results.</p>;
  const iterations = new Set(rows.map((r) => r.iteration)).size > 1;
  return (
    <table className="grid results" data-testid="results">
      <thead>
        <tr>
          {iterations && <th>Iteration</th>}
          <th>Benchmark</th>
          <th>Measure</th>
          <th className="num">Value</th>
          <th className="num">Baseline</th>
          <th className="num">Δ%</th>
          <th className="num">Lower limit</th>
          <th className="num">Upper limit</th>
          <th>Alert</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={`${r.iteration}/${r.benchmark.id}/${r.measure.id}`}
            data-testid="result-row"
            data-benchmark={r.benchmark.slug}
            data-measure={r.measure.slug}
            className={r.alert ? 'has-alert' : undefined}
          >
            {iterations && <td>{r.iteration}</td>}
            <td>{r.benchmark.name}</td>
            <td>
              {r.measure.name} <span className="muted">({r.measure.units})</span>
            </td>
            <td className="num" data-testid="value">
              {formatNumber(r.value)}
            </td>
            <td className="num" data-testid="baseline">
              {formatNumber(r.baseline)}
            </td>
            <td className={`num ${changeClass(r.change)}`} data-testid="change">
              {formatPercent(r.change)}
            </td>
            <td className="num" data-testid="lower-limit">
              {formatNumber(r.lowerLimit)}
            </td>
            <td className="num" data-testid="upper-limit">
              {formatNumber(r.upperLimit)}
            </td>
            <td data-testid="alert-mark">
              {r.alert ? (
                <span
                  className={`alert-mark side-${r.alert.side.toLowerCase()}`}
                  title={`${r.alert.side} limit crossed`}
                >
                  {r.alert.side === 'UPPER' ? '▲' : '▼'}{' '}
                  {r.alert.status === 'ACTIVE' ? 'alert' : r.alert.status.toLowerCase()}
                </span>
              ) : (
                <span className="ok">✓</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function changeClass(change: number | null): string {
  if (change === null || Math.abs(change) < 0.005) return '';
  return change > 0 ? 'up' : 'down';
}
