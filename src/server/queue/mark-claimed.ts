import { type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import { type Claimed, claimedSpecColumn, specFromJson } from './claimed-spec.js';
import { notifyJobEvent } from './events.js';

/** PENDING → CLAIMED by a runner; the claim counts as its first sign of life. */
export async function markClaimed(
  trx: Database,
  jobId: string,
  claim: { runnerId: string; now: Date; channel?: string },
): Promise<Claimed> {
  const { rows } = await sql<
    Selectable<Job> & { notified: unknown; claimed_spec: unknown }
  >`${sql.raw(PREPARED)}
    WITH u AS (
      UPDATE job SET status = 'CLAIMED', runner_id = ${claim.runnerId}, claimed_at = ${claim.now},
        last_heartbeat_at = ${claim.now}
      WHERE id = ${jobId} AND status = 'PENDING'
      RETURNING *
    )
    SELECT u.*, ${notifyJobEvent(claim.channel, 'u')} AS notified, ${claimedSpecColumn('u')} FROM u
  `.execute(trx);
  if (!rows[0]) throw new Error(`job ${jobId} was not PENDING when claimed under its row lock`);
  const { notified: _, claimed_spec, ...job } = rows[0];
  return { job, spec: specFromJson(claimed_spec) };
}
