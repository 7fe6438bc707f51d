import { createSpec, updateSpec } from '../../specs/specs.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';

export const SpecRef = builder.objectRef<Row<'spec'>>('Spec');

SpecRef.implement({
  description: 'A server-wide hardware spec that jobs ask for and runners serve',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    os: t.exposeString('os'),
    architecture: t.exposeString('architecture'),
    cpu: t.exposeInt('cpu'),
    memory: t.float({ description: 'bytes', resolve: (s) => Number(s.memory) }),
    disk: t.float({ description: 'bytes', resolve: (s) => Number(s.disk) }),
    processes: t.exposeInt('processes', { description: 'processes and threads a job may have at once' }),
    network: t.exposeBoolean('network'),
    isDefault: t.boolean({ resolve: (s) => s.is_default !== null }),
    archived: t.boolean({ resolve: (s) => s.archived_at !== null }),
  }),
});

builder.queryFields((t) => ({
  specs: t.connection({
    type: SpecRef,
    resolve: (_root, args, ctx) =>
      paginate(args, ctx.db.selectFrom('spec').selectAll().where('archived_at', 'is', null), 'spec', 'asc'),
  }),
}));

const SpecInput = builder.inputType('CreateSpecInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string(),
    os: t.string(),
    architecture: t.string(),
    cpu: t.int({ required: true }),
    memory: t.float({ required: true, description: 'bytes' }),
    disk: t.float({ required: true, description: 'bytes' }),
    processes: t.int({ description: 'processes and threads a job may have at once (default 512)' }),
    network: t.boolean(),
    isDefault: t.boolean(),
  }),
});

const SpecPatch = builder.inputType('UpdateSpecInput', {
  fields: (t) => ({
    name: t.string(),
    slug: t.string(),
    os: t.string(),
    architecture: t.string(),
    cpu: t.int(),
    memory: t.float(),
    disk: t.float(),
    processes: t.int(),
    network: t.boolean(),
    isDefault: t.boolean({ description: 'true moves the default here from any other spec' }),
    archived: t.boolean(),
  }),
});

builder.mutationFields((t) => ({
  createSpec: t.field({
    type: SpecRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: SpecInput, required: true }) },
    resolve: (_root, { input }, ctx) => createSpec(ctx.db, input, ctx.clock.now()),
  }),
  updateSpec: t.field({
    type: SpecRef,
    authScopes: { admin: true },
    args: { slug: t.arg.string({ required: true }), input: t.arg({ type: SpecPatch, required: true }) },
    resolve: (_root, args, ctx) => updateSpec(ctx.db, args.slug, args.input, ctx.clock.now()),
  }),
}));
