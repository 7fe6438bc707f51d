import { createRunner, rotateRunnerKey, updateRunner } from '../../runners/runners.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { SpecRef } from './spec.js';

export const RunnerRef = builder.objectRef<Row<'runner'>>('Runner');

RunnerRef.implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    archived: t.boolean({ resolve: (r) => r.archived_at !== null }),
    lastSeenAt: t.expose('last_seen_at', { type: 'DateTime', nullable: true }),
    specs: t.field({ type: [SpecRef], resolve: (r, _args, ctx) => ctx.loaders.runnerSpecs.load(r.id) }),
  }),
});

const RunnerWithKey = builder.objectRef<{ runner: Row<'runner'>; key: string }>('RunnerWithKey').implement({
  description: 'A runner with its key. The key is shown this once and stored only as a hash.',
  fields: (t) => ({
    runner: t.field({ type: RunnerRef, resolve: (r) => r.runner }),
    key: t.exposeString('key'),
  }),
});

builder.queryFields((t) => ({
  runners: t.connection({
    type: RunnerRef,
    authScopes: { admin: true },
    resolve: (_root, args, ctx) => paginate(args, ctx.db.selectFrom('runner').selectAll(), 'runner', 'asc'),
  }),
}));

builder.mutationFields((t) => ({
  createRunner: t.field({
    type: RunnerWithKey,
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true }),
      slug: t.arg.string(),
      specs: t.arg.stringList({ required: true, description: 'slugs of the specs it serves' }),
    },
    resolve: (_root, args, ctx) => createRunner(ctx.db, args),
  }),
  updateRunner: t.field({
    type: RunnerRef,
    authScopes: { admin: true },
    args: {
      slug: t.arg.string({ required: true }),
      name: t.arg.string(),
      specs: t.arg.stringList(),
      archived: t.arg.boolean(),
    },
    resolve: (_root, args, ctx) => updateRunner(ctx.db, args.slug, args, ctx.clock.now()),
  }),
  rotateRunnerKey: t.field({
    type: RunnerWithKey,
    authScopes: { admin: true },
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => rotateRunnerKey(ctx.db, args.slug),
  }),
}));
