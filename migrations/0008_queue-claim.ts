import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Iterations share one job log, so a runner sends each iteration's stdout with its output:
    -- result processing parses it when the job named no output files.
    ALTER TABLE job_output ADD COLUMN stdout text;
    -- When a job leaves flight, the queue wakes claimers for the specs of the jobs its limit
    -- held back: those of the same organization, or of the same source IP when unclaimed.
    CREATE INDEX job_pending_org ON job (organization_id, spec_id) WHERE status = 'PENDING';
    CREATE INDEX job_pending_ip ON job (source_ip, spec_id) WHERE status = 'PENDING' AND priority = 0;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX job_pending_ip;
    DROP INDEX job_pending_org;
    ALTER TABLE job_output DROP COLUMN stdout;
  `.execute(db);
}
