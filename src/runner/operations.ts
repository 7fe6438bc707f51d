/**
 * The runner API's documents and wire shapes, in one place so that the client, the job runner and the
 * tests agree on them. Plain strings: the runner must not depend on a regenerated src/gql.
 */

export type RunnerFailureReason = 'RUNNER_ERROR' | 'IMAGE_ERROR' | 'CANCELED_BY_USER' | 'JOB_TIMEOUT';

export interface JobOutputInput {
  iteration: number;
  exitCode: number;
  stdout: string;
  /** path → content, as read from the sandbox after the iteration. */
  files: Record<string, string>;
}

export interface ClaimedJobConfig {
  registryUrl: string;
  repository: string;
  digest: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  env: Record<string, string>;
  timeoutSeconds: number;
  filePaths: string[];
  iterations: number;
}

export interface ClaimedJob {
  id: string;
  config: ClaimedJobConfig;
  /** Bearer token for pulling this job's image from the server's registry. */
  pullToken: string | null;
  /** Whether the job's spec allows network access. */
  network: boolean;
}

export interface WireClaimedJob {
  job: { id: string; spec: { network: boolean } | null };
  pullToken?: string | null;
  config: Omit<ClaimedJobConfig, 'env'> & { env: Record<string, string> | Array<string> | null };
}

export const CLAIM_JOB = /* GraphQL */ `
  mutation RunnerClaimJob($specs: [String!], $waitSeconds: Int) {
    claimJob(specs: $specs, waitSeconds: $waitSeconds) {
      job {
        id
        spec {
          network
        }
      }
      pullToken
      config {
        registryUrl
        repository
        digest
        entrypoint
        cmd
        env
        timeoutSeconds
        filePaths
        iterations
      }
    }
  }
`;

export const START_JOB = /* GraphQL */ `
  mutation RunnerStartJob($jobId: UUID!) {
    startJob(jobId: $jobId) {
      id
      status
    }
  }
`;

/** Answers the next seq the server expects. */
export const APPEND_JOB_LOGS = /* GraphQL */ `
  mutation RunnerAppendJobLogs($jobId: UUID!, $chunks: [LogChunkInput!]!) {
    appendJobLogs(jobId: $jobId, chunks: $chunks)
  }
`;

export const HEARTBEAT_JOB = /* GraphQL */ `
  mutation RunnerHeartbeatJob($jobId: UUID!) {
    heartbeatJob(jobId: $jobId) {
      cancel
    }
  }
`;

/** Answers once the server has processed the outputs. */
export const COMPLETE_JOB = /* GraphQL */ `
  mutation RunnerCompleteJob($jobId: UUID!, $exitCode: Int!, $outputs: [JobOutputInput!]!) {
    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs) {
      id
      status
    }
  }
`;

export const FAIL_JOB = /* GraphQL */ `
  mutation RunnerFailJob($jobId: UUID!, $reason: RunnerFailureReason!, $message: String) {
    failJob(jobId: $jobId, reason: $reason, message: $message) {
      id
      status
    }
  }
`;

function envRecord(env: WireClaimedJob['config']['env']): Record<string, string> {
  if (!env) return {};
  if (!Array.isArray(env)) return env;
  const record: Record<string, string> = {};
  for (const item of env) {
    const eq = item.indexOf('=');
    if (eq > 0) record[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return record;
}

export function toClaimedJob(wire: WireClaimedJob): ClaimedJob {
  return {
    id: wire.job.id,
    pullToken: wire.pullToken ?? null,
    network: Boolean(wire.job.spec?.network),
    config: {
      ...wire.config,
      env: envRecord(wire.config.env),
      filePaths: wire.config.filePaths ?? [],
      iterations: Math.max(1, wire.config.iterations ?? 1),
    },
  };
}
