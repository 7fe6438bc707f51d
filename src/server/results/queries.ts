import { sql } from 'kysely';
import type { Database } from '../db/database.js';

/** An alert with what a reader wants next to it: the boundary's limits and the metric's value and series. */
export interface AlertView {
  id: string;
  project_id: string;
  boundary_id: string;
  side: string;
  status: string;
  /** What its confirmation found (confirmation/verdicts.ts). */
  verdict: string;
  evidence: unknown;
  confirmation_job_id: string | null;
  baseline_report_id: string | null;
  baseline_digest: string | null;
  created_at: Date;
  updated_at: Date;
  baseline: number | null;
  lower_limit: number | null;
  upper_limit: number | null;
  metric_id: string;
  value: number;
  report_id: string;
  iteration: number;
  branch_id: string;
  testbed_id: string;
  benchmark_id: string;
  measure_id: string;
}

/** The columns a metric ⋈ boundary ⋈ alert row carries, with the alert's own as `alert_*` and nullable. */
export interface AlertColumns {
  alert_id: string | null;
  project_id: string | null;
  boundary_id: string | null;
  side: string | null;
  status: string | null;
  verdict: string | null;
  evidence: unknown;
  confirmation_job_id: string | null;
  baseline_report_id: string | null;
  baseline_digest: string | null;
  alert_created_at: Date | null;
  alert_updated_at: Date | null;
  baseline: number | null;
  lower_limit: number | null;
  upper_limit: number | null;
  metric_id: string;
  value: number;
  report_id: string;
  iteration: number;
  branch_id: string;
  testbed_id: string;
  benchmark_id: string;
  measure_id: string;
}

/** The alert of a joined result row, or null when the metric raised none. */
export function alertView(r: AlertColumns): AlertView | null {
  if (!r.alert_id) return null;
  return {
    id: r.alert_id,
    project_id: r.project_id as string,
    boundary_id: r.boundary_id as string,
    side: r.side as string,
    status: r.status as string,
    verdict: r.verdict as string,
    evidence: r.evidence ?? null,
    confirmation_job_id: r.confirmation_job_id ?? null,
    baseline_report_id: r.baseline_report_id ?? null,
    baseline_digest: r.baseline_digest ?? null,
    created_at: r.alert_created_at as Date,
    updated_at: r.alert_updated_at as Date,
    baseline: r.baseline,
    lower_limit: r.lower_limit,
    upper_limit: r.upper_limit,
    metric_id: r.metric_id,
    value: r.value,
    report_id: r.report_id,
    iteration: r.iteration,
    branch_id: r.branch_id,
    testbed_id: r.testbed_id,
    benchmark_id: r.benchmark_id,
    measure_id: r.measure_id,
  };
}

/** `alert ⋈ boundary ⋈ metric`, selecting an AlertView; callers add filters, order and pagination. */
export function alertViews(db: Database) {
  return db
    .selectFrom('alert')
    .innerJoin('boundary', 'boundary.id', 'alert.boundary_id')
    .innerJoin('metric', 'metric.id', 'boundary.metric_id')
    .select([
      'alert.id',
      'alert.project_id',
      'alert.boundary_id',
      'alert.side',
      'alert.status',
      'alert.verdict',
      'alert.evidence',
      'alert.confirmation_job_id',
      'alert.baseline_report_id',
      'alert.baseline_digest',
      'alert.created_at',
      'alert.updated_at',
      'boundary.baseline',
      'boundary.lower_limit',
      'boundary.upper_limit',
      'metric.id as metric_id',
      'metric.value',
      'metric.report_id',
      'metric.iteration',
      'metric.branch_id',
      'metric.testbed_id',
      'metric.benchmark_id',
      'metric.measure_id',
    ]);
}

/** One metric of a report with its boundary and alert, as the results table shows it. */
export interface ResultRow {
  metric_id: string;
  report_id: string;
  iteration: number;
  benchmark_id: string;
  measure_id: string;
  value: number;
  lower_value: number | null;
  upper_value: number | null;
  baseline: number | null;
  lower_limit: number | null;
  upper_limit: number | null;
  alert: AlertView | null;
}

/** What a result row selects: a metric with its boundary and alert columns (AlertColumns) and bounds. */
export type ResultColumns = AlertColumns & { lower_value: number | null; upper_value: number | null };

/**
 * The one select list of a result row, with resultRow its one mapper (result-page.ts reads pages
 * with them): two copies of both once drifted apart and a page missed the alert's verdict (INTERNAL
 * on any report with an alert). Callers add `WHERE` and `ORDER BY ${RESULT_ORDER}`.
 */
export const RESULT_SELECT = sql`
    SELECT m.id AS metric_id, m.report_id, m.iteration, m.benchmark_id, m.measure_id, m.value, m.lower_value,
           m.upper_value, m.branch_id, m.testbed_id, b.id AS boundary_id, b.baseline, b.lower_limit, b.upper_limit,
           a.id AS alert_id, a.project_id, a.side, a.status, a.verdict, a.evidence, a.confirmation_job_id,
           a.baseline_report_id, a.baseline_digest, a.created_at AS alert_created_at,
           a.updated_at AS alert_updated_at
    FROM metric m
    JOIN benchmark bm ON bm.id = m.benchmark_id
    JOIN measure ms ON ms.id = m.measure_id
    LEFT JOIN boundary b ON b.metric_id = m.id
    LEFT JOIN alert a ON a.boundary_id = b.id`;

/** Results in the order the table shows them: report, iteration, benchmark name, measure name. */
export const RESULT_ORDER = sql`m.report_id, m.iteration, bm.name, ms.name`;

/** A row selected by RESULT_SELECT as a ResultRow. */
export function resultRow(r: ResultColumns): ResultRow {
  return {
    metric_id: r.metric_id,
    report_id: r.report_id,
    iteration: r.iteration,
    benchmark_id: r.benchmark_id,
    measure_id: r.measure_id,
    value: r.value,
    lower_value: r.lower_value,
    upper_value: r.upper_value,
    baseline: r.baseline,
    lower_limit: r.lower_limit,
    upper_limit: r.upper_limit,
    alert: alertView(r),
  };
}

/** Change of a value against its baseline, in percent; null without a (non-zero) baseline. */
export function changePercent(value: number, baseline: number | null): number | null {
  if (baseline === null || baseline === 0) return null;
  return ((value - baseline) / Math.abs(baseline)) * 100;
}

export type AlertStatus = 'ACTIVE' | 'DISMISSED' | 'SILENCED';

export async function updateAlertStatus(db: Database, alertId: string, status: AlertStatus, now: Date) {
  await db.updateTable('alert').set({ status, updated_at: now }).where('id', '=', alertId).execute();
  return alertViews(db).where('alert.id', '=', alertId).executeTakeFirstOrThrow();
}
