import { type Kysely, sql } from 'kysely';

// Confirmed regressions (docs/confirmation.md):
// - alert.verdict and its evidence; alert.confirmation_job_id links an alert to the job that re-runs it.
// - the image of each report and metric, so an alert's baseline image (the newest earlier metric
//   of its series that ran an image and did not alert) is one read of metric_image_series.
// - job.kind: a report has at most one RUN job and one CONFIRMATION job.
// - rounds, α and the minimum effect per project; rounds per run.
// - a trigger moves a confirmation job's alerts along with its status (CONFIRMING when it runs,
//   CONFIRMATION_FAILED when it fails or is canceled), so every path that changes a job's status
//   (runner calls, cancel, the sweeper) keeps them in step in the same transaction.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE project
      ADD COLUMN confirm_rounds integer NOT NULL DEFAULT 5 CHECK (confirm_rounds BETWEEN 0 AND 30),
      ADD COLUMN confirm_alpha double precision NOT NULL DEFAULT 0.05 CHECK (confirm_alpha > 0 AND confirm_alpha < 0.5),
      ADD COLUMN confirm_min_effect double precision NOT NULL DEFAULT 1 CHECK (confirm_min_effect >= 0 AND confirm_min_effect <= 1000);

    ALTER TABLE report
      ADD COLUMN image_repository text,
      ADD COLUMN image_digest text CHECK (image_digest ~ '^sha256:[0-9a-f]{64}$'),
      ADD COLUMN confirm_rounds integer CHECK (confirm_rounds BETWEEN 0 AND 30);

    ALTER TABLE metric ADD COLUMN image_digest text;
    CREATE INDEX metric_image_series ON metric (branch_id, testbed_id, benchmark_id, measure_id, time DESC)
      WHERE image_digest IS NOT NULL;

    ALTER TABLE job ADD COLUMN kind text NOT NULL DEFAULT 'RUN' CHECK (kind IN ('RUN', 'CONFIRMATION'));
    ALTER TABLE job DROP CONSTRAINT job_report_id_key;
    CREATE UNIQUE INDEX job_report_kind ON job (report_id, kind);

    ALTER TABLE alert
      ADD COLUMN verdict text NOT NULL DEFAULT 'UNCONFIRMABLE' CHECK (verdict IN
        ('SUSPECTED', 'CONFIRMING', 'CONFIRMED', 'CLEARED', 'UNCONFIRMABLE', 'CONFIRMATION_FAILED')),
      ADD COLUMN confirmation_job_id uuid REFERENCES job(id) ON DELETE SET NULL,
      ADD COLUMN baseline_report_id uuid REFERENCES report(id) ON DELETE SET NULL,
      ADD COLUMN baseline_digest text,
      ADD COLUMN evidence jsonb;
    CREATE INDEX alert_confirmation_job ON alert (confirmation_job_id) WHERE confirmation_job_id IS NOT NULL;
    CREATE INDEX alert_baseline_report ON alert (baseline_report_id) WHERE baseline_report_id IS NOT NULL;

    CREATE FUNCTION confirmation_job_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'RUNNING' THEN
        UPDATE alert SET verdict = 'CONFIRMING', updated_at = COALESCE(NEW.started_at, now())
        WHERE confirmation_job_id = NEW.id AND verdict = 'SUSPECTED';
      ELSIF NEW.status IN ('FAILED', 'CANCELED') THEN
        UPDATE alert SET verdict = 'CONFIRMATION_FAILED', updated_at = COALESCE(NEW.finished_at, NEW.processed_at, now())
        WHERE confirmation_job_id = NEW.id AND verdict IN ('SUSPECTED', 'CONFIRMING');
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER job_confirmation_status AFTER UPDATE OF status ON job FOR EACH ROW
      WHEN (NEW.kind = 'CONFIRMATION' AND OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION confirmation_job_status();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER job_confirmation_status ON job;
    DROP FUNCTION confirmation_job_status();
    ALTER TABLE alert DROP COLUMN verdict, DROP COLUMN confirmation_job_id, DROP COLUMN baseline_report_id,
      DROP COLUMN baseline_digest, DROP COLUMN evidence;
    DELETE FROM job WHERE kind = 'CONFIRMATION';
    DROP INDEX job_report_kind;
    ALTER TABLE job DROP COLUMN kind, ADD CONSTRAINT job_report_id_key UNIQUE (report_id);
    DROP INDEX metric_image_series;
    ALTER TABLE metric DROP COLUMN image_digest;
    ALTER TABLE report DROP COLUMN image_repository, DROP COLUMN image_digest, DROP COLUMN confirm_rounds;
    ALTER TABLE project DROP COLUMN confirm_rounds, DROP COLUMN confirm_alpha, DROP COLUMN confirm_min_effect;
  `.execute(db);
}
