import { type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import type { EventBus } from '../events/bus.js';
import { jobEvent, notifyJobEvent, notifyQueueEvent, publishAll } from './events.js';

/**
 * CLAIMED or RUNNING → PENDING for a job handed to a long-poll whose caller went away before it
 * could be answered: nobody runs it, so it goes back to the queue (and wakes a runner) at once
 * instead of failing on the heartbeat timeout. One handed RUNNING (its claimer asked to start) was
 * billed by its creating statement for a run that never happened: that billing row goes too, and
 * the next claim bills from its own start. Does nothing if the job has moved on since (finished,
 * expired, or claimed again).
 */
export async function releaseHandedJob(db: Database, job: Selectable<Job>, events: EventBus): Promise<void> {
  const channel = events.sqlChannel;
  const { rows } = await sql<Selectable<Job> & { queued: unknown; notified: unknown }>`
    WITH u AS (
      UPDATE job SET status = 'PENDING', runner_id = NULL, claimed_at = NULL, last_heartbeat_at = NULL,
        started_at = NULL
      WHERE id = ${job.id} AND runner_id = ${job.runner_id} AND status IN ('CLAIMED', 'RUNNING')
        AND claimed_at = ${job.claimed_at}
      RETURNING *
    ),
    unbilled AS (DELETE FROM usage WHERE job_id IN (SELECT id FROM u))
    SELECT u.*, ${notifyQueueEvent(channel, sql.ref('u.spec_id'))} AS queued, ${notifyJobEvent(channel, 'u')} AS notified
    FROM u
  `.execute(db);
  const released = rows[0];
  if (!released || channel) return;
  const { queued: _q, notified: _n, ...row } = released;
  await publishAll(events, [{ topic: 'queue', specId: row.spec_id }, jobEvent(row)]);
}
