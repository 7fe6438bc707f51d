import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { branchSegments } from '../results/history.js';
import { plainArray } from '../results/pg-arrays.js';

export interface AlertSeries {
  alertId: string;
  benchmarkId: string;
  measureId: string;
}

export interface BaselineImage {
  reportId: string;
  repository: string;
  digest: string;
}

export interface BaselineReport {
  id: string;
  branch_id: string;
  testbed_id: string;
  spec_id: string | null;
  start_time: Date;
}

/**
 * Each alert's baseline image: the image of the newest earlier metric in the alert's history (its
 * branch since the head began, then its start points up to where it branched — the segments of
 * threshold history — same testbed, spec, benchmark and measure) that ran an image and raised no
 * alert (or one a confirmation cleared). Null when there is none, or when that image is no longer
 * in the registry (deleted): the alert is then UNCONFIRMABLE. An older image is not tried instead:
 * the newest good one is the baseline, and one that cannot be pulled cannot clear anything.
 *
 * One statement: per (alert, segment) the newest such metric is the first row of a backward range
 * scan of `metric_image_series`; the segments are taken in order and the first that has one wins.
 */
export async function chooseBaselines(
  db: Database,
  report: BaselineReport,
  alerts: readonly AlertSeries[],
): Promise<Map<string, BaselineImage | null>> {
  const out = new Map<string, BaselineImage | null>(alerts.map((a) => [a.alertId, null]));
  if (alerts.length === 0) return out;
  const segments = await branchSegments(db, report.branch_id, report.start_time);
  if (segments.length === 0) return out;
  const { rows } = await sql<{ alert_id: string; report_id: string; repository: string; digest: string }>`
    SELECT a.alert_id, found.report_id, r.image_repository AS repository, found.image_digest AS digest
    FROM unnest(${plainArray(alerts.map((a) => a.alertId))}::uuid[],
                ${plainArray(alerts.map((a) => a.benchmarkId))}::uuid[],
                ${plainArray(alerts.map((a) => a.measureId))}::uuid[]) AS a(alert_id, benchmark_id, measure_id)
    CROSS JOIN LATERAL (
      SELECT m.report_id, m.image_digest
      FROM unnest(${plainArray(segments.map((s) => s.branchId))}::uuid[],
                  ${segments.map((s) => s.since?.toISOString() ?? null)}::timestamptz[],
                  ${segments.map((s) => s.until.toISOString())}::timestamptz[],
                  ${segments.map((s) => s.inclusive)}::boolean[]) WITH ORDINALITY AS s(branch_id, since, until, inclusive, n)
      CROSS JOIN LATERAL (
        SELECT m.report_id, m.image_digest
        FROM metric m
        LEFT JOIN boundary b ON b.metric_id = m.id
        LEFT JOIN alert al ON al.boundary_id = b.id
        WHERE m.branch_id = s.branch_id AND m.testbed_id = ${report.testbed_id}::uuid
          AND m.benchmark_id = a.benchmark_id AND m.measure_id = a.measure_id
          AND m.image_digest IS NOT NULL
          AND m.time <= CASE WHEN s.inclusive THEN s.until ELSE s.until - interval '1 microsecond' END
          AND m.time >= coalesce(s.since, '-infinity')
          AND m.report_id <> ${report.id}::uuid
          AND (${report.spec_id}::uuid IS NULL OR m.spec_id = ${report.spec_id}::uuid)
          AND (al.id IS NULL OR al.verdict = 'CLEARED')
        ORDER BY m.time DESC
        LIMIT 1
      ) m
      ORDER BY s.n
      LIMIT 1
    ) found
    JOIN report r ON r.id = found.report_id
    WHERE EXISTS (
      SELECT 1 FROM registry_repository rr JOIN registry_manifest rm ON rm.repository_id = rr.id
      WHERE rr.name = r.image_repository AND rm.digest = found.image_digest
    )
  `.execute(db);
  for (const row of rows) {
    out.set(row.alert_id, { reportId: row.report_id, repository: row.repository, digest: row.digest });
  }
  return out;
}
