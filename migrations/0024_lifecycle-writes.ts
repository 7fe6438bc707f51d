import { type Kysely, sql } from 'kysely';

// What a job's lifecycle writes (docs/queue.md, "Where a lifecycle's time goes"). A status change
// is never a HOT update (status is in the predicate of most of job's indexes), so every row version
// (inserted PENDING or handed CLAIMED, RUNNING, PROCESSED) adds an entry to each index whose
// predicate it meets: 8 + 8 + 5 for a handed-off paid job before this, 5 + 5 + 4 after.
// - job_live (last_heartbeat_at of in-flight jobs) has been read by nobody since the sweeper reads
//   job_lease (migration 0022).
// - job_runner (every job that ever had a runner) served only runner deletion's ON DELETE SET NULL;
//   the app archives runners and never deletes them, and in-flight jobs by runner have
//   job_runner_in_flight. A runner deleted by hand now scans job.
// - The in-flight counts per source IP are only ever taken for unclaimed jobs (priority 0) and per
//   organization only for the others (limit-key.ts, find-candidate.ts: the key's literal priority
//   condition), so each index holds only its own tier's jobs.
// The foreign keys of job.organization_id, job.project_id and usage.organization_id are copies of
// the report's project and its organization (as metric's are of its report, migration 0010): each
// was a FOR KEY SHARE row lock per job on the same few organization and project rows — a WAL record
// and, with jobs in flight together, a new MultiXact each time. Deleting a project or an
// organization still removes its jobs and usage through report → job → usage.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX job_live;
    DROP INDEX job_runner;
    DROP INDEX job_in_flight_ip;
    CREATE INDEX job_in_flight_ip ON job (source_ip) WHERE status IN ('CLAIMED', 'RUNNING') AND priority = 0;
    DROP INDEX job_in_flight_org;
    CREATE INDEX job_in_flight_org ON job (organization_id) WHERE status IN ('CLAIMED', 'RUNNING') AND priority > 0;
    ALTER TABLE job DROP CONSTRAINT job_organization_id_fkey, DROP CONSTRAINT job_project_id_fkey;
    ALTER TABLE usage DROP CONSTRAINT usage_organization_id_fkey;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE usage ADD CONSTRAINT usage_organization_id_fkey
      FOREIGN KEY (organization_id) REFERENCES organization(id) ON DELETE CASCADE;
    ALTER TABLE job
      ADD CONSTRAINT job_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES organization(id) ON DELETE CASCADE,
      ADD CONSTRAINT job_project_id_fkey FOREIGN KEY (project_id) REFERENCES project(id) ON DELETE CASCADE;
    DROP INDEX job_in_flight_org;
    CREATE INDEX job_in_flight_org ON job (organization_id) WHERE status IN ('CLAIMED', 'RUNNING');
    DROP INDEX job_in_flight_ip;
    CREATE INDEX job_in_flight_ip ON job (source_ip) WHERE status IN ('CLAIMED', 'RUNNING');
    CREATE INDEX job_runner ON job (runner_id) WHERE runner_id IS NOT NULL;
    CREATE INDEX job_live ON job (last_heartbeat_at) WHERE status IN ('CLAIMED', 'RUNNING');
  `.execute(db);
}
