import { RunnerNoiseQuery } from '../api/documents.js';
import { useQuery } from '../api/use-query.js';
import { ErrorNote, Loading } from '../components/Feedback.js';
import { NoisePlot } from '../components/NoisePlot.js';
import { NoiseSummary } from '../components/NoiseSummary.js';
import { formatTime, shortId } from '../format.js';

/** A runner's noise over time: the probe it takes before each job (admins). */
export function RunnerPage({ slug }: { slug: string }) {
  const { data, error, loading } = useQuery(RunnerNoiseQuery, { slug });
  if (error) return <ErrorNote error={error} />;
  if (loading || !data) return <Loading />;
  const runner = data.runner;
  const recent = runner.noiseHistory.slice(0, 20);
  return (
    <section data-testid="runner-page">
      <div className="page-head">
        <h1>{runner.name}</h1>
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
          <NoisePlot points={runner.noiseHistory} />
          <table data-testid="noise-history">
            <thead>
              <tr>
                <th>When</th>
                <th>Job</th>
                <th className="num">CV %</th>
                <th className="num">Steal %</th>
                <th className="num">Load</th>
                <th>Tuning</th>
                <th>Probe</th>
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
        </>
      )}
      <h2>Host at its latest start</h2>
      {runner.preflight ? (
        <>
          <p className="muted">Reported {formatTime(runner.preflight.at)}</p>
          <table data-testid="preflight">
            <thead>
              <tr>
                <th>Check</th>
                <th>Level</th>
                <th>Finding</th>
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
          {runner.preflight.tuning.length > 0 ? (
            <table data-testid="tuning">
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
