import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { BusEvent } from '../events/bus.js';
import { leaveFlight } from './leave-flight.js';

export type Expiry = 'HEARTBEAT_TIMEOUT' | 'JOB_TIMEOUT';

/**
 * The sweeper's verdict on one job, re-checked under the row lock (the runner may have
 * heartbeated or finished since the scan): silent → FAILED HEARTBEAT_TIMEOUT; overdue →
 * CANCELED JOB_TIMEOUT.
 */
export async function expireJob(
  db: Database,
  config: Config,
  input: { jobId: string; expiry: Expiry; now: Date },
): Promise<BusEvent[]> {
  return db.transaction().execute(async (trx) => {
    const job = await trx
      .selectFrom('job')
      .selectAll()
      .where('id', '=', input.jobId)
      .where('status', 'in', ['CLAIMED', 'RUNNING'])
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!job) return [];
    const now = input.now.getTime();
    if (input.expiry === 'HEARTBEAT_TIMEOUT') {
      // Locking the lease orders this verdict with a batch of heartbeats writing it: a beat
      // committed first is seen here, one that comes after finds the lease gone (the job left flight).
      const lease = await trx
        .selectFrom('job_lease')
        .select('beat_at')
        .where('job_id', '=', job.id)
        .where('runner_id', '=', job.runner_id)
        .forUpdate()
        .executeTakeFirst();
      const last = Math.max(job.last_heartbeat_at?.getTime() ?? 0, lease?.beat_at.getTime() ?? 0);
      if (now - last <= config.heartbeatTimeoutSeconds * 1000) return [];
      const message =
        job.status === 'CLAIMED'
          ? `claimed but never started: the runner went silent for ${config.heartbeatTimeoutSeconds} s`
          : `no heartbeat from the runner for ${config.heartbeatTimeoutSeconds} s`;
      const result = await leaveFlight(
        trx,
        config,
        job,
        { status: 'FAILED', failure_reason: 'HEARTBEAT_TIMEOUT', failure_message: message },
        input.now,
      );
      return result.events;
    }
    if (!job.started_at || job.status !== 'RUNNING') return [];
    const limit = (job.timeout_seconds + config.jobGraceSeconds) * 1000;
    if (now - job.started_at.getTime() <= limit) return [];
    const result = await leaveFlight(
      trx,
      config,
      job,
      {
        status: 'CANCELED',
        // Tells a runner that is still at it to stop.
        cancel_requested_at: job.cancel_requested_at ?? input.now,
        failure_reason: 'JOB_TIMEOUT',
        failure_message: `ran past its ${job.timeout_seconds} s timeout (plus ${config.jobGraceSeconds} s grace)`,
      },
      input.now,
    );
    return result.events;
  });
}
