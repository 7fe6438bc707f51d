import { type Kysely, sql } from 'kysely';

// A downsampled perf series keeps every alert point (results/perf.ts), so it must find a series'
// alerts without touching the series' metrics: a series' whole history is one heap page per report,
// and going from the project's alerts to their metrics is one random heap page per alert. Alerts
// carry copies of their metric's series key, time and iteration (as metric copies its report's),
// filled by a trigger so every writer (processResults, seeds, tools) sets them, and an index
// finds one series' alerts in a time range. The copies never change: a metric's key is fixed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE alert
      ADD COLUMN metric_branch_id uuid,
      ADD COLUMN metric_testbed_id uuid,
      ADD COLUMN metric_benchmark_id uuid,
      ADD COLUMN metric_measure_id uuid,
      ADD COLUMN metric_time timestamptz,
      ADD COLUMN metric_iteration integer;
    UPDATE alert a
      SET metric_branch_id = m.branch_id, metric_testbed_id = m.testbed_id, metric_benchmark_id = m.benchmark_id,
          metric_measure_id = m.measure_id, metric_time = m.time, metric_iteration = m.iteration
      FROM boundary b JOIN metric m ON m.id = b.metric_id
      WHERE b.id = a.boundary_id;
    -- After the statement, not before each row: processResults inserts an alert in the statement that
    -- inserts its boundary (a data-modifying CTE), whose rows a BEFORE trigger could not see yet.
    CREATE FUNCTION alert_series_copy() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE alert a
        SET metric_branch_id = m.branch_id, metric_testbed_id = m.testbed_id, metric_benchmark_id = m.benchmark_id,
            metric_measure_id = m.measure_id, metric_time = m.time, metric_iteration = m.iteration
        FROM inserted i JOIN boundary b ON b.id = i.boundary_id JOIN metric m ON m.id = b.metric_id
        WHERE a.id = i.id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER alert_series_copy AFTER INSERT ON alert REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION alert_series_copy();
    CREATE INDEX alert_series ON alert (metric_branch_id, metric_testbed_id, metric_benchmark_id, metric_measure_id, metric_time, metric_iteration);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER alert_series_copy ON alert;
    DROP FUNCTION alert_series_copy();
    ALTER TABLE alert
      DROP COLUMN metric_branch_id, DROP COLUMN metric_testbed_id, DROP COLUMN metric_benchmark_id, DROP COLUMN metric_measure_id,
      DROP COLUMN metric_time, DROP COLUMN metric_iteration;
  `.execute(db);
}
