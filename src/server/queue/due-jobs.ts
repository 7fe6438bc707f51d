import { sql } from 'kysely';
import type { Database } from '../db/database.js';

const BATCH = 500;

/**
 * In-flight jobs with no sign of life since `cutoff`: neither a beat on their lease nor the claim or
 * start on the job row. Every in-flight job has a lease (migration 0022) and only they do, so this
 * reads the narrow lease table whole — as many rows as jobs in flight — and the job of each silent one.
 */
export async function silentJobs(db: Database, cutoff: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('job_lease')
    .innerJoin('job', 'job.id', 'job_lease.job_id')
    .select('job.id')
    .where('job_lease.beat_at', '<', cutoff)
    .where('job.status', 'in', ['CLAIMED', 'RUNNING'])
    .where((eb) => eb.or([eb('job.last_heartbeat_at', 'is', null), eb('job.last_heartbeat_at', '<', cutoff)]))
    .limit(BATCH)
    .execute();
  return rows.map((r) => r.id);
}

/** Running jobs past their timeout plus the grace period. */
export async function overdueJobs(db: Database, now: Date, graceSeconds: number): Promise<string[]> {
  const rows = await db
    .selectFrom('job')
    .select('id')
    .where('status', '=', 'RUNNING')
    .where(sql<boolean>`started_at + make_interval(secs => timeout_seconds + ${graceSeconds}::int) < ${now}`)
    .limit(BATCH)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Completed jobs whose processing has not finished (server stopped, or a failed attempt) and is
 * due: a job with a failed attempt waits for its `next_processing_at` (the backoff), any other for
 * `finishedBefore` (null: at once, as when the sweeper takes the lead after a server start).
 */
export async function unprocessedJobs(
  db: Database,
  now: Date,
  finishedBefore: Date | null,
): Promise<string[]> {
  const rows = await db
    .selectFrom('job')
    .select('id')
    .where('status', '=', 'COMPLETED')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('next_processing_at', 'is', null),
          ...(finishedBefore ? [eb('finished_at', '<', finishedBefore)] : []),
        ]),
        eb('next_processing_at', '<=', now),
      ]),
    )
    .orderBy('finished_at')
    .limit(BATCH)
    .execute();
  return rows.map((r) => r.id);
}
