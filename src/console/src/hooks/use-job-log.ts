import { useEffect, useState } from 'react';
import { subscribe } from '../api/client.js';
import { JobLogsSubscription } from '../api/documents.js';
import type { LogChunk } from '../api/types.js';
import { useToken } from '../api/use-query.js';

const MAX_CHUNKS = 20_000;

/**
 * The job's log as it arrives. The cursor (last seq seen) is read on every resubscribe, so after
 * a dropped connection the server sends only what came after it; duplicates are dropped anyway.
 */
export function useJobLog(jobId: string) {
  const token = useToken();
  const [chunks, setChunks] = useState<LogChunk[]>([]);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let lastSeq = -1;
    setChunks([]);
    setEnded(false);
    setError(undefined);
    return subscribe(JobLogsSubscription, () => ({ jobId, afterSeq: lastSeq < 0 ? null : lastSeq }), {
      next: ({ jobLogs }) => {
        if (jobLogs.seq <= lastSeq) return;
        lastSeq = jobLogs.seq;
        setChunks((list) => {
          const next = list.length >= MAX_CHUNKS ? list.slice(list.length - MAX_CHUNKS + 1) : list.slice();
          next.push(jobLogs);
          return next;
        });
      },
      error: (e) => setError(e.message),
      complete: () => setEnded(true),
    });
  }, [jobId, token]);

  return { chunks, ended, error };
}
