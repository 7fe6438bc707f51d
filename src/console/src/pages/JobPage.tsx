import { useEffect, useRef } from 'react';
import { announce } from '../announce.js';
import { JobNoiseQuery, JobReportQuery, ProjectQuery } from '../api/documents.js';
import { useQuery } from '../api/use-query.js';
import { ErrorNote, Loading, PageError } from '../components/Feedback.js';
import { LogView } from '../components/LogView.js';
import { NoiseSummary } from '../components/NoiseSummary.js';
import { PageHeading } from '../components/PageHeading.js';
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
  const status = useRef<HTMLSpanElement>(null);
  useStatusAnnouncements(job?.status);
  if (error && !job) return <PageError title="Job not shown" error={error} />;
  if (loading || !job) return <Loading />;
  // A job failed for a missed heartbeat may still end otherwise: its runner can be alive behind a
  // server that died, and its late completion wins within the grace. The server keeps the log
  // stream open that long, so the page follows the job until the stream ends.
  const awaitingLate = job.status === 'FAILED' && job.failureReason === 'HEARTBEAT_TIMEOUT' && !log.ended;
  const projectName = project.data?.project.name ?? slug;
  const canCancel = project.data?.project.canWrite && !terminal.has(job.status) && !job.cancelRequested;
  // The Cancel button goes away once pressed: the status it changed takes focus instead.
  const onCancel = async () => {
    if (await cancel()) {
      status.current?.focus();
      announce('Cancel requested');
    }
  };
  return (
    <section data-testid="job-page">
      <p className="crumbs">
        <Link to={paths.project(slug)}>{projectName}</Link> / job
      </p>
      <div className="page-head">
        <PageHeading title={`Job ${shortId(job.id)} · ${projectName}`} className="mono">
          <span className="sr-only">Job </span>
          {shortId(job.id)}
        </PageHeading>
        <span ref={status} tabIndex={-1} data-testid="job-state">
          <span className="sr-only">Status: </span>
          <StatusBadge status={job.status} />
          {job.cancelRequested && !terminal.has(job.status) && <span className="muted"> canceling…</span>}
        </span>
        {canCancel && (
          <button type="button" className="danger" onClick={onCancel} data-testid="cancel-job">
            Cancel job
          </button>
        )}
        {terminal.has(job.status) && (
          <Link to={paths.report(slug, job.reportId)} className="button" testId="report-link">
            {job.status === 'PROCESSED' ? 'Results' : 'Report'}
          </Link>
        )}
      </div>
      {cancelError && (
        <div className="error" role="alert">
          {cancelError}
        </div>
      )}
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
      {awaitingLate && (
        <p className="muted" role="status" data-testid="late-completion">
          The runner stopped answering, perhaps because its server went away. If it is still running, its
          result can still arrive and finish this job; this page keeps following it.
        </p>
      )}
      <StatusTimeline job={job} />
      <h2 id="log">Log</h2>
      {log.error && <ErrorNote error={log.error} />}
      <LogView chunks={log.chunks} finished={(terminal.has(job.status) && !awaitingLate) || log.ended} />
    </section>
  );
}

/** Tells a screen reader when the job moves on (not the state it was in when the page opened). */
function useStatusAnnouncements(status: string | undefined) {
  const seen = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!status) return;
    if (seen.current && seen.current !== status) announce(`Job status: ${status}`);
    seen.current = status;
  }, [status]);
}
