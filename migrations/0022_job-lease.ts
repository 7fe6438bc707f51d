import { type Kysely, sql } from 'kysely';

// Heartbeats at scale (docs/scaling.md, step 1): a runner's sign of life lives in a narrow table
// instead of the wide `job` row, whose every update writes a new version of a row with eleven
// indexes. A lease exists exactly while its job is in flight (CLAIMED or RUNNING), kept so by
// triggers rather than by each claiming and finishing statement, so that no path — today's or a
// future one — can leave a job in flight without a lease or a finished job with one. `beat_at` has
// no index and the table a low fillfactor, so a beat is a HOT update; the sweeper reads the whole
// (in-flight-sized) table.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE job_lease (
      job_id uuid PRIMARY KEY REFERENCES job(id) ON DELETE CASCADE,
      runner_id uuid NOT NULL,
      beat_at timestamptz NOT NULL
    ) WITH (fillfactor = 50);

    CREATE FUNCTION job_lease_enter() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO job_lease (job_id, runner_id, beat_at)
      VALUES (NEW.id, NEW.runner_id, coalesce(NEW.last_heartbeat_at, NEW.claimed_at, now()))
      ON CONFLICT (job_id) DO UPDATE SET runner_id = excluded.runner_id, beat_at = excluded.beat_at;
      RETURN NULL;
    END
    $$;

    -- Leaving flight: the last beat goes onto the row being written anyway, so the job keeps it.
    CREATE FUNCTION job_lease_leave() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      beat timestamptz;
    BEGIN
      DELETE FROM job_lease WHERE job_id = OLD.id RETURNING beat_at INTO beat;
      IF NEW.status <> 'PENDING' AND beat > coalesce(NEW.last_heartbeat_at, '-infinity') THEN
        NEW.last_heartbeat_at := beat;
      END IF;
      RETURN NEW;
    END
    $$;

    -- Only entering or leaving flight (or a new holder) calls a function: a start, a cancel
    -- request or any other update of an in-flight job pays nothing.
    CREATE TRIGGER job_lease_insert AFTER INSERT ON job FOR EACH ROW
      WHEN (NEW.status IN ('CLAIMED', 'RUNNING') AND NEW.runner_id IS NOT NULL)
      EXECUTE FUNCTION job_lease_enter();
    CREATE TRIGGER job_lease_enter AFTER UPDATE OF status, runner_id ON job FOR EACH ROW
      WHEN (NEW.status IN ('CLAIMED', 'RUNNING') AND NEW.runner_id IS NOT NULL
        AND (OLD.status NOT IN ('CLAIMED', 'RUNNING') OR OLD.runner_id IS DISTINCT FROM NEW.runner_id))
      EXECUTE FUNCTION job_lease_enter();
    CREATE TRIGGER job_lease_leave BEFORE UPDATE OF status ON job FOR EACH ROW
      WHEN (OLD.status IN ('CLAIMED', 'RUNNING') AND NEW.status NOT IN ('CLAIMED', 'RUNNING'))
      EXECUTE FUNCTION job_lease_leave();

    INSERT INTO job_lease (job_id, runner_id, beat_at)
    SELECT id, runner_id, coalesce(last_heartbeat_at, claimed_at, now())
    FROM job WHERE status IN ('CLAIMED', 'RUNNING') AND runner_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE job SET last_heartbeat_at = greatest(job.last_heartbeat_at, l.beat_at)
    FROM job_lease l WHERE l.job_id = job.id;
    DROP TRIGGER job_lease_leave ON job;
    DROP TRIGGER job_lease_enter ON job;
    DROP TRIGGER job_lease_insert ON job;
    DROP FUNCTION job_lease_leave();
    DROP FUNCTION job_lease_enter();
    DROP TABLE job_lease;
  `.execute(db);
}
