import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { BmfMetric } from './adapters/index.js';
import { floatArray, plainArray } from './pg-arrays.js';
import type { Limits } from './thresholds/index.js';

/**
 * The bulk inserts of result processing. Ids are made in node (randomUUID), so nothing needs
 * RETURNING, and every table is one `INSERT … SELECT FROM unnest(array, …)`: one parameter per column,
 * whatever the number of rows. Tables written together are one statement (data-modifying CTEs), and
 * the texts are fixed, so they run as prepared statements.
 */

/** The report columns copied onto every metric (the series key and time of its history). */
export interface MetricReport {
  id: string;
  branch_id: string;
  testbed_id: string;
  spec_id: string | null;
  git_hash: string | null;
  image_digest: string | null;
  start_time: Date;
}

export interface ReportBenchmarkRow {
  id: string;
  iteration: number;
  benchmarkId: string;
}

export interface MetricRow {
  id: string;
  reportBenchmarkId: string;
  benchmarkId: string;
  measureId: string;
  iteration: number;
  metric: BmfMetric;
}

export interface BoundaryRow {
  id: string;
  metricId: string;
  thresholdId: string;
  modelId: string;
  limits: Limits;
}

export interface AlertRow {
  id: string;
  boundaryId: string;
  side: string;
}

/**
 * A report's report_benchmark rows and metrics, and its end time (error cleared), in one statement.
 * The metrics' foreign key to report_benchmark is checked at the end of the statement, after both
 * inserts.
 */
export async function insertResults(
  db: Database,
  report: MetricReport,
  reportBenchmarks: readonly ReportBenchmarkRow[],
  metrics: readonly MetricRow[],
  endTime: Date,
): Promise<void> {
  await sql`${sql.raw(PREPARED)}
    WITH rb AS (
      INSERT INTO report_benchmark (id, report_id, iteration, benchmark_id)
      SELECT id, ${report.id}::uuid, iteration, benchmark_id
      FROM unnest(${plainArray(reportBenchmarks.map((r) => r.id))}::uuid[],
                  ${plainArray(reportBenchmarks.map((r) => r.iteration))}::integer[],
                  ${plainArray(reportBenchmarks.map((r) => r.benchmarkId))}::uuid[]) AS t(id, iteration, benchmark_id)
    ),
    m AS (
      INSERT INTO metric (id, report_benchmark_id, report_id, branch_id, testbed_id, benchmark_id, measure_id,
                          spec_id, git_hash, image_digest, iteration, time, value, lower_value, upper_value)
      SELECT id, report_benchmark_id, ${report.id}::uuid, ${report.branch_id}::uuid, ${report.testbed_id}::uuid,
             benchmark_id, measure_id, ${report.spec_id}::uuid, ${report.git_hash}::text, ${report.image_digest}::text, iteration,
             ${report.start_time}::timestamptz, value, lower_value, upper_value
      FROM unnest(${plainArray(metrics.map((m) => m.id))}::uuid[],
                  ${plainArray(metrics.map((m) => m.reportBenchmarkId))}::uuid[],
                  ${plainArray(metrics.map((m) => m.benchmarkId))}::uuid[],
                  ${plainArray(metrics.map((m) => m.measureId))}::uuid[],
                  ${plainArray(metrics.map((m) => m.iteration))}::integer[],
                  ${floatArray(metrics.map((m) => m.metric.value))}::float8[],
                  ${floatArray(metrics.map((m) => m.metric.lower_value))}::float8[],
                  ${floatArray(metrics.map((m) => m.metric.upper_value))}::float8[])
        AS t(id, report_benchmark_id, benchmark_id, measure_id, iteration, value, lower_value, upper_value)
    )
    UPDATE report SET end_time = ${endTime}::timestamptz, error = NULL WHERE id = ${report.id}::uuid
  `.execute(db);
}

/** Boundaries and the ACTIVE alerts (of one project, created `now`) of some of them, in one statement. */
export async function insertBoundaries(
  db: Database,
  projectId: string,
  boundaries: readonly BoundaryRow[],
  alerts: readonly AlertRow[],
  now: Date,
): Promise<void> {
  if (boundaries.length === 0) return;
  await sql`${sql.raw(PREPARED)}
    WITH b AS (
      INSERT INTO boundary (id, metric_id, threshold_id, model_id, baseline, lower_limit, upper_limit)
      SELECT * FROM unnest(${plainArray(boundaries.map((b) => b.id))}::uuid[],
                           ${plainArray(boundaries.map((b) => b.metricId))}::uuid[],
                           ${plainArray(boundaries.map((b) => b.thresholdId))}::uuid[],
                           ${plainArray(boundaries.map((b) => b.modelId))}::uuid[],
                           ${floatArray(boundaries.map((b) => b.limits.baseline))}::float8[],
                           ${floatArray(boundaries.map((b) => b.limits.lowerLimit))}::float8[],
                           ${floatArray(boundaries.map((b) => b.limits.upperLimit))}::float8[])
    )
    INSERT INTO alert (id, boundary_id, project_id, side, status, created_at, updated_at)
    SELECT id, boundary_id, ${projectId}::uuid, side, 'ACTIVE', ${now}::timestamptz, ${now}::timestamptz
    FROM unnest(${plainArray(alerts.map((a) => a.id))}::uuid[], ${plainArray(alerts.map((a) => a.boundaryId))}::uuid[],
                ${alerts.map((a) => a.side)}::text[]) AS t(id, boundary_id, side)
  `.execute(db);
}
