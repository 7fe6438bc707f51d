import type { Client } from 'graphql-ws';

export interface Subscription<T> {
  items: T[];
  /** Error codes the server sent (as `error` or as errors in a result). */
  errors: string[];
  /** Resolves when the server completes the subscription or fails it. */
  done: Promise<void>;
  completed: boolean;
  stop(): void;
}

/** Runs one subscription on a graphql-ws client, collecting `pick(data)` of each result. */
export function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: any) => T,
): Subscription<T> {
  const sub: Subscription<T> = {
    items: [],
    errors: [],
    completed: false,
    done: Promise.resolve(),
    stop: () => {},
  };
  sub.done = new Promise<void>((resolve) => {
    sub.stop = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length) {
            sub.errors.push(...result.errors.map((e) => String(e.extensions?.code ?? e.message)));
          } else if (result.data) {
            sub.items.push(pick(result.data));
          }
        },
        error: (error) => {
          const list = Array.isArray(error) ? error : [error];
          sub.errors.push(...list.map((e: any) => String(e?.extensions?.code ?? e?.message ?? e)));
          resolve();
        },
        complete: () => {
          sub.completed = true;
          resolve();
        },
      },
    );
  });
  return sub;
}

export const JOB_LOGS = `subscription ($jobId: UUID!, $afterSeq: Int) {
  jobLogs(jobId: $jobId, afterSeq: $afterSeq) { seq stream text dataBase64 }
}`;
export const JOB_STATUS = 'subscription ($jobId: UUID!) { jobStatus(jobId: $jobId) { id status } }';
export const PROJECT_JOBS =
  'subscription ($project: String!) { projectJobs(project: $project) { id status } }';
