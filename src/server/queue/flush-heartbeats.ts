import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import { billedMinutesSql } from './usage.js';

export interface Beat {
  jobId: string;
  runnerId: string;
  at: Date;
}

/**
 * Writes a server's acknowledged heartbeats in one autocommit statement: each job's lease moves to
 * its beat when that runner still holds it (a lease only ever moves forward, so a batch from another
 * server that carried an older beat of the same job changes nothing), and running jobs' billed
 * minutes grow with their beat — only when they do, so most beats write nothing to `usage`.
 * Returns the jobs whose lease is not this runner's (finished, failed, re-claimed): the server must
 * stop answering their beats from memory.
 *
 * Beats arrive sorted by job, so two servers flushing the same jobs lock their leases in one order.
 */
export async function flushHeartbeats(db: Database, beats: Beat[]): Promise<string[]> {
  if (beats.length === 0) return [];
  const sorted = [...beats].sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
  const { rows } = await sql<{ lost: string[] }>`${sql.raw(PREPARED)}
    WITH b AS (
      SELECT * FROM unnest(${sorted.map((b) => b.jobId)}::uuid[], ${sorted.map((b) => b.runnerId)}::uuid[],
        ${sorted.map((b) => b.at.toISOString())}::timestamptz[]) AS b(job_id, runner_id, at)
    ), beat AS (
      UPDATE job_lease l SET beat_at = b.at FROM b
      WHERE l.job_id = b.job_id AND l.runner_id = b.runner_id AND l.beat_at < b.at
      RETURNING l.job_id, b.at
    ), running AS (
      SELECT job.id, job.organization_id, job.runner_id, job.started_at, beat.at
      FROM beat JOIN job ON job.id = beat.job_id
      WHERE job.status = 'RUNNING' AND job.started_at IS NOT NULL
    ), billed AS (
      INSERT INTO usage (job_id, organization_id, runner_id, minutes, started_at, updated_at)
      SELECT id, organization_id, runner_id, ${billedMinutesSql('running', sql`running.at`)}, started_at, at
      FROM running
      ON CONFLICT (job_id) DO UPDATE SET minutes = excluded.minutes, updated_at = excluded.updated_at
      WHERE usage.minutes < excluded.minutes
    )
    SELECT array(
      SELECT b.job_id FROM b WHERE NOT EXISTS (
        SELECT 1 FROM job_lease l WHERE l.job_id = b.job_id AND l.runner_id = b.runner_id
      )
    ) AS lost, set_config('synchronous_commit', 'off', true) AS async
  `.execute(db);
  return rows[0]?.lost ?? [];
}
