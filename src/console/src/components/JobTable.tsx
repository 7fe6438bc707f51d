import type { Job } from '../api/types.js';
import { formatDuration, formatTime, shortId } from '../format.js';
import { useNow } from '../hooks/use-now.js';
import { Link, paths } from '../router.js';
import { StatusBadge } from './StatusBadge.js';

export function JobTable({ jobs, project }: { jobs: Job[]; project: string }) {
  const now = useNow(jobs.some((j) => j.startedAt && !j.finishedAt));
  if (!jobs.length)
    return (
      <p className="muted" data-testid="no-jobs">
        No jobs yet.
      </p>
    );
  return (
    <table className="grid" data-testid="jobs">
      <thead>
        <tr>
          <th>Job</th>
          <th>Status</th>
          <th>Image</th>
          <th>Created</th>
          <th>Duration</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.id} data-testid="job-row" data-job-id={job.id} data-status={job.status}>
            <td>
              <Link to={paths.job(project, job.id)} className="mono">
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
  );
}
