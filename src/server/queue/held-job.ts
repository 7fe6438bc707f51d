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
  return checkHolder(job, runnerId);
}

/**
 * The job as last committed, checked like `lockHeldJob`. For the runner calls' single-statement
 * fast paths: when their guarded UPDATE changed no row, this tells a repeat (answer it again) from
 * a refusal. The UPDATE already waited for any concurrent writer of the row, so that writer's
 * commit is visible here.
 */
export async function readHeldJob(db: Database, jobId: string, runnerId: string): Promise<Selectable<Job>> {
  return checkHolder(
    await db.selectFrom('job').selectAll().where('id', '=', jobId).executeTakeFirst(),
    runnerId,
  );
}

function checkHolder(job: Selectable<Job> | undefined, runnerId: string): Selectable<Job> {
  if (!job) throw notFound('job');
  if (job.runner_id !== runnerId) {
    throw forbidden(
      'this job is held by another runner (or by none); a runner may act only on jobs it claimed',
    );
  }
  return job;
}
