import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';

/** Runner minutes billed for a run: every started minute, at least one. */
export function billedMinutes(startedAt: Date, until: Date): number {
  const seconds = Math.max(0, (until.getTime() - startedAt.getTime()) / 1000);
  return Math.max(1, Math.ceil(seconds / 60));
}

/**
 * Upserts the job's billing record. Minutes only grow, so a late or replayed heartbeat cannot
 * lower what was billed.
 */
export async function recordUsage(trx: Database, job: Selectable<Job>, until: Date): Promise<number> {
  if (!job.started_at) return 0;
  const minutes = billedMinutes(job.started_at, until);
  await trx
    .insertInto('usage')
    .values({
      job_id: job.id,
      organization_id: job.organization_id,
      runner_id: job.runner_id,
      minutes,
      started_at: job.started_at,
      updated_at: until,
    })
    .onConflict((oc) =>
      oc.column('job_id').doUpdateSet((eb) => ({
        minutes: eb.fn('greatest', [eb.ref('usage.minutes'), eb.ref('excluded.minutes')]),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  return minutes;
}

/**
 * `billedMinutes(started_at, until)` in SQL, for a row alias whose started_at is set; `until` is a
 * time or an expression (a batch of heartbeats bills each job to its own beat).
 */
export function billedMinutesSql(alias: string, until: Date | RawBuilder<unknown>): RawBuilder<number> {
  const startedAt = sql.ref(`${alias}.started_at`);
  return sql<number>`greatest(1, ceil(greatest(0, extract(epoch FROM ${until}::timestamptz - ${startedAt})) / 60))::int`;
}

/**
 * `recordUsage` as a data-modifying CTE body over the job rows a previous CTE returned (those not
 * started are skipped), so that billing rides in the statement that changes the job.
 */
export function recordUsageFrom(alias: string, until: Date): RawBuilder<unknown> {
  return sql`
    INSERT INTO usage (job_id, organization_id, runner_id, minutes, started_at, updated_at)
    SELECT id, organization_id, runner_id, ${billedMinutesSql(alias, until)}, started_at, ${until}::timestamptz
    FROM ${sql.table(alias)} WHERE started_at IS NOT NULL
    ON CONFLICT (job_id) DO UPDATE
      SET minutes = greatest(usage.minutes, excluded.minutes), updated_at = excluded.updated_at
  `;
}
