import { type Kysely, sql } from 'kysely';

// A spec's process-count limit (RLIMIT_NPROC or pids.max on the runner, docs/security.md), and the
// failure reasons a runner gives for a job that went over one of the spec's limits.
const REASONS = `'HEARTBEAT_TIMEOUT', 'JOB_TIMEOUT', 'NONZERO_EXIT', 'RUNNER_ERROR', 'IMAGE_ERROR',
  'PROCESSING_ERROR', 'CANCELED_BY_USER'`;
const LIMIT_REASONS = `'OUT_OF_MEMORY', 'DISK_LIMIT', 'PROCESS_LIMIT'`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE spec ADD COLUMN processes integer NOT NULL DEFAULT 512 CHECK (processes > 0)`.execute(
    db,
  );
  await sql
    .raw(`ALTER TABLE job DROP CONSTRAINT job_failure_reason_check,
      ADD CONSTRAINT job_failure_reason_check CHECK (failure_reason IN (${REASONS}, ${LIMIT_REASONS}))`)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`UPDATE job SET failure_reason = 'RUNNER_ERROR' WHERE failure_reason IN (${LIMIT_REASONS});
      ALTER TABLE job DROP CONSTRAINT job_failure_reason_check,
      ADD CONSTRAINT job_failure_reason_check CHECK (failure_reason IN (${REASONS}))`)
    .execute(db);
  await sql`ALTER TABLE spec DROP COLUMN processes`.execute(db);
}
