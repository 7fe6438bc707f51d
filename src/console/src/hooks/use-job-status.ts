import { useEffect, useState } from 'react';
import { subscribe } from '../api/client.js';
import { JobStatusSubscription } from '../api/documents.js';
import { useToken } from '../api/use-query.js';

/** A job's live status (null without a job): what a page refetches on, e.g. a report on its confirmation. */
export function useJobStatus(id: string | null | undefined): string | null {
  const token = useToken();
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    setStatus(null);
    if (!id) return;
    return subscribe(JobStatusSubscription, () => ({ jobId: id }), {
      next: ({ jobStatus }) => setStatus(jobStatus.status),
    });
  }, [id, token]);
  return status;
}
