import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { badInput, notFound } from '../errors.js';
import type { ResourceTable } from '../projects/resources.js';
import { type AlertView, alertView } from './queries.js';

/** Metric history with boundaries, for plots. */

export interface PerfQuery {
  projectId: string;
  /** Names, slugs or ids; at least one. */
  benchmarks: string[];
  /** Names, slugs or ids; none: every measure the benchmarks have. */
  measures?: string[] | null;
  branches?: string[] | null;
  testbeds?: string[] | null;
  from?: Date | null;
  to?: Date | null;
  /** Only the newest N points of each series (read from the series index newest first, not filtered after). */
  last?: number | null;
}

export interface PerfPoint {
  metricId: string;
  time: Date;
  reportId: string;
  iteration: number;
  hash: string | null;
  value: number;
  lowerValue: number | null;
  upperValue: number | null;
  baseline: number | null;
  lowerLimit: number | null;
  upperLimit: number | null;
  alert: AlertView | null;
}

export interface PerfSeries {
  branchId: string;
  testbedId: string;
  benchmarkId: string;
  measureId: string;
  points: PerfPoint[];
}

/** The most points one perf query returns; narrow the time range for more. */
export const MAX_PERF_POINTS = 20_000;
const MAX_KEYS = 100;

/** Resolves names, slugs or ids of one kind within the project; an unknown one is NOT_FOUND. */
async function resolveIds(
  db: Database,
  table: ResourceTable,
  projectId: string,
  keys: string[],
): Promise<string[]> {
  if (keys.length > MAX_KEYS) throw badInput(`ask for at most ${MAX_KEYS} ${table}s at once`, table);
  const uuids = keys.filter((k) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(k));
  const rows = await sql<{ id: string; name: string; slug: string }>`
    SELECT id, name, slug FROM ${sql.table(table)}
    WHERE project_id = ${projectId}::uuid
      AND (name = any(${keys}::text[]) OR slug = any(${keys}::text[]) OR id = any(${uuids}::uuid[]))
  `.execute(db);
  const ids: string[] = [];
  for (const key of keys) {
    const row = rows.rows.find((r) => r.id === key.toLowerCase() || r.slug === key || r.name === key);
    if (!row) throw notFound(`${table} "${key.slice(0, 80)}"`);
    ids.push(row.id);
  }
  return [...new Set(ids)];
}

