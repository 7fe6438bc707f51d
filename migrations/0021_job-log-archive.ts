import { type Kysely, sql } from 'kysely';

// Finished jobs' logs move from job_log_chunk into the blob store, one compressed object per job
// (docs/operations.md, "Blob storage"). The job records where they went; the partial index keeps the
// sweep's search for due jobs to the jobs it has not archived yet.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE job
      ADD COLUMN log_archive_key text,
      ADD COLUMN log_archive_bytes bigint,
      ADD COLUMN log_archive_chunks integer,
      ADD COLUMN log_archived_at timestamptz;
    CREATE INDEX job_log_archive_due ON job (finished_at) WHERE log_archived_at IS NULL AND finished_at IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX job_log_archive_due;
    ALTER TABLE job
      DROP COLUMN log_archive_key, DROP COLUMN log_archive_bytes, DROP COLUMN log_archive_chunks,
      DROP COLUMN log_archived_at;
  `.execute(db);
}
