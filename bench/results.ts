// Result processing at scale: one report of 1,000 benchmarks × 3 measures, each series with a t_test
// threshold and 64 points of stored history. Times `processResults` (parse, metrics, one history
// query, limits, boundaries, alerts). Run with `npx tsx bench/results.ts`.
//
// On the 2-core dev machine (shared, loaded) the median went from ~400–710 ms wall / ~490–565 ms CPU to
// ~320–410 ms wall / ~340–415 ms CPU (database + node): one composite foreign key on metric instead of
// five (migration 0010), history as binary float8[] without a per-series sort, array parameters joined
// in node, a memoised t quantile, and the metric inserts overlapped with the limit computation. See
// docs/results.md. Wall time on a busy machine varies by ±30%; compare the CPU figure.
//
// It needs a PostgreSQL server: BENCH_DATABASE_URL or TEST_DATABASE_URL (any database on it), else
// postgres://postgres@127.0.0.1:5432/postgres. A scratch database is created, migrated, seeded
// with bulk SQL and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { processResults } from '../src/server/results/process-results.js';
import { createTenant } from '../test/queue/fixtures.js';
import { ADMIN_URL, type Figure, withDatabase } from './_shared.js';

const BENCHMARKS = 1_000;
const MEASURES = ['latency', 'throughput', 'instructions'];
const HISTORY = 64;
const RUNS = Number(process.env.RUNS ?? 7);
const GOAL_MS = 500;
const PARSE = { adapter: 'json', average: 'MEAN', fold: null } as const;

