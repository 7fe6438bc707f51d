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
                  <th scope="col">Probe</th>
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
                    <td>{s.truncated ? 'cut short (cap)' : 'full'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
      <h2>Host at its latest start</h2>
      {runner.preflight ? (
        <>
          <p className="muted">Reported {formatTime(runner.preflight.at)}</p>
          <TableScroll label="Preflight checks">
            <table className="grid" data-testid="preflight">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Level</th>
                  <th scope="col">Finding</th>
                </tr>
              </thead>
              <tbody>
                {runner.preflight.checks.map((c) => (
                  <tr key={c.check} className={c.level === 'warn' ? 'noisy' : undefined}>
                    <td className="mono">{c.check}</td>
                    <td>{c.level}</td>
                    <td>{c.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {runner.preflight.tuning.length > 0 ? (
            <TableScroll label="Tuning knobs">
              <table className="grid" data-testid="tuning">
                <thead>
                  <tr>
                    <th>Knob</th>
                    <th>Status</th>
                    <th>Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {runner.preflight.tuning.map((k) => (
                    <tr key={k.knob}>
                      <td className="mono">{k.knob}</td>
                      <td>{k.status}</td>
                      <td>{k.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          ) : (
            <p className="muted" data-testid="tuning">
              Untuned: started without --tune.
            </p>
          )}
        </>
      ) : (
        <p className="muted" data-testid="preflight">
          No start-up report yet: the runner sends its preflight checks and tuning when it starts.
        </p>
      )}
    </section>
  );
}
