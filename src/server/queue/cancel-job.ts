import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { notFound } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import { jobEvent } from './events.js';
import { invalidTransition } from './transition-error.js';

/**
 * A user cancels: a PENDING job is CANCELED at once; an in-flight one is marked, and the runner
 * learns it from the published event or its next heartbeat, kills the workload and confirms with
 * failJob(CANCELED_BY_USER). Canceling twice is harmless. Access is the caller's to check.
 */
export async function cancelJob(
  db: Database,
  input: { jobId: string; now: Date },
): Promise<{ job: Selectable<Job>; events: BusEvent[] }> {
  return db.transaction().execute(async (trx) => {
    const job = await trx
      .selectFrom('job')
      .selectAll()
      .where('id', '=', input.jobId)
      .forUpdate()
      .executeTakeFirst();
    if (!job) throw notFound('job');
    if (job.status === 'CANCELED') return { job, events: [] };
    if (job.status === 'PENDING') {
      const canceled = await trx
        .updateTable('job')
        .set({
          status: 'CANCELED',
          failure_reason: 'CANCELED_BY_USER',
          cancel_requested_at: input.now,
          finished_at: input.now,
        })
        .where('id', '=', job.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { job: canceled, events: [jobEvent(canceled)] };
    }
    if (job.status === 'CLAIMED' || job.status === 'RUNNING') {
      if (job.cancel_requested_at) return { job, events: [jobEvent(job, true)] };
      const marked = await trx
        .updateTable('job')
        .set({ cancel_requested_at: input.now })
        .where('id', '=', job.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { job: marked, events: [jobEvent(marked, true)] };
    }
    throw invalidTransition(job, 'cancel the job', 'it has already finished');
  });
}
