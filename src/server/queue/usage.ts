import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';

/** Runner minutes billed for a run: every started minute, at least one. */
export function billedMinutes(startedAt: Date, until: Date): number {
  const seconds = Math.max(0, (until.getTime() - startedAt.getTime()) / 1000);
  return Math.max(1, Math.ceil(seconds / 60));
}

/**
 * Upserts the job's billing record. Minutes only grow, so a late or replayed heartbeat cannot
 * lower what was billed.
 */
export async function recordUsage(trx: Database, job: Selectable<Job>, until: Date): Promise<number> {
  if (!job.started_at) return 0;
  const minutes = billedMinutes(job.started_at, until);
  await trx
    .insertInto('usage')
    .values({
      job_id: job.id,
      organization_id: job.organization_id,
      runner_id: job.runner_id,
      minutes,
      started_at: job.started_at,
      updated_at: until,
    })
    .onConflict((oc) =>
      oc.column('job_id').doUpdateSet((eb) => ({
        minutes: eb.fn('greatest', [eb.ref('usage.minutes'), eb.ref('excluded.minutes')]),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  return minutes;
}
