import type { Database } from '../db/database.js';

/** PENDING → CLAIMED by a runner; the claim counts as its first sign of life. */
export function markClaimed(trx: Database, jobId: string, runnerId: string, now: Date) {
  return trx
    .updateTable('job')
    .set({ status: 'CLAIMED', runner_id: runnerId, claimed_at: now, last_heartbeat_at: now })
    .where('id', '=', jobId)
    .where('status', '=', 'PENDING')
    .returningAll()
    .executeTakeFirstOrThrow();
}
