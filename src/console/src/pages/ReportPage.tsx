import { ProjectQuery, ReportQuery } from '../api/documents.js';
import { useQuery } from '../api/use-query.js';
import { AlertList } from '../components/AlertList.js';
import { ErrorNote, Loading } from '../components/Feedback.js';
import { ResultsTable } from '../components/ResultsTable.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatTime, shortHash, shortId } from '../format.js';
import { useJobStatus } from '../hooks/use-job-status.js';
import { useRefetchOn } from '../hooks/use-refetch-on.js';
import { Link, paths } from '../router.js';

export function ReportPage({ slug, id }: { slug: string; id: string }) {
  const project = useQuery(ProjectQuery, { slug });
  const { data, error, refetch } = useQuery(ReportQuery, { id });
  // The alerts' verdicts move with their confirmation job: refetch on each of its changes, and on
  // the run's own (its completion is what queues the confirmation).
  const confirmation = useJobStatus(data?.report.confirmation?.id);
  const run = useJobStatus(data?.report.job?.id);
  useRefetchOn(`${run}/${confirmation}`, refetch);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  const r = data.report;
  const perfQuery = new URLSearchParams({
    branches: r.branch.slug,
    testbeds: r.testbed.slug,
    benchmarks: r.results
      .flatMap((i) => i.benchmarks.map((b) => b.benchmark.slug))
      .slice(0, 1)
      .join(','),
    measures: r.results
      .flatMap((i) => i.benchmarks.flatMap((b) => b.measures.map((m) => m.measure.slug)))
      .slice(0, 1)
      .join(','),
  });
  return (
    <section data-testid="report-page">
      <p className="crumbs">
        <Link to={paths.project(slug)}>{project.data?.project.name ?? slug}</Link> / report
      </p>
      <div className="page-head">
        <h1 className="mono">{shortId(r.id)}</h1>
        {r.job && (
          <Link to={paths.job(slug, r.job.id)} testId="job-link">
            <StatusBadge status={r.job.status} />
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
      <ResultsTable results={r.results} />
      <h2>Alerts</h2>
      <AlertList alerts={r.alerts} project={slug} canWrite={project.data?.project.canWrite ?? false} />
    </section>
  );
}
