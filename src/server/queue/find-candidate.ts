import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';

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

// A limit of null (unlimited) compares against a count no organization reaches.
const UNLIMITED = 2_147_483_647;

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
  const limit = (tier: keyof Config['tiers']) => config.tiers[tier].concurrency ?? UNLIMITED;
  const result = await sql<Candidate>`
    SELECT j.id, j.organization_id, j.source_ip, j.priority
    FROM job j
    WHERE j.status = 'PENDING'
      AND j.spec_id = ANY(${filter.specIds}::uuid[])
      AND NOT (j.priority = 0 AND j.source_ip = ANY(${filter.skipIps}::text[]))
      AND NOT (j.priority > 0 AND j.organization_id = ANY(${filter.skipOrgs}::uuid[]))
      AND CASE
        WHEN j.priority = 0 THEN (
          SELECT count(*) FROM job f
          WHERE f.status IN ('CLAIMED', 'RUNNING') AND f.priority = 0 AND f.source_ip = j.source_ip
        ) < ${limit('UNCLAIMED')}::int
        ELSE (
          SELECT count(*) FROM job f
          WHERE f.status IN ('CLAIMED', 'RUNNING') AND f.priority > 0 AND f.organization_id = j.organization_id
        ) < CASE j.priority
          WHEN 100 THEN ${limit('FREE')}::int
          WHEN 200 THEN ${limit('TEAM')}::int
          ELSE ${limit('ENTERPRISE')}::int
        END
      END
    ORDER BY j.priority DESC, j.created_at, j.id
    LIMIT 1
    FOR UPDATE OF j SKIP LOCKED
  `.execute(trx);
  return result.rows[0];
}
