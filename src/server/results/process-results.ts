import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { BenchlineError, badInput, conflict, notFound } from '../errors.js';
import { AdapterParseError, type Bmf, type BmfMetric, getAdapter, isAdapterName } from './adapters/index.js';
import { ensureBenchmarks, ensureMeasure } from './ensure.js';
import { type Fold, foldIterations } from './fold.js';
import { branchSegments, loadHistory, type SeriesRequest } from './history.js';
import {
  type AlertRow,
  type BoundaryRow,
  insertAlerts,
  insertBoundaries,
  insertMetrics,
  type MetricRow,
  type ReportBenchmarkRow,
} from './insert-rows.js';
import { modelParams } from './threshold-store.js';
import { checkMetric, computeLimits, type ModelParams } from './thresholds/index.js';

/** Bencher's convention: such a benchmark is stored under the stripped name but never alerts. */
export const IGNORE_SUFFIX = '-bencher-ignore';

/**
 * A series' history is capped at this many points when its model sets no max sample size, so one
 * threshold cannot make processing read an unbounded history.
 */
export const DEFAULT_HISTORY_LIMIT = 1_000;

export interface ProcessedSummary {
  reportId: string;
  /** Distinct benchmarks in the results. */
  benchmarks: number;
  metrics: number;
  boundaries: number;
  alerts: number;
  alertIds: string[];
}

export interface ProcessResultsInput {
  reportId: string;
  /** One raw output per iteration. */
  results: string[];
  now: Date;
}

interface PendingMetric extends MetricRow {
  ignore: boolean;
}

/**
 * Output → metrics → boundaries → alerts, for one report. Runs in the caller's transaction
 * (`db` may be one), so a failure stores nothing. Called by `createRun` for local runs and by job
 * completion for remote ones.
 *
 * - Every iteration is parsed with the report's adapter; a parse failure throws PARSE_ERROR naming
 *   the iteration. With `fold` the iterations are folded into one set (iteration 0); without it
 *   each iteration is stored as its own report_benchmark iteration.
 * - Measures and benchmarks are created on first use (built-in measures with their units).
 * - For every metric whose measure has a threshold with a current model on the report's
 *   (branch, testbed): history → limits → a boundary row, and an ACTIVE alert when the value is
 *   outside a limit. When the model cannot give limits (history shorter than its min sample
 *   size, or too little data for its statistic) there is NO boundary row for that metric.
 *   Benchmarks named `…-bencher-ignore` get their boundary but never an alert.
 * - Sets the report's end time (unless the run already gave one).
 */
