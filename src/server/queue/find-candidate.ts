import { type Selectable, sql } from 'kysely';
import type { Config, Tier } from '../config.js';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import { type Claimant, claimConfirmationRule } from './claim-confirmation.js';
import { type Claimed, claimedSpecColumn, specFromJson } from './claimed-spec.js';
import { notifyJobEvent } from './events.js';
import { type ClaimAs, claimedColumns } from './mark-claimed.js';
import { TIER_PRIORITY } from './tier.js';
import { recordUsageFrom } from './usage.js';

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
  /** The claiming runner: a noisy one leaves confirmations to a quieter idle one (claim-confirmation.ts). */
  claimant?: Claimant;
}

/**
 * How many PENDING jobs in claim order a claim reads before it concludes that the front of the
 * queue waits on full limit keys and walks the keys instead (`keyWalkQuery`).
 */
export const WINDOW = 64;
/** Jobs per (key, spec) the key walk considers: a few, so another claimer's locked job does not hide the next. */
const PER_KEY = 4;

/**
 * The first PENDING job in claim order (priority desc, created asc, id asc) for the given specs
 * whose limit key looks free, locked FOR UPDATE SKIP LOCKED. The limit test here is only a
 * pre-filter read without locks, so that a claim seldom locks a job it cannot take; the
 * authoritative count is taken again under the key's advisory lock.
 *
 * It reads at most WINDOW jobs in claim order; when that many were read and none was eligible,
 * the rest of the queue is searched key by key, so a long backlog of a key at its limit is
 * stepped over instead of read job by job.
 */
export async function findCandidate(
  trx: Database,
  config: Config,
  filter: CandidateFilter,
): Promise<Candidate | undefined> {
  const { rows } = await sql<Partial<Candidate> & { seen: number | null }>`${sql.raw(PREPARED)}
    WITH c AS (${candidateQuery(config, filter)})
    SELECT c.*, ${seenColumn(filter)} FROM (SELECT 1) one LEFT JOIN c ON true
  `.execute(trx);
  const { seen, ...row } = rows[0] ?? { seen: 0 };
  if (row.id) return row as Candidate;
  return mayHaveMore(seen) ? walkKeys(trx, config, filter) : undefined;
}

/** With no candidate in the window, whether jobs may wait behind it (the window was full). */
function mayHaveMore(seen: number | string | null | undefined): boolean {
  return Number(seen ?? 0) >= WINDOW;
}

