import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { lockHeldJob } from './held-job.js';
import { recordUsage } from './usage.js';

/**
 * A runner's sign of life. The answer says whether to stop: a cancel was asked for, or the job
 * was canceled (timeout). A job failed for a missed heartbeat is not told to stop — its late
 * completion still counts.
 */
export async function heartbeatJob(
  db: Database,
  input: { jobId: string; runnerId: string; now: Date },
): Promise<{ cancel: boolean }> {
  return db.transaction().execute(async (trx) => {
    // Losing the last heartbeats in a database crash is harmless (the next one restores them), so
    // this commit need not wait for the disk.
    await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    const job = await lockHeldJob(trx, input.jobId, input.runnerId);
    const cancel = job.cancel_requested_at !== null || job.status === 'CANCELED';
    if (job.status === 'CLAIMED' || job.status === 'RUNNING') {
      await trx.updateTable('job').set({ last_heartbeat_at: input.now }).where('id', '=', job.id).execute();
      if (job.status === 'RUNNING') await recordUsage(trx, job, input.now);
    }
    return { cancel };
  });
}
