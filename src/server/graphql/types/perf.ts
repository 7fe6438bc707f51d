import { type PerfPoint, type PerfSeries, perfSeries } from '../../results/perf.js';
import { loadProject } from '../access.js';
import { builder } from '../builder.js';
import { loadRow } from '../loaders.js';
import { AlertRef } from './alert.js';
import { BenchmarkRef, BranchRef, MeasureRef, TestbedRef } from './resources.js';

const PerfPointRef = builder.objectRef<PerfPoint>('PerfPoint').implement({
  fields: (t) => ({
    metricId: t.expose('metricId', { type: 'UUID' }),
    time: t.expose('time', { type: 'DateTime' }),
    reportId: t.expose('reportId', { type: 'UUID' }),
    iteration: t.exposeInt('iteration'),
    hash: t.exposeString('hash', { nullable: true }),
    value: t.exposeFloat('value'),
    lowerValue: t.exposeFloat('lowerValue', { nullable: true }),
    upperValue: t.exposeFloat('upperValue', { nullable: true }),
    baseline: t.exposeFloat('baseline', { nullable: true }),
    lowerLimit: t.exposeFloat('lowerLimit', { nullable: true }),
    upperLimit: t.exposeFloat('upperLimit', { nullable: true }),
    alert: t.field({ type: AlertRef, nullable: true, resolve: (p) => p.alert }),
  }),
});

const PerfSeriesRef = builder.objectRef<PerfSeries>('PerfSeries').implement({
  description: "One series' metrics, oldest first, with the boundary each was checked against",
  fields: (t) => ({
    branch: t.field({ type: BranchRef, resolve: (s, _a, ctx) => loadRow(ctx.loaders.branch, s.branchId) }),
    testbed: t.field({
      type: TestbedRef,
      resolve: (s, _a, ctx) => loadRow(ctx.loaders.testbed, s.testbedId),
    }),
    benchmark: t.field({
      type: BenchmarkRef,
      resolve: (s, _a, ctx) => loadRow(ctx.loaders.benchmark, s.benchmarkId),
    }),
    measure: t.field({
      type: MeasureRef,
      resolve: (s, _a, ctx) => loadRow(ctx.loaders.measure, s.measureId),
    }),
    total: t.exposeInt('total', {
      description:
        'Points stored in the range (with last: at most that many); more than the points sent when the series was downsampled',
    }),
    // One query serves every series and point (perf.ts), so the list is cheap to resolve.
    points: t.field({
      type: [PerfPointRef],
      complexity: { field: 1, multiplier: 2 },
      resolve: (s) => s.points,
    }),
  }),
});

builder.queryFields((t) => ({
  perf: t.field({
    type: [PerfSeriesRef],
    description:
      'Metric history with boundaries and alerts, for plots: one series per branch, testbed, benchmark, measure',
    args: {
      project: t.arg.string({ required: true }),
      benchmarks: t.arg.stringList({ required: true, description: 'names, slugs or ids' }),
      measures: t.arg.stringList({ description: 'default: all' }),
      branches: t.arg.stringList({ description: 'default: all' }),
      testbeds: t.arg.stringList({ description: 'default: all' }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      last: t.arg.int({ description: "only each series' newest N points (a sparkline's width)" }),
      resolution: t.arg.int({
        description:
          "the plot's width in pixel columns: a series with more than 2 × resolution points comes downsampled to each column's lowest and highest point, its first and last point and every alert",
      }),
    },
    resolve: async (_root, args, ctx) => {
      const project = await loadProject(ctx, args.project, 'READ');
      return perfSeries(ctx.db, { ...args, projectId: project.id });
    },
  }),
}));
