import { type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import { type Claimed, claimedSpecColumn, specFromJson } from './claimed-spec.js';
import { notifyJobEvent } from './events.js';
import { recordUsageFrom } from './usage.js';

/** Who claims, when, and whether the job starts with the claim. */
export interface ClaimAs {
  runnerId: string;
  now: Date;
  /** The bus's SQL channel: the claim's job event is then sent by the claiming statement. */
  channel?: string;
  /**
   * The runner's first act after a claim is startJob: with `start` the claim leaves the job
   * RUNNING (billed from now) instead, and the runner's request and the job's row version for
   * the start are saved. The statement's text is the same either way (parameters only).
   */
  start?: boolean;
}

/**
 * The SET list of a claim: CLAIMED, or RUNNING when the runner asked to start at once; the claim
 * counts as the job's first sign of life.
 */
export function claimedColumns(claim: ClaimAs) {
  return sql`status = ${claim.start ? 'RUNNING' : 'CLAIMED'}::text, runner_id = ${claim.runnerId},
    claimed_at = ${claim.now}, last_heartbeat_at = ${claim.now},
    started_at = ${claim.start ? claim.now : null}::timestamptz`;
}

/** PENDING → CLAIMED (or RUNNING, see ClaimAs.start) by a runner; billing starts with a start. */
export async function markClaimed(trx: Database, jobId: string, claim: ClaimAs): Promise<Claimed> {
  const { rows } = await sql<
    Selectable<Job> & { notified: unknown; claimed_spec: unknown }
  >`${sql.raw(PREPARED)}
    WITH u AS (
      UPDATE job SET ${claimedColumns(claim)}
      WHERE id = ${jobId} AND status = 'PENDING'
      RETURNING *
    ),
    billed AS (${recordUsageFrom('u', claim.now)})
    SELECT u.*, ${notifyJobEvent(claim.channel, 'u')} AS notified, ${claimedSpecColumn('u')} FROM u
  `.execute(trx);
  if (!rows[0]) throw new Error(`job ${jobId} was not PENDING when claimed under its row lock`);
  const { notified: _, claimed_spec, ...job } = rows[0];
  return { job, spec: specFromJson(claimed_spec) };
}
