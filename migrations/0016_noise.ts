import { type Kysely, sql } from 'kysely';

// How quiet the runner was: each job carries the noise probe its runner measured just before it ran
// (docs/runner.md, "Noise"), and each runner its latest, so confirmation can prefer a quiet runner.
// All nullable: a runner may skip the probe, and older runners send none.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE job
      ADD COLUMN noise_cv_pct double precision,
      ADD COLUMN noise_steal_pct double precision,
      ADD COLUMN noise_load double precision,
      ADD COLUMN noise_involuntary_switches integer,
      ADD COLUMN noise_probe_ms double precision,
      ADD COLUMN noise_tuning text[];
    ALTER TABLE runner
      ADD COLUMN noise_cv_pct double precision,
      ADD COLUMN noise_steal_pct double precision,
      ADD COLUMN noise_load double precision,
      ADD COLUMN noise_tuning text[],
      ADD COLUMN noise_measured_at timestamptz;
    -- A runner's noise over time: its probed jobs, newest first.
    CREATE INDEX job_runner_noise ON job (runner_id, started_at DESC) WHERE noise_cv_pct IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX job_runner_noise;
    ALTER TABLE runner
      DROP COLUMN noise_cv_pct, DROP COLUMN noise_steal_pct, DROP COLUMN noise_load,
      DROP COLUMN noise_tuning, DROP COLUMN noise_measured_at;
    ALTER TABLE job
      DROP COLUMN noise_cv_pct, DROP COLUMN noise_steal_pct, DROP COLUMN noise_load,
      DROP COLUMN noise_involuntary_switches, DROP COLUMN noise_probe_ms, DROP COLUMN noise_tuning;
  `.execute(db);
}
