import { useState } from 'react';
import { AlertsQuery, ProjectQuery, ReportsQuery } from '../api/documents.js';
import { useQuery } from '../api/use-query.js';
import { AlertList } from '../components/AlertList.js';
import { ErrorNote, Loading, PageError } from '../components/Feedback.js';
import { JobTable } from '../components/JobTable.js';
import { PageHeading } from '../components/PageHeading.js';
import { TableScroll } from '../components/TableScroll.js';
import { formatTime, shortHash, shortId } from '../format.js';
import { useDismissAlert } from '../hooks/use-dismiss-alert.js';
import { useProjectJobs } from '../hooks/use-project-jobs.js';
import { useRefetchOn } from '../hooks/use-refetch-on.js';
import { Link, paths } from '../router.js';

export function ProjectPage({ slug }: { slug: string }) {
  const project = useQuery(ProjectQuery, { slug });
  const jobs = useProjectJobs(slug);
  if (project.error) return <PageError title="Project not shown" error={project.error} />;
  if (!project.data) return <Loading />;
  const p = project.data.project;
  return (
    <section data-testid="project-page">
      <div className="page-head">
        <PageHeading title={p.name} />
        <span className={`badge visibility-${p.visibility.toLowerCase()}`}>{p.visibility}</span>
        <Link to={paths.perf(p.slug)} className="button" testId="perf-link">
          Perf plot
        </Link>
      </div>
      {/* Alerts come first in the page (and on a phone, on top); on a wide screen they sit on the right. */}
      <div className="columns">
        <section className="side" aria-labelledby="alerts-heading">
          <h2 id="alerts-heading">Active alerts</h2>
          <Alerts project={p.slug} canWrite={p.canWrite} settled={jobs.settled} />
        </section>
        <div className="body">
          <h2>
            Jobs{' '}
            <span className="live" title="This list updates as jobs change">
              <span className="live-dot" aria-hidden="true" /> live
            </span>
          </h2>
          {jobs.error ? (
            <ErrorNote error={jobs.error} />
          ) : jobs.loading ? (
            <Loading />
          ) : (
            <JobTable jobs={jobs.jobs} project={p.slug} />
          )}
          <h2>Recent reports</h2>
          <Reports project={p.slug} settled={jobs.settled} />
        </div>
      </div>
    </section>
  );
}

// `settled` changes when a job finishes: its report and any new alerts are worth a fresh read.
function Reports({ project, settled }: { project: string; settled: number }) {
  const [limit, setLimit] = useState(20);
  const { data, error, refetch } = useQuery(ReportsQuery, { project, first: limit });
  useRefetchOn(settled, refetch);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  const reports = data.reports.edges.map((e) => e.node);
  if (!reports.length) return <p className="muted">No reports yet.</p>;
  return (
    <TableScroll label="Recent reports">
      <table className="grid" data-testid="reports">
        <thead>
          <tr>
            <th scope="col">Report</th>
            <th scope="col">Branch</th>
            <th scope="col">Testbed</th>
            <th scope="col">Hash</th>
            <th scope="col">Adapter</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => (
            <tr key={r.id} data-testid="report-row" data-report-id={r.id}>
              <td>
                <Link to={paths.report(project, r.id)} className="mono">
                  <span className="sr-only">Report </span>
                  {shortId(r.id)}
                </Link>
              </td>
              <td>{r.branch.name}</td>
              <td>{r.testbed.name}</td>
              <td className="mono">{shortHash(r.hash)}</td>
              <td>{r.adapter}</td>
              <td>{formatTime(r.startTime)}</td>
            </tr>
          ))}
        </tbody>
        {data.reports.pageInfo.hasNextPage && (
          <tfoot>
            <tr>
              <td colSpan={6}>
                <button type="button" className="small" onClick={() => setLimit((n) => n + 20)}>
                  Show older reports
                </button>
              </td>
            </tr>
          </tfoot>
        )}
      </table>
    </TableScroll>
  );
}

function Alerts({ project, canWrite, settled }: { project: string; canWrite: boolean; settled: number }) {
  const [limit, setLimit] = useState(50);
  const { data, error, refetch } = useQuery(AlertsQuery, { project, status: 'ACTIVE', first: limit });
  const dismissal = useDismissAlert();
  useRefetchOn(settled, refetch);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  const alerts = data.alerts.edges.map((e) => e.node);
  return (
    <>
      <AlertList alerts={alerts} project={project} canWrite={canWrite} dismissal={dismissal} activeOnly />
      {data.alerts.pageInfo.hasNextPage && (
        <p className="muted" data-testid="more-alerts">
          The {alerts.length} newest active alerts are shown.{' '}
          <button type="button" className="small" onClick={() => setLimit((n) => n + 50)}>
            Show more alerts
          </button>
        </p>
      )}
    </>
  );
}
