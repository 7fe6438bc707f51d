import type { Job } from '../api/types.js';
import { formatDuration, formatTime, shortId } from '../format.js';
import { useNow } from '../hooks/use-now.js';
import { Link, paths } from '../router.js';
import { StatusBadge } from './StatusBadge.js';
import { TableScroll } from './TableScroll.js';

export function JobTable({ jobs, project }: { jobs: Job[]; project: string }) {
  const now = useNow(jobs.some((j) => j.startedAt && !j.finishedAt));
  if (!jobs.length)
    return (
      <p className="muted" data-testid="no-jobs">
        No jobs yet.
      </p>
    );
  return (
    <TableScroll label="Jobs">
      <table className="grid" data-testid="jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Image</th>
            <th scope="col">Created</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} data-testid="job-row" data-job-id={job.id} data-status={job.status}>
              <td>
                <Link to={paths.job(project, job.id)} className="mono">
                  <span className="sr-only">Job </span>
                  {shortId(job.id)}
                </Link>
              </td>
              <td>
                <StatusBadge status={job.status} />
              </td>
              <td className="mono">{job.config.repository}</td>
              <td>{formatTime(job.createdAt)}</td>
              <td>{formatDuration(job.startedAt, job.finishedAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
