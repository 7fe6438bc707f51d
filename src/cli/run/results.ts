import { mergeResultPages } from '../../api/merge-result-pages.js';
import type { ApiClient } from '../api/client.js';
import { PerfQuery, RunReportPageQuery, RunReportQuery } from '../api/documents/run.js';
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

/** One page of a report's results as the server sends it (resultPage, 100 benchmarks at most). */
interface ResultPageShape {
  iterations: ReportShape['results'];
  hasNextPage: boolean;
  endCursor?: string | null;
}

/**
 * A report's results with every benchmark's sparkline. The server sends the results by pages of 100
 * benchmarks, and each page's history is asked for while the next page is read: a report of any
 * size, two requests in a row for one of up to 100 benchmarks.
 */
export async function fetchResults(client: ApiClient, reportId: string): Promise<RunResults> {
  const data = (await client.request(RunReportQuery, { id: reportId })) as {
    report: Omit<ReportShape, 'results'> & { resultPage: ResultPageShape };
  };
  const { resultPage, ...report } = data.report;
  const scope = { project: report.project.slug, branch: report.branch.id, testbed: report.testbed.id };
  const pages = [resultPage.iterations];
  const histories = [pageHistory(client, scope, resultPage.iterations)];
  for (let page = resultPage; page.hasNextPage && page.endCursor; ) {
    const next = (await client.request(RunReportPageQuery, { id: reportId, after: page.endCursor })) as {
      report: { resultPage: ResultPageShape };
    };
    page = next.report.resultPage;
    pages.push(page.iterations);
    histories.push(pageHistory(client, scope, page.iterations));
  }
  const results = flattenReport({ ...report, results: mergeResultPages(pages) }, client.host);
  const parts = await Promise.all(histories);
  const series = parts.flatMap((p) => p.series);
  const failed = parts.flatMap((p) => p.failures);
  if (!failed.length) return attachHistory(results, series);
  // The sparkline is a nicety: the results table still prints, and says why history is missing.
  const missing = failed.reduce((n, f) => n + f.benchmarks, 0);
  const all = new Set(results.rows.map((r) => r.benchmarkId)).size;
  const which = missing >= all ? '' : ` for ${missing} of ${all} benchmarks`;
  return {
    ...attachHistory(results, series),
    historyNote: `No history sparklines${which}: the server's perf request failed (${failed[0]?.reason}).`,
  };
}

/** What perf.ts on the server allows one request: names of each kind, and points in the answer. */
export const PERF_MAX_NAMES = 100;
export const PERF_MAX_POINTS = 20_000;

/**
 * Benchmarks (each with its measures) cut into groups one perf request may ask for: at most
 * PERF_MAX_NAMES benchmarks and measures, and at most PERF_MAX_POINTS points of `last` per series.
 * The request crosses benchmarks with measures, so a group's points count its benchmarks × measures.
 */
export function perfGroups(
  benchmarks: ReadonlyMap<string, ReadonlySet<string>>,
  last: number,
): Array<{ benchmarks: string[]; measures: string[] }> {
  const groups: Array<{ benchmarks: string[]; measures: Set<string> }> = [];
  let group: { benchmarks: string[]; measures: Set<string> } | undefined;
  for (const [benchmark, measures] of benchmarks) {
    const union = new Set([...(group?.measures ?? []), ...measures]);
    const fits =
      group &&
      group.benchmarks.length < PERF_MAX_NAMES &&
      union.size <= PERF_MAX_NAMES &&
      (group.benchmarks.length + 1) * union.size * last <= PERF_MAX_POINTS;
    if (group && fits) {
      group.benchmarks.push(benchmark);
      group.measures = union;
    } else {
      group = { benchmarks: [benchmark], measures: new Set(measures) };
      groups.push(group);
    }
  }
  return groups.map((g) => ({ benchmarks: g.benchmarks, measures: [...g.measures] }));
}

interface HistoryPart {
  series: PerfSeries[];
  failures: Array<{ benchmarks: number; reason: string }>;
}

/** The sparkline points of one page's series: only the points the sparkline shows, the newest. */
async function pageHistory(
  client: ApiClient,
  scope: { project: string; branch: string; testbed: string },
  iterations: ReportShape['results'],
): Promise<HistoryPart> {
  const benchmarks = new Map<string, Set<string>>();
  for (const iteration of iterations) {
    for (const { benchmark, measures } of iteration.benchmarks) {
      const set = benchmarks.get(benchmark.id) ?? new Set<string>();
      for (const m of measures) set.add(m.measure.id);
      benchmarks.set(benchmark.id, set);
    }
  }
  const parts = await Promise.all(
    perfGroups(benchmarks, SPARKLINE_WIDTH).map(async (group): Promise<HistoryPart> => {
      try {
        const perf = (await client.request(PerfQuery, {
          project: scope.project,
          benchmarks: group.benchmarks,
          measures: group.measures,
          branches: [scope.branch],
          testbeds: [scope.testbed],
          // Only the points the sparkline shows: the request costs the same at 50,000 runs of history as at 20.
          last: SPARKLINE_WIDTH,
        })) as { perf: PerfSeries[] };
        return { series: perf.perf, failures: [] };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { series: [], failures: [{ benchmarks: group.benchmarks.length, reason }] };
      }
    }),
  );
  return { series: parts.flatMap((p) => p.series), failures: parts.flatMap((p) => p.failures) };
}
