import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { badInput, notFound } from '../errors.js';
import type { ResourceTable } from '../projects/resources.js';
import { floatArray, plainArray } from './pg-arrays.js';
import { type AlertColumns, type AlertView, alertView } from './queries.js';

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
  /**
   * The plot's width in pixel columns: a series with more than 2 × resolution points in the range
   * comes downsampled (downsample.ts) to the lowest and highest point of each column, its first and
   * last point and every alert.
   */
  resolution?: number | null;
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
  /** Points stored in the range (with `last`: at most that many); more than `points` when downsampled. */
  total: number;
}

/** The most points one perf query returns; narrow the time range for more. */
export const MAX_PERF_POINTS = 20_000;
/** The widest plot: at most 2 × 5,000 sampled points per series. */
export const MAX_RESOLUTION = 5_000;
const MAX_KEYS = 100;
/** Series keys (branches × testbeds × benchmarks × measures) one query may probe. */
const MAX_SERIES = 10_000;

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

interface SeriesKey {
  branchId: string;
  testbedId: string;
  benchmarkId: string;
  measureId: string;
}

/** One row of the point reads: a metric of the series at `ord` (1-based) with its boundary and alert. */
interface PointRow extends AlertColumns {
  /** int8: read as a number (db/database.ts). */
  ord: number;
  metric_id: string;
  time: Date;
  report_id: string;
  iteration: number;
  git_hash: string | null;
  value: number;
  lower_value: number | null;
  upper_value: number | null;
  branch_id: string;
  testbed_id: string;
  benchmark_id: string;
  measure_id: string;
}

/** A point picked by its place in the series: microseconds since the epoch and iteration. */
interface Pick {
  ord: number;
  us: number;
  iteration: number;
}

/** `$keys` as a relation k(br, tb, bm, me, ord): zipped, so only the series asked for are probed. */
function keyRelation(keys: readonly SeriesKey[]) {
  return sql`unnest(${plainArray(keys.map((k) => k.branchId))}::uuid[], ${plainArray(keys.map((k) => k.testbedId))}::uuid[],
                    ${plainArray(keys.map((k) => k.benchmarkId))}::uuid[], ${plainArray(keys.map((k) => k.measureId))}::uuid[])
             WITH ORDINALITY k(br, tb, bm, me, ord)`;
}

const inSeries = sql`x.branch_id = k.br AND x.testbed_id = k.tb AND x.benchmark_id = k.bm AND x.measure_id = k.me`;
// date_part is float8 arithmetic; extract() is numeric, ~3× the cost per point in the bucket pass.
// Rounding recovers the stored microsecond exactly (the double's error is ~0.2 µs at today's epoch).
const micros = (column: ReturnType<typeof sql.ref>) => sql`round(date_part('epoch', ${column}) * 1000000)`;
const fromMicros = (us: unknown) => sql`(timestamptz 'epoch' + ${us} * interval '1 microsecond')`;

/** The columns every point read selects, from metric x, boundary b and alert a. */
const pointColumns = sql`k.ord, x.id AS metric_id, x.time, x.report_id, x.iteration, x.git_hash, x.value, x.lower_value,
  x.upper_value, b.id AS boundary_id, b.baseline, b.lower_limit, b.upper_limit, a.id AS alert_id, a.project_id,
  a.side, a.status, a.verdict, a.evidence, a.confirmation_job_id, a.baseline_report_id, a.baseline_digest,
  a.created_at AS alert_created_at, a.updated_at AS alert_updated_at, x.branch_id, x.testbed_id, x.benchmark_id,
  x.measure_id`;

/**
 * Every point of each series in the range (or its newest `last`), one index range scan per series
 * in time order; at most `limit` rows.
 */
async function readWhole(
  db: Database,
  keys: readonly SeriesKey[],
  from: Date | null,
  to: Date | null,
  last: number | null,
  limit: number,
): Promise<PointRow[]> {
  if (keys.length === 0) return [];
  const range = sql`x.time >= coalesce(${from}::timestamptz, '-infinity') AND x.time <= coalesce(${to}::timestamptz, 'infinity')`;
  // Without `last`, a plain join: the planner walks metric_series per key (a subquery would force a sort).
  const series =
    last === null
      ? sql`JOIN metric x ON ${inSeries} AND ${range}`
      : sql`CROSS JOIN LATERAL (
          SELECT * FROM metric x WHERE ${inSeries} AND ${range} ORDER BY x.time DESC, x.iteration DESC LIMIT ${last}
        ) x`;
  const { rows } = await sql<PointRow>`
    SELECT ${pointColumns}
    FROM ${keyRelation(keys)}
    ${series}
    LEFT JOIN boundary b ON b.metric_id = x.id
    LEFT JOIN alert a ON a.boundary_id = b.id
    ORDER BY k.ord, x.time, x.iteration
    LIMIT ${limit}
  `.execute(db);
  return rows;
}

