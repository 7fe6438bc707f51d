import { JobNoiseQuery, JobReportQuery, ProjectQuery } from '../api/documents.js';
import { useQuery } from '../api/use-query.js';
import { ErrorNote, Loading } from '../components/Feedback.js';
import { LogView } from '../components/LogView.js';
import { NoiseSummary } from '../components/NoiseSummary.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { StatusTimeline } from '../components/StatusTimeline.js';
import { shortHash, shortId } from '../format.js';
import { useJob } from '../hooks/use-job.js';
import { useJobLog } from '../hooks/use-job-log.js';
import { Link, paths } from '../router.js';

const terminal = new Set(['PROCESSED', 'FAILED', 'CANCELED', 'COMPLETED']);

export function JobPage({ slug, id }: { slug: string; id: string }) {
  const project = useQuery(ProjectQuery, { slug });
  const { job, error, loading, cancel, cancelError } = useJob(id);
  const log = useJobLog(id);
  const report = useQuery(JobReportQuery, { id: job?.reportId ?? '' }, { skip: !job }).data?.report;
  // The probe is sent with startJob: there is one to show once the job has started.
  const probed = useQuery(JobNoiseQuery, { id }, { skip: !job?.startedAt }).data?.job;
  if (error && !job) return <ErrorNote error={error} />;
  if (loading || !job) return <Loading />;
  const canCancel = project.data?.project.canWrite && !terminal.has(job.status) && !job.cancelRequested;
  return (
    <section data-testid="job-page">
      <p className="crumbs">
        <Link to={paths.project(slug)}>{project.data?.project.name ?? slug}</Link> / job
      </p>
      <div className="page-head">
        <h1 className="mono">{shortId(job.id)}</h1>
        <StatusBadge status={job.status} />
        {job.cancelRequested && !terminal.has(job.status) && <span className="muted">canceling…</span>}
        {canCancel && (
          <button type="button" className="danger" onClick={cancel} data-testid="cancel-job">
            Cancel job
          </button>
        )}
        {job.status === 'PROCESSED' && (
          <Link to={paths.report(slug, job.reportId)} className="button" testId="report-link">
            Results
          </Link>
        )}
      </div>
      {cancelError && <div className="error">{cancelError}</div>}
      <p className="muted">
        <span className="mono">{job.config.repository}</span>
        {report && (
          <>
            {' '}
            · {report.branch.name} · {report.testbed.name} ·{' '}
            <span className="mono">{shortHash(report.hash)}</span>
          </>
        )}
      </p>
      {probed?.runner && (
        <p className="muted" data-testid="job-runner">
          Ran on <Link to={paths.runner(probed.runner.slug)}>{probed.runner.name}</Link>
          {': '}
          {probed.noise ? (
            <NoiseSummary noise={probed.noise} testId="job-noise" />
          ) : (
            <span data-testid="job-noise">no noise probe</span>
          )}
        </p>
      )}
      {job.failureReason && (
        <div className="error" data-testid="failure">
          {job.failureReason}
          {job.failureMessage ? `: ${job.failureMessage}` : ''}
          {job.exitCode !== null ? ` (exit code ${job.exitCode})` : ''}
        </div>
      )}
      <StatusTimeline job={job} />
      <h2>Log</h2>
      {log.error && <ErrorNote error={log.error} />}
      <LogView chunks={log.chunks} />
    </section>
  );
}
