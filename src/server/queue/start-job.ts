import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import type { BusEvent } from '../events/bus.js';
import { jobEvent } from './events.js';
import { lockHeldJob } from './held-job.js';
import { invalidTransition } from './transition-error.js';
import { recordUsage } from './usage.js';

/** CLAIMED → RUNNING: the workload starts; billing starts here. Repeating it is harmless. */
export async function startJob(
  db: Database,
  input: { jobId: string; runnerId: string; now: Date },
): Promise<{ job: Selectable<Job>; events: BusEvent[] }> {
  return db.transaction().execute(async (trx) => {
    const job = await lockHeldJob(trx, input.jobId, input.runnerId);
    if (job.status === 'RUNNING') return { job, events: [] };
    if (job.status !== 'CLAIMED') throw invalidTransition(job, 'start the job', 'stop working on it');
    const started = await trx
      .updateTable('job')
      .set({ status: 'RUNNING', started_at: input.now, last_heartbeat_at: input.now })
      .where('id', '=', job.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordUsage(trx, started, input.now);
    return { job: started, events: [jobEvent(started)] };
  });
}
