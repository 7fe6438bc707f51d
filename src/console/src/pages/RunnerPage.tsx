import { RunnerNoiseQuery } from '../api/documents.js';
import { useQuery } from '../api/use-query.js';
import { Loading, PageError } from '../components/Feedback.js';
import { NoisePlot } from '../components/NoisePlot.js';
import { NoiseSummary } from '../components/NoiseSummary.js';
import { PageHeading } from '../components/PageHeading.js';
import { TableScroll } from '../components/TableScroll.js';
import { formatTime, shortId } from '../format.js';

const TABLE_ID = 'noise-history';
const RECENT = 20;

/** A runner's noise over time: the probe it takes before each job (admins). */
export function RunnerPage({ slug }: { slug: string }) {
  const { data, error, loading } = useQuery(RunnerNoiseQuery, { slug });
  if (error)
    return (
      <PageError
        title="Runner not shown"
        error={error}
        hint="a runner's page is for admins: sign in with an admin's token."
      />
    );
  if (loading || !data) return <Loading />;
  const runner = data.runner;
  const recent = runner.noiseHistory.slice(0, RECENT);
  return (
    <section data-testid="runner-page">
      <div className="page-head">
        <PageHeading title={`Runner ${runner.name}`}>{runner.name}</PageHeading>
        <span className="muted mono">{runner.slug}</span>
      </div>
      <p className="muted">Last seen {formatTime(runner.lastSeenAt)}</p>
      <h2>Noise</h2>
      {runner.noise ? (
        <p>
          Latest ({formatTime(runner.noiseMeasuredAt)}):{' '}
          <NoiseSummary noise={runner.noise} testId="runner-noise" />
        </p>
      ) : (
        <p className="muted" data-testid="runner-noise">
          No noise probe yet: the runner sends one with each job (unless started with --no-noise-probe).
        </p>
      )}
      {runner.noiseHistory.length > 0 && (
        <>
          <NoisePlot points={runner.noiseHistory} tableId={TABLE_ID} />
          <h3 id={TABLE_ID} tabIndex={-1}>
            The {recent.length === runner.noiseHistory.length ? recent.length : `${recent.length} latest`}{' '}
            probes, newest first
          </h3>
          <TableScroll label="Noise probes">
            <table className="grid" data-testid="noise-history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Job</th>
                  <th scope="col" className="num">
                    CV %
                  </th>
                  <th scope="col" className="num">
                    Steal %
                  </th>
                  <th scope="col" className="num">
                    Load
                  </th>
                  <th scope="col">Tuning</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((s) => (
                  <tr key={s.jobId}>
                    <td>{formatTime(s.at)}</td>
                    <td className="mono">{shortId(s.jobId)}</td>
                    <td className="num">{s.cvPct.toFixed(2)}</td>
                    <td className="num">{s.stealPct === null ? '—' : s.stealPct.toFixed(1)}</td>
                    <td className="num">{s.load === null ? '—' : s.load.toFixed(2)}</td>
                    <td>{s.tuning.length ? s.tuning.join(', ') : 'untuned'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