export async function perfSeries(db: Database, q: PerfQuery): Promise<PerfSeries[]> {
  if (q.benchmarks.length === 0) throw badInput('name at least one benchmark', 'benchmarks');
  const last = q.last ?? null;
  if (last !== null && (!Number.isInteger(last) || last < 1 || last > MAX_PERF_POINTS)) {
    throw badInput(`last must be a whole number from 1 to ${MAX_PERF_POINTS}`, 'last');
  }
  const benchmarkIds = await resolveIds(db, 'benchmark', q.projectId, q.benchmarks);
  // Unnamed kinds mean all of the project's, so every key column of index metric_series is bounded.
  const all = async (table: ResourceTable, keys: string[] | null | undefined) =>
    keys?.length
      ? resolveIds(db, table, q.projectId, keys)
      : (await db.selectFrom(table).select('id').where('project_id', '=', q.projectId).execute()).map(
          (r) => r.id,
        );
  const measureIds = await all('measure', q.measures);
  const branchIds = await all('branch', q.branches);
  const testbedIds = await all('testbed', q.testbeds);

  const from = q.from ?? null;
  const to = q.to ?? null;
  // With `last`, each series is one index probe of metric_series, newest first, stopping after N rows;
  // whole-range reads scan the same index for every series at once.
  const source =
    last === null
      ? sql`metric`
      : sql`(SELECT n.* FROM unnest(${branchIds}::uuid[]) br(id)
             CROSS JOIN unnest(${testbedIds}::uuid[]) tb(id)
             CROSS JOIN unnest(${benchmarkIds}::uuid[]) bm(id)
             CROSS JOIN unnest(${measureIds}::uuid[]) me(id)
             CROSS JOIN LATERAL (
               SELECT * FROM metric x
               WHERE x.branch_id = br.id AND x.testbed_id = tb.id AND x.benchmark_id = bm.id
                 AND x.measure_id = me.id
                 AND (${from}::timestamptz IS NULL OR x.time >= ${from}::timestamptz)
                 AND (${to}::timestamptz IS NULL OR x.time <= ${to}::timestamptz)
               ORDER BY x.time DESC, x.iteration DESC
               LIMIT ${last}
             ) n)`;
  const { rows } = await sql<{
    metric_id: string;
    branch_id: string;
    testbed_id: string;
    benchmark_id: string;
    measure_id: string;
    time: Date;
    report_id: string;
    iteration: number;
    git_hash: string | null;
    value: number;
    lower_value: number | null;
    upper_value: number | null;
    boundary_id: string | null;
    baseline: number | null;
    lower_limit: number | null;
    upper_limit: number | null;
    alert_id: string | null;
    project_id: string | null;
    side: string | null;
    status: string | null;
    verdict: string | null;
    evidence: unknown;
    confirmation_job_id: string | null;
    baseline_report_id: string | null;
    baseline_digest: string | null;
    alert_created_at: Date | null;
    alert_updated_at: Date | null;
  }>`
    SELECT m.id AS metric_id, m.branch_id, m.testbed_id, m.benchmark_id, m.measure_id, m.time, m.report_id,
           m.iteration, m.git_hash, m.value, m.lower_value, m.upper_value, b.id AS boundary_id, b.baseline,
           b.lower_limit, b.upper_limit, a.id AS alert_id, a.project_id, a.side, a.status, a.verdict,
           a.evidence, a.confirmation_job_id, a.baseline_report_id, a.baseline_digest,
           a.created_at AS alert_created_at, a.updated_at AS alert_updated_at
    FROM ${source} m
    LEFT JOIN boundary b ON b.metric_id = m.id
    LEFT JOIN alert a ON a.boundary_id = b.id
    WHERE m.branch_id = any(${branchIds}::uuid[])
      AND m.testbed_id = any(${testbedIds}::uuid[])
      AND m.benchmark_id = any(${benchmarkIds}::uuid[])
      AND m.measure_id = any(${measureIds}::uuid[])
      AND (${from}::timestamptz IS NULL OR m.time >= ${from}::timestamptz)
      AND (${to}::timestamptz IS NULL OR m.time <= ${to}::timestamptz)
    ORDER BY m.branch_id, m.testbed_id, m.benchmark_id, m.measure_id, m.time, m.iteration
    LIMIT ${MAX_PERF_POINTS + 1}
  `.execute(db);
  if (rows.length > MAX_PERF_POINTS) {
    throw badInput(
      `more than ${MAX_PERF_POINTS} points match; narrow the time range (from, to) or the series`,
    );
  }

  const out: PerfSeries[] = [];
  for (const r of rows) {
    let series = out[out.length - 1];
    if (
      !series ||
      series.branchId !== r.branch_id ||
      series.testbedId !== r.testbed_id ||
      series.benchmarkId !== r.benchmark_id ||
      series.measureId !== r.measure_id
    ) {
      series = {
        branchId: r.branch_id,
        testbedId: r.testbed_id,
        benchmarkId: r.benchmark_id,
        measureId: r.measure_id,
        points: [],
      };
      out.push(series);
    }
    series.points.push({
      metricId: r.metric_id,
      time: r.time,
      reportId: r.report_id,
      iteration: r.iteration,
      hash: r.git_hash,
      value: r.value,
      lowerValue: r.lower_value,
      upperValue: r.upper_value,
      baseline: r.baseline,
      lowerLimit: r.lower_limit,
      upperLimit: r.upper_limit,
      alert: alertView(r),
    });
  }
  return out;
}
