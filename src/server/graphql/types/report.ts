import { notFound } from '../../errors.js';
import { findResource } from '../../projects/resources.js';
import { DEFAULT_OUTPUT_LIMITS } from '../../results/output-limits.js';
import { changePercent, type ResultRow } from '../../results/queries.js';
import { RESULT_PAGE_DEFAULT, RESULT_PAGE_MAX, type ResultPage } from '../../results/result-page.js';
import { loadProject, loadProjectById } from '../access.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { loadRow, REPORT_ALERTS_MAX, type Row } from '../loaders.js';
import { nextTurn } from '../loop-turns.js';
import { paginate } from '../pagination.js';
import { AlertRef } from './alert.js';
import { JobRef } from './job.js';
import { ProjectRef } from './project.js';
import { BenchmarkRef, BranchRef, MeasureRef, TestbedRef } from './resources.js';
import { SpecRef } from './spec.js';

export const AverageEnum = builder.enumType('Average', {
  description: 'Which central value a harness reports when it gives several',
  values: ['MEAN', 'MEDIAN'] as const,
});
export const FoldEnum = builder.enumType('Fold', {
  description: 'How several iterations of a run are combined into one result',
  values: ['MIN', 'MAX', 'MEAN', 'MEDIAN'] as const,
});

/**
 * A page of the results tree is read in two queries (loaders.resultPage) and grouped in memory.
 * Its cost counts what it can hold: `first` benchmarks (the page), each of at most the configured
 * measures per benchmark (16 by default); a report's iterations are few (one when folded).
 */
const ONE_PER_PARENT = { field: 1, multiplier: 1 };
const MEASURES_PER_BENCHMARK = { field: 1, multiplier: DEFAULT_OUTPUT_LIMITS.measuresPerBenchmark };
const pageComplexity = (args: { first?: number | null }) => ({
  field: 2,
  multiplier: Math.max(1, args.first ?? RESULT_PAGE_DEFAULT),
});
const pageKey = (reportId: string, args: { first?: number | null; after?: string | null }) =>
  `${reportId} ${args.first ?? RESULT_PAGE_DEFAULT} ${args.after ?? ''}`;

export const ReportRef = builder.objectRef<Row<'report'>>('Report');

const ReportSettingsRef = builder.objectRef<Row<'report'>>('ReportSettings').implement({
  fields: (t) => ({
    average: t.field({ type: AverageEnum, resolve: (r) => r.average as 'MEAN' }),
    fold: t.field({ type: FoldEnum, nullable: true, resolve: (r) => r.fold as 'MIN' | null }),
    iterations: t.exposeInt('iterations'),
  }),
});

const ReportMetricRef = builder.objectRef<ResultRow>('ReportMetric').implement({
  description: 'One metric of a report with its boundary (when a threshold checked it) and its alert',
  fields: (t) => ({
    id: t.field({ type: 'UUID', resolve: (r) => r.metric_id }),
    measure: t.field({
      type: MeasureRef,
      resolve: (r, _a, ctx) => loadRow(ctx.loaders.measure, r.measure_id),
    }),
    value: t.exposeFloat('value'),
    lowerValue: t.exposeFloat('lower_value', { nullable: true }),
    upperValue: t.exposeFloat('upper_value', { nullable: true }),
    baseline: t.exposeFloat('baseline', { nullable: true }),
    lowerLimit: t.exposeFloat('lower_limit', { nullable: true }),
    upperLimit: t.exposeFloat('upper_limit', { nullable: true }),
    change: t.float({
      nullable: true,
      description: 'Change of the value against the baseline, in percent',
      resolve: (r) => changePercent(r.value, r.baseline),
    }),
    alert: t.field({ type: AlertRef, nullable: true, resolve: (r) => r.alert }),
  }),
});

interface BenchmarkResult {
  benchmarkId: string;
  metrics: ResultRow[];
}

const ReportBenchmarkRef = builder.objectRef<BenchmarkResult>('ReportBenchmarkResult').implement({
  fields: (t) => ({
    benchmark: t.field({
      type: BenchmarkRef,
      resolve: (r, _a, ctx) => loadRow(ctx.loaders.benchmark, r.benchmarkId),
    }),
    measures: t.field({
      type: [ReportMetricRef],
      complexity: MEASURES_PER_BENCHMARK,
      // A page is completed a few benchmarks per turn of the event loop (loop-turns.ts).
      resolve: async (r, _a, ctx) => {
        await nextTurn(ctx);
        return r.metrics;
      },
    }),
  }),
});

interface IterationResult {
  iteration: number;
  benchmarks: BenchmarkResult[];
}

const ReportIterationRef = builder.objectRef<IterationResult>('ReportIteration').implement({
  fields: (t) => ({
    iteration: t.exposeInt('iteration'),
    benchmarks: t.field({
      type: [ReportBenchmarkRef],
      // Already counted by the page: `first` benchmarks across the iterations.
      complexity: ONE_PER_PARENT,
      resolve: (r) => r.benchmarks,
    }),
  }),
});

/** Groups a report's metrics (already ordered by iteration, benchmark, measure) into the results tree. */
function groupResults(rows: ResultRow[]): IterationResult[] {
  const out: IterationResult[] = [];
  for (const row of rows) {
    let it = out[out.length - 1];
    if (!it || it.iteration !== row.iteration) {
      it = { iteration: row.iteration, benchmarks: [] };
      out.push(it);
    }
    let bench = it.benchmarks[it.benchmarks.length - 1];
    if (!bench || bench.benchmarkId !== row.benchmark_id) {
      bench = { benchmarkId: row.benchmark_id, metrics: [] };
      it.benchmarks.push(bench);
    }
    bench.metrics.push(row);
  }
  return out;
}

