import { type Evidence, isActiveAlert, VERDICTS } from '../../confirmation/verdicts.js';
import { notFound } from '../../errors.js';
import { type AlertView, alertViews, updateAlertStatus } from '../../results/queries.js';
import { loadProject, loadProjectById } from '../access.js';
import { builder } from '../builder.js';
import { loadRow } from '../loaders.js';
import { paginate } from '../pagination.js';
import { JobRef } from './job.js';
import { ReportRef } from './report.js';
import { BenchmarkRef, BranchRef, MeasureRef, TestbedRef } from './resources.js';

export const AlertStatusEnum = builder.enumType('AlertStatus', {
  values: ['ACTIVE', 'DISMISSED', 'SILENCED'] as const,
});
export const AlertSideEnum = builder.enumType('AlertSide', {
  description: 'Which limit the metric crossed',
  values: ['LOWER', 'UPPER'] as const,
});

export const AlertVerdictEnum = builder.enumType('AlertVerdict', {
  description:
    'What re-running the head and baseline images found: SUSPECTED (queued), CONFIRMING (running), CONFIRMED, ' +
    'CLEARED (noise), UNCONFIRMABLE (no baseline image to compare with, or confirmation off), CONFIRMATION_FAILED',
  values: VERDICTS,
});

const ConfirmationTestEnum = builder.enumType('ConfirmationTest', {
  values: ['WILCOXON', 'MANN_WHITNEY'] as const,
});

const EvidenceRef = builder.objectRef<Evidence>('AlertEvidence').implement({
  description: "An alert's confirmation: the test, its p-values, the estimated change and both arms' values",
  fields: (t) => ({
    test: t.field({
      type: ConfirmationTestEnum,
      description:
        'WILCOXON: signed-rank on the rounds’ head/base log-ratios (≥ 8 rounds); else MANN_WHITNEY',
      resolve: (e) => e.test,
    }),
    pValue: t.exposeFloat('pValue', {
      nullable: true,
      description: 'one-sided, exact, in the alert’s direction',
    }),
    adjustedPValue: t.exposeFloat('adjustedPValue', {
      nullable: true,
      description: 'Holm–Bonferroni over the report’s confirmed alerts',
    }),
    changePercent: t.exposeFloat('changePercent', {
      nullable: true,
      description: 'Hodges–Lehmann estimate of head against base, in percent',
    }),
    lowerPercent: t.exposeFloat('lowerPercent', { nullable: true, description: 'the change’s interval' }),
    upperPercent: t.exposeFloat('upperPercent', { nullable: true }),
    alpha: t.exposeFloat('alpha'),
    minEffectPercent: t.exposeFloat('minEffectPercent'),
    rounds: t.exposeInt('rounds'),
    head: t.field({
      type: ['Float'],
      nullable: { list: false, items: true },
      description: "the head image's value per round (null: missing from that round's output)",
      resolve: (e) => e.head,
    }),
    base: t.field({
      type: ['Float'],
      nullable: { list: false, items: true },
      description: "the baseline image's value per round",
      resolve: (e) => e.base,
    }),
    baseDigest: t.exposeString('baseDigest'),
  }),
});

export const AlertRef = builder.objectRef<AlertView>('Alert');

AlertRef.implement({
  description: 'A metric outside a limit of its threshold',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    status: t.field({ type: AlertStatusEnum, resolve: (a) => a.status as 'ACTIVE' }),
    verdict: t.field({ type: AlertVerdictEnum, resolve: (a) => a.verdict as 'SUSPECTED' }),
    active: t.boolean({
      description: 'ACTIVE and not CLEARED by its confirmation: what gates and counts look at',
      resolve: (a) => isActiveAlert(a),
    }),
    evidence: t.field({
      type: EvidenceRef,
      nullable: true,
      description:
        'Once its confirmation decided (CONFIRMED, CLEARED, or UNCONFIRMABLE by too few usable rounds)',
      resolve: (a) => (a.evidence as Evidence | null) ?? null,
    }),
    baselineDigest: t.exposeString('baseline_digest', {
      nullable: true,
      description: 'The baseline image the alert is confirmed against',
    }),
    baselineReport: t.field({
      type: ReportRef,
      nullable: true,
      description: 'The report that ran the baseline image',
      resolve: (a, _x, ctx) => (a.baseline_report_id ? ctx.loaders.report.load(a.baseline_report_id) : null),
    }),
    confirmationJob: t.field({
      type: JobRef,
      nullable: true,
      resolve: (a, _x, ctx) => (a.confirmation_job_id ? ctx.loaders.job.load(a.confirmation_job_id) : null),
    }),
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
    args: {
      project: t.arg.string({ required: true }),
      status: t.arg({
        type: AlertStatusEnum,
        description: 'ACTIVE leaves out alerts a confirmation CLEARED',
      }),
      verdict: t.arg({ type: AlertVerdictEnum }),
    },
    resolve: async (_root, args, ctx) => {
      const project = await loadProject(ctx, args.project, 'READ');
      let query = alertViews(ctx.db).where('alert.project_id', '=', project.id);
      if (args.status) query = query.where('alert.status', '=', args.status);
      // A cleared alert was noise: it stays readable, but it is not an active one.
      if (args.status === 'ACTIVE') query = query.where('alert.verdict', '<>', 'CLEARED');
      if (args.verdict) query = query.where('alert.verdict', '=', args.verdict);
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
