import { notFound } from '../../errors.js';
import { type AlertView, alertViews, updateAlertStatus } from '../../results/queries.js';
import { loadProject, loadProjectById } from '../access.js';
import { builder } from '../builder.js';
import { loadRow } from '../loaders.js';
import { paginate } from '../pagination.js';
import { ReportRef } from './report.js';
import { BenchmarkRef, BranchRef, MeasureRef, TestbedRef } from './resources.js';

export const AlertStatusEnum = builder.enumType('AlertStatus', {
  values: ['ACTIVE', 'DISMISSED', 'SILENCED'] as const,
});
export const AlertSideEnum = builder.enumType('AlertSide', {
  description: 'Which limit the metric crossed',
  values: ['LOWER', 'UPPER'] as const,
});

export const AlertRef = builder.objectRef<AlertView>('Alert');

AlertRef.implement({
  description: 'A metric outside a limit of its threshold',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    status: t.field({ type: AlertStatusEnum, resolve: (a) => a.status as 'ACTIVE' }),
    side: t.field({ type: AlertSideEnum, resolve: (a) => a.side as 'LOWER' }),
    benchmark: t.field({
      type: BenchmarkRef,
      resolve: (a, _x, ctx) => loadRow(ctx.loaders.benchmark, a.benchmark_id),
    }),
    measure: t.field({
      type: MeasureRef,
      resolve: (a, _x, ctx) => loadRow(ctx.loaders.measure, a.measure_id),
    }),
    branch: t.field({ type: BranchRef, resolve: (a, _x, ctx) => loadRow(ctx.loaders.branch, a.branch_id) }),
    testbed: t.field({
      type: TestbedRef,
      resolve: (a, _x, ctx) => loadRow(ctx.loaders.testbed, a.testbed_id),
    }),
    report: t.field({ type: ReportRef, resolve: (a, _x, ctx) => loadRow(ctx.loaders.report, a.report_id) }),
    iteration: t.exposeInt('iteration'),
    metricId: t.expose('metric_id', { type: 'UUID' }),
    value: t.exposeFloat('value', { description: "The metric's value" }),
    limit: t.float({
      nullable: true,
      description: 'The limit it crossed',
      resolve: (a) => (a.side === 'LOWER' ? a.lower_limit : a.upper_limit),
    }),
    baseline: t.exposeFloat('baseline', { nullable: true }),
    lowerLimit: t.exposeFloat('lower_limit', { nullable: true }),
    upperLimit: t.exposeFloat('upper_limit', { nullable: true }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  alert: t.field({
    type: AlertRef,
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, ctx) => {
      const alert = await ctx.loaders.alert.load(args.id);
      if (!alert) throw notFound('alert');
      await loadProjectById(ctx, alert.project_id, 'READ', () => notFound('alert'));
      return alert;
    },
  }),
  alerts: t.connection({
    type: AlertRef,
    description: "A project's alerts, newest first",
    args: { project: t.arg.string({ required: true }), status: t.arg({ type: AlertStatusEnum }) },
    resolve: async (_root, args, ctx) => {
      const project = await loadProject(ctx, args.project, 'READ');
      let query = alertViews(ctx.db).where('alert.project_id', '=', project.id);
      if (args.status) query = query.where('alert.status', '=', args.status);
      return paginate(args, query, 'alert', 'desc');
    },
  }),
}));

builder.mutationFields((t) => ({
  updateAlert: t.field({
    type: AlertRef,
    description: 'Dismiss or silence an alert, or make it active again (project members)',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      status: t.arg({ type: AlertStatusEnum, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const alert = await ctx.loaders.alert.load(args.id);
      if (!alert) throw notFound('alert');
      await loadProjectById(ctx, alert.project_id, 'WRITE', () => notFound('alert'));
      return updateAlertStatus(ctx.db, alert.id, args.status, ctx.clock.now());
    },
  }),
}));
