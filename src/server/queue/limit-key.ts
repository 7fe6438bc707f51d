import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { tierLimit, tierOfPriority } from './tier.js';

/**
 * The set of in-flight jobs one tier limit counts. Unclaimed jobs (priority 0) are limited per
 * source IP, all others per organization. The two sets are disjoint, and each is only ever
 * grown under its own advisory lock, which is what makes the count exact.
 */
export type LimitKey = { kind: 'ip'; sourceIp: string } | { kind: 'org'; organizationId: string };

export interface LimitedJob {
  organization_id: string;
  source_ip: string | null;
  priority: number;
}

export function limitKeyOf(job: LimitedJob): LimitKey {
  return job.priority === 0
    ? { kind: 'ip', sourceIp: job.source_ip ?? '' }
    : { kind: 'org', organizationId: job.organization_id };
}

export function limitOf(config: Config, job: LimitedJob): number | null {
  return tierLimit(config, tierOfPriority(job.priority));
}

const lockName = (key: LimitKey) =>
  key.kind === 'ip' ? `benchline:limit:ip:${key.sourceIp}` : `benchline:limit:org:${key.organizationId}`;

/**
 * Serializes every change to the key's in-flight count until the transaction ends. Hash
 * collisions only make two keys wait for each other, never break a limit.
 */
export async function lockLimitKey(trx: Database, key: LimitKey): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${lockName(key)}, 0))`.execute(trx);
}

/** In-flight jobs counted by the key. Run after lockLimitKey, as its own statement (fresh snapshot). */
export async function countInFlight(trx: Database, key: LimitKey): Promise<number> {
  let query = trx
    .selectFrom('job')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['CLAIMED', 'RUNNING']);
  // Literal priorities: the in-flight indexes are partial on them (migration 0024), which a
  // parameter could not prove to a generic plan.
  query =
    key.kind === 'ip'
      ? query.where('priority', '=', sql.lit(0)).where('source_ip', '=', key.sourceIp)
      : query.where('priority', '>', sql.lit(0)).where('organization_id', '=', key.organizationId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