async function seed(db: Database) {
  // The same organization, project, branch and testbed the queue tests and benches use.
  const tenant = await createTenant(db, 'FREE');
  const project = { id: tenant.projectId };
  const branch = { id: tenant.branchId };
  const testbed = { id: tenant.testbedId };
  const measures = await db
    .insertInto('measure')
    .values(MEASURES.map((slug) => ({ project_id: project.id, name: slug, slug, units: 'units' })))
    .returning('id')
    .execute();
  await sql`
    INSERT INTO benchmark (project_id, name, slug)
    SELECT ${project.id}::uuid, 'bench_' || g, 'bench_' || g FROM generate_series(1, ${BENCHMARKS}) g
  `.execute(db);
  for (const measure of measures) {
    const threshold = await db
      .insertInto('threshold')
      .values({
        project_id: project.id,
        branch_id: branch.id,
        testbed_id: testbed.id,
        measure_id: measure.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const model = await db
      .insertInto('model')
      .values({
        threshold_id: threshold.id,
        test: 'T_TEST',
        max_sample_size: HISTORY,
        lower_boundary: 0.99,
        upper_boundary: 0.99,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('threshold').set({ model_id: model.id }).where('id', '=', threshold.id).execute();
  }
  // 64 reports of history, every benchmark and measure in each: one statement.
  const t0 = new Date('2026-01-01T00:00:00Z');
  await sql`
    WITH r AS (
      INSERT INTO report (project_id, branch_id, testbed_id, adapter, start_time, end_time)
      SELECT ${project.id}::uuid, ${branch.id}::uuid, ${testbed.id}::uuid, 'json',
             ${t0}::timestamptz + g * interval '1 hour', ${t0}::timestamptz + g * interval '1 hour'
      FROM generate_series(1, ${HISTORY}) g
      RETURNING id, start_time
    ), rb AS (
      INSERT INTO report_benchmark (report_id, iteration, benchmark_id)
      SELECT r.id, 0, b.id FROM r CROSS JOIN benchmark b WHERE b.project_id = ${project.id}::uuid
      RETURNING id, report_id, benchmark_id
    )
    INSERT INTO metric (report_benchmark_id, report_id, branch_id, testbed_id, benchmark_id, measure_id,
                        iteration, time, value)
    SELECT rb.id, rb.report_id, ${branch.id}::uuid, ${testbed.id}::uuid, rb.benchmark_id, m.id, 0, r.start_time,
           100 + random() * 4
    FROM rb JOIN r ON r.id = rb.report_id CROSS JOIN measure m WHERE m.project_id = ${project.id}::uuid
  `.execute(db);
  // Steady state: autovacuum has long since marked the history pages all-visible (index-only scans).
  await sql`VACUUM ANALYZE`.execute(db);
  return {
    projectId: project.id,
    branchId: branch.id,
    testbedId: testbed.id,
    after: new Date(t0.getTime() + (HISTORY + 1) * 3_600_000),
  };
}

/** One output in BMF: every benchmark and measure, a few regressions. */
function output(): string {
  const bmf: Record<string, Record<string, { value: number }>> = {};
  for (let i = 1; i <= BENCHMARKS; i++) {
    bmf[`bench_${i}`] = Object.fromEntries(MEASURES.map((m) => [m, { value: i % 100 === 0 ? 150 : 102 }]));
  }
  return JSON.stringify(bmf);
}

class Rollback extends Error {}

/** CPU time (ms) a local PostgreSQL backend has used, from /proc; null when the server is elsewhere. */
function backendCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export async function run(): Promise<Figure[]> {
  const name = `benchline_bench_${randomBytes(4).toString('hex')}`;
  const admin = createDatabase({ url: ADMIN_URL, max: 1 });
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  const db = createDatabase({ url: withDatabase(ADMIN_URL, name), max: 4 });
  try {
    await migrateToLatest(db);
    const scope = await seed(db);
    const results = [output()];
    const times: number[] = [];
    const cpu: number[] = [];
    let summary: Awaited<ReturnType<typeof processResults>> | undefined;
    // The first run warms up (plans, JIT); every run is rolled back so each sees the same history.
    for (let i = 0; i <= RUNS; i++) {
      await db
        .transaction()
        .execute(async (trx) => {
          const report = await trx
            .insertInto('report')
            .values({
              project_id: scope.projectId,
              branch_id: scope.branchId,
              testbed_id: scope.testbedId,
              adapter: 'json',
              start_time: scope.after,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
          const backendBefore = backendCpuMs(rows[0].pid);
          const nodeBefore = process.cpuUsage();
          const started = performance.now();
          // With the parse settings, as a job completion calls it (they match the report's defaults).
          summary = await processResults(trx, {
            reportId: report.id,
            results,
            now: new Date(),
            parse: PARSE,
          });
          const elapsed = performance.now() - started;
          const node = process.cpuUsage(nodeBefore);
          const backendAfter = backendCpuMs(rows[0].pid);
          if (i > 0) {
            times.push(elapsed);
            if (backendBefore !== null && backendAfter !== null) {
              cpu.push(backendAfter - backendBefore + (node.user + node.system) / 1000);
            }
          }
          throw new Rollback();
        })
        .catch((error) => {
          if (!(error instanceof Rollback)) throw error;
        });
    }
    if (summary?.metrics !== BENCHMARKS * MEASURES.length || summary.boundaries !== summary.metrics) {
      throw new Error(`unexpected summary ${JSON.stringify({ ...summary, alertIds: undefined })}`);
    }
    times.sort((a, b) => a - b);
    const median = times[times.length >> 1];
    cpu.sort((a, b) => a - b);
    // On a busy machine wall time overstates the cost; CPU time (database backend + node) does not.
    const cpuNote = cpu.length ? `; CPU ${cpu[cpu.length >> 1].toFixed(0)} ms (database + node)` : '';
    console.log(
      `results.process_1000x3  ${median.toFixed(0)} ms  (goal ≤ ${GOAL_MS} ms)  ` +
        `[${summary.metrics} metrics, ${summary.boundaries} boundaries, ${summary.alerts} alerts; ` +
        `min ${times[0].toFixed(0)} / max ${times[times.length - 1].toFixed(0)} ms over ${RUNS} runs${cpuNote}]`,
    );
    return [{ name: 'process_1000x3', value: median, unit: 'ms', goal: `≤ ${GOAL_MS} ms` }];
  } finally {
    await db.destroy();
    if (process.env.BENCH_KEEP_DATABASE) console.log(`kept database ${name}`);
    else await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin);
    await admin.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
}
