import { notFound } from '../../errors.js';
import {
  createResource,
  type ResourceTable,
  resourceExtraColumns,
  updateResource,
} from '../../projects/resources.js';
import { loadProject, loadProjectById } from '../access.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { SpecRef } from './spec.js';

type ResourceRow = Row<'branch'> | Row<'testbed'> | Row<'measure'> | Row<'benchmark'>;

// The fields all four share; `t` is loosely typed because one helper serves four row types.
function commonFields(t: any) {
  return {
    id: t.field({ type: 'UUID', resolve: (row: ResourceRow) => row.id }),
    name: t.string({ resolve: (row: ResourceRow) => row.name }),
    slug: t.string({ resolve: (row: ResourceRow) => row.slug }),
    projectId: t.field({ type: 'UUID', resolve: (row: ResourceRow) => row.project_id }),
    createdAt: t.field({ type: 'DateTime', resolve: (row: ResourceRow) => row.created_at }),
    archived: t.boolean({ resolve: (row: ResourceRow) => row.archived_at !== null }),
  };
}

/** `<plural>(project)`: the project's branches, testbeds, measures or benchmarks, paginated. */
function listField(table: ResourceTable, plural: string, ref: any) {
  builder.queryField(plural, (t) =>
    t.connection({
      type: ref,
      args: { project: t.arg.string({ required: true }), archived: t.arg.boolean() },
      resolve: async (_root, args, ctx) => {
        const project = await loadProject(ctx, args.project, 'READ');
        const query = ctx.db
          .selectFrom(table)
          .selectAll()
          .where('project_id', '=', project.id)
          .where('archived_at', args.archived ? 'is not' : 'is', null);
        return paginate(args, query as any, table, 'asc') as any;
      },
    }),
  );
}

export const BranchRef = builder.objectRef<Row<'branch'>>('Branch');
BranchRef.implement({
  fields: (t) => ({
    ...commonFields(t),
    startPoint: t.field({
      type: BranchRef,
      nullable: true,
      resolve: (b, _a, ctx) =>
        b.start_point_branch_id ? ctx.loaders.branch.load(b.start_point_branch_id) : null,
    }),
    startPointHash: t.exposeString('start_point_hash', { nullable: true }),
  }),
});

export const TestbedRef = builder.objectRef<Row<'testbed'>>('Testbed');
TestbedRef.implement({
  fields: (t) => ({
    ...commonFields(t),
    spec: t.field({
      type: SpecRef,
      nullable: true,
      resolve: (tb, _a, ctx) => (tb.spec_id ? ctx.loaders.spec.load(tb.spec_id) : null),
    }),
  }),
});

export const MeasureRef = builder.objectRef<Row<'measure'>>('Measure');
MeasureRef.implement({ fields: (t) => ({ ...commonFields(t), units: t.exposeString('units') }) });

export const BenchmarkRef = builder.objectRef<Row<'benchmark'>>('Benchmark');
BenchmarkRef.implement({ fields: (t) => commonFields(t) });

listField('branch', 'branches', BranchRef);
listField('testbed', 'testbeds', TestbedRef);
listField('measure', 'measures', MeasureRef);
listField('benchmark', 'benchmarks', BenchmarkRef);

const ResourceInput = builder.inputType('CreateResourceInput', {
  fields: (t) => ({
    project: t.string({ required: true }),
    name: t.string({ required: true }),
    slug: t.string(),
    units: t.string({ description: 'measures only' }),
    spec: t.string({ description: 'testbeds only: the spec slug its jobs run on' }),
    startPoint: t.string({ description: 'branches only: the branch it starts from' }),
    startPointHash: t.string({ description: 'branches only: the start point git hash' }),
  }),
});

const ResourcePatch = builder.inputType('UpdateResourceInput', {
  fields: (t) => ({
    name: t.string(),
    slug: t.string(),
    archived: t.boolean(),
    units: t.string(),
    spec: t.string(),
  }),
});

const TYPES: Record<ResourceTable, any> = {
  branch: BranchRef,
  testbed: TestbedRef,
  measure: MeasureRef,
  benchmark: BenchmarkRef,
};

for (const table of Object.keys(TYPES) as ResourceTable[]) {
  const typeName = table[0].toUpperCase() + table.slice(1);
  builder.mutationField(`create${typeName}`, (t) =>
    t.field({
      type: TYPES[table],
      args: { input: t.arg({ type: ResourceInput, required: true }) },
      resolve: async (_root, { input }, ctx) => {
        const project = await loadProject(ctx, input.project, 'WRITE');
        const extra = await resourceExtraColumns(ctx.db, table, project.id, input, {
          creating: true,
          now: ctx.clock.now(),
        });
        return createResource(ctx.db, table, project.id, {
          name: input.name,
          slug: input.slug,
          extra,
        }) as any;
      },
    }),
  );
  builder.mutationField(`update${typeName}`, (t) =>
    t.field({
      type: TYPES[table],
      args: {
        id: t.arg({ type: 'UUID', required: true }),
        input: t.arg({ type: ResourcePatch, required: true }),
      },
      resolve: async (_root, { id, input }, ctx) => {
        const row = (await (ctx.loaders[table] as any).load(id)) as ResourceRow | null;
        if (!row) throw notFound(table);
        await loadProjectById(ctx, row.project_id, 'WRITE', () => notFound(table));
        const extra = await resourceExtraColumns(ctx.db, table, row.project_id, input, {
          creating: false,
          now: ctx.clock.now(),
        });
        return updateResource(ctx.db, table, id, { ...input, extra }, ctx.clock.now()) as any;
      },
    }),
  );
}
