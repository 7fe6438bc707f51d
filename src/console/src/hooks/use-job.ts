import { useEffect, useState } from 'react';
import { ApiError, request, subscribe } from '../api/client.js';
import { CancelJobMutation, JobQuery, JobStatusSubscription } from '../api/documents.js';
import type { Job } from '../api/types.js';
import { useQuery, useToken } from '../api/use-query.js';

/** One job, kept current by the jobStatus subscription (which sends the current state first). */
export function useJob(id: string) {
  const token = useToken();
  const query = useQuery(JobQuery, { id });
  const [live, setLive] = useState<Job | undefined>();
  const [cancelError, setCancelError] = useState<string | undefined>();

  useEffect(() => {
    setLive(undefined);
    return subscribe(JobStatusSubscription, () => ({ jobId: id }), {
      next: ({ jobStatus }) => setLive(jobStatus),
    });
  }, [id, token]);

  const job = newest(query.data?.job, live);

  /** Resolves true when the server took the cancel. */
  const cancel = async (): Promise<boolean> => {
    setCancelError(undefined);
    try {
      const { cancelJob } = await request(CancelJobMutation, { id });
      setLive((current) => newest(current, cancelJob));
      return true;
    } catch (error) {
      setCancelError(error instanceof ApiError ? error.message : String(error));
      return false;
    }
  };

  return { job, error: query.error, loading: query.loading && !job, cancel, cancelError };
}

const order = ['PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED', 'PROCESSED', 'FAILED', 'CANCELED'];

// The query and the subscription race; a job only moves forward, so keep the later state. A
// heartbeat failure is the exception: a late completion may still turn it COMPLETED, then PROCESSED,
// so it ranks as the RUNNING it may still be.
function newest(a: Job | undefined, b: Job | undefined): Job | undefined {
  if (!a || !b) return a ?? b;
  const position = (j: Job) =>
    j.status === 'FAILED' && j.failureReason === 'HEARTBEAT_TIMEOUT'
      ? order.indexOf('RUNNING')
      : order.indexOf(j.status);
  const rank = (j: Job) => Math.min(position(j), 4) * 2 + (j.cancelRequested ? 1 : 0);
  return rank(b) >= rank(a) ? b : a;
}
