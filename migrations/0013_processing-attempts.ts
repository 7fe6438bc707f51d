import { type Kysely, sql } from 'kysely';

// - A completed job whose processing keeps failing is retried a bounded number of times with
//   backoff, then FAILED (docs/queue.md, "Processing failures"): the sweeper needs to know how
//   often it tried and when to try next.
// - A page of a report's results finds the report's benchmarks in name order by (report, benchmark)
//   lookups; the unique (report_id, iteration, benchmark_id) key cannot answer that without reading
//   every benchmark of the report (docs/results.md, "Reading results").
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE job
      ADD COLUMN processing_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN next_processing_at timestamptz
  `.execute(db);
  await sql`CREATE INDEX report_benchmark_by_benchmark ON report_benchmark (report_id, benchmark_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX report_benchmark_by_benchmark`.execute(db);
  await sql`ALTER TABLE job DROP COLUMN processing_attempts, DROP COLUMN next_processing_at`.execute(db);
}
