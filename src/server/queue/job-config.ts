import type { Json } from '../db/schema.js';

/**
 * What a runner needs to execute a job, stored as `job.config` (jsonb) when the job is created
 * so that later changes to tags or project settings cannot change what runs.
 */
export interface JobConfig {
  /** This server's registry host, e.g. `bench.example.com` or `127.0.0.1:8080`. */
  registryUrl: string;
  repository: string;
  /** The image manifest digest (`sha256:…`); runners pull by digest only. */
  digest: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  env: Record<string, string>;
  timeoutSeconds: number;
  filePaths: string[];
  iterations: number;
  /** A confirmation job (absent: a run). */
  kind?: JobKind;
  /** Confirmation: how many rounds; each round runs every arm once (its `iterations`), in random order. */
  rounds?: number;
  /**
   * Confirmation: the images to compare, the head (the run's own image) first, then each distinct
   * baseline image. Output `iteration` k of a confirmation is round ⌊k / (arms·iterations)⌋, arm
   * ⌊k / iterations⌋ mod arms, iteration k mod iterations.
   */
  arms?: ConfirmationArm[];
}

export type JobKind = 'RUN' | 'CONFIRMATION';

export interface ConfirmationArm {
  /** `head`, `base`, or `base-2`… when a report's alerts have several baselines. */
  name: string;
  repository: string;
  digest: string;
}

/** Where a confirmation output's `iteration` came from (see JobConfig.arms). */
export function confirmationSlot(
  index: number,
  arms: number,
  iterations: number,
): { round: number; arm: number; iteration: number } {
  return {
    round: Math.floor(index / (arms * iterations)),
    arm: Math.floor(index / iterations) % arms,
    iteration: index % iterations,
  };
}

export function readJobConfig(config: Json): JobConfig {
  return config as unknown as JobConfig;
}

export const JOB_STATUSES = [
  'PENDING',
  'CLAIMED',
  'RUNNING',
  'COMPLETED',
  'PROCESSED',
  'FAILED',
  'CANCELED',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FAILURE_REASONS = [
  'HEARTBEAT_TIMEOUT',
  'JOB_TIMEOUT',
  'NONZERO_EXIT',
  'RUNNER_ERROR',
  'IMAGE_ERROR',
  'PROCESSING_ERROR',
  'CANCELED_BY_USER',
  'OUT_OF_MEMORY',
  'DISK_LIMIT',
  'PROCESS_LIMIT',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
