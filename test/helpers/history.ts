// A project's history grown in bulk SQL, as processResults would have left it: one report per run
// (every 30 minutes, going back from the project's first real run), one report_benchmark, metric and
// boundary per benchmark, and an alert where a value left its limits (about 1 in 200 points).
import { sql } from 'kysely';
import type { Database } from '../../src/server/db/database.js';

export interface HistoryScope {
  projectId: string;
  branchId: string;
  testbedId: string;
  measureId: string;
  benchmarkIds: string[];
}

/** The project's one branch, testbed and measure, and its benchmarks, as a first run created them. */
export async function historyScope(db: Database, project: string): Promise<HistoryScope> {
  const p = await db.selectFrom('project').select('id').where('slug', '=', project).executeTakeFirstOrThrow();
  const one = (table: 'branch' | 'testbed' | 'measure') =>
    db.selectFrom(table).select('id').where('project_id', '=', p.id).executeTakeFirstOrThrow();
  const benchmarks = await db
    .selectFrom('benchmark')
    .select('id')
    .where('project_id', '=', p.id)
    .orderBy('name')
    .execute();
  return {
    projectId: p.id,
    branchId: (await one('branch')).id,
    testbedId: (await one('testbed')).id,
    measureId: (await one('measure')).id,
    benchmarkIds: benchmarks.map((b) => b.id),
  };
}

/** A percentage threshold (±10 %) on the scope's branch, testbed and measure: every run checks it. */
export async function addThreshold(
  db: Database,
  s: HistoryScope,
): Promise<{ thresholdId: string; modelId: string }> {
  const threshold = await db
    .insertInto('threshold')
    .values({
      project_id: s.projectId,
      branch_id: s.branchId,
      testbed_id: s.testbedId,
      measure_id: s.measureId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const model = await db
    .insertInto('model')
    .values({ threshold_id: threshold.id, test: 'PERCENTAGE', lower_boundary: 0.1, upper_boundary: 0.1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('threshold').set({ model_id: model.id }).where('id', '=', threshold.id).execute();
  return { thresholdId: threshold.id, modelId: model.id };
}

/**
 * Adds `runs` reports before the oldest one of the scope (30 minutes apart), in batches so one
 * statement never holds millions of rows in memory. Values are noisy around a per-benchmark level
 * with slow drift; one point in 200 jumps by 30 % and gets an ACTIVE alert.
 */
export async function growHistory(
  db: Database,
  s: HistoryScope,
  t: { thresholdId: string; modelId: string },
  runs: number,
): Promise<void> {
  const oldest = await db
    .selectFrom('report')
    .select((eb) => eb.fn.min('start_time').as('t'))
    .where('project_id', '=', s.projectId)
    .executeTakeFirst();
  const end = (oldest?.t as Date | null) ?? new Date();
  const batch = 5_000;
  for (let done = 0; done < runs; done += batch) {
    const n = Math.min(batch, runs - done);
    await sql`
      WITH r AS (
        INSERT INTO report (project_id, branch_id, testbed_id, git_hash, adapter, start_time, end_time, created_at)
        SELECT ${s.projectId}::uuid, ${s.branchId}::uuid, ${s.testbedId}::uuid, substr(md5(random()::text), 1, 40),
               'json', t, t + interval '20 seconds', t
        FROM (SELECT ${end}::timestamptz - (g + ${done}) * interval '30 minutes' AS t
              FROM generate_series(1, ${n}) g) times
        RETURNING id, start_time, git_hash
      ), rb AS (
        INSERT INTO report_benchmark (report_id, iteration, benchmark_id)
        SELECT r.id, 0, b FROM r CROSS JOIN unnest(${s.benchmarkIds}::uuid[]) b
        RETURNING id, report_id, benchmark_id
      ), v AS (
        SELECT rb.id AS rb_id, rb.report_id, rb.benchmark_id, r.start_time, r.git_hash,
               (1000 + 37 * abs(hashtext(rb.benchmark_id::text) % 100))
                 * (1 + 0.05 * sin(extract(epoch FROM r.start_time) / 864000)) AS level, random() AS u
        FROM rb JOIN r ON r.id = rb.report_id
      ), m AS (
        INSERT INTO metric (report_benchmark_id, report_id, branch_id, testbed_id, benchmark_id, measure_id,
                            git_hash, iteration, time, value)
        SELECT rb_id, report_id, ${s.branchId}::uuid, ${s.testbedId}::uuid, benchmark_id, ${s.measureId}::uuid,
               git_hash, 0, start_time,
               level * (CASE WHEN u < 0.005 THEN 1.3 ELSE 0.97 + 0.06 * u END)
        FROM v
        RETURNING id, value, benchmark_id, time
      ), b AS (
        INSERT INTO boundary (metric_id, threshold_id, model_id, baseline, lower_limit, upper_limit)
        SELECT m.id, ${t.thresholdId}::uuid, ${t.modelId}::uuid, base, base * 0.9, base * 1.1
        FROM (SELECT m.*, (1000 + 37 * abs(hashtext(m.benchmark_id::text) % 100))
                 * (1 + 0.05 * sin(extract(epoch FROM m.time) / 864000)) AS base FROM m) m
        RETURNING id, metric_id, upper_limit
      )
      INSERT INTO alert (boundary_id, project_id, side, created_at, updated_at)
      SELECT b.id, ${s.projectId}::uuid, 'UPPER', m.time, m.time
      FROM b JOIN m ON m.id = b.metric_id WHERE m.value > b.upper_limit
    `.execute(db);
  }
  // Steady state: autovacuum has long marked old history all-visible and analysed the tables.
  await sql`VACUUM ANALYZE report, report_benchmark, metric, boundary, alert`.execute(db);
}
