import { PerfQuery, ProjectQuery } from '../api/documents.js';
import type { PerfSeries } from '../api/types.js';
import { useQuery } from '../api/use-query.js';
import { ErrorNote, Loading } from '../components/Feedback.js';
import { PerfPlot } from '../components/PerfPlot.js';
import { seriesLabel } from '../components/perf-data.js';
import { formatNumber, formatTime } from '../format.js';
import { type Dimension, dimensions, usePerfSelection } from '../hooks/use-perf-selection.js';
import { Link, paths } from '../router.js';

const titles: Record<Dimension, string> = {
  benchmarks: 'Benchmarks',
  measures: 'Measures',
  branches: 'Branches',
  testbeds: 'Testbeds',
};

export function PerfPage({ slug }: { slug: string }) {
  const project = useQuery(ProjectQuery, { slug });
  const selection = usePerfSelection(slug);
  const { chosen } = selection;
  const complete = dimensions.every((d) => chosen[d].length > 0);
  const perf = useQuery(
    PerfQuery,
    {
      project: slug,
      ...chosen,
      from: selection.from ? new Date(selection.from).toISOString() : null,
      to: selection.to ? new Date(`${selection.to}T23:59:59.999Z`).toISOString() : null,
    },
    { skip: !selection.ready || !complete },
  );
  if (project.error) return <ErrorNote error={project.error} />;
  if (selection.error) return <ErrorNote error={selection.error} />;
  if (!selection.ready) return <Loading />;
  return (
    <section data-testid="perf-page">
      <p className="crumbs">
        <Link to={paths.project(slug)}>{project.data?.project.name ?? slug}</Link> / perf
      </p>
      <h1>Performance over time</h1>
      <div className="selectors">
        {dimensions.map((d) => (
          <fieldset key={d} data-testid={`select-${d}`}>
            <legend>{titles[d]}</legend>
            {selection.available[d].length === 0 && <span className="muted">none</span>}
            {selection.available[d].map((o) => (
              <label key={o.slug}>
                <input
                  type="checkbox"
                  checked={chosen[d].includes(o.slug)}
                  onChange={() => selection.toggle(d, o.slug)}
                />
                {o.name}
              </label>
            ))}
          </fieldset>
        ))}
        <fieldset>
          <legend>Dates</legend>
          <label>
            from
            <input
              type="date"
              value={selection.from ?? ''}
              onChange={(e) => selection.update({ from: e.target.value || null })}
            />
          </label>
          <label>
            to
            <input
              type="date"
              value={selection.to ?? ''}
              onChange={(e) => selection.update({ to: e.target.value || null })}
            />
          </label>
        </fieldset>
      </div>
      {!complete ? (
        <p className="muted">Choose at least one of each to draw a plot.</p>
      ) : perf.error ? (
        <ErrorNote error={perf.error} />
      ) : !perf.data ? (
        <Loading />
      ) : perf.data.perf.every((s) => s.points.length === 0) ? (
        <p className="muted" data-testid="no-points">
          No metrics for this selection.
        </p>
      ) : (
        <>
          <PerfPlot series={perf.data.perf} />
          <PointsTable series={perf.data.perf} project={slug} />
        </>
      )}
    </section>
  );
}

function PointsTable({ series, project }: { series: PerfSeries[]; project: string }) {
  const rows = series.flatMap((s) =>
    s.points.map((p) => ({ label: seriesLabel(s, series), units: s.measure.units, ...p })),
  );
  rows.sort((a, b) => b.time.localeCompare(a.time));
  return (
    <details className="points">
      <summary>Data points ({rows.length})</summary>
      <table className="grid" data-testid="perf-points">
        <thead>
          <tr>
            <th>Time</th>
            <th>Series</th>
            <th className="num">Value</th>
            <th className="num">Lower limit</th>
            <th className="num">Upper limit</th>
            <th>Alert</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.label}/${r.time}`} data-testid="perf-point">
              <td>{formatTime(r.time)}</td>
              <td>{r.label}</td>
              <td className="num">{formatNumber(r.value)}</td>
              <td className="num">{formatNumber(r.lowerLimit)}</td>
              <td className="num">{formatNumber(r.upperLimit)}</td>
              <td>
                {r.alert ? (
                  <span className={`alert-mark side-${r.alert.side.toLowerCase()}`}>
                    {r.alert.side === 'UPPER' ? '▲' : '▼'}
                  </span>
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Alerts open on the <Link to={paths.project(project)}>project page</Link>.
      </p>
    </details>
  );
}
