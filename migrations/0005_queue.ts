import { type Kysely, sql } from 'kysely';

// The job queue: one job per remote report, its durable log, its output and its billed usage.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE job (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      report_id uuid NOT NULL UNIQUE REFERENCES report(id) ON DELETE CASCADE,
      organization_id uuid NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
      project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
      spec_id uuid NOT NULL REFERENCES spec(id),
      status text NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED', 'PROCESSED', 'FAILED', 'CANCELED')),
      priority integer NOT NULL CHECK (priority IN (0, 100, 200, 300)),
      config jsonb NOT NULL,
      timeout_seconds integer NOT NULL CHECK (timeout_seconds > 0),
      source_ip text,
      runner_id uuid REFERENCES runner(id) ON DELETE SET NULL,
      cancel_requested_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      claimed_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      processed_at timestamptz,
      last_heartbeat_at timestamptz,
      exit_code integer,
      failure_reason text CHECK (failure_reason IN ('HEARTBEAT_TIMEOUT', 'JOB_TIMEOUT', 'NONZERO_EXIT',
        'RUNNER_ERROR', 'IMAGE_ERROR', 'PROCESSING_ERROR', 'CANCELED_BY_USER')),
      failure_message text,
      billed_minutes integer NOT NULL DEFAULT 0,
      CHECK (status <> 'PENDING' OR runner_id IS NULL),
      CHECK (status NOT IN ('CLAIMED', 'RUNNING') OR runner_id IS NOT NULL)
    );
    -- The claim query walks this index in claim order.
    CREATE INDEX job_pending ON job (spec_id, priority DESC, created_at, id) WHERE status = 'PENDING';
    -- Tier limits count in-flight jobs per organization and, for unclaimed callers, per source IP.
    CREATE INDEX job_in_flight_org ON job (organization_id) WHERE status IN ('CLAIMED', 'RUNNING');
    CREATE INDEX job_in_flight_ip ON job (source_ip) WHERE status IN ('CLAIMED', 'RUNNING');
    -- The sweeper's scan: live jobs by their last sign of life.
    CREATE INDEX job_live ON job (last_heartbeat_at) WHERE status IN ('CLAIMED', 'RUNNING');
    CREATE INDEX job_unprocessed ON job (finished_at) WHERE status = 'COMPLETED';
    CREATE INDEX job_project_created ON job (project_id, created_at DESC, id);
    CREATE INDEX job_runner ON job (runner_id) WHERE runner_id IS NOT NULL;

    CREATE TABLE job_log_chunk (
      job_id uuid NOT NULL REFERENCES job(id) ON DELETE CASCADE,
      seq integer NOT NULL CHECK (seq >= 0),
      stream text NOT NULL CHECK (stream IN ('STDOUT', 'STDERR')),
      data bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (job_id, seq)
    );

    CREATE TABLE job_output (
      job_id uuid NOT NULL REFERENCES job(id) ON DELETE CASCADE,
      iteration integer NOT NULL CHECK (iteration >= 0),
      exit_code integer NOT NULL,
      files jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (job_id, iteration)
    );

    CREATE TABLE usage (
      job_id uuid PRIMARY KEY REFERENCES job(id) ON DELETE CASCADE,
      organization_id uuid NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
      runner_id uuid REFERENCES runner(id) ON DELETE SET NULL,
      minutes integer NOT NULL CHECK (minutes >= 0),
      started_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX usage_organization_time ON usage (organization_id, started_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE usage; DROP TABLE job_output; DROP TABLE job_log_chunk; DROP TABLE job;`.execute(db);
}
