import type { ApiClient } from '../api/client.js';
import { PerfQuery, RunReportQuery } from '../api/documents/run.js';
import { SPARKLINE_WIDTH } from '../output/sparkline.js';
import type { Evidence, JobStatus, ResultRow, RunNoise, RunResults, Verdict } from './types.js';

/** The part of `report(id)` the results table needs. */
export interface ReportShape {
  id: string;
  error?: string | null;
  job?: { noise: RunNoise | null } | null;
  project: { slug: string };
  confirmation?: { id: string; status: string; config: { rounds?: number | null } } | null;
  branch: { id: string };
  testbed: { id: string };
  results: Array<{
    iteration: number;
    benchmarks: Array<{
      benchmark: { id: string; name: string; slug?: string };
      measures: Array<{
        measure: { id: string; name: string; slug?: string; units: string };
        value: number;
        lowerValue?: number | null;
        upperValue?: number | null;
        baseline?: number | null;
        lowerLimit?: number | null;
        upperLimit?: number | null;
        change?: number | null;
        alert?: {
          id: string;
          side: string;
          status?: string;
          limit?: number | null;
          verdict?: string | null;
          evidence?: Evidence | null;
        } | null;
      }>;
    }>;
  }>;
}

export interface PerfSeries {
  benchmark: { id: string };
  measure: { id: string };
  points: Array<{ value: number }>;
}

export function reportUrl(host: string, project: string, reportId: string): string {
  return `${host}/projects/${encodeURIComponent(project)}/reports/${reportId}`;
}

export function jobUrl(host: string, project: string, jobId: string): string {
  return `${host}/projects/${encodeURIComponent(project)}/jobs/${jobId}`;
}

export function flattenReport(report: ReportShape, host: string): RunResults {
  const rows: ResultRow[] = [];
  for (const iteration of report.results) {
    for (const { benchmark, measures } of iteration.benchmarks) {
      for (const m of measures) {
        rows.push({
          iteration: iteration.iteration,
          benchmark: benchmark.name,
          benchmarkSlug: benchmark.slug ?? '',
          benchmarkId: benchmark.id,
          measure: m.measure.name,
          measureSlug: m.measure.slug ?? '',
          measureId: m.measure.id,
          units: m.measure.units,
          value: m.value,
          lowerValue: m.lowerValue ?? null,
          upperValue: m.upperValue ?? null,
          baseline: m.baseline ?? null,
          lowerLimit: m.lowerLimit ?? null,
          upperLimit: m.upperLimit ?? null,
          change: m.change ?? changePercent(m.value, m.baseline ?? null),
          alert: m.alert
            ? {
                id: m.alert.id,
                side: m.alert.side === 'LOWER' ? 'LOWER' : 'UPPER',
                limit: m.alert.limit ?? null,
                ...(m.alert.verdict && {
                  verdict: m.alert.verdict as Verdict,
                  evidence: m.alert.evidence ?? null,
                }),
              }
            : null,
          history: [],
        });
      }
    }
  }
  return {
    reportId: report.id,
    project: report.project.slug,
    url: reportUrl(host, report.project.slug, report.id),
    rows,
    error: report.error ?? null,
    noise: report.job?.noise ?? null,
    confirmation: report.confirmation
      ? {
          id: report.confirmation.id,
          status: report.confirmation.status as JobStatus,
          rounds: report.confirmation.config.rounds ?? null,
        }
      : null,
  };
}

export function changePercent(value: number, baseline: number | null): number | null {
  if (baseline === null || baseline === 0) return null;
  return ((value - baseline) / Math.abs(baseline)) * 100;
}

/** The series come already cut to the sparkline's points (`last`), so nothing is dropped here. */
export function attachHistory(results: RunResults, series: PerfSeries[]): RunResults {
  const byKey = new Map(
    series.map((s) => [`${s.benchmark.id}/${s.measure.id}`, s.points.map((p) => p.value)]),
  );
  return {
    ...results,
    rows: results.rows.map((row) => ({
      ...row,
      history: byKey.get(`${row.benchmarkId}/${row.measureId}`) ?? [],
    })),
  };
}

export async function fetchResults(client: ApiClient, reportId: string): Promise<RunResults> {
  const data = (await client.request(RunReportQuery, { id: reportId })) as { report: ReportShape };
  const results = flattenReport(data.report, client.host);
  if (!results.rows.length) return results;
  try {
    const perf = (await client.request(PerfQuery, {
      project: data.report.project.slug,
      benchmarks: unique(results.rows.map((r) => r.benchmarkId)),
      measures: unique(results.rows.map((r) => r.measureId)),
      branches: [data.report.branch.id],
      testbeds: [data.report.testbed.id],
      // Only the points the sparkline shows: the request costs the same at 50,000 runs of history as at 20.
      last: SPARKLINE_WIDTH,
    })) as { perf: PerfSeries[] };
    return attachHistory(results, perf.perf);
  } catch (error) {
    // The sparkline is a nicety: the results table still prints, and says why the history is missing.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ...results,
      historyNote: `No history sparklines: the server's perf request failed (${reason}).`,
    };
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
