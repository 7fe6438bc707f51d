import { type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import { notifyJobEvent } from './events.js';

/** PENDING → CLAIMED by a runner; the claim counts as its first sign of life. */
export async function markClaimed(
  trx: Database,
  jobId: string,
  claim: { runnerId: string; now: Date; channel?: string },
): Promise<Selectable<Job>> {
  const { rows } = await sql<Selectable<Job> & { notified: unknown }>`${sql.raw(PREPARED)}
    WITH u AS (
      UPDATE job SET status = 'CLAIMED', runner_id = ${claim.runnerId}, claimed_at = ${claim.now},
        last_heartbeat_at = ${claim.now}
      WHERE id = ${jobId} AND status = 'PENDING'
      RETURNING *
    )
    SELECT u.*, ${notifyJobEvent(claim.channel, 'u')} AS notified FROM u
  `.execute(trx);
  if (!rows[0]) throw new Error(`job ${jobId} was not PENDING when claimed under its row lock`);
  const { notified: _, ...job } = rows[0];
  return job;
}
