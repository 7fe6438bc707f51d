import { type Kysely, sql } from 'kysely';

// A runner serving several specs claims in one order across them (priority desc, created asc), and
// job_pending leads with spec_id: `spec_id = ANY(...)` could not read it in that order, so every
// claim read and sorted all PENDING jobs of those specs (420 ms a claim at 100,000 queued, measured
// with bench/claim-latency.ts's setup). This index reads in claim order and stops at the first
// eligible job; a single spec keeps using job_pending, which also skips other specs' jobs.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX job_pending_order ON job (priority DESC, created_at, id) WHERE status = 'PENDING'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX job_pending_order`.execute(db);
}