const ReportResultPageRef = builder.objectRef<ResultPage>('ReportResultPage').implement({
  fields: (t) => ({
    iterations: t.field({
      type: [ReportIterationRef],
      complexity: ONE_PER_PARENT,
      resolve: (page) => groupResults(page.rows),
    }),
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', {
      nullable: true,
      description: 'Pass as `after` for the next page',
    }),
  }),
});

const FIRST_DESCRIPTION = `Benchmarks in the page (default ${RESULT_PAGE_DEFAULT}, at most ${RESULT_PAGE_MAX})`;

ReportRef.implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    project: t.field({
      type: ProjectRef,
      resolve: (r, _a, ctx) => loadRow(ctx.loaders.project, r.project_id),
    }),
    branch: t.field({ type: BranchRef, resolve: (r, _a, ctx) => loadRow(ctx.loaders.branch, r.branch_id) }),
    testbed: t.field({
      type: TestbedRef,
      resolve: (r, _a, ctx) => loadRow(ctx.loaders.testbed, r.testbed_id),
    }),
    spec: t.field({
      type: SpecRef,
      nullable: true,
      resolve: (r, _a, ctx) => (r.spec_id ? ctx.loaders.spec.load(r.spec_id) : null),
    }),
    hash: t.exposeString('git_hash', { nullable: true, description: 'git commit hash' }),
    gitHash: t.exposeString('git_hash', { nullable: true, deprecationReason: 'use hash' }),
    adapter: t.exposeString('adapter'),
    settings: t.field({ type: ReportSettingsRef, resolve: (r) => r }),
    startTime: t.expose('start_time', { type: 'DateTime' }),
    endTime: t.expose('end_time', { type: 'DateTime', nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    job: t.field({
      type: JobRef,
      nullable: true,
      description: 'The job of a run on a runner; none for a local run',
      resolve: (r, _a, ctx) => ctx.loaders.jobByReport.load(r.id),
    }),
    confirmation: t.field({
      type: JobRef,
      nullable: true,
      description: 'The job re-running this report’s alerts against their baseline images, once queued',
      resolve: (r, _a, ctx) => ctx.loaders.confirmationByReport.load(r.id),
    }),
    imageDigest: t.exposeString('image_digest', {
      nullable: true,
      description: 'the image a remote run ran',
    }),
    confirmRounds: t.exposeInt('confirm_rounds', {
      nullable: true,
      description: 'Rounds asked for by the run (null: the project’s setting)',
    }),
    results: t.field({
      type: [ReportIterationRef],
      complexity: pageComplexity,
      description: `Iteration → benchmark → measure for a page of benchmarks in name order (the first ${RESULT_PAGE_DEFAULT} unless \`first\` says, at most ${RESULT_PAGE_MAX}; resultPage tells whether more follow); empty until the report is processed`,
      args: {
        first: t.arg.int({ description: FIRST_DESCRIPTION }),
        after: t.arg.string({ description: 'The endCursor of the previous page' }),
      },
      resolve: async (r, args, ctx) =>
        groupResults((await ctx.loaders.resultPage.load(pageKey(r.id, args))).rows),
    }),
    resultPage: t.field({
      type: ReportResultPageRef,
      complexity: pageComplexity,
      description: 'A page of the results with its cursor: `first` benchmarks in name order after `after`',
      args: {
        first: t.arg.int({ description: FIRST_DESCRIPTION }),
        after: t.arg.string({ description: 'The endCursor of the previous page' }),
      },
      resolve: (r, args, ctx) => ctx.loaders.resultPage.load(pageKey(r.id, args)),
    }),
    alerts: t.field({
      type: [AlertRef],
      description: `This report's alerts, oldest first (at most ${REPORT_ALERTS_MAX})`,
      resolve: (r, _a, ctx) => ctx.loaders.reportAlerts.load(r.id),
    }),
  }),
});

/** A report the caller may read, or NOT_FOUND (private projects do not leak). */
export async function loadReport(ctx: Context, id: string): Promise<Row<'report'>> {
  const report = await ctx.loaders.report.load(id);
  if (!report) throw notFound('report');
  await loadProjectById(ctx, report.project_id, 'READ', () => notFound('report'));
  return report;
}

builder.queryFields((t) => ({
  report: t.field({
    type: ReportRef,
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => loadReport(ctx, args.id),
  }),
  reports: t.connection({
    type: ReportRef,
    description: "A project's reports, newest first",
    args: {
      project: t.arg.string({ required: true }),
      branch: t.arg.string({ description: 'name or slug' }),
      testbed: t.arg.string({ description: 'name or slug' }),
    },
    resolve: async (_root, args, ctx) => {
      const project = await loadProject(ctx, args.project, 'READ');
      let query = ctx.db.selectFrom('report').selectAll('report').where('report.project_id', '=', project.id);
      for (const table of ['branch', 'testbed'] as const) {
        const name = args[table];
        if (name == null) continue;
        const row = await findResource(ctx.db, table, project.id, name);
        if (!row) throw notFound(`${table} "${name}"`);
        query = query.where(`report.${table}_id`, '=', row.id);
      }
      return paginate(args, query, 'report', 'desc');
    },
  }),
}));
