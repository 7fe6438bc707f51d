import { type Kysely, sql } from 'kysely';

// Reports and their results: metrics, thresholds with their models, boundaries and alerts.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE report (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      branch_id uuid NOT NULL REFERENCES branch(id) ON DELETE CASCADE,
      testbed_id uuid NOT NULL REFERENCES testbed(id) ON DELETE CASCADE,
      spec_id uuid REFERENCES spec(id) ON DELETE SET NULL,
      user_id uuid REFERENCES "user"(id) ON DELETE SET NULL,
      git_hash text CHECK (git_hash ~ '^[0-9a-f]{7,64}$'),
      adapter text NOT NULL CHECK (length(adapter) BETWEEN 1 AND 64),
      average text NOT NULL DEFAULT 'MEAN' CHECK (average IN ('MEAN', 'MEDIAN')),
      fold text CHECK (fold IN ('MIN', 'MAX', 'MEAN', 'MEDIAN')),
      iterations integer NOT NULL DEFAULT 1 CHECK (iterations BETWEEN 1 AND 1000),
      start_time timestamptz NOT NULL,
      end_time timestamptz,
      error text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX report_project_time ON report (project_id, start_time DESC, id);
    CREATE INDEX report_branch ON report (branch_id);
    CREATE INDEX report_testbed ON report (testbed_id);

    CREATE TABLE report_benchmark (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_id uuid NOT NULL REFERENCES report(id) ON DELETE CASCADE,
      iteration integer NOT NULL CHECK (iteration >= 0),
      benchmark_id uuid NOT NULL REFERENCES benchmark(id) ON DELETE CASCADE,
      UNIQUE (report_id, iteration, benchmark_id)
    );

    -- The series columns (branch, testbed, benchmark, measure, spec, time) are copied onto
    -- each metric so that a threshold's history is one index range scan.
    CREATE TABLE metric (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_benchmark_id uuid NOT NULL REFERENCES report_benchmark(id) ON DELETE CASCADE,
      report_id uuid NOT NULL REFERENCES report(id) ON DELETE CASCADE,
      branch_id uuid NOT NULL REFERENCES branch(id) ON DELETE CASCADE,
      testbed_id uuid NOT NULL REFERENCES testbed(id) ON DELETE CASCADE,
      benchmark_id uuid NOT NULL REFERENCES benchmark(id) ON DELETE CASCADE,
      measure_id uuid NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
      spec_id uuid REFERENCES spec(id) ON DELETE SET NULL,
      git_hash text,
      iteration integer NOT NULL,
      time timestamptz NOT NULL,
      value double precision NOT NULL,
      lower_value double precision,
      upper_value double precision,
      UNIQUE (report_benchmark_id, measure_id)
    );
    CREATE INDEX metric_series ON metric (branch_id, testbed_id, benchmark_id, measure_id, time DESC, iteration DESC);
    CREATE INDEX metric_report ON metric (report_id);

    CREATE TABLE threshold (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      branch_id uuid NOT NULL REFERENCES branch(id) ON DELETE CASCADE,
      testbed_id uuid NOT NULL REFERENCES testbed(id) ON DELETE CASCADE,
      measure_id uuid NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
      model_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (branch_id, testbed_id, measure_id)
    );
    CREATE INDEX threshold_project ON threshold (project_id);

    -- Models are never edited: a new model replaces the current one, so old boundaries keep theirs.
    CREATE TABLE model (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      threshold_id uuid NOT NULL REFERENCES threshold(id) ON DELETE CASCADE,
      test text NOT NULL CHECK (test IN ('STATIC', 'PERCENTAGE', 'Z_SCORE', 'T_TEST', 'LOG_NORMAL', 'IQR', 'DELTA_IQR')),
      min_sample_size integer CHECK (min_sample_size >= 2),
      max_sample_size integer CHECK (max_sample_size >= 2),
      window_seconds integer CHECK (window_seconds > 0),
      lower_boundary double precision,
      upper_boundary double precision,
      created_at timestamptz NOT NULL DEFAULT now(),
      replaced_at timestamptz,
      CHECK (min_sample_size IS NULL OR max_sample_size IS NULL OR min_sample_size <= max_sample_size),
      CHECK (lower_boundary IS NOT NULL OR upper_boundary IS NOT NULL)
    );
    ALTER TABLE threshold ADD CONSTRAINT threshold_model_fk FOREIGN KEY (model_id) REFERENCES model(id) ON DELETE SET NULL;

    CREATE TABLE boundary (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      metric_id uuid NOT NULL UNIQUE REFERENCES metric(id) ON DELETE CASCADE,
      threshold_id uuid NOT NULL REFERENCES threshold(id) ON DELETE CASCADE,
      model_id uuid NOT NULL REFERENCES model(id) ON DELETE CASCADE,
      baseline double precision,
      lower_limit double precision,
      upper_limit double precision
    );

    CREATE TABLE alert (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      boundary_id uuid NOT NULL UNIQUE REFERENCES boundary(id) ON DELETE CASCADE,
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      side text NOT NULL CHECK (side IN ('LOWER', 'UPPER')),
      status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISMISSED', 'SILENCED')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX alert_project_status ON alert (project_id, status, created_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE alert; DROP TABLE boundary;
    ALTER TABLE threshold DROP CONSTRAINT threshold_model_fk;
    DROP TABLE model; DROP TABLE threshold; DROP TABLE metric; DROP TABLE report_benchmark; DROP TABLE report;
  `.execute(db);
}
