import { ProjectQuery, ReportQuery } from '../api/documents.js';
import type { Report } from '../api/types.js';
import { useQuery } from '../api/use-query.js';
import { AlertList } from '../components/AlertList.js';
import { Loading, PageError } from '../components/Feedback.js';
import { PageHeading } from '../components/PageHeading.js';
import { ResultsTable } from '../components/ResultsTable.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatTime, shortHash, shortId } from '../format.js';
import { useDismissAlert } from '../hooks/use-dismiss-alert.js';
import { useJobStatus } from '../hooks/use-job-status.js';
import { useRefetchOn } from '../hooks/use-refetch-on.js';
import { useResultPages } from '../hooks/use-result-pages.js';
import { Link, paths } from '../router.js';

export function ReportPage({ slug, id }: { slug: string; id: string }) {
  const project = useQuery(ProjectQuery, { slug });
  const { data, error, refetch } = useQuery(ReportQuery, { id });
  const dismissal = useDismissAlert();
  // The alerts' verdicts move with their confirmation job: refetch on each of its changes, and on
  // the run's own (its completion is what queues the confirmation).
  const confirmation = useJobStatus(data?.report.confirmation?.id);
  const run = useJobStatus(data?.report.job?.id);
  useRefetchOn(`${run}/${confirmation}`, refetch);
  const results = useResultPages(id, data?.report.resultPage);
  if (error) return <PageError title="Report not shown" error={error} />;
  if (!data) return <Loading />;
  const r = data.report;
  const projectName = project.data?.project.name ?? slug;
  const perfQuery = new URLSearchParams({
    branches: r.branch.slug,
    testbeds: r.testbed.slug,
    benchmarks: results.results
      .flatMap((i) => i.benchmarks.map((b) => b.benchmark.slug))
      .slice(0, 1)
      .join(','),
    measures: results.results
      .flatMap((i) => i.benchmarks.flatMap((b) => b.measures.map((m) => m.measure.slug)))
      .slice(0, 1)
      .join(','),
  });
  return (
    <section data-testid="report-page">
      <p className="crumbs">
        <Link to={paths.project(slug)}>{projectName}</Link> / report
      </p>
      <div className="page-head">
        <PageHeading title={`Report ${shortId(r.id)} · ${projectName}`} className="mono">
          <span className="sr-only">Report </span>
          {shortId(r.id)}
        </PageHeading>
        {r.job && (
          <Link to={paths.job(slug, r.job.id)} testId="job-link" className="button">
            Job <StatusBadge status={r.job.status} />
          </Link>
        )}
        {r.confirmation && (
          <Link to={paths.job(slug, r.confirmation.id)} testId="confirmation-link">
            confirmation <StatusBadge status={r.confirmation.status} />
          </Link>
        )}
        <Link to={paths.perf(slug, perfQuery)} className="button">
          Perf plot
        </Link>
      </div>
      <dl className="facts">
        <dt>Branch</dt>
        <dd>{r.branch.name}</dd>
        <dt>Testbed</dt>
        <dd>{r.testbed.name}</dd>
        <dt>Hash</dt>
        <dd className="mono">{shortHash(r.hash)}</dd>
        <dt>Adapter</dt>
        <dd>{r.adapter}</dd>
        <dt>Started</dt>
        <dd>{formatTime(r.startTime)}</dd>
      </dl>
      {r.error && <div className="error">{r.error}</div>}
      <h2>Results</h2>
      <ResultsTable
        results={results.results}
        statusOf={dismissal.statusOf}
        empty={<NoResults report={r} project={slug} />}
      />
      {results.loading && (
        <p className="muted" role="status" data-testid="results-loading">
          {results.benchmarks} benchmarks shown; reading the next page …
        </p>
      )}
      {results.error && (
        <p className="error" data-testid="results-error">
          Only the first {results.benchmarks} benchmarks are shown: reading the rest failed (
          {results.error.message}). Reload the page to try again.
        </p>
      )}
      <h2>Alerts</h2>
      <AlertList
        alerts={r.alerts}
        project={slug}
        canWrite={project.data?.project.canWrite ?? false}
        dismissal={dismissal}
      />
    </section>
  );
}

/** Why a report holds no results, from its job's state, and a link to the job's log. */
function NoResults({ report, project }: { report: Report; project: string }) {
  const job = report.job;
  let why: string;
  if (!job) why = report.error ? 'the results could not be read.' : 'none were submitted with it.';
  else if (job.status === 'FAILED')
    why = `its job failed${job.failureReason ? ` (${job.failureReason}${job.failureMessage ? `: ${job.failureMessage}` : ''})` : ''} before any were recorded.`;
  else if (job.status === 'CANCELED') why = 'its job was canceled before it finished.';
  else if (job.status === 'PENDING' || job.status === 'CLAIMED') why = 'its job has not started yet.';
  else if (job.status === 'RUNNING') why = 'its job is still running.';
  else if (job.status === 'COMPLETED') why = 'its job finished and its output is being processed.';
  else why = 'its job finished, but its output held no metrics the adapter could read.';
  return (
    <p className="empty-note" data-testid="no-results">
      No results: {why}
      {job && (
        <>
          {' '}
          <Link to={paths.job(project, job.id)} testId="no-results-log">
            See the job's log
          </Link>
          .
        </>
      )}
    </p>
  );
}
