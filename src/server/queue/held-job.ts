import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { forbidden, notFound } from '../errors.js';

/**
 * Locks a job for a runner's call and checks that this runner holds it. The row lock orders a
 * runner's concurrent calls (a retried append racing the original) on the same job.
 */
export async function lockHeldJob(trx: Database, jobId: string, runnerId: string): Promise<Selectable<Job>> {
  const job = await trx.selectFrom('job').selectAll().where('id', '=', jobId).forUpdate().executeTakeFirst();
  if (!job) throw notFound('job');
  if (job.runner_id !== runnerId) {
    throw forbidden(
      'this job is held by another runner (or by none); a runner may act only on jobs it claimed',
    );
  }
  return job;
}
