import { type Kysely, sql } from 'kysely';

// Threshold history reads the newest N metrics of each series (results/history.ts). With the
// value, report and spec in the index those reads are index-only scans: one index page per series
// instead of one heap page per point (the points of a series are spread over one page per report).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX metric_series;
    CREATE INDEX metric_series ON metric (branch_id, testbed_id, benchmark_id, measure_id, time DESC, iteration DESC)
      INCLUDE (value, report_id, spec_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX metric_series;
    CREATE INDEX metric_series ON metric (branch_id, testbed_id, benchmark_id, measure_id, time DESC, iteration DESC);
  `.execute(db);
}
