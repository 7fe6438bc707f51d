import { type Kysely, sql } from 'kysely';

// A confirmation job is not claimed by a noisy runner while a quieter idle one serves its spec
// (src/server/queue/claim-confirmation.ts). Both lookups of that check are index ranges whose size
// follows the runners, not the jobs: the runners serving a spec, and a runner's jobs in flight.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX runner_spec_spec ON runner_spec (spec_id, runner_id);
    CREATE INDEX job_runner_in_flight ON job (runner_id) WHERE status IN ('CLAIMED', 'RUNNING');
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX job_runner_in_flight; DROP INDEX runner_spec_spec;`.execute(db);
}
