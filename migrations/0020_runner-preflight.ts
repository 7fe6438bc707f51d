import { type Kysely, sql } from 'kysely';

// Quiet runners, continued (docs/runner.md, "Noise"): a probe the wall-clock cap cut short says so, on
// the job and as the runner's latest; and a runner's start-up report — its preflight checks and what
// each tuning knob did — is kept on its row, replaced at each start, so an admin can see why a runner
// is noisy without reading its logs.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE job ADD COLUMN noise_truncated boolean;
    ALTER TABLE runner
      ADD COLUMN noise_truncated boolean,
      ADD COLUMN preflight jsonb,
      ADD COLUMN tuning jsonb,
      ADD COLUMN preflight_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE runner
      DROP COLUMN noise_truncated, DROP COLUMN preflight, DROP COLUMN tuning, DROP COLUMN preflight_at;
    ALTER TABLE job DROP COLUMN noise_truncated;
  `.execute(db);
}
