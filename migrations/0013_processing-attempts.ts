import { type Kysely, sql } from 'kysely';

// A completed job whose processing keeps failing is retried a bounded number of times with
// backoff, then FAILED (docs/queue.md, "Processing failures"): the sweeper needs to know how often
// it tried and when to try next.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE job
      ADD COLUMN processing_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN next_processing_at timestamptz
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE job DROP COLUMN processing_attempts, DROP COLUMN next_processing_at`.execute(db);
}