export async function processResults(db: Database, input: ProcessResultsInput): Promise<ProcessedSummary> {
  const report = await db
    .selectFrom('report')
    .selectAll()
    .where('id', '=', input.reportId)
    .forUpdate()
    .executeTakeFirst();
  if (!report) throw notFound('report');
  const already = await db
    .selectFrom('report_benchmark')
    .select('id')
    .where('report_id', '=', report.id)
    .limit(1)
    .executeTakeFirst();
  if (already) throw conflict('this report already has results; a report is processed once');
  if (input.results.length === 0)
    throw badInput('there are no results to process: give one output per iteration');
  if (!isAdapterName(report.adapter)) throw badInput(`unknown adapter "${report.adapter}"`, 'adapter');

  // 1. Parse every iteration.
  const adapter = getAdapter(report.adapter);
  // The report stores MEAN by default; only MEDIAN is passed explicitly so that harnesses that
  // report a single measurement (no mean) still parse under the default.
  const average = report.average === 'MEDIAN' ? 'MEDIAN' : undefined;
  const parsed: Bmf[] = input.results.map((output, i) => {
    try {
      return adapter.parse(output, { average });
    } catch (error) {
      // Adapters throw AdapterParseError; anything else escaping one is reported the same way.
      if (error instanceof AdapterParseError || error instanceof Error) {
        const which =
          input.results.length > 1 ? `iteration ${i + 1} of ${input.results.length}` : 'the output';
        throw new BenchlineError(
          'PARSE_ERROR',
          `could not parse ${which} with the ${report.adapter} adapter: ${error.message}`,
          { iteration: i, adapter: report.adapter },
        );
      }
      throw error;
    }
  });
  const iterations =
    report.fold && parsed.length > 1 ? [foldIterations(parsed, report.fold as Fold)] : parsed;

  // 2. Strip the ignore suffix; collect names.
  const sets = iterations.map((bmf) => {
    const entries: Array<{ name: string; ignore: boolean; measures: Record<string, BmfMetric> }> = [];
    const byName = new Map<string, (typeof entries)[number]>();
    for (const [raw, measures] of Object.entries(bmf)) {
      const ignore = raw.endsWith(IGNORE_SUFFIX) && raw.length > IGNORE_SUFFIX.length;
      const name = ignore ? raw.slice(0, -IGNORE_SUFFIX.length) : raw;
      const existing = byName.get(name);
      if (existing) {
        // "x" and "x-bencher-ignore" in one output: one benchmark, ignored if either says so.
        existing.ignore ||= ignore;
        Object.assign(existing.measures, measures);
      } else {
        const entry = { name, ignore, measures: { ...measures } };
        byName.set(name, entry);
        entries.push(entry);
      }
    }
    return entries;
  });
  const benchmarkNames = [...new Set(sets.flatMap((s) => s.map((e) => e.name)))];
  if (benchmarkNames.length === 0) {
    throw new BenchlineError(
      'PARSE_ERROR',
      `the ${report.adapter} adapter found no benchmarks in the output`,
    );
  }
  const measureSlugs = [...new Set(sets.flatMap((s) => s.flatMap((e) => Object.keys(e.measures))))];

  // 3. Measures (few) and benchmarks (many, batched) on first use.
  const measureIds = new Map<string, string>();
  for (const slug of measureSlugs)
    measureIds.set(slug, (await ensureMeasure(db, report.project_id, slug)).id);
  const benchmarkIds = await ensureBenchmarks(db, report.project_id, benchmarkNames);

  // 4. report_benchmark + metric rows, ids made here; they are inserted alongside the history query (6).
  const reportBenchmarks: ReportBenchmarkRow[] = [];
  const pending: PendingMetric[] = [];
  sets.forEach((entries, iteration) => {
    for (const entry of entries) {
      const benchmarkId = benchmarkIds.get(entry.name) as string;
      const reportBenchmarkId = randomUUID();
      reportBenchmarks.push({ id: reportBenchmarkId, iteration, benchmarkId });
      for (const [slug, metric] of Object.entries(entry.measures)) {
        pending.push({
          id: randomUUID(),
          reportBenchmarkId,
          benchmarkId,
          measureId: measureIds.get(slug) as string,
          iteration,
          metric,
          ignore: entry.ignore,
        });
      }
    }
  });

  // 5. Thresholds of this branch and testbed with a current model.
  const thresholds = await db
    .selectFrom('threshold')
    .innerJoin('model', 'model.id', 'threshold.model_id')
    .selectAll('model')
    .select(['threshold.id as thresholdId', 'threshold.measure_id'])
    .where('threshold.branch_id', '=', report.branch_id)
    .where('threshold.testbed_id', '=', report.testbed_id)
    .where('threshold.measure_id', 'in', [...measureIds.values()])
    .execute();
  const byMeasure = new Map(
    thresholds.map((t) => [
      t.measure_id,
      { thresholdId: t.thresholdId, modelId: t.id, params: modelParams(t) },
    ]),
  );
  const checked = pending.filter((m) => byMeasure.has(m.measureId));

  let boundaries = 0;
  const alertIds: string[] = [];
  let metricsInserted: Promise<void> | null = null;
  if (checked.length > 0) {
    // 6. Stored history of every checked series in one query; earlier iterations of this report are added here.
    // One history request per (benchmark, measure); `seriesOf[k]` is the request of `checked[k]`.
    const seriesIndex = new Map<string, number>();
    const seriesOf = new Array<number>(checked.length);
    const requests: SeriesRequest[] = [];
    checked.forEach((m, k) => {
      const key = `${m.benchmarkId}/${m.measureId}`;
      let index = seriesIndex.get(key);
      if (index === undefined) {
        const params = (byMeasure.get(m.measureId) as { params: ModelParams }).params;
        index = requests.length;
        seriesIndex.set(key, index);
        requests.push({
          benchmarkId: m.benchmarkId,
          measureId: m.measureId,
          limit: params.maxSampleSize ?? DEFAULT_HISTORY_LIMIT,
          windowSeconds: params.windowSeconds,
        });
      }
      seriesOf[k] = index;
    });
    // Static limits need no history.
    const needHistory = thresholds.some((t) => t.test !== 'STATIC');
    const segments = needHistory ? await branchSegments(db, report.branch_id, report.start_time) : [];
    // The history query is sent first and the inserts queued behind it (they do not depend on each
    // other: a report's own metrics are never its history), so the database inserts the rows while
    // node decodes the history and computes limits. Both are awaited before anything depends on them.
    const historyLoaded = needHistory
      ? loadHistory(
          db,
          {
            reportId: report.id,
            testbedId: report.testbed_id,
            specId: report.spec_id,
            startTime: report.start_time,
            segments,
          },
          requests,
        )
      : Promise.resolve(requests.map((): number[] => []));
    metricsInserted = insertMetrics(db, report, reportBenchmarks, pending);
    // Awaited below; this only keeps its failure from going unhandled if the history fails first.
    metricsInserted.catch(() => {});
    const stored = await historyLoaded;
    // Let the queued inserts reach the server before the synchronous limit computation.
    await new Promise<void>((resolve) => setImmediate(resolve));

    // Earlier iterations of this report, newest (highest iteration) first, per series; only kept
    // when there are several iterations (`checked` is in iteration order: sets are built in order).
    const ownValues: number[][] | null = sets.length > 1 ? requests.map(() => []) : null;
    const boundaryRows: BoundaryRow[] = [];
    const alertRows: AlertRow[] = [];
    for (let k = 0; k < checked.length; k++) {
      const m = checked[k];
      const series = seriesOf[k];
      const t = byMeasure.get(m.measureId) as { thresholdId: string; modelId: string; params: ModelParams };
      let history = stored[series];
      if (ownValues) {
        const own = ownValues[series];
        if (own.length > 0) history = [...own, ...history];
        own.unshift(m.metric.value);
      }
      const limits = computeLimits(t.params, history);
      if (!limits) continue;
      const boundaryId = randomUUID();
      boundaryRows.push({
        id: boundaryId,
        metricId: m.id,
        thresholdId: t.thresholdId,
        modelId: t.modelId,
        limits,
      });
      const side = m.ignore ? null : checkMetric(m.metric.value, limits);
      if (side) alertRows.push({ id: randomUUID(), boundaryId, side });
    }
    await metricsInserted;
    await insertBoundaries(db, boundaryRows);
    await insertAlerts(db, report.project_id, alertRows, input.now);
    boundaries = boundaryRows.length;
    alertIds.push(...alertRows.map((a) => a.id));
  }
  await (metricsInserted ?? insertMetrics(db, report, reportBenchmarks, pending));

  await db
    .updateTable('report')
    .set({ end_time: report.end_time ?? input.now, error: null })
    .where('id', '=', report.id)
    .execute();

  return {
    reportId: report.id,
    benchmarks: benchmarkNames.length,
    metrics: pending.length,
    boundaries,
    alerts: alertIds.length,
    alertIds,
  };
}
