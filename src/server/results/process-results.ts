import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { badInput, conflict, notFound } from '../errors.js';
import { ensureMissing } from './ensure.js';
import { branchSegments, loadHistory, type SeriesRequest } from './history.js';
import {
  type AlertRow,
  type BoundaryRow,
  insertBoundaries,
  insertResults,
  type MetricRow,
  type ReportBenchmarkRow,
} from './insert-rows.js';
import { lockReport, type ReportState } from './lock-report.js';
import type { OutputLimits } from './output-limits.js';
import { type ParsedOutputs, type ParseSettings, parseOutputs, sameSettings } from './parse-output.js';
import { type CurrentThreshold, currentThresholds } from './threshold-store.js';
import { checkMetric, computeLimits } from './thresholds/index.js';

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
  /**
   * The report's adapter, average and fold, when the caller has them at hand: the outputs are then
   * parsed first and the report is read in one statement with the measures and benchmarks they
   * name; without them (or when they differ from the report's) it takes one more.
   */
  parse?: ParseSettings;
  /** How much one report may hold (config.outputLimits); the defaults when not given. */
  limits?: OutputLimits;
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
 *   Benchmarks named with an ignore suffix (`…-bencher-ignore`, `…_bencher_ignore`, `…BencherIgnore`)
 *   get their boundary but never an alert.
 * - Sets the report's end time (unless the run already gave one).
 */
export async function processResults(db: Database, input: ProcessResultsInput): Promise<ProcessedSummary> {
  // 1. Parse, when the caller knows how, before the statement that needs the names; its errors
  //    wait until the report is known to exist and to be unprocessed, as they would when parsing after.
  let early: { parsed: ParsedOutputs } | { error: unknown } | null = null;
  if (input.parse) {
    try {
      early = { parsed: parseOutputs(input.parse, input.results, input.limits) };
    } catch (error) {
      early = { error };
    }
  }
  // 2. Lock the report and read what it needs: measures, benchmarks, thresholds.
  const names = early && 'parsed' in early ? early.parsed : null;
  let state = await lockReport(db, input.reportId, names?.measureSlugs ?? [], names?.benchmarkNames ?? []);
  if (!state) throw notFound('report');
  if (state.processed) throw conflict('this report already has results; a report is processed once');
  if (input.results.length === 0)
    throw badInput('there are no results to process: give one output per iteration');
  const { report } = state;
  let parsed: ParsedOutputs;
  if (early && input.parse && sameSettings(input.parse, report)) {
    if ('error' in early) throw early.error;
    parsed = early.parsed;
  } else {
    // Not told how to parse (or told wrong): parse now and read again with the names (the lock is held).
    parsed = parseOutputs(report, input.results, input.limits);
    state = (await lockReport(db, report.id, parsed.measureSlugs, parsed.benchmarkNames)) as ReportState;
  }
  const { sets, benchmarkNames, measureSlugs } = parsed;

  // 3. Measures (by slug or name) and benchmarks (by name) on first use.
  const { measureIds, benchmarkIds, foundLater } = await ensureMissing(
    db,
    report.project_id,
    measureSlugs,
    benchmarkNames,
    state,
  );

  // 4. report_benchmark + metric rows, ids made here; inserted alongside the history query (6).
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
  const endTime = report.end_time ?? input.now;

  // 5. Thresholds of this branch and testbed with a current model (read with the report, but for
  //    measures found only after their insert).
  const thresholds = [
    ...state.thresholds,
    ...(await currentThresholds(db, report.branch_id, report.testbed_id, foundLater)),
  ];
  const byMeasure = new Map(thresholds.map((t) => [t.measureId, t]));
  const checked = pending.filter((m) => byMeasure.has(m.measureId));

  let boundaries = 0;
  const alertIds: string[] = [];
  let inserted: Promise<void> | null = null;
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
        const params = (byMeasure.get(m.measureId) as CurrentThreshold).params;
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
    const needHistory = thresholds.some((t) => t.params.test !== 'STATIC');
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
    inserted = insertResults(db, report, reportBenchmarks, pending, endTime);
    // Awaited below; this only keeps its failure from going unhandled if the history fails first.
    inserted.catch(() => {});
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
      const t = byMeasure.get(m.measureId) as CurrentThreshold;
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
    await inserted;
    await insertBoundaries(db, report.project_id, boundaryRows, alertRows, input.now);
    boundaries = boundaryRows.length;
    alertIds.push(...alertRows.map((a) => a.id));
  }
  await (inserted ?? insertResults(db, report, reportBenchmarks, pending, endTime));

  return {
    reportId: report.id,
    benchmarks: benchmarkNames.length,
    metrics: pending.length,
    boundaries,
    alerts: alertIds.length,
    alertIds,
  };
}
