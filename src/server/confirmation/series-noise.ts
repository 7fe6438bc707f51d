import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { branchSegments } from '../results/history.js';
import { plainArray } from '../results/pg-arrays.js';
import { MIN_HISTORY } from './rounds-for-power.js';

/** How many of a series' newest values before the report its spread is read from. */
export const NOISE_WINDOW = 30;

export interface SeriesKey {
  benchmarkId: string;
  measureId: string;
}

/**
 * The coefficient of variation of each series' newest NOISE_WINDOW values before the report, in its
 * threshold history (the report's branch, then its start points: the same segments as the baseline's)
 * and testbed: one index range per series and segment (metric_series, index-only). A series with
 * fewer than MIN_HISTORY values is left out.
 */
export async function seriesNoise(
  db: Database,
  report: { branch_id: string; testbed_id: string; start_time: Date },
  series: readonly SeriesKey[],
): Promise<Map<string, number>> {
  if (series.length === 0) return new Map();
  const segments = await branchSegments(db, report.branch_id, report.start_time);
  if (segments.length === 0) return new Map();
  const { rows } = await sql<{ benchmark_id: string; measure_id: string; cv: number | null; n: string }>`
    SELECT s.benchmark_id, s.measure_id, stddev_samp(h.value) / NULLIF(avg(h.value), 0) AS cv, count(h.value) AS n
    FROM unnest(${plainArray(series.map((s) => s.benchmarkId))}::uuid[],
                ${plainArray(series.map((s) => s.measureId))}::uuid[]) AS s(benchmark_id, measure_id)
    CROSS JOIN LATERAL (
      SELECT v.value FROM unnest(${plainArray(segments.map((g) => g.branchId))}::uuid[],
                  ${segments.map((g) => g.since?.toISOString() ?? null)}::timestamptz[],
                  ${segments.map((g) => g.until.toISOString())}::timestamptz[]) AS g(branch_id, since, until)
      CROSS JOIN LATERAL (
        SELECT m.value, m.time FROM metric m
        WHERE m.branch_id = g.branch_id AND m.testbed_id = ${report.testbed_id}::uuid
          AND m.benchmark_id = s.benchmark_id AND m.measure_id = s.measure_id
          AND m.time < LEAST(g.until, ${report.start_time}::timestamptz)
          AND m.time >= coalesce(g.since, '-infinity')
        ORDER BY m.time DESC, m.iteration DESC
        LIMIT ${NOISE_WINDOW}
      ) v
      ORDER BY v.time DESC
      LIMIT ${NOISE_WINDOW}
    ) h
    GROUP BY s.benchmark_id, s.measure_id
  `.execute(db);
  const noise = new Map<string, number>();
  for (const row of rows) {
    if (Number(row.n) >= MIN_HISTORY && row.cv !== null)
      noise.set(`${row.benchmark_id}/${row.measure_id}`, Math.abs(Number(row.cv)));
  }
  return noise;
}
