import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { plainArray, readFloat8Array } from './pg-arrays.js';

/**
 * Threshold history: the earlier metrics a new metric is compared with.
 *
 * A series is (branch, testbed, benchmark, measure), plus the spec when the report has one.
 * A branch's history is made of segments: the branch's own metrics since its head began
 * (`branch.start_point_time`, when set), then — for a branch created from a start point — the
 * start point's metrics up to the point it branched (the start point hash's report when given,
 * else `start_point_time`), then the start point's own start point, and so on.
 *
 * All series of a report are read in ONE query: arrays of series keys are unnested and, per
 * (series, segment), a correlated ARRAY(subquery … LIMIT) takes the newest `limit` rows of each
 * with an index-only scan of `metric_series`, returned as one binary float8[] (pg-arrays.ts).
 */

/** A stretch of one branch's metrics that belongs to a branch's history. */
export interface BranchSegment {
  branchId: string;
  /** Metrics at or after this time (null: from the beginning). */
  since: Date | null;
  /** Metrics before this time, or at it too when `inclusive`. */
  until: Date;
  inclusive: boolean;
}

/** How far back start points are followed; deeper chains are cut (and cycles cannot loop). */
const MAX_START_POINT_DEPTH = 8;

/**
 * The segments of a branch's history for a report started at `before`: the branch itself
 * (exclusive of `before`), then its start points.
 */
export async function branchSegments(db: Database, branchId: string, before: Date): Promise<BranchSegment[]> {
  const segments: BranchSegment[] = [];
  const seen = new Set<string>();
  let current: string | null = branchId;
  let until = before;
  let inclusive = false;
  for (let depth = 0; current && depth < MAX_START_POINT_DEPTH && !seen.has(current); depth++) {
    seen.add(current);
    const branch = await db
      .selectFrom('branch')
      .select(['id', 'start_point_branch_id', 'start_point_hash', 'start_point_time'])
      .where('id', '=', current)
      .executeTakeFirst();
    if (!branch) break;
    segments.push({ branchId: branch.id, since: branch.start_point_time, until, inclusive });
    if (!branch.start_point_branch_id) break;
    // Where the branch left its start point: the start point hash's newest report, else the branching time.
    let cut: Date | null = null;
    if (branch.start_point_hash) {
      const report = await db
        .selectFrom('report')
        .select('start_time')
        .where('branch_id', '=', branch.start_point_branch_id)
        .where('git_hash', '=', branch.start_point_hash)
        .orderBy('start_time', 'desc')
        .limit(1)
        .executeTakeFirst();
      cut = report?.start_time ?? null;
    }
    cut ??= branch.start_point_time;
    if (!cut) break;
    // Never see past the upper bound of the segment that led here.
    if (cut < until || (cut.getTime() === until.getTime() && inclusive)) {
      until = cut;
      inclusive = true;
    }
    current = branch.start_point_branch_id;
  }
  return segments;
}

export interface HistoryScope {
  /** The report being processed: its own metrics are never history (earlier iterations are added by the caller). */
  reportId: string;
  testbedId: string;
  /** When set, only metrics of this spec. */
  specId: string | null;
  /** The report's start time: the window ends here. */
  startTime: Date;
  segments: BranchSegment[];
}

export interface SeriesRequest {
  benchmarkId: string;
  measureId: string;
  /** At most this many points, newest first. */
  limit: number;
  /** Only metrics within this many seconds before the report's start (null: no window). */
  windowSeconds: number | null;
}

/** One query per this many series, so a huge report does not build one gigantic statement. */
const SERIES_PER_QUERY = 5_000;

/**
 * The stored history of every requested series, newest first, at most `limit` points each,
 * in the order of `series`. A bounded number of queries: one per 5,000 (series × segments).
 */