/** The picked points, each one probe of the series index by time and iteration. */
async function readPicked(
  db: Database,
  keys: readonly SeriesKey[],
  picks: readonly Pick[],
): Promise<PointRow[]> {
  if (picks.length === 0) return [];
  const { rows } = await sql<PointRow>`
    SELECT ${pointColumns}
    FROM ${keyRelation(keys)}
    JOIN unnest(${plainArray(picks.map((p) => p.ord))}::bigint[], ${floatArray(picks.map((p) => p.us))}::float8[],
                ${plainArray(picks.map((p) => p.iteration))}::int[]) p(ord, us, it) ON p.ord = k.ord
    JOIN metric x ON ${inSeries} AND x.time = ${fromMicros(sql.ref('p.us'))} AND x.iteration = p.it
    LEFT JOIN boundary b ON b.metric_id = x.id
    LEFT JOIN alert a ON a.boundary_id = b.id
    ORDER BY k.ord, x.time, x.iteration
  `.execute(db);
  return rows;
}

interface BucketRow {
  ord: number;
  t0: number;
  i0: number;
  t1: number;
  i1: number;
  n: string;
  /** [value, µs, iteration] of the bucket's lowest and highest point. */
  lo: number[];
  hi: number[];
}

/**
 * Per series: its first and last point in the window (two index probes) and, per bucket of its time
 * range cut into `columns`, the point count and the lowest and highest point: one pass over the
 * series index (index-only: value is in metric_series), nothing per point leaves PostgreSQL.
 */
async function summarize(
  db: Database,
  keys: readonly SeriesKey[],
  from: Date | null,
  to: Date | null,
  last: number | null,
  columns: number,
): Promise<BucketRow[]> {
  const range = sql`x.time >= coalesce(${from}::timestamptz, '-infinity') AND x.time <= coalesce(${to}::timestamptz, 'infinity')`;
  // The window's oldest point: the range's first, or with `last` the N-th newest (an index-only walk of N entries).
  const first =
    last === null
      ? sql`SELECT x.time, x.iteration, ${micros(sql.ref('x.time'))} AS us FROM metric x
            WHERE ${inSeries} AND ${range} ORDER BY x.time, x.iteration LIMIT 1`
      : sql`SELECT w.time, w.iteration, ${micros(sql.ref('w.time'))} AS us FROM (
              SELECT x.time, x.iteration FROM metric x WHERE ${inSeries} AND ${range}
              ORDER BY x.time DESC, x.iteration DESC LIMIT ${last}
            ) w ORDER BY w.time, w.iteration LIMIT 1`;
  const us = micros(sql.ref('x.time'));
  const { rows } = await sql<BucketRow>`
    SELECT k.ord, f.us AS t0, f.iteration AS i0, l.us AS t1, l.iteration AS i1, s.n, s.lo, s.hi
    FROM ${keyRelation(keys)}
    CROSS JOIN LATERAL (
      SELECT x.time, x.iteration, ${us} AS us FROM metric x WHERE ${inSeries} AND ${range}
      ORDER BY x.time DESC, x.iteration DESC LIMIT 1
    ) l
    CROSS JOIN LATERAL (${first}) f
    CROSS JOIN LATERAL (
      SELECT CASE WHEN l.time = f.time THEN 0
                  ELSE least(${columns} - 1, floor((${us} - f.us) / (l.us - f.us) * ${columns})::int) END AS bucket,
             count(*) AS n, min(ARRAY[x.value, ${us}, x.iteration]) AS lo, max(ARRAY[x.value, ${us}, x.iteration]) AS hi
      FROM metric x
      WHERE ${inSeries} AND x.time >= f.time AND x.time <= l.time
      GROUP BY 1
    ) s
  `.execute(db);
  return rows;
}

/**
 * The alert points of the series in the range: one probe of index alert_series each, so it runs
 * beside the bucket pass; the caller keeps those inside the sampled series' windows.
 */
async function alertPicks(
  db: Database,
  keys: readonly SeriesKey[],
  from: Date | null,
  to: Date | null,
): Promise<Pick[]> {
  const { rows } = await sql<{ ord: number; us: number; it: number }>`
    SELECT k.ord, ${micros(sql.ref('a.metric_time'))} AS us, a.metric_iteration AS it
    FROM ${keyRelation(keys)}
    JOIN alert a ON a.metric_branch_id = k.br AND a.metric_testbed_id = k.tb AND a.metric_benchmark_id = k.bm
      AND a.metric_measure_id = k.me
      AND a.metric_time >= coalesce(${from}::timestamptz, '-infinity') AND a.metric_time <= coalesce(${to}::timestamptz, 'infinity')
  `.execute(db);
  return rows.map((r) => ({ ord: r.ord, us: r.us, iteration: r.it }));
}

