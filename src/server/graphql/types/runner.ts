import { notFound } from '../../errors.js';
import { runnerNoiseHistory } from '../../noise/job-noise.js';
import { preflightOf } from '../../noise/runner-preflight.js';
import { shownLastSeen } from '../../runners/last-seen.js';
import { createRunner, rotateRunnerKey, updateRunner } from '../../runners/runners.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { NoiseRef, NoiseSampleRef, noiseOf } from './noise.js';
import { RunnerPreflightRef } from './preflight.js';
import { SpecRef } from './spec.js';

export const RunnerRef = builder.objectRef<Row<'runner'>>('Runner');

RunnerRef.implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    archived: t.boolean({ resolve: (r) => r.archived_at !== null }),
    lastSeenAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'its latest call to the server: to the second on the server it talks to, otherwise up to 5 minutes behind (docs/runner.md)',
      resolve: (r) => shownLastSeen(r.id, r.last_seen_at),
    }),
    specs: t.field({ type: [SpecRef], resolve: (r, _args, ctx) => ctx.loaders.runnerSpecs.load(r.id) }),
    noise: t.field({
      type: NoiseRef,
      nullable: true,
      description: 'its latest noise probe; null until it sends one',
      resolve: (r) => noiseOf(r),
    }),
    noiseMeasuredAt: t.expose('noise_measured_at', { type: 'DateTime', nullable: true }),
    noiseHistory: t.field({
      type: [NoiseSampleRef],
      // Admins only: the samples name jobs of every project the runner served.
      authScopes: { admin: true },
      description: 'its noise probes over time, newest first (admins)',
      args: { last: t.arg.int({ defaultValue: 100, description: 'how many, at most 1000' }) },
      resolve: (r, args, ctx) =>
        runnerNoiseHistory(ctx.db, r.id, Math.min(Math.max(args.last ?? 100, 1), 1000)),
    }),
    preflight: t.field({
      type: RunnerPreflightRef,
      nullable: true,
      // Admins only: how the host is set up is the operator's business, not every project reader's.
      authScopes: { admin: true },
      description: 'what it found and tuned at its latest start (admins); null until it has reported',
      resolve: (r) => preflightOf(r),
    }),
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
  runner: t.field({
    type: RunnerRef,
    authScopes: { admin: true },
    args: { slug: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const runner = await ctx.db
        .selectFrom('runner')
        .selectAll()
        .where('slug', '=', args.slug)
        .executeTakeFirst();
      if (!runner) throw notFound(`runner ${args.slug}`);
      return runner;
    },
  }),
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
