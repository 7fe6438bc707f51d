import type { Selectable, Updateable } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import type { BusEvent } from '../events/bus.js';
import { jobEvent } from './events.js';
import { type LimitKey, limitKeyOf, limitOf, lockLimitKey } from './limit-key.js';
import { recordUsage } from './usage.js';

/** The specs of jobs waiting behind a limit key: they may be claimable once a slot frees. */
async function specsWaitingBehind(trx: Database, key: LimitKey): Promise<string[]> {
  let query = trx.selectFrom('job').select('spec_id').distinct().where('status', '=', 'PENDING');
  query =
    key.kind === 'ip'
      ? query.where('priority', '=', 0).where('source_ip', '=', key.sourceIp)
      : query.where('organization_id', '=', key.organizationId);
  return (await query.execute()).map((r) => r.spec_id);
}

/**
 * Moves a locked in-flight job (CLAIMED or RUNNING) to a finished state: bills it, and returns
 * the events to publish after commit — its status, and a queue event per spec of jobs its tier
 * limit held back. The key's advisory lock makes this wait for any claim that is counting the
 * same key, so the wake-up cannot reach a claimer before the claimer's row locks are gone.
 */
export async function leaveFlight(
  trx: Database,
  config: Config,
  job: Selectable<Job>,
  patch: Updateable<Job> & { status: string },
  now: Date,
): Promise<{ job: Selectable<Job>; events: BusEvent[] }> {
  const limited = limitOf(config, job) !== null;
  const key = limitKeyOf(job);
  if (limited) await lockLimitKey(trx, key);
  const minutes = await recordUsage(trx, job, now);
  const updated = await trx
    .updateTable('job')
    .set({ ...patch, finished_at: now, billed_minutes: minutes })
    .where('id', '=', job.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const events: BusEvent[] = [jobEvent(updated)];
  if (limited) {
    for (const specId of await specsWaitingBehind(trx, key)) events.push({ topic: 'queue', specId });
  }
  return { job: updated, events };
}

/**
 * For a limited job that a single statement just moved out of flight: waits for claimers counting
 * its key (as `leaveFlight` does, only after the update, which is still before the freeing commit)
 * and returns the queue events that wake the jobs it held back.
 */
export async function freeLimitSlot(trx: Database, job: Selectable<Job>): Promise<BusEvent[]> {
  const key = limitKeyOf(job);
  await lockLimitKey(trx, key);
  return (await specsWaitingBehind(trx, key)).map((specId) => ({ topic: 'queue', specId }));
}