/** The rest of the queue key by key (`keyWalkQuery`), for when the window held no eligible job. */
async function walkKeys(
  trx: Database,
  config: Config,
  filter: CandidateFilter,
): Promise<Candidate | undefined> {
  const { rows } = await sql<Candidate>`${sql.raw(PREPARED)} ${keyWalkQuery(config, filter)}`.execute(trx);
  return rows[0];
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
 * claim order from job_pending_order. Either way the scan stops early instead of sorting the queue.
 */
function specCondition(specIds: string[]) {
  return specIds.length === 1
    ? sql`q.spec_id = ${specIds[0]}::uuid`
    : sql`q.spec_id = ANY(${specIds}::uuid[])`;
}

/** Not of a key this claim found full already (`j` is the job row). */
function notSkipped(filter: CandidateFilter) {
  return sql`NOT (j.priority = 0 AND j.source_ip = ANY(${filter.skipIps}::text[]))
      AND NOT (j.priority > 0 AND j.organization_id = ANY(${filter.skipOrgs}::uuid[]))`;
}

/** A candidate's pre-filter: its tier's limit key looks free (`j` is the job row). */
function eligible(config: Config) {
  return sql`CASE j.priority
        WHEN ${sql.lit(TIER_PRIORITY.UNCLAIMED)} THEN ${underLimit(config, 'UNCLAIMED')}
        WHEN ${sql.lit(TIER_PRIORITY.FREE)} THEN ${underLimit(config, 'FREE')}
        WHEN ${sql.lit(TIER_PRIORITY.TEAM)} THEN ${underLimit(config, 'TEAM')}
        ELSE ${underLimit(config, 'ENTERPRISE')}
      END`;
}

/**
 * The first WINDOW PENDING jobs of the specs in claim order, read from an index in that order. Only
 * the index's own conditions: with the skip lists here too, a generic plan estimated one row from
 * them and sorted the whole queue instead of reading the index.
 */
function windowQuery(filter: CandidateFilter) {
  return sql`
    SELECT q.id, q.priority, q.created_at
    FROM job q
    WHERE q.status = 'PENDING' AND ${specCondition(filter.specIds)}
    ORDER BY q.priority DESC, q.created_at, q.id
    LIMIT ${sql.lit(WINDOW)}
  `;
}

/**
 * The window's first eligible job, locked. The window is read lazily in its order and joined back
 * to the row, so the statement stops at the first job that passes, and locks only that one.
 */
function candidateQuery(config: Config, filter: CandidateFilter) {
  return sql`
    SELECT j.id, j.organization_id, j.source_ip, j.priority
    FROM (${windowQuery(filter)}) w JOIN job j ON j.id = w.id
    WHERE j.status = 'PENDING' AND ${notSkipped(filter)} AND ${eligible(config)}
      AND ${claimConfirmationRule(filter.claimant)}
    ORDER BY w.priority DESC, w.created_at, w.id
    LIMIT 1
    FOR UPDATE OF j SKIP LOCKED
  `;
}

/** With no candidate (`c`), how many jobs the window held: WINDOW means more may wait behind it. */
function seenColumn(filter: CandidateFilter) {
  return sql`CASE WHEN c.id IS NULL THEN (SELECT count(*) FROM (${windowQuery(filter)}) w) END AS seen`;
}

/**
 * The rest of the queue, key by key: the distinct organizations and source IPs with PENDING jobs
 * (a loose index scan, one descent each, over job_pending_org / job_pending_ip), each one's first
 * PER_KEY jobs per spec in claim order (an index range), and of those the first eligible one,
 * locked. Its cost follows the number of keys waiting, not of jobs. Within one key and spec, a
 * job behind one that is not eligible is not eligible either, as long as a higher priority never
 * has a lower limit (true of the defaults): an organization's jobs share one count.
 */
function keyWalkQuery(config: Config, filter: CandidateFilter) {
  const specs = sql`unnest(${filter.specIds}::uuid[]) AS s(id)`;
  return sql`
    WITH RECURSIVE orgs(org) AS (
      (SELECT organization_id FROM job WHERE status = 'PENDING' ORDER BY organization_id LIMIT 1)
      UNION ALL
      SELECT (SELECT o.organization_id FROM job o WHERE o.status = 'PENDING' AND o.organization_id > orgs.org
        ORDER BY o.organization_id LIMIT 1)
      FROM orgs WHERE orgs.org IS NOT NULL
    ),
    ips(ip) AS (
      (SELECT source_ip FROM job WHERE status = 'PENDING' AND priority = 0 AND source_ip IS NOT NULL
        ORDER BY source_ip LIMIT 1)
      UNION ALL
      SELECT (SELECT i.source_ip FROM job i WHERE i.status = 'PENDING' AND i.priority = 0 AND i.source_ip > ips.ip
        ORDER BY i.source_ip LIMIT 1)
      FROM ips WHERE ips.ip IS NOT NULL
    ),
    heads AS (
      SELECT h.* FROM orgs CROSS JOIN ${specs} CROSS JOIN LATERAL (
        SELECT q.id, q.priority, q.created_at FROM job q
        WHERE q.status = 'PENDING' AND q.organization_id = orgs.org AND q.spec_id = s.id AND q.priority > 0
        ORDER BY q.priority DESC, q.created_at, q.id LIMIT ${sql.lit(PER_KEY)}
      ) h
      WHERE orgs.org IS NOT NULL AND NOT (orgs.org = ANY(${filter.skipOrgs}::uuid[]))
      UNION ALL
      SELECT h.* FROM ips CROSS JOIN ${specs} CROSS JOIN LATERAL (
        SELECT q.id, q.priority, q.created_at FROM job q
        WHERE q.status = 'PENDING' AND q.priority = 0 AND q.source_ip = ips.ip AND q.spec_id = s.id
        ORDER BY q.created_at, q.id LIMIT ${sql.lit(PER_KEY)}
      ) h
      WHERE ips.ip IS NOT NULL AND NOT (ips.ip = ANY(${filter.skipIps}::text[]))
      UNION ALL
      -- Unclaimed jobs without a source IP have no key to walk.
      SELECT h.* FROM ${specs} CROSS JOIN LATERAL (
        SELECT q.id, q.priority, q.created_at FROM job q
        WHERE q.status = 'PENDING' AND q.priority = 0 AND q.source_ip IS NULL AND q.spec_id = s.id
        ORDER BY q.created_at, q.id LIMIT ${sql.lit(PER_KEY)}
      ) h
    )
    SELECT j.id, j.organization_id, j.source_ip, j.priority
    FROM heads JOIN job j ON j.id = heads.id
    WHERE j.status = 'PENDING' AND ${eligible(config)} AND ${claimConfirmationRule(filter.claimant)}
    ORDER BY heads.priority DESC, heads.created_at, heads.id
    LIMIT 1
    FOR UPDATE OF j SKIP LOCKED
  `;
}

/**
 * The common case in one autocommit statement: find the candidate and, when its tier has no
 * limit, claim it right there (no lock or recount needed). A limited candidate comes back
 * unclaimed (its row lock ends with the statement) for the locked path in claim-job.ts, and so
 * does a window with no eligible job that may have more behind it (`mayHaveMore`): that path
 * walks the keys.
 */
export async function claimIfUnlimited(
  db: Database,
  config: Config,
  filter: CandidateFilter,
  claim: ClaimAs,
): Promise<{
  candidate: Candidate | undefined;
  claimed: Claimed | undefined;
  mayHaveMore: boolean;
  /** No PENDING job of the specs at all, locked by others or held back by a limit included. */
  empty: boolean;
}> {
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
      seen: number | null;
    }
  >`${sql.raw(PREPARED)}
    WITH c AS (${candidateQuery(config, filter)}),
    u AS (
      UPDATE job SET ${claimedColumns(claim)}
      FROM c
      WHERE job.id = c.id AND c.priority = ANY(${unlimited}::int[])
      RETURNING job.*
    ),
    billed AS (${recordUsageFrom('u', claim.now)})
    SELECT c.id AS c_id, c.organization_id AS c_org, c.source_ip AS c_ip, c.priority AS c_priority, u.*,
      CASE WHEN u.id IS NOT NULL THEN ${notifyJobEvent(claim.channel, 'u')} END AS notified,
      ${claimedSpecColumn('u')}, ${seenColumn(filter)}
    FROM (SELECT 1) one LEFT JOIN c ON true LEFT JOIN u ON u.id = c.id
  `.execute(db);
  const row = result.rows[0];
  if (!row?.c_id) {
    return {
      candidate: undefined,
      claimed: undefined,
      mayHaveMore: mayHaveMore(row?.seen),
      empty: Number(row?.seen ?? 0) === 0,
    };
  }
  const { c_id, c_org, c_ip, c_priority, notified: _, claimed_spec, seen: __, ...job } = row;
  const candidate = { id: c_id, organization_id: c_org, source_ip: c_ip, priority: c_priority };
  const claimed = job.id ? { job: job as Selectable<Job>, spec: specFromJson(claimed_spec) } : undefined;
  return { candidate, claimed, mayHaveMore: false, empty: false };
}
