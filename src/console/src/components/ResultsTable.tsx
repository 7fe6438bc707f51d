import type { ReactNode } from 'react';
import type { AlertStatus } from '../../../gql/graphql.js';
import type { IterationResult } from '../api/types.js';
import { formatPercent, measureFormats } from '../format.js';
import { AlertState } from './AlertState.js';
import { TableScroll } from './TableScroll.js';

/** The results as the CLI prints them: one row per benchmark and measure, per iteration. */
export function ResultsTable(props: {
  results: IterationResult[];
  /** The alert's status as this page knows it (a dismissal made here shows at once). */
  statusOf: (id: string, fallback: AlertStatus) => AlertStatus;
  /** What to say when there are no results: why, and where to look. */
  empty: ReactNode;
}) {
  const rows = props.results.flatMap((it) =>
    it.benchmarks.flatMap((b) =>
      b.measures.map((m) => ({ iteration: it.iteration, benchmark: b.benchmark, ...m })),
    ),
  );
  if (!rows.length) return <>{props.empty}</>;
  const iterations = new Set(rows.map((r) => r.iteration)).size > 1;
  const formatOf = measureFormats(
    rows,
    (r) => r.measure.id,
    (r) => [r.value, r.baseline, r.lowerLimit, r.upperLimit],
  );
  return (
    <TableScroll label="Results">
      <table className="grid results" data-testid="results">
        <thead>
          <tr>
            {iterations && <th scope="col">Iteration</th>}
            <th scope="col">Benchmark</th>
            <th scope="col">Measure</th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col" className="num">
              Baseline
            </th>
            <th scope="col" className="num">
              Δ%
            </th>
            <th scope="col" className="num">
              Lower limit
            </th>
            <th scope="col" className="num">
              Upper limit
            </th>
            <th scope="col">Alert</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const status = r.alert ? props.statusOf(r.alert.id, r.alert.status) : undefined;
            const format = formatOf(r);
            return (
              <tr
                key={`${r.iteration}/${r.benchmark.id}/${r.measure.id}`}
                data-testid="result-row"
                data-benchmark={r.benchmark.slug}
                data-measure={r.measure.slug}
                data-alert-status={status}
                className={status === 'ACTIVE' ? 'has-alert' : undefined}
              >
                {iterations && <td>{r.iteration}</td>}
                <td>{r.benchmark.name}</td>
                <td>
                  {r.measure.name} <span className="muted">({r.measure.units})</span>
                </td>
                <td className="num" data-testid="value">
                  {format(r.value)}
                </td>
                <td className="num" data-testid="baseline">
                  {format(r.baseline)}
                </td>
                <td className={`num ${changeClass(r.change)}`} data-testid="change">
                  {formatPercent(r.change)}
                </td>
                <td className="num" data-testid="lower-limit">
                  {format(r.lowerLimit)}
                </td>
                <td className="num" data-testid="upper-limit">
                  {format(r.upperLimit)}
                </td>
                <td data-testid="alert-mark">
                  <AlertState alert={r.alert && status ? { side: r.alert.side, status } : null} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

function changeClass(change: number | null): string {
  if (change === null || Math.abs(change) < 0.005) return '';
  return change > 0 ? 'up' : 'down';
}
