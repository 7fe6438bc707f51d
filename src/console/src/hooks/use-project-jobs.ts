import { useEffect, useMemo, useState } from 'react';
import { announce } from '../announce.js';
import { onReconnect, subscribe } from '../api/client.js';
import { JobsQuery, ProjectJobsSubscription } from '../api/documents.js';
import type { Job } from '../api/types.js';
import { useQuery, useToken } from '../api/use-query.js';
import { shortId } from '../format.js';

const LIMIT = 50;

/** The project's recent jobs: a first page, then every change from the projectJobs subscription. */
export function useProjectJobs(project: string) {
  const token = useToken();
  const query = useQuery(JobsQuery, { project, first: LIMIT });
  const [live, setLive] = useState<Map<string, Job>>(new Map());

  useEffect(() => {
    setLive(new Map());
    return subscribe(ProjectJobsSubscription, () => ({ project }), {
      next: ({ projectJobs }) => {
        setLive((m) => new Map(m).set(projectJobs.id, projectJobs));
        // The table changes in place; say so for those who cannot see it change.
        announce(`Job ${shortId(projectJobs.id)}: ${projectJobs.status.toLowerCase()}`);
      },
    });
  }, [project, token]);

  // Changes made while the connection was down never reach the stream: read the list again.
  useEffect(() => onReconnect(query.refetch), [query.refetch]);

  const jobs = useMemo(() => {
    const byId = new Map<string, Job>();
    for (const { node } of query.data?.jobs.edges ?? []) byId.set(node.id, node);
    for (const job of live.values()) byId.set(job.id, job);
    return [...byId.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .slice(0, LIMIT);
  }, [query.data, live]);

  // Bumps when a job reaches a terminal state: reports and alerts lists depend on it.
  const settled = jobs.filter((j) => ['PROCESSED', 'FAILED', 'CANCELED'].includes(j.status)).length;
  // Until the list query answers (or if it fails), the live stream alone still shows new jobs.
  return {
    jobs,
    settled,
    error: jobs.length ? undefined : query.error,
    loading: query.loading && !query.data && !jobs.length,
  };
}
