import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import { readHeldJob } from './held-job.js';
import { recordUsageFrom } from './usage.js';

/**
 * A runner's sign of life. The answer says whether to stop: a cancel was asked for, or the job
 * was canceled (timeout). A job failed for a missed heartbeat is not told to stop — its late
 * completion still counts. One autocommit statement for an in-flight job held by this runner;
 * anything else is answered from a read.
 */
export async function heartbeatJob(
  db: Database,
  input: { jobId: string; runnerId: string; now: Date },
): Promise<{ cancel: boolean }> {
  // Losing the last heartbeats in a database crash is harmless (the next one restores them), so
  // this commit need not wait for the disk: set_config(…, true) is SET LOCAL for the statement's
  // own implicit transaction, read when it commits.
  const { rows } = await sql<{ cancel: boolean }>`${sql.raw(PREPARED)}
    WITH beat AS (
      UPDATE job SET last_heartbeat_at = ${input.now}
      WHERE id = ${input.jobId} AND runner_id = ${input.runnerId} AND status IN ('CLAIMED', 'RUNNING')
      RETURNING id, organization_id, runner_id, started_at, status, cancel_requested_at
    ), running AS (SELECT * FROM beat WHERE status = 'RUNNING'),
    billed AS (${recordUsageFrom('running', input.now)})
    SELECT cancel_requested_at IS NOT NULL AS cancel, set_config('synchronous_commit', 'off', true) AS async
    FROM beat
  `.execute(db);
  if (rows[0]) return { cancel: rows[0].cancel };
  const job = await readHeldJob(db, input.jobId, input.runnerId);
  return { cancel: job.cancel_requested_at !== null || job.status === 'CANCELED' };
}
