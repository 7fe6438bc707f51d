import { type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import type { BusEvent } from '../events/bus.js';
import { type JobNoise, noiseColumns, runnerNoiseUpdate } from '../noise/job-noise.js';
import { jobEvent, notifyJobEvent } from './events.js';
import { readHeldJob } from './held-job.js';
import { invalidTransition } from './transition-error.js';
import { recordUsageFrom } from './usage.js';

/**
 * CLAIMED → RUNNING: the workload starts; billing starts here. Repeating it is harmless. The runner's
 * noise probe, when sent, is stored on the job and as the runner's latest in the same statement.
 * One autocommit statement: the UPDATE's guard (this runner, still CLAIMED) replaces the row lock
 * and re-check, billing and the event ride along. Only when it changes nothing is the job read,
 * to answer a repeat or refuse.
 */
export async function startJob(
  db: Database,
  input: { jobId: string; runnerId: string; now: Date; channel?: string; noise?: JobNoise | null },
): Promise<{ job: Selectable<Job>; events: BusEvent[] }> {
  const { rows } = await sql<Selectable<Job> & { notified: unknown }>`${sql.raw(PREPARED)}
    WITH started AS (
      UPDATE job SET status = 'RUNNING', started_at = ${input.now}, last_heartbeat_at = ${input.now},
        ${noiseColumns(input.noise ?? null)}
      WHERE id = ${input.jobId} AND runner_id = ${input.runnerId} AND status = 'CLAIMED'
      RETURNING *
    ), billed AS (${recordUsageFrom('started', input.now)}),
    runner_noise AS (${runnerNoiseUpdate(input.noise ?? null, input.runnerId, input.now)})
    SELECT started.*, ${notifyJobEvent(input.channel, 'started')} AS notified FROM started
  `.execute(db);
  if (rows[0]) {
    const { notified: _, ...job } = rows[0];
    return { job, events: input.channel ? [] : [jobEvent(job)] };
  }
  const job = await readHeldJob(db, input.jobId, input.runnerId);
  if (job.status === 'RUNNING') return { job, events: [] };
  throw invalidTransition(job, 'start the job', 'stop working on it');
}
