import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import { BenchlineError, notFound } from '../errors.js';
import type { OrganizationPlan } from './tier.js';

export interface JobContext {
  org: OrganizationPlan;
  specId: string;
}

/**
 * What a new job needs to know, in one round trip: its organization's plan (the tier) and its
 * spec by the chain — the one asked for, else the testbed's, else the server's default.
 */
export async function loadJobContext(
  trx: Database,
  input: { slug: string | null; testbedId: string; organizationId: string },
): Promise<JobContext> {
  const { rows } = await sql<OrganizationPlan & { spec_id: string | null }>`${sql.raw(PREPARED)}
    SELECT o.claimed_at, o.plan, o.plan_level, s.id AS spec_id
    FROM organization o
    LEFT JOIN LATERAL (
      SELECT spec.id, 0 AS rank FROM spec
      WHERE ${input.slug}::text IS NOT NULL AND spec.slug = ${input.slug} AND spec.archived_at IS NULL
      UNION ALL
      SELECT spec.id, 1 FROM testbed JOIN spec ON spec.id = testbed.spec_id
      WHERE ${input.slug}::text IS NULL AND testbed.id = ${input.testbedId} AND spec.archived_at IS NULL
      UNION ALL
      SELECT spec.id, 2 FROM spec
      WHERE ${input.slug}::text IS NULL AND spec.is_default IS NOT NULL AND spec.archived_at IS NULL
      ORDER BY rank
      LIMIT 1
    ) s ON true
    WHERE o.id = ${input.organizationId}
  `.execute(trx);
  const row = rows[0];
  if (!row) throw notFound('organization');
  if (row.spec_id) {
    return {
      org: { claimed_at: row.claimed_at, plan: row.plan, plan_level: row.plan_level },
      specId: row.spec_id,
    };
  }
  if (input.slug) throw notFound(`spec "${input.slug}"`, 'see benchline spec list');
  throw new BenchlineError(
    'NO_SPEC',
    'no spec to run on: pass --spec <slug> (see benchline spec list), or ask the server admin to set a default spec',
  );
}