export async function loadHistory(
  db: Database,
  scope: HistoryScope,
  series: readonly SeriesRequest[],
): Promise<number[][]> {
  const result: number[][] = series.map(() => []);
  if (series.length === 0 || scope.segments.length === 0) return result;

  // One row per (series, segment): the keys and time bounds, as parallel arrays.
  const rows: Array<{ series: number; segment: number; since: Date | null }> = [];
  series.forEach((s, i) => {
    const windowStart =
      s.windowSeconds === null ? null : new Date(scope.startTime.getTime() - s.windowSeconds * 1000);
    scope.segments.forEach((seg, j) => {
      let since = seg.since;
      if (windowStart && (!since || windowStart > since)) since = windowStart;
      if (since && (since > seg.until || (since.getTime() === seg.until.getTime() && !seg.inclusive))) return;
      rows.push({ series: i, segment: j, since });
    });
  });

  const withTimes = scope.segments.length > 1;
  const perSeries: Array<Array<{ segment: number; values: number[]; times: number[] }>> = series.map(
    () => [],
  );
  // The newest `lim` points of one series and segment, in index order (no sort). An exclusive upper
  // bound is written as `<= until − 1 µs` (timestamptz has µs resolution) and a missing lower bound as
  // -infinity so that both are index conditions: the report's own metrics, stamped with its start
  // time, are then never visited (they are not yet all-visible, so each would cost a heap fetch).
  const points = (column: RawBuilder<unknown>) => sql`ARRAY(
    SELECT ${column}
    FROM metric m
    WHERE m.branch_id = s.branch_id
      AND m.testbed_id = ${scope.testbedId}
      AND m.benchmark_id = s.benchmark_id
      AND m.measure_id = s.measure_id
      AND m.time <= CASE WHEN s.inclusive THEN s.until ELSE s.until - interval '1 microsecond' END
      AND m.time >= coalesce(s.since, '-infinity')
      AND m.report_id <> ${scope.reportId}
      AND (${scope.specId}::uuid IS NULL OR m.spec_id = ${scope.specId}::uuid)
    ORDER BY m.time DESC, m.iteration DESC
    LIMIT s.lim
  )`;
  for (let start = 0; start < rows.length; start += SERIES_PER_QUERY) {
    const chunk = rows.slice(start, start + SERIES_PER_QUERY);
    // Values come back as binary float8[] (array_send, base64: a third smaller than bytea's hex): exact,
    // and no text to format in the database or to parse in node, which had been a third of the cost. An ARRAY(subquery) keeps the
    // index order; an ordered aggregate would sort every series again. Times are only needed to merge
    // segments, and cost a second index-only scan, so they are read only then.
    const times = withTimes
      ? sql`encode(array_send(${points(sql`extract(epoch FROM m.time)::float8`)}), 'base64')`
      : sql`NULL`;
    const found = await sql<{ idx: number; vals: string; times: string | null }>`
      SELECT s.idx, encode(array_send(${points(sql`m.value`)}), 'base64') AS vals, ${times} AS times
      FROM unnest(
        ${plainArray(chunk.map((r) => scope.segments[r.segment].branchId))}::uuid[],
        ${plainArray(chunk.map((r) => series[r.series].benchmarkId))}::uuid[],
        ${plainArray(chunk.map((r) => series[r.series].measureId))}::uuid[],
        ${chunk.map((r) => r.since?.toISOString() ?? null)}::timestamptz[],
        ${chunk.map((r) => scope.segments[r.segment].until.toISOString())}::timestamptz[],
        ${chunk.map((r) => scope.segments[r.segment].inclusive)}::boolean[],
        ${plainArray(chunk.map((r) => series[r.series].limit))}::integer[]
      ) WITH ORDINALITY AS s(branch_id, benchmark_id, measure_id, since, until, inclusive, lim, idx)
    `.execute(db);
    for (const row of found.rows) {
      const values = readFloat8Array(Buffer.from(row.vals, 'base64'));
      if (values.length === 0) continue;
      const r = chunk[Number(row.idx) - 1];
      perSeries[r.series].push({
        segment: r.segment,
        values,
        times: row.times ? readFloat8Array(Buffer.from(row.times, 'base64')) : [],
      });
    }
  }

  series.forEach((s, i) => {
    const parts = perSeries[i];
    if (parts.length === 1) {
      result[i] = parts[0].values.slice(0, s.limit);
    } else if (parts.length > 1) {
      // Segments usually follow one another in time; merge by time anyway, newest first, branch first on ties.
      const points = parts.flatMap((p) => p.values.map((v, k) => ({ v, t: p.times[k], seg: p.segment, k })));
      points.sort((a, b) => b.t - a.t || a.seg - b.seg || a.k - b.k);
      result[i] = points.slice(0, s.limit).map((p) => p.v);
    }
  });
  return result;
}
