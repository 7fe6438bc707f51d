import type { RunnerClaimJobMutation } from '../gql/graphql.js';

/**
 * The runner API's documents, in one place. Plain strings (codegen finds them by the GraphQL comment
 * and types their results in src/gql): a document edited before the next codegen still works at run
 * time, where a stale `graphql()` lookup would not.
 */

/**
 * The most a completeJob request may carry (its JSON: every iteration's stdout and files). The
 * server takes bodies up to 64 MiB; a job whose outputs come to more fails with a message saying
 * so, instead of a completion the server refuses and a job left to its heartbeat timeout.
 */
export const MAX_COMPLETION_BYTES = 60 * 1024 * 1024;

export type LimitFailureReason = 'OUT_OF_MEMORY' | 'DISK_LIMIT' | 'PROCESS_LIMIT';
export type RunnerFailureReason =
  | 'RUNNER_ERROR'
  | 'IMAGE_ERROR'
  | 'CANCELED_BY_USER'
  | 'JOB_TIMEOUT'
  | LimitFailureReason;

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
  /** CONFIRMATION: run every arm each round (run-plan.ts); RUN: the image at `digest`. */
  kind?: 'RUN' | 'CONFIRMATION';
  rounds?: number | null;
  /** A confirmation's images, the head first. */
  arms?: Array<{ name: string; repository: string; digest: string }> | null;
}

export interface ClaimedJob {
  id: string;
  /** The claim started it (claimJob's `start`): no startJob; the noise probe goes with the result. */
  started: boolean;
  config: ClaimedJobConfig;
  /** Bearer token for pulling this job's image from the server's registry. */
  pullToken: string | null;
  /** Whether the job's spec allows network access. */
  network: boolean;
  /** The job's spec's limits, as of the claim; the executor enforces them. */
  limits: SpecLimits;
}

export interface SpecLimits {
  cpus: number;
  memoryBytes: number;
  diskBytes: number;
  processes: number;
}

export const CLAIM_JOB = /* GraphQL */ `
  mutation RunnerClaimJob($specs: [String!], $waitSeconds: Int, $start: Boolean) {
    claimJob(specs: $specs, waitSeconds: $waitSeconds, start: $start) {
      job {
        id
        status
        spec {
          network
          cpu
          memory
          disk
          processes
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
        kind
        rounds
        arms {
          name
          repository
          digest
        }
      }
    }
  }
`;

export const START_JOB = /* GraphQL */ `
  mutation RunnerStartJob($jobId: UUID!, $noise: NoiseInput) {
    startJob(jobId: $jobId, noise: $noise) {
      id
      status
    }
  }
`;

/** The runner's start-up report: preflight checks and what each tuning knob did. */
export const REPORT_PREFLIGHT = /* GraphQL */ `
  mutation RunnerReportPreflight($checks: [PreflightCheckInput!]!, $tuning: [TuningKnobInput!]) {
    reportPreflight(checks: $checks, tuning: $tuning)
  }
`;

/** Answers the next seq the server expects. */
export const APPEND_JOB_LOGS = /* GraphQL */ `
  mutation RunnerAppendJobLogs($jobId: UUID!, $chunks: [LogChunkInput!]!) {
    appendJobLogs(jobId: $jobId, chunks: $chunks)
  }
`;

export const HEARTBEAT_JOB = /* GraphQL */ `
  mutation RunnerHeartbeatJob($jobId: UUID!, $waitSeconds: Int) {
    heartbeatJob(jobId: $jobId, waitSeconds: $waitSeconds) {
      cancel
    }
  }
`;

/** Answers once the server has processed the outputs. */
export const COMPLETE_JOB = /* GraphQL */ `
  mutation RunnerCompleteJob(
    $jobId: UUID!
    $exitCode: Int!
    $outputs: [JobOutputInput!]!
    $noise: NoiseInput
  ) {
    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise) {
      id
      status
    }
  }
`;

/**
 * A job's last log batch and its result in one request and one transaction: the batch is stored
 * ahead of the result, and a batch the log refuses refuses the completion too (its error's
 * `extensions.argument` is "logs"), so the completion never lands ahead of the output it follows.
 */
export const COMPLETE_JOB_WITH_LOGS = /* GraphQL */ `
  mutation RunnerCompleteJobWithLogs(
    $jobId: UUID!
    $chunks: [LogChunkInput!]!
    $exitCode: Int!
    $outputs: [JobOutputInput!]!
    $noise: NoiseInput
  ) {
    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise, logs: $chunks) {
      id
      status
    }
  }
`;

export const FAIL_JOB = /* GraphQL */ `
  mutation RunnerFailJob(
    $jobId: UUID!
    $reason: RunnerFailureReason!
    $message: String
    $noise: NoiseInput
  ) {
    failJob(jobId: $jobId, reason: $reason, message: $message, noise: $noise) {
      id
      status
    }
  }
`;

/**
 * Every document the runner sends. The server knows them by id (src/runner/document-ids.ts): a
 * runner sends the id, and the server runs its own parsed and validated copy.
 */
export const RUNNER_DOCUMENTS: readonly string[] = [
  CLAIM_JOB,
  START_JOB,
  REPORT_PREFLIGHT,
  APPEND_JOB_LOGS,
  HEARTBEAT_JOB,
  COMPLETE_JOB,
  COMPLETE_JOB_WITH_LOGS,
  FAIL_JOB,
];

type WireClaimedJob = NonNullable<RunnerClaimJobMutation['claimJob']>;

/** `env` is JSON on the wire: name → value (a list of `K=V` is accepted too). */
function envRecord(env: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const item of env) {
      const eq = String(item).indexOf('=');
      if (eq > 0) record[String(item).slice(0, eq)] = String(item).slice(eq + 1);
    }
  } else if (env && typeof env === 'object') {
    for (const [key, value] of Object.entries(env)) record[key] = String(value);
  }
  return record;
}

export function toClaimedJob(wire: WireClaimedJob): ClaimedJob {
  return {
    id: wire.job.id,
    started: wire.job.status === 'RUNNING',
    pullToken: wire.pullToken ?? null,
    network: Boolean(wire.job.spec?.network),
    limits: {
      cpus: wire.job.spec.cpu,
      memoryBytes: wire.job.spec.memory,
      diskBytes: wire.job.spec.disk,
      processes: wire.job.spec.processes,
    },
    config: {
      ...wire.config,
      env: envRecord(wire.config.env),
      filePaths: wire.config.filePaths ?? [],
      iterations: Math.max(1, wire.config.iterations ?? 1),
    },
  };
}
