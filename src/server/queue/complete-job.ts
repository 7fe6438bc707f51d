import type { Selectable } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { badInput } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import { jobEvent } from './events.js';
import { lockHeldJob } from './held-job.js';
import { leaveFlight } from './leave-flight.js';
import { processJob } from './process-job.js';
import { invalidTransition } from './transition-error.js';
import { recordUsage } from './usage.js';

export interface JobOutputInput {
  iteration: number;
  exitCode: number;
  /** path → content */
  files: Record<string, string>;
  stdout: string | null;
}

const MAX_OUTPUT_FILES = 255;

function checkOutputs(outputs: JobOutputInput[]): void {
  const seen = new Set<number>();
  for (const output of outputs) {
    if (!Number.isInteger(output.iteration) || output.iteration < 0) {
      throw badInput(`iteration ${output.iteration} is not a whole number ≥ 0`, 'outputs');
    }
    if (seen.has(output.iteration)) throw badInput(`iteration ${output.iteration} is given twice`, 'outputs');
    seen.add(output.iteration);
    const files = output.files ?? {};
    if (typeof files !== 'object' || Array.isArray(files))
      throw badInput('files must map path → content', 'files');
    if (Object.keys(files).length > MAX_OUTPUT_FILES)
      throw badInput(`at most ${MAX_OUTPUT_FILES} files`, 'files');
    for (const [path, content] of Object.entries(files)) {
      if (typeof content !== 'string') throw badInput(`the content of ${path} must be a string`, 'files');
    }
  }
}

/**
 * The runner's result: stores the outputs, RUNNING → COMPLETED (also from FAILED with
 * HEARTBEAT_TIMEOUT: a late completion wins), publishes, then processes the results
 * (→ PROCESSED or FAILED). A repeat after a lost answer stores nothing new and returns the job.
 */
export async function completeJob(
  db: Database,
  config: Config,
  input: { jobId: string; runnerId: string; exitCode: number; outputs: JobOutputInput[]; now: Date },
  publish: (events: BusEvent[]) => Promise<void>,
): Promise<Selectable<Job>> {
  checkOutputs(input.outputs);
  const stored = await db.transaction().execute(async (trx) => {
    const job = await lockHeldJob(trx, input.jobId, input.runnerId);
    const late = job.status === 'FAILED' && job.failure_reason === 'HEARTBEAT_TIMEOUT';
    if (job.status !== 'RUNNING' && !late) {
      const repeat =
        job.status === 'COMPLETED' ||
        job.status === 'PROCESSED' ||
        (job.status === 'FAILED' && job.finished_at !== null && job.processed_at !== null);
      if (repeat) return { job, events: [] };
      throw invalidTransition(job, 'complete the job', job.status === 'CLAIMED' ? 'call startJob first' : '');
    }
    if (input.outputs.length) {
      await trx
        .insertInto('job_output')
        .values(
          input.outputs.map((o) => ({
            job_id: job.id,
            iteration: o.iteration,
            exit_code: o.exitCode,
            files: JSON.stringify(o.files ?? {}),
            stdout: o.stdout,
            created_at: input.now,
          })),
        )
        .onConflict((oc) => oc.columns(['job_id', 'iteration']).doNothing())
        .execute();
    }
    const patch = {
      status: 'COMPLETED',
      exit_code: input.exitCode,
      failure_reason: null,
      failure_message: null,
    };
    if (!late) return leaveFlight(trx, config, job, patch, input.now);
    // Already out of flight (the sweeper freed its slot): bill the full run, keep the slot free.
    const minutes = job.started_at ? await recordUsage(trx, job, input.now) : 0;
    const completed = await trx
      .updateTable('job')
      .set({ ...patch, finished_at: input.now, billed_minutes: minutes })
      .where('id', '=', job.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { job: completed, events: [jobEvent(completed)] };
  });
  await publish(stored.events);
  if (stored.job.status !== 'COMPLETED') return stored.job;
  const processed = await processJob(db, { jobId: input.jobId, now: input.now });
  await publish(processed.events);
  return processed.job ?? stored.job;
}
