import type { JobStatus } from '../api/types.js';

export function StatusBadge({ status }: { status: JobStatus | string }) {
  return (
    <span className={`badge status-${status.toLowerCase()}`} data-testid="job-status">
      {status}
    </span>
  );
}
