import { type Selectable, sql } from 'kysely';
import type { Config, Tier } from '../config.js';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import { type Claimed, claimedSpecColumn, specFromJson } from './claimed-spec.js';
import { notifyJobEvent } from './events.js';
import { TIER_PRIORITY } from './tier.js';

export interface Candidate {
  id: string;
  organization_id: string;
  source_ip: string | null;
  priority: number;
}

export interface CandidateFilter {
  specIds: string[];
  /** Keys found full earlier in this claim. */
  skipOrgs: string[];
  skipIps: string[];
}

/**
 * The first PENDING job in claim order (priority desc, created asc, id asc) for the given specs
 * whose limit key looks free, locked FOR UPDATE SKIP LOCKED. The limit test here is only a
 * pre-filter read without locks, so that a claim seldom locks a job it cannot take; the
 * authoritative count is taken again under the key's advisory lock.
 */
export async function findCandidate(
  trx: Database,
  config: Config,
  filter: CandidateFilter,
): Promise<Candidate | undefined> {
  const result = await sql<Candidate>`${sql.raw(PREPARED)} ${candidateQuery(config, filter)}`.execute(trx);
  return result.rows[0];
}

/**
 * A tier's pre-filter: its key's in-flight count under the limit. An unlimited tier has no count
 * at all: the candidate scan evaluates this for every PENDING row it passes (rows other claimers
 * hold locked included), so counting for nothing would cost a busy tenant an index scan per row.
 * The statement's text follows the configuration, which is fixed for a process.
 */
function underLimit(config: Config, tier: Tier) {
  const limit = config.tiers[tier].concurrency;
  if (limit === null) return sql`true`;
  const key =
    tier === 'UNCLAIMED'
      ? sql`f.priority = 0 AND f.source_ip = j.source_ip`
      : sql`f.priority > 0 AND f.organization_id = j.organization_id`;
  return sql`(SELECT count(*) FROM job f WHERE f.status IN ('CLAIMED', 'RUNNING') AND ${key}) < ${sql.lit(limit)}`;
}

/**
 * One spec is an equality, which job_pending (spec first) reads in claim order; several are read in
 * claim order from job_pending_order. Either way the scan stops at the first eligible job instead
 * of sorting the whole queue.
 */
function specCondition(specIds: string[]) {
  return specIds.length === 1
    ? sql`j.spec_id = ${specIds[0]}::uuid`
    : sql`j.spec_id = ANY(${specIds}::uuid[])`;
}

function candidateQuery(config: Config, filter: CandidateFilter) {
  return sql`
    SELECT j.id, j.organization_id, j.source_ip, j.priority
    FROM job j
    WHERE j.status = 'PENDING'
      AND ${specCondition(filter.specIds)}
      AND NOT (j.priority = 0 AND j.source_ip = ANY(${filter.skipIps}::text[]))
      AND NOT (j.priority > 0 AND j.organization_id = ANY(${filter.skipOrgs}::uuid[]))
      AND CASE j.priority
        WHEN ${sql.lit(TIER_PRIORITY.UNCLAIMED)} THEN ${underLimit(config, 'UNCLAIMED')}
        WHEN ${sql.lit(TIER_PRIORITY.FREE)} THEN ${underLimit(config, 'FREE')}
        WHEN ${sql.lit(TIER_PRIORITY.TEAM)} THEN ${underLimit(config, 'TEAM')}
        ELSE ${underLimit(config, 'ENTERPRISE')}
      END
    ORDER BY j.priority DESC, j.created_at, j.id
    LIMIT 1
    FOR UPDATE OF j SKIP LOCKED
  `;
}

/**
 * The common case in one autocommit statement: find the candidate and, when its tier has no
 * limit, claim it right there (no lock or recount needed). A limited candidate comes back
 * unclaimed (its row lock ends with the statement) for the locked path in claim-job.ts.
 */
export async function claimIfUnlimited(
  db: Database,
  config: Config,
  filter: CandidateFilter,
  claim: { runnerId: string; now: Date; channel?: string },
): Promise<{ candidate: Candidate | undefined; claimed: Claimed | undefined }> {
  const unlimited = (Object.keys(TIER_PRIORITY) as Tier[])
    .filter((tier) => config.tiers[tier].concurrency === null)
    .map((tier) => TIER_PRIORITY[tier]);
  const result = await sql<
    Selectable<Job> & {
      c_id: string;
      c_org: string;
      c_ip: string | null;
      c_priority: number;
      notified: unknown;
      claimed_spec: unknown;
    }
  >`${sql.raw(PREPARED)}
    WITH c AS (${candidateQuery(config, filter)}),
    u AS (
      UPDATE job SET status = 'CLAIMED', runner_id = ${claim.runnerId}, claimed_at = ${claim.now},
        last_heartbeat_at = ${claim.now}
      FROM c
      WHERE job.id = c.id AND c.priority = ANY(${unlimited}::int[])
      RETURNING job.*
    )
    SELECT c.id AS c_id, c.organization_id AS c_org, c.source_ip AS c_ip, c.priority AS c_priority, u.*,
      CASE WHEN u.id IS NOT NULL THEN ${notifyJobEvent(claim.channel, 'u')} END AS notified,
      ${claimedSpecColumn('u')}
    FROM c LEFT JOIN u ON u.id = c.id
  `.execute(db);
  const row = result.rows[0];
  if (!row) return { candidate: undefined, claimed: undefined };
  const { c_id, c_org, c_ip, c_priority, notified: _, claimed_spec, ...job } = row;
  const candidate = { id: c_id, organization_id: c_org, source_ip: c_ip, priority: c_priority };
  const claimed = job.id ? { job: job as Selectable<Job>, spec: specFromJson(claimed_spec) } : undefined;
  return { candidate, claimed };
}
