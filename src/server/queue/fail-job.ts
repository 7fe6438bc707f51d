import type { Selectable } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { badInput } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import { type JobNoise, noisePatch, recordRunnerNoise } from '../noise/job-noise.js';
import { lockHeldJob } from './held-job.js';
import type { FailureReason } from './job-config.js';
import { leaveFlight } from './leave-flight.js';
import { invalidTransition } from './transition-error.js';

/** Reasons a runner may give; the others are the server's to decide. */
export const RUNNER_FAILURE_REASONS = [
  'RUNNER_ERROR',
  'IMAGE_ERROR',
  'CANCELED_BY_USER',
  'JOB_TIMEOUT',
  // The job went over one of its spec's limits; the runner killed it or the kernel refused it.
  'OUT_OF_MEMORY',
  'DISK_LIMIT',
  'PROCESS_LIMIT',
] as const;
export type RunnerFailureReason = (typeof RUNNER_FAILURE_REASONS)[number];

/**
 * A runner gives up on its job: FAILED, or CANCELED when it confirms a cancel (CANCELED_BY_USER)
 * or a timeout kill (JOB_TIMEOUT). Once the job has ended, a repeat returns it unchanged.
 */
export async function failJob(
  db: Database,
  config: Config,
  input: {
    jobId: string;
    runnerId: string;
    reason: FailureReason;
    message: string | null;
    now: Date;
    /** The runner's noise probe, when the claim started the job (see CompletionInput.noise). */
    noise?: JobNoise | null;
  },
): Promise<{ job: Selectable<Job>; events: BusEvent[] }> {
  if (!(RUNNER_FAILURE_REASONS as readonly string[]).includes(input.reason)) {
    throw badInput(
      `a runner reports ${RUNNER_FAILURE_REASONS.join(', ')}; the server decides ${input.reason}`,
      'reason',
    );
  }
  return db.transaction().execute(async (trx) => {
    const job = await lockHeldJob(trx, input.jobId, input.runnerId);
    if (job.status === 'FAILED' || job.status === 'CANCELED') return { job, events: [] };
    if (job.status !== 'CLAIMED' && job.status !== 'RUNNING') throw invalidTransition(job, 'fail the job');
    if (input.reason === 'CANCELED_BY_USER' && !job.cancel_requested_at) {
      throw badInput('nobody asked to cancel this job; report RUNNER_ERROR instead', 'reason');
    }
    const canceled = input.reason === 'CANCELED_BY_USER' || input.reason === 'JOB_TIMEOUT';
    await recordRunnerNoise(trx, input.noise ?? null, input.runnerId, input.now);
    return leaveFlight(
      trx,
      config,
      job,
      {
        status: canceled ? 'CANCELED' : 'FAILED',
        failure_reason: input.reason,
        failure_message: input.message?.slice(0, 4000) ?? null,
        ...noisePatch(input.noise ?? null),
      },
      input.now,
    );
  });
}
