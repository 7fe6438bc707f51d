import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import { readHeldJob } from './held-job.js';
import { recordUsageFrom } from './usage.js';

export interface HeartbeatAnswer {
  /** Stop the workload: a cancel was asked for, or the job was canceled (timeout). */
  cancel: boolean;
  /**
   * The beat was recorded on the job's lease: it is in flight and this runner holds it. False when
   * it was answered from the job's row instead (finished, failed by the sweeper, …).
   */
  leased: boolean;
}

/**
 * A runner's sign of life, written at once. The answer says whether to stop. A job failed for a
 * missed heartbeat is not told to stop — its late completion still counts. One autocommit
 * statement on the job's narrow lease (migration 0022) for an in-flight job held by this runner;
 * anything else is answered from a read. A server batching heartbeats (heartbeat-batch.ts) calls
 * this for a job's first beat and whenever its memory of the job may be stale.
 */
export async function heartbeatJob(
  db: Database,
  input: { jobId: string; runnerId: string; now: Date },
): Promise<HeartbeatAnswer> {
  // Losing the last heartbeats in a database crash is harmless (the next one restores them), so
  // this commit need not wait for the disk: set_config(…, true) is SET LOCAL for the statement's
  // own implicit transaction, read when it commits.
  const { rows } = await sql<{ cancel: boolean }>`${sql.raw(PREPARED)}
    WITH beat AS (
      UPDATE job_lease SET beat_at = greatest(beat_at, ${input.now})
      WHERE job_id = ${input.jobId} AND runner_id = ${input.runnerId}
      RETURNING job_id
    ), held AS (
      SELECT job.id, job.organization_id, job.runner_id, job.started_at, job.status, job.cancel_requested_at
      FROM job JOIN beat ON job.id = beat.job_id
    ), running AS (SELECT * FROM held WHERE status = 'RUNNING'),
    billed AS (${recordUsageFrom('running', input.now)})
    SELECT cancel_requested_at IS NOT NULL AS cancel, set_config('synchronous_commit', 'off', true) AS async
    FROM held
  `.execute(db);
  if (rows[0]) return { cancel: rows[0].cancel, leased: true };
  const job = await readHeldJob(db, input.jobId, input.runnerId);
  return { cancel: job.cancel_requested_at !== null || job.status === 'CANCELED', leased: false };
}
