import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { ParseSettings } from './parse-output.js';
import type { CurrentThreshold } from './threshold-store.js';

/** The report columns processing uses. */
export interface LockedReport extends ParseSettings {
  id: string;
  project_id: string;
  branch_id: string;
  testbed_id: string;
  spec_id: string | null;
  git_hash: string | null;
  /** The image a remote run ran (null for a local run); copied onto its metrics. */
  image_digest: string | null;
  start_time: Date;
  end_time: Date | null;
}

export interface ReportState {
  report: LockedReport;
  /** The report already has results (a report is processed once). */
  processed: boolean;
  /** Measure slug-or-name → id, for those that exist (the row findResource would pick). */
  measureIds: Map<string, string>;
  /** Benchmark name → id, for those that exist. */
  benchmarkIds: Map<string, string>;
  /** The current thresholds of the report's branch and testbed for the measures found. */
  thresholds: CurrentThreshold[];
}

interface Row extends LockedReport {
  fresh: boolean;
  processed: boolean;
  /** [slug, name, id] of every measure whose slug or name is one of the keys, in slug order. */
  measures: Array<[string, string, string]> | null;
  benchmarks: Array<[string, string]> | null;
  thresholds: ThresholdJson[] | null;
}

interface ThresholdJson {
  threshold_id: string;
  model_id: string;
  measure_id: string;
  test: string;
  min_sample_size: number | null;
  max_sample_size: number | null;
  window_seconds: number | null;
  lower_boundary: number | string | null;
  upper_boundary: number | string | null;
}

/**
 * Locks the report (FOR UPDATE) and reads everything processing needs in one statement: the
 * report, whether it has results, the measures by slug or name (the same row `findResource` picks:
 * lowest slug first), the benchmarks by name and the current thresholds of those measures.
 * Undefined when there is no such report.
 *
 * A statement reads one snapshot, taken before it waited for the lock: if another transaction
 * changed the report meanwhile (processed it: processing always updates the report), the locked
 * row is that newer version but the snapshot does not show its results. The locked row's ctid then
 * differs from the snapshot's, and the statement is read again, now that no one else can change it.
 */
export async function lockReport(
  db: Database,
  reportId: string,
  measureKeys: readonly string[],
  benchmarkNames: readonly string[],
): Promise<ReportState | undefined> {
  let row = await readLocked(db, reportId, measureKeys, benchmarkNames);
  if (row && !row.fresh) row = await readLocked(db, reportId, measureKeys, benchmarkNames);
  if (!row) return undefined;
  const { fresh: _, processed, measures, benchmarks, thresholds, ...report } = row;
  const measureIds = pickMeasures(measureKeys, measures ?? []);
  const picked = new Set(measureIds.values());
  return {
    report,
    processed,
    measureIds,
    benchmarkIds: new Map(benchmarks ?? []),
    thresholds: (thresholds ?? []).filter((t) => picked.has(t.measure_id)).map(currentThreshold),
  };
}

/**
 * Per key, the first measure in slug order whose slug or name is the key: the row `findResource`
 * picks. Done here rather than per key in SQL, whose plan would then depend on the number of keys
 * and be made again on every call (a custom plan costs more than the statement runs).
 */
function pickMeasures(keys: readonly string[], rows: Array<[string, string, string]>): Map<string, string> {
  const ids = new Map<string, string>();
  for (const key of keys) {
    const row = rows.find(([slug, name]) => slug === key || name === key);
    if (row) ids.set(key, row[2]);
  }
  return ids;
}

async function readLocked(
  db: Database,
  reportId: string,
  measureKeys: readonly string[],
  benchmarkNames: readonly string[],
): Promise<Row | undefined> {
  const { rows } = await sql<Row>`${sql.raw(PREPARED)}
    WITH r AS (
      SELECT id, project_id, branch_id, testbed_id, spec_id, git_hash, image_digest, start_time, end_time, adapter,
             average, fold, ctid AS locked_ctid
      FROM report WHERE id = ${reportId} FOR UPDATE
    ),
    ms AS (
      SELECT m.id, m.slug, m.name
      FROM r JOIN measure m ON m.project_id = r.project_id
      WHERE m.slug = any(${measureKeys as string[]}::text[]) OR m.name = any(${measureKeys as string[]}::text[])
    )
    SELECT r.id, r.project_id, r.branch_id, r.testbed_id, r.spec_id, r.git_hash, r.image_digest, r.start_time, r.end_time,
      r.adapter, r.average, r.fold,
      r.locked_ctid = (SELECT ctid FROM report WHERE id = r.id) AS fresh,
      EXISTS (SELECT 1 FROM report_benchmark WHERE report_id = r.id) AS processed,
      (SELECT json_agg(json_build_array(ms.slug, ms.name, ms.id) ORDER BY ms.slug) FROM ms) AS measures,
      (SELECT json_agg(json_build_array(b.name, b.id)) FROM benchmark b
        WHERE b.project_id = r.project_id AND b.name = any(${benchmarkNames as string[]}::text[])) AS benchmarks,
      (SELECT json_agg(json_build_object('threshold_id', t.id, 'model_id', md.id, 'measure_id', t.measure_id,
          'test', md.test, 'min_sample_size', md.min_sample_size, 'max_sample_size', md.max_sample_size,
          'window_seconds', md.window_seconds, 'lower_boundary', md.lower_boundary,
          'upper_boundary', md.upper_boundary))
        FROM threshold t JOIN model md ON md.id = t.model_id
        WHERE t.branch_id = r.branch_id AND t.testbed_id = r.testbed_id
          AND t.measure_id IN (SELECT ms.id FROM ms)) AS thresholds
    FROM r
  `.execute(db);
  return rows[0];
}

/** JSON writes a float8 NaN or ±Infinity as a string; a column read would have given the number. */
function float(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function currentThreshold(t: ThresholdJson): CurrentThreshold {
  return {
    thresholdId: t.threshold_id,
    modelId: t.model_id,
    measureId: t.measure_id,
    params: {
      test: t.test as CurrentThreshold['params']['test'],
      minSampleSize: t.min_sample_size,
      maxSampleSize: t.max_sample_size,
      windowSeconds: t.window_seconds,
      lowerBoundary: float(t.lower_boundary),
      upperBoundary: float(t.upper_boundary),
    },
  };
}
