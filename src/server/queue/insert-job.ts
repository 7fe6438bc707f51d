import { type Selectable, sql } from 'kysely';
import type { Tier } from '../config.js';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import type { HandOffCandidate } from './claim-waiters.js';
import { claimedSpecColumn } from './claimed-spec.js';
import { notifyJobEvent, notifyQueueEvent } from './events.js';
import type { JobConfig } from './job-config.js';
import { tierSql } from './tier.js';
import { recordUsageFrom } from './usage.js';

export interface NewJob {
  reportId: string;
  organizationId: string;
  projectId: string;
  testbedId: string;
  /** An explicitly asked spec, which then becomes the testbed's; null: the testbed's, else the default. */
  specSlug: string | null;
  /**
   * Priority and clamped timeout for each tier, and whether it has no concurrency limit; the
   * organization's row picks one.
   */
  tiers: Array<{ tier: Tier; priority: number; timeoutSeconds: number; unlimited: boolean }>;
  /** Idle long-polls of this server (oldest first) the job may be claimed for at once. */
  handTo: HandOffCandidate[];
  /** Everything but the timeout, which comes with the tier. */
  config: Omit<JobConfig, 'timeoutSeconds'>;
  sourceIp: string;
  now: Date;
  /** The bus's SQL channel: the queue and job events are then sent by this statement, at commit. */
  channel?: string;
}

export type InsertJobResult =
  | { job: Selectable<Job>; claimedSpec: unknown }
  | { job: null; organizationFound: boolean };

/**
 * The whole of queueing a job in one statement: the spec chain (asked, testbed's, default), the
 * organization's tier, the PENDING job, its report's spec, an asked spec remembered by the
 * testbed, and — with a channel — the wake-up for idle runners, sent at commit with the job.
 * No job when the organization or a spec is missing; the caller says which.
 *
 * Hand-off: when one of `handTo` serves the job's spec, its tier has no concurrency limit and no
 * PENDING job of that spec comes first (priority, then age), the job is inserted CLAIMED by that
 * runner, as a claim would leave it, and no wake-up is sent: the caller delivers it after commit.
 * A runner that asked for its job started gets it RUNNING and billed from now, as claimJob(start)
 * leaves it, so its request writes nothing more.
 */
export async function insertJob(trx: Database, input: NewJob): Promise<InsertJobResult> {
  // One (runner, spec) pair per row, in waiting order: the statement's text stays fixed.
  const pairs = input.handTo.flatMap((c) => [...c.specIds].map((specId) => ({ c, specId })));
  const handRunners = pairs.map(({ c }) => c.runnerId);
  const handSpecs = pairs.map(({ specId }) => specId);
  const handStarts = pairs.map(({ c }) => c.start);
  const { rows } = await sql<
    Partial<Selectable<Job>> & {
      organization_found: boolean;
      queued: unknown;
      notified: unknown;
      claimed_spec: unknown;
    }
  >`${sql.raw(PREPARED)}
    WITH ctx AS (
      SELECT o.id AS organization_id, ${tierSql('o')} AS tier, s.id AS spec_id
      FROM organization o
      LEFT JOIN LATERAL (
        SELECT spec.id, 0 AS rank FROM spec
        WHERE ${input.specSlug}::text IS NOT NULL AND spec.slug = ${input.specSlug}::text AND spec.archived_at IS NULL
        UNION ALL
        SELECT spec.id, 1 FROM testbed JOIN spec ON spec.id = testbed.spec_id
        WHERE ${input.specSlug}::text IS NULL AND testbed.id = ${input.testbedId}::uuid AND spec.archived_at IS NULL
        UNION ALL
        SELECT spec.id, 2 FROM spec
        WHERE ${input.specSlug}::text IS NULL AND spec.is_default IS NOT NULL AND spec.archived_at IS NULL
        ORDER BY rank
        LIMIT 1
      ) s ON true
      WHERE o.id = ${input.organizationId}::uuid
    ),
    mine AS (
      SELECT ctx.organization_id, ctx.spec_id, t.priority, t."timeoutSeconds", t.unlimited
      FROM ctx JOIN jsonb_to_recordset(${JSON.stringify(input.tiers)}::jsonb)
        AS t(tier text, priority int, "timeoutSeconds" int, unlimited boolean) ON t.tier = ctx.tier
      WHERE ctx.spec_id IS NOT NULL
    ),
    hand AS (
      SELECT w.runner_id, w.start FROM mine,
        unnest(${handRunners}::uuid[], ${handSpecs}::uuid[], ${handStarts}::boolean[]) WITH ORDINALITY
        AS w(runner_id, spec_id, start, n)
      WHERE mine.unlimited AND w.spec_id = mine.spec_id
        AND NOT EXISTS (SELECT 1 FROM job p
          WHERE p.status = 'PENDING' AND p.spec_id = mine.spec_id AND p.priority >= mine.priority)
      ORDER BY w.n
      LIMIT 1
    ),
    j AS (
      INSERT INTO job (report_id, organization_id, project_id, spec_id, status, priority, config,
        timeout_seconds, source_ip, created_at, runner_id, claimed_at, last_heartbeat_at, started_at)
      SELECT ${input.reportId}::uuid, mine.organization_id, ${input.projectId}::uuid, mine.spec_id,
        CASE WHEN hand.runner_id IS NULL THEN 'PENDING' WHEN hand.start THEN 'RUNNING' ELSE 'CLAIMED' END,
        mine.priority,
        ${JSON.stringify(input.config)}::jsonb || jsonb_build_object('timeoutSeconds', mine."timeoutSeconds"),
        mine."timeoutSeconds", ${input.sourceIp}::text, ${input.now}::timestamptz, hand.runner_id,
        CASE WHEN hand.runner_id IS NOT NULL THEN ${input.now}::timestamptz END,
        CASE WHEN hand.runner_id IS NOT NULL THEN ${input.now}::timestamptz END,
        CASE WHEN hand.start THEN ${input.now}::timestamptz END
      FROM mine LEFT JOIN hand ON true
      RETURNING *
    ),
    billed AS (${recordUsageFrom('j', input.now)}),
    r AS (
      UPDATE report SET spec_id = j.spec_id, image_repository = j.config->>'repository',
        image_digest = j.config->>'digest'
      FROM j WHERE report.id = j.report_id
    ),
    t AS (
      UPDATE testbed SET spec_id = j.spec_id, updated_at = ${input.now}::timestamptz
      FROM j
      WHERE ${input.specSlug}::text IS NOT NULL AND testbed.id = ${input.testbedId}::uuid
        AND testbed.spec_id IS DISTINCT FROM j.spec_id
    )
    -- One row whether or not a job was made: without one, it says what was missing.
    SELECT j.*, ctx.organization_id IS NOT NULL AS organization_found,
      CASE WHEN j.status = 'PENDING' THEN ${notifyQueueEvent(input.channel, sql.ref('j.spec_id'))} END AS queued,
      CASE WHEN j.id IS NOT NULL THEN ${notifyJobEvent(input.channel, 'j')} END AS notified,
      ${claimedSpecColumn('j')}
    FROM (SELECT 1) one LEFT JOIN ctx ON true LEFT JOIN j ON true
  `.execute(trx);
  const { organization_found, queued: _q, notified: _n, claimed_spec, ...job } = rows[0]!;
  if (job.id) return { job: job as Selectable<Job>, claimedSpec: claimed_spec };
  return { job: null, organizationFound: organization_found };
}
