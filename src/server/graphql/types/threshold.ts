import { notFound } from '../../errors.js';
import { findResource } from '../../projects/resources.js';
import { ensureMeasure } from '../../results/ensure.js';
import { createThreshold, deleteThreshold, replaceModel } from '../../results/threshold-store.js';
import { MODEL_TESTS, type ModelTest, validateModel } from '../../results/thresholds/index.js';
import { loadProject, loadProjectById } from '../access.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { loadRow, type Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { ProjectRef } from './project.js';
import { BranchRef, MeasureRef, TestbedRef } from './resources.js';

export const ModelTestEnum = builder.enumType('ModelTest', {
  description: 'The statistical test of a threshold model',
  values: MODEL_TESTS as ModelTest[],
});

export const ModelRef = builder.objectRef<Row<'model'>>('Model').implement({
  description: 'A threshold model. Models are never edited: a change makes a new one and replaces the old.',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    test: t.field({ type: ModelTestEnum, resolve: (m) => m.test as ModelTest }),
    minSampleSize: t.exposeInt('min_sample_size', { nullable: true }),
    maxSampleSize: t.exposeInt('max_sample_size', { nullable: true }),
    window: t.exposeInt('window_seconds', { nullable: true, description: 'seconds' }),
    lowerBoundary: t.exposeFloat('lower_boundary', { nullable: true }),
    upperBoundary: t.exposeFloat('upper_boundary', { nullable: true }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    replacedAt: t.expose('replaced_at', { type: 'DateTime', nullable: true }),
  }),
});

export const ThresholdRef = builder.objectRef<Row<'threshold'>>('Threshold').implement({
  description: 'Checks the metrics of one branch, testbed and measure against their history',
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
    measure: t.field({
      type: MeasureRef,
      resolve: (r, _a, ctx) => loadRow(ctx.loaders.measure, r.measure_id),
    }),
    model: t.field({
      type: ModelRef,
      nullable: true,
      description: 'The current model; none when the threshold was reset',
      resolve: (r, _a, ctx) => (r.model_id ? ctx.loaders.model.load(r.model_id) : null),
    }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

/** The model fields, shared by createRun's thresholds and the threshold mutations. */
export const ModelInput = builder.inputType('ModelInput', {
  fields: (t) => ({
    test: t.field({ type: ModelTestEnum, required: true }),
    minSampleSize: t.int(),
    maxSampleSize: t.int(),
    window: t.int({ description: 'seconds' }),
    lowerBoundary: t.float(),
    upperBoundary: t.float(),
  }),
});

/** Bencher's `--threshold-measure/-test/-min-sample-size/…` for one measure. */
export const ThresholdInput = builder.inputType('ThresholdInput', {
  fields: (t) => ({
    measure: t.string({
      required: true,
      description: 'measure slug or name (built-ins are created on demand)',
    }),
    test: t.field({ type: ModelTestEnum, required: true }),
    minSampleSize: t.int(),
    maxSampleSize: t.int(),
    window: t.int({ description: 'seconds' }),
    lowerBoundary: t.float(),
    upperBoundary: t.float(),
  }),
});

const CreateThresholdInput = builder.inputType('CreateThresholdInput', {
  fields: (t) => ({
    project: t.string({ required: true }),
    branch: t.string({ required: true }),
    testbed: t.string({ required: true }),
    measure: t.string({ required: true }),
    model: t.field({ type: ModelInput, required: true }),
  }),
});

type ModelArgs = {
  test: string;
  minSampleSize?: number | null;
  maxSampleSize?: number | null;
  window?: number | null;
  lowerBoundary?: number | null;
  upperBoundary?: number | null;
};

const params = (m: ModelArgs) => validateModel({ ...m, windowSeconds: m.window });

async function loadThreshold(ctx: Context, id: string) {
  const threshold = await ctx.loaders.threshold.load(id);
  if (!threshold) throw notFound('threshold');
  await loadProjectById(ctx, threshold.project_id, 'WRITE', () => notFound('threshold'));
  return threshold;
}

builder.queryFields((t) => ({
  thresholds: t.connection({
    type: ThresholdRef,
    args: { project: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const project = await loadProject(ctx, args.project, 'READ');
      const query = ctx.db.selectFrom('threshold').selectAll().where('project_id', '=', project.id);
      return paginate(args, query, 'threshold', 'asc');
    },
  }),
}));

builder.mutationFields((t) => ({
  createThreshold: t.field({
    type: ThresholdRef,
    args: { input: t.arg({ type: CreateThresholdInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const model = params(input.model);
      const project = await loadProject(ctx, input.project, 'WRITE');
      return ctx.db.transaction().execute(async (trx) => {
        const branch = await findResource(trx, 'branch', project.id, input.branch);
        if (!branch) throw notFound(`branch "${input.branch}"`);
        const testbed = await findResource(trx, 'testbed', project.id, input.testbed);
        if (!testbed) throw notFound(`testbed "${input.testbed}"`);
        const measure = await ensureMeasure(trx, project.id, input.measure);
        return createThreshold(
          trx,
          { projectId: project.id, branchId: branch.id, testbedId: testbed.id, measureId: measure.id },
          model,
          ctx.clock.now(),
        );
      });
    },
  }),
  updateThreshold: t.field({
    type: ThresholdRef,
    description: 'Gives the threshold a new model (the old one is kept for the boundaries computed with it)',
    args: { id: t.arg({ type: 'UUID', required: true }), model: t.arg({ type: ModelInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const model = params(args.model);
      const threshold = await loadThreshold(ctx, args.id);
      return ctx.db.transaction().execute((trx) => replaceModel(trx, threshold, model, ctx.clock.now()));
    },
  }),
  deleteThreshold: t.field({
    type: 'UUID',
    description: 'Deletes a threshold with its models, boundaries and alerts; returns its id',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, ctx) => {
      const threshold = await loadThreshold(ctx, args.id);
      await deleteThreshold(ctx.db, threshold.id);
      return threshold.id;
    },
  }),
}));
