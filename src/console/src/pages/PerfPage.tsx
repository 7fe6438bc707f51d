import { PerfQuery, ProjectQuery } from '../api/documents.js';
import type { PerfSeries } from '../api/types.js';
import { useQuery } from '../api/use-query.js';
import { AlertState } from '../components/AlertState.js';
import { ErrorNote, Loading, PageError } from '../components/Feedback.js';
import { PageHeading } from '../components/PageHeading.js';
import { PerfPlot } from '../components/PerfPlot.js';
import { plotted } from '../components/perf-data.js';
import { TableScroll } from '../components/TableScroll.js';
import { formatTime } from '../format.js';
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
  const { zoom } = selection;
  const perf = useQuery(
    PerfQuery,
    {
      project: slug,
      ...chosen,
      from: zoom ? zoom.from : selection.from ? new Date(selection.from).toISOString() : null,
      to: zoom ? zoom.to : selection.to ? new Date(`${selection.to}T23:59:59.999Z`).toISOString() : null,
      resolution: plotResolution(),
    },
    { skip: !selection.ready || !complete },
  );
  const onZoom = (range: { from: string; to: string } | null) => selection.update({ zoom: range });
  if (project.error) return <PageError title="Performance not shown" error={project.error} />;
  if (selection.error) return <PageError title="Performance not shown" error={selection.error} />;
  if (!selection.ready) return <Loading />;
  const projectName = project.data?.project.name ?? slug;
  return (
    <section data-testid="perf-page">
      <p className="crumbs">
        <Link to={paths.project(slug)}>{projectName}</Link> / perf
      </p>
      <PageHeading title={`Performance · ${projectName}`}>Performance over time</PageHeading>
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
        <p className="empty-note">Choose at least one of each to draw a plot.</p>
      ) : perf.error ? (
        <ErrorNote error={perf.error} />
      ) : !perf.data ? (
        <Loading />
      ) : perf.data.perf.every((s) => s.points.length === 0) ? (
        <>
          <p className="empty-note" data-testid="no-points">
            No metrics for this selection.
          </p>
          {zoom && <ZoomNote zoom={zoom} onZoom={onZoom} />}
        </>
      ) : (
        <>
          <SampleNote series={perf.data.perf} zoom={zoom} onZoom={onZoom} />
          <PerfPlot series={perf.data.perf} tableId="perf-points" onZoom={onZoom} />
          <PointsTable series={perf.data.perf} project={slug} id="perf-points" />
        </>
      )}
    </section>
  );
}

/**
 * Points per series the server sends: a lowest and a highest point per two pixel columns of the
 * plot (the server downsamples longer series; perf's `resolution`), so a plot of years of history
 * costs what a plot of a week does. Zooming asks for the zoomed range at the same resolution.
 */
function plotResolution(): number {
  return Math.min(5_000, Math.max(100, Math.ceil(window.innerWidth / 2)));
}

function ZoomNote({ zoom, onZoom }: { zoom: { from: string; to: string }; onZoom: (range: null) => void }) {
  return (
    <p className="muted" data-testid="zoom-note">
      Zoomed to {formatTime(zoom.from)} – {formatTime(zoom.to)}.{' '}
      <button type="button" onClick={() => onZoom(null)} data-testid="zoom-out">
        Show the whole range
      </button>
    </p>
  );
}

function SampleNote({
  series,
  zoom,
  onZoom,
}: {
  series: PerfSeries[];
  zoom: { from: string; to: string } | null;
  onZoom: (range: null) => void;
}) {
  const sent = series.reduce((n, s) => n + s.points.length, 0);
  const total = series.reduce((n, s) => n + s.total, 0);
  return (
    <>
      {zoom && <ZoomNote zoom={zoom} onZoom={onZoom} />}
      {total > sent && (
        <p className="muted" data-testid="sample-note">
          Showing {sent.toLocaleString('en')} of {total.toLocaleString('en')} points: each pixel column's
          lowest and highest value, and every alert. Drag across the plot to see every point of a shorter
          range.
        </p>
      )}
    </>
  );
}

function PointsTable({ series, project, id }: { series: PerfSeries[]; project: string; id: string }) {
  const rows = plotted(series).flatMap(({ series: s, label, format }) =>
    s.points.map((p) => ({ label, units: s.measure.units, format, ...p })),
  );
  rows.sort((a, b) => b.time.localeCompare(a.time) || a.label.localeCompare(b.label));
  return (
    <section className="points" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Data points ({rows.length})</h2>
      <TableScroll label="Data points">
        <table className="grid" data-testid="perf-points" id={id}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Series</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col" className="num">
                Lower limit
              </th>
              <th scope="col" className="num">
                Upper limit
              </th>
              <th scope="col">Units</th>
              <th scope="col">Alert</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.label}/${r.time}`} data-testid="perf-point">
                <td>{formatTime(r.time)}</td>
                <td>{r.label}</td>
                <td className="num" data-testid="point-value">
                  {r.format(r.value)}
                </td>
                <td className="num">{r.format(r.lowerLimit)}</td>
                <td className="num">{r.format(r.upperLimit)}</td>
                <td>{r.units}</td>
                <td>
                  <AlertState alert={r.alert} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="muted">
        Alerts open on the <Link to={paths.project(project)}>project page</Link>.
      </p>
    </section>
  );
}