export async function perfSeries(db: Database, q: PerfQuery): Promise<PerfSeries[]> {
  if (q.benchmarks.length === 0) throw badInput('name at least one benchmark', 'benchmarks');
  const last = q.last ?? null;
  if (last !== null && (!Number.isInteger(last) || last < 1 || last > MAX_PERF_POINTS)) {
    throw badInput(`last must be a whole number from 1 to ${MAX_PERF_POINTS}`, 'last');
  }
  const resolution = q.resolution ?? null;
  if (
    resolution !== null &&
    (!Number.isInteger(resolution) || resolution < 1 || resolution > MAX_RESOLUTION)
  ) {
    throw badInput(`resolution must be a whole number from 1 to ${MAX_RESOLUTION}`, 'resolution');
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
  const count = branchIds.length * testbedIds.length * benchmarkIds.length * measureIds.length;
  if (count > MAX_SERIES) {
    throw badInput(
      `${count} series (branches × testbeds × benchmarks × measures) is more than ${MAX_SERIES}; name fewer`,
    );
  }
  // Sorted, so series come in the order of their ids whichever way they were named.
  const keys: SeriesKey[] = [];
  for (const branchId of branchIds.sort())
    for (const testbedId of testbedIds.sort())
      for (const benchmarkId of benchmarkIds.sort())
        for (const measureId of measureIds.sort()) keys.push({ branchId, testbedId, benchmarkId, measureId });

  const from = q.from ?? null;
  const to = q.to ?? null;
  if (resolution === null) {
    const rows = await readWhole(db, keys, from, to, last, MAX_PERF_POINTS + 1);
    if (rows.length > MAX_PERF_POINTS) throw tooMany();
    return toSeries(rows, new Map());
  }

  // The point budget is shared: many series get fewer columns each, with a fifth left for ends and alerts.
  const columns = Math.max(1, Math.min(resolution, Math.floor(MAX_PERF_POINTS / (2.5 * keys.length))));
  const [buckets, alerts] = await Promise.all([
    summarize(db, keys, from, to, last, columns),
    alertPicks(db, keys, from, to),
  ]);
  const totals = new Map<number, number>();
  for (const b of buckets) totals.set(b.ord, (totals.get(b.ord) ?? 0) + Number(b.n));
  const whole: SeriesKey[] = [];
  const wholeOrds: number[] = [];
  const windows = new Map<number, { t0: number; t1: number }>();
  const picks: Pick[] = [];
  for (const [ord, total] of totals) {
    if (total <= 2 * columns) {
      whole.push(keys[ord - 1]);
      wholeOrds.push(ord);
    }
  }
  for (const b of buckets) {
    const ord = b.ord;
    if ((totals.get(ord) ?? 0) <= 2 * columns) continue;
    if (!windows.has(ord)) {
      windows.set(ord, { t0: b.t0, t1: b.t1 });
      picks.push({ ord, us: b.t0, iteration: b.i0 }, { ord, us: b.t1, iteration: b.i1 });
    }
    picks.push({ ord, us: b.lo[1], iteration: b.lo[2] }, { ord, us: b.hi[1], iteration: b.hi[2] });
  }
  for (const a of alerts) {
    const w = windows.get(a.ord);
    if (w && a.us >= w.t0 && a.us <= w.t1) picks.push(a);
  }
  const unique = [...new Map(picks.map((p) => [`${p.ord}/${p.us}/${p.iteration}`, p])).values()];
  if (unique.length > MAX_PERF_POINTS) throw tooMany();
  const [wholeRows, pickedRows] = await Promise.all([
    readWhole(db, whole, from, to, last, MAX_PERF_POINTS + 1),
    readPicked(db, keys, unique),
  ]);
  // readWhole numbers its own keys from 1; map them back to the series' places.
  for (const r of wholeRows) r.ord = wholeOrds[r.ord - 1];
  const rows = [...wholeRows, ...pickedRows].sort(
    (a, b) => a.ord - b.ord || a.time.getTime() - b.time.getTime() || a.iteration - b.iteration,
  );
  if (rows.length > MAX_PERF_POINTS) throw tooMany();
  return toSeries(rows, totals);
}

function tooMany() {
  return badInput(
    `more than ${MAX_PERF_POINTS} points match; narrow the time range (from, to) or the series, or ask for a resolution`,
  );
}

/** Rows in series order → series; `totals` has the stored count of each downsampled series. */
function toSeries(rows: readonly PointRow[], totals: ReadonlyMap<number, number>): PerfSeries[] {
  const out: PerfSeries[] = [];
  const ords: number[] = [];
  let ord = 0;
  for (const r of rows) {
    let series = out[out.length - 1];
    if (!series || r.ord !== ord) {
      ord = r.ord;
      series = {
        branchId: r.branch_id,
        testbedId: r.testbed_id,
        benchmarkId: r.benchmark_id,
        measureId: r.measure_id,
        points: [],
        total: 0,
      };
      out.push(series);
      ords.push(r.ord);
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
  for (const [i, s] of out.entries()) s.total = Math.max(s.points.length, totals.get(ords[i]) ?? 0);
  return out;
}
