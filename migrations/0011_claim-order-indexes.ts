import { type Kysely, sql } from 'kysely';

// Indexes that let a claim read the queue in claim order (priority desc, created asc, id) and stop
// early, however long the queue (docs/queue.md, "Long queues"):
// - job_pending_order: claim order across all specs, for a runner serving several. job_pending
//   leads with spec_id, so `spec_id = ANY(...)` could not read it in that order: every such claim
//   read and sorted all PENDING jobs of its specs (420 ms a claim at 100,000 queued).
// - job_pending_org / job_pending_ip gain the claim order after (key, spec), so the first jobs of
//   one limit key for one spec are an index range: a claim whose first jobs in order all wait on
//   full keys walks the keys instead of the jobs. Leaving flight still finds the specs waiting
//   behind a key by their prefix.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX job_pending_order ON job (priority DESC, created_at, id) WHERE status = 'PENDING';
    DROP INDEX job_pending_org;
    CREATE INDEX job_pending_org ON job (organization_id, spec_id, priority DESC, created_at, id)
      WHERE status = 'PENDING';
    DROP INDEX job_pending_ip;
    CREATE INDEX job_pending_ip ON job (source_ip, spec_id, created_at, id)
      WHERE status = 'PENDING' AND priority = 0;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX job_pending_order;
    DROP INDEX job_pending_org;
    CREATE INDEX job_pending_org ON job (organization_id, spec_id) WHERE status = 'PENDING';
    DROP INDEX job_pending_ip;
    CREATE INDEX job_pending_ip ON job (source_ip, spec_id) WHERE status = 'PENDING' AND priority = 0;
  `.execute(db);
}
