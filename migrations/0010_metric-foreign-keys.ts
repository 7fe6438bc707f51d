import { type Kysely, sql } from 'kysely';

// Inserting a report's metrics ran seven foreign-key triggers per row; five of them checked columns
// that are copies of the report_benchmark's and the report's (report, iteration, benchmark, branch,
// testbed) and cost ~40% of the insert (bench/results.ts). One composite key to report_benchmark now
// checks the report_benchmark, its report, iteration and benchmark in one lookup (and, unlike before,
// that the copies agree). branch_id and testbed_id are copies of the report's, whose own keys cascade
// a branch's or testbed's deletion through report → report_benchmark → metric; metric rows are only
// written by processResults, which copies them from the report.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE report_benchmark
      ADD CONSTRAINT report_benchmark_metric_key UNIQUE (id, report_id, iteration, benchmark_id);
    ALTER TABLE metric
      DROP CONSTRAINT metric_report_benchmark_id_fkey,
      DROP CONSTRAINT metric_report_id_fkey,
      DROP CONSTRAINT metric_benchmark_id_fkey,
      DROP CONSTRAINT metric_branch_id_fkey,
      DROP CONSTRAINT metric_testbed_id_fkey,
      ADD CONSTRAINT metric_report_benchmark_fkey FOREIGN KEY (report_benchmark_id, report_id, iteration, benchmark_id)
        REFERENCES report_benchmark (id, report_id, iteration, benchmark_id) ON DELETE CASCADE;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE metric
      DROP CONSTRAINT metric_report_benchmark_fkey,
      ADD CONSTRAINT metric_report_benchmark_id_fkey FOREIGN KEY (report_benchmark_id)
        REFERENCES report_benchmark (id) ON DELETE CASCADE,
      ADD CONSTRAINT metric_report_id_fkey FOREIGN KEY (report_id) REFERENCES report (id) ON DELETE CASCADE,
      ADD CONSTRAINT metric_benchmark_id_fkey FOREIGN KEY (benchmark_id) REFERENCES benchmark (id) ON DELETE CASCADE,
      ADD CONSTRAINT metric_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES branch (id) ON DELETE CASCADE,
      ADD CONSTRAINT metric_testbed_id_fkey FOREIGN KEY (testbed_id) REFERENCES testbed (id) ON DELETE CASCADE;
    ALTER TABLE report_benchmark DROP CONSTRAINT report_benchmark_metric_key;
  `.execute(db);
}
